package main

import (
	"io"

	"github.com/spf13/cobra"
)

func newBalanceCmd() *cobra.Command {
	o := &inputOptions{}
	cmd := &cobra.Command{
		Use:   "balance (--spec S | --assignment A --weeks W) --out DIR",
		Short: "Test balance of baseline covariates and write DIR/balance.csv",
		Example: `  rcteval balance --assignment assignment.csv --weeks weeks.csv --out out/balance
  rcteval balance --spec examples/jobfirst.yaml --out out/jobfirst-balance --min-cell 3`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBalance(o, cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd, true)
	o.addTableFlags(cmd)
	cmd.MarkFlagRequired("out")
	return cmd
}

func runBalance(o *inputOptions, log io.Writer) error {
	ds, err := o.load(log)
	if err != nil {
		return err
	}
	plan := o.plan()
	plan.BalanceOnly = true
	d, err := analyse(ds, plan)
	if err != nil {
		return err
	}
	return writeOutputSet(o.log(log), o.Out, func(w output) error { return o.writeBalanceTables(w, d) })
}
