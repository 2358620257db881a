package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"rcteval/pipeline"
	"rcteval/reports"
)

func newEffectsCmd() *cobra.Command {
	o := &inputOptions{}
	cmd := &cobra.Command{
		Use:   "effects --assignment A --weeks W --out DIR",
		Short: "Estimate week-by-week effects and write DIR/effects.csv",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEffects(o, cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd, true)
	return cmd
}

func runEffects(o *inputOptions, log io.Writer) error {
	ds, err := o.load(log)
	if err != nil {
		return err
	}
	_, err = writeEffects(log, ds, o)
	return err
}

// writeEffects estimates, applies disclosure control and writes effects.csv
// and rejects.csv.
func writeEffects(log io.Writer, ds *pipeline.Dataset, o *inputOptions) ([]reports.EffectRow, error) {
	rows := reports.EffectsTable(ds, o.Level)
	reports.DiscloseEffects(rows, o.MinCell)
	if err := writeOut(log, filepath.Join(o.Out, "effects.csv"), func(p string) error { return reports.WriteEffectsCSV(p, rows) }); err != nil {
		return nil, err
	}
	return rows, writeOut(log, filepath.Join(o.Out, "rejects.csv"), func(p string) error { return reports.WriteRejectsCSV(p, ds.Accounting) })
}

func writeOut(log io.Writer, path string, write func(string) error) error {
	if err := write(path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	fmt.Fprintf(log, "wrote %s\n", path)
	return nil
}
