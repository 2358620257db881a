package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"rcteval"
	"rcteval/pipeline"
)

func newDemoCmd() *cobra.Command {
	o := &inputOptions{Out: filepath.Join("out", "demo")}
	cmd := &cobra.Command{
		Use:   "demo [--out DIR]",
		Short: "Run the full report on the embedded demo trial (a simulated JobFirst-like trial)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(o, cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd, false)
	cmd.Flags().Lookup("out").DefValue = o.Out
	cmd.Flags().Lookup("out").Usage = "output directory"
	return cmd
}

func runDemo(o *inputOptions, log io.Writer) error {
	if err := o.validate(); err != nil {
		return err
	}
	a, err := pipeline.ReadAssignmentFrom(rcteval.DemoAssignment, rcteval.DemoFile(rcteval.DemoAssignment))
	if err != nil {
		return err
	}
	src, err := pipeline.WeeksFrom(rcteval.DemoWeeks, rcteval.DemoFile(rcteval.DemoWeeks))
	if err != nil {
		return err
	}
	ds, err := loadFrom(log, a, src, o.opt)
	if err != nil {
		return err
	}
	if err := runReport(o, ds, log); err != nil {
		return err
	}
	fmt.Fprintf(log, "open %s in a browser\n", filepath.Join(o.Out, "report.html"))
	return nil
}
