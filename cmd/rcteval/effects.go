package main

import (
	"io"
	"slices"

	"github.com/spf13/cobra"

	"rcteval/pipeline"
	"rcteval/reports"
)

func newEffectsCmd() *cobra.Command {
	o := &inputOptions{}
	cmd := &cobra.Command{
		Use:   "effects (--spec S | --assignment A --weeks W) --out DIR",
		Short: "Estimate week-by-week effects and write DIR/effects.csv",
		Example: `  rcteval effects --assignment assignment.csv --weeks weeks.csv --out out/effects
  rcteval effects --spec examples/jobfirst.yaml --out out/jobfirst --extract-end 2017-W10`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEffects(o, cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd, true)
	cmd.MarkFlagRequired("out")
	return cmd
}

func runEffects(o *inputOptions, log io.Writer) error {
	ds, err := o.load(log)
	if err != nil {
		return err
	}
	return writeOutputSet(o.log(log), o.Out, func(w output) error {
		_, err := writeEffects(w, ds, o)
		return err
	})
}

// writeEffects estimates, applies disclosure control and writes effects.csv
// and rejects.csv.
func writeEffects(w output, ds *pipeline.Dataset, o *inputOptions) ([]reports.EffectRow, error) {
	rows := reports.EffectsTable(ds, o.Level)
	if w := o.spec.Weeks; !w.All {
		rows = slices.DeleteFunc(rows, func(r reports.EffectRow) bool { return r.Week < w.From || r.Week > w.To })
	}
	reports.DiscloseEffects(rows, o.MinCell)
	if err := w.file("effects.csv", func(p string) error { return reports.WriteEffectsCSV(p, rows) }); err != nil {
		return nil, err
	}
	return rows, w.file("rejects.csv", func(p string) error { return reports.WriteRejectsCSV(p, ds.Accounting) })
}
