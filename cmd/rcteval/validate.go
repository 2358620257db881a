package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"rcteval/pipeline"
	"rcteval/reports"
)

func newValidateCmd() *cobra.Command {
	o := &inputOptions{}
	cmd := &cobra.Command{
		Use:   "validate (--spec S | --assignment A --weeks W) [--out DIR]",
		Short: "Check the inputs and print what becomes of every row, without estimating",
		Long: `validate runs the checks every command runs on its inputs and prints, per input,
the rows read, used in follow-up, kept as pre-period and rejected by reason; persons
per arm, persons without weekly rows and weekly ids that match no one; the weeks
covered; and the status codes seen with their categories. With --out it writes
DIR/rejects.csv (file, line, reason, column, value; never an id). It exits with
code 1 when a run on these inputs would fail, printing every problem found.`,
		Example: `  rcteval validate --spec examples/jobfirst.yaml
  rcteval validate --assignment assignment.csv --weeks weeks.csv --out out/check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runValidate(o, cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd, true)
	return cmd
}

func runValidate(o *inputOptions, log io.Writer) error {
	ds, err := o.load(log)
	if err != nil {
		return err
	}
	log = o.log(log)
	acc := ds.Accounting
	fmt.Fprintf(log, "persons: %s\n", ds.Assignment)
	t, c := pipeline.Treatment, pipeline.Control
	fmt.Fprintf(log, "persons at risk without any weekly row: %d treatment, %d control; weekly ids matching no person: %d\n",
		acc.NoRows[t], acc.NoRows[c], acc.UnknownIDs)
	if acc.FirstWeek != (pipeline.ISOWeek{}) {
		fmt.Fprintf(log, "weeks with data: %s … %s\n", acc.FirstWeek, acc.LastWeek)
	}
	if len(acc.Codes) > 0 {
		fmt.Fprintln(log, "status codes seen (code → category: rows):")
		for _, c := range acc.Codes {
			code, cat := c.Code, c.Category
			if code == "" {
				code = "(empty)"
			}
			if cat == "" {
				cat = "no benefit"
			}
			mark := ""
			if c.Unmapped {
				mark = " (not in the spec)"
			}
			fmt.Fprintf(log, "  %s → %s: %d%s\n", code, cat, c.Count, mark)
		}
	}
	if o.Out != "" {
		path := filepath.Join(o.Out, "rejects.csv")
		if err := reports.WriteRejectsCSV(path, acc); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		fmt.Fprintf(log, "wrote %s\n", path)
	}
	fmt.Fprintln(log, "the inputs are valid")
	return nil
}
