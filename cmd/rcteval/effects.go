package main

import (
	"fmt"
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
	o.addAnalysisFlags(cmd)
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

// writeEffects writes effects.csv, bands.csv, multiplicity.csv,
// subgroups.csv, subgroup_tests.csv, km.csv, ratio.csv, cohort_effects.csv
// and rejects.csv, and says on the log
// how the effects were estimated.
func writeEffects(w output, d *analysis.Disclosed) error {
	est, variance := d.Estimator()
	fmt.Fprintf(w.log, "estimator: %s, variance %s\n", est, variance)
	if ri := d.RI(); ri != nil && ri.Skipped != "" {
		fmt.Fprintf(w.log, "%s\n", ri.Skipped)
	} else if ri != nil {
		how := fmt.Sprintf("%d re-drawn assignments (seed %d)", ri.Draws, ri.Seed)
		if ri.Exact {
			how = fmt.Sprintf("all %d possible assignments (exact)", ri.Draws)
		}
		fmt.Fprintf(w.log, "randomisation inference: %s, %s statistic\n", how, ri.Statistic)
	}
	files := []struct {
		name  string
		write func(string, *analysis.Disclosed) error
	}{{"effects.csv", reports.WriteEffectsCSV}, {"bands.csv", reports.WriteBandsCSV}, {"multiplicity.csv", reports.WriteMultiplicityCSV},
		{"subgroups.csv", reports.WriteSubgroupsCSV}, {"subgroup_tests.csv", reports.WriteSubgroupTestsCSV}, {"km.csv", reports.WriteKMCSV}, {"ratio.csv", reports.WriteRatioCSV}, {"cohort_effects.csv", reports.WriteCohortCSV}}
	for _, f := range files {
		if err := w.file(f.name, func(p string) error { return f.write(p, d) }); err != nil {
			return err
		}
	}
	return w.file("rejects.csv", func(p string) error { return reports.WriteRejectsCSV(p, d.Accounting()) })
}
