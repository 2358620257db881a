package main

import (
	"io"

	"github.com/spf13/cobra"

	"rcteval/pipeline"
	"rcteval/pipeline/analysis"
)

func newEffectsCmd() *cobra.Command {
	o := &inputOptions{}
	cmd := &cobra.Command{
		Use:   "effects (--spec S | --assignment A --weeks W) --out DIR",
		Short: "Estimate week-by-week effects and write DIR/effects.csv and the other effect tables",
		Example: `  rcteval effects --assignment assignment.csv --weeks weeks.csv --out out/effects
  rcteval effects --spec examples/jobfirst.yaml --out out/jobfirst --extract-end 2017-W10
  rcteval effects --spec examples/jobfirst.yaml --out out/jobfirst --tables csv,json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEffects(o, cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd, true)
	o.addAnalysisFlags(cmd)
	o.addTableFlags(cmd)
	cmd.MarkFlagRequired("out")
	return cmd
}

func runEffects(o *inputOptions, log io.Writer) error {
	ds, err := o.load(log)
	if err != nil {
		return err
	}
	plan := o.plan()
	plan.EffectsOnly = true
	d, err := analyse(ds, plan)
	if err != nil {
		return err
	}
	return writeOutputSet(o.log(log), o.Out, func(w output) error { return o.writeEffectTables(w, d) })
}

// analyse estimates what the plan asks for and applies disclosure control.
func analyse(ds *pipeline.Dataset, plan analysis.Plan) (*analysis.Disclosed, error) {
	r, err := analysis.Run(ds, plan)
	if err != nil {
		return nil, err
	}
	return analysis.Disclose(r), nil
}
