package main

import (
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"rcteval/pipeline"
	"rcteval/reports"
)

func newBalanceCmd() *cobra.Command {
	o := &inputOptions{}
	cmd := &cobra.Command{
		Use:   "balance --assignment A --weeks W --out DIR",
		Short: "Test balance of baseline covariates and write DIR/balance.csv",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBalance(o, cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd, true)
	return cmd
}

func runBalance(o *inputOptions, log io.Writer) error {
	ds, err := o.load(log)
	if err != nil {
		return err
	}
	_, err = writeBalance(log, ds, o)
	return err
}

func writeBalance(log io.Writer, ds *pipeline.Dataset, o *inputOptions) ([]reports.BalanceRow, error) {
	rows := reports.BalanceTable(ds.Assignment, o.MinCell)
	return rows, writeOut(log, filepath.Join(o.Out, "balance.csv"), func(p string) error { return reports.WriteBalanceCSV(p, rows) })
}
