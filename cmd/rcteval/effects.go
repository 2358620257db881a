package main

import (
	"io"

	"github.com/spf13/cobra"

	"rcteval/pipeline"
	"rcteval/pipeline/analysis"
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
	d, err := analyse(ds, o.plan())
	if err != nil {
		return err
	}
	return writeOutputSet(o.log(log), o.Out, func(w output) error { return writeEffects(w, d) })
}

// analyse estimates what the plan asks for and applies disclosure control.
func analyse(ds *pipeline.Dataset, plan analysis.Plan) (*analysis.Disclosed, error) {
	r, err := analysis.Run(ds, plan)
	if err != nil {
		return nil, err
	}
	return analysis.Disclose(r), nil
}

// writeEffects writes effects.csv and rejects.csv.
func writeEffects(w output, d *analysis.Disclosed) error {
	if err := w.file("effects.csv", func(p string) error { return reports.WriteEffectsCSV(p, d) }); err != nil {
		return err
	}
	return w.file("rejects.csv", func(p string) error { return reports.WriteRejectsCSV(p, d.Accounting()) })
}
