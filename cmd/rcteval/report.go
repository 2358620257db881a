package main

import (
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"rcteval/pipeline"
	"rcteval/reports"
)

func newReportCmd() *cobra.Command {
	o := &inputOptions{}
	cmd := &cobra.Command{
		Use:   "report --assignment A --weeks W --out DIR",
		Short: "Write effects, balance, charts and a self-contained HTML report to DIR",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ds, err := o.load(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			return runReport(o, ds, cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd, true)
	return cmd
}

// runReport writes every output of a loaded trial to o.Out; o is validated.
func runReport(o *inputOptions, ds *pipeline.Dataset, log io.Writer) error {
	effects, err := writeEffects(log, ds, o)
	if err != nil {
		return err
	}
	balance, err := writeBalance(log, ds, o)
	if err != nil {
		return err
	}
	var charts []reports.Chart
	for _, out := range ds.Outcomes {
		var rows []reports.EffectRow
		for _, r := range effects {
			if r.Outcome == out.Def.Name {
				rows = append(rows, r)
			}
		}
		c, err := reports.EffectChart(o.lang, o.Level, out.Def.Name, rows)
		if err != nil {
			return err
		}
		charts = append(charts, c)
		base := filepath.Join(o.Out, "figures", out.Def.Name)
		if err := writeOut(log, base+".png", func(p string) error { return reports.WriteFileAtomic(p, c.PNG) }); err != nil {
			return err
		}
		if err := writeOut(log, base+".svg", func(p string) error { return reports.WriteFileAtomic(p, c.SVG) }); err != nil {
			return err
		}
	}
	in := reports.ReportInput{Lang: o.lang, Level: o.Level, MinCell: o.MinCell, Assignment: ds.Assignment, Store: ds.Store,
		Accounting: ds.Accounting, Effects: effects, Balance: balance, Charts: charts}
	return writeOut(log, filepath.Join(o.Out, "report.html"), func(p string) error { return reports.WriteReport(p, in) })
}
