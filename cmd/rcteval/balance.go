package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"rcteval/pipeline/analysis"
	"rcteval/reports"
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
	return writeOutputSet(o.log(log), o.Out, func(w output) error { return writeBalance(w, d) })
}

// writeBalance writes balance.csv and attrition.csv and prints the
// balance notes.
func writeBalance(w output, d *analysis.Disclosed) error {
	for _, n := range d.Balance().Notes {
		fmt.Fprintf(w.log, "balance: %s\n", reports.BalanceNoteText(reports.English, n))
	}
	if err := w.file("balance.csv", func(p string) error { return reports.WriteBalanceCSV(p, d) }); err != nil {
		return err
	}
	return w.file("attrition.csv", func(p string) error { return reports.WriteAttritionCSV(p, d) })
}
