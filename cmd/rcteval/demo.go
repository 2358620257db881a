package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"rcteval"
	"rcteval/pipeline/ingest"
	"rcteval/pipeline/ingest/csvtable"
	"rcteval/pipeline/ingest/table"
)

func newDemoCmd() *cobra.Command {
	o := &inputOptions{Out: filepath.Join("out", "demo")}
	cmd := &cobra.Command{
		Use:   "demo [--out DIR]",
		Short: "Run the full report on the embedded demo trial (a simulated JobFirst-like trial)",
		Example: `  rcteval demo                       # writes out/demo/report.html
  rcteval demo --lang da --out out/demo-da`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(o, cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd, false)
	o.addAnalysisFlags(cmd)
	o.addTableFlags(cmd)
	return cmd
}

func runDemo(o *inputOptions, log io.Writer) error {
	if err := o.validate(); err != nil {
		return err
	}
	embedded := func(name string) ingest.Input {
		return ingest.Input{Path: name, Open: func() (table.Table, error) {
			return csvtable.New(name, rcteval.DemoFile(name), csvtable.Options{})
		}}
	}
	o.embedded = rcteval.DemoFile
	o.config.Assignment = embedded(rcteval.DemoAssignment)
	o.config.Weeks = []ingest.Input{embedded(rcteval.DemoWeeks)}
	ds, err := o.loadConfig(log)
	if err != nil {
		return err
	}
	if err := runReport(o, ds, log); err != nil {
		return err
	}
	fmt.Fprintf(o.log(log), "open %s in a browser\n", filepath.Join(o.Out, "report.html"))
	return nil
}
