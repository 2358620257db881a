package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"rcteval/pipeline"
	"rcteval/reports"
)

// inputOptions are the flags shared by the commands that read a trial.
type inputOptions struct {
	Assignment string
	Weeks      string
	Out        string
	ExtractEnd string
	Level      float64
	MinCell    int
	Lang       string

	// Set by validate.
	lang reports.Lang
	opt  pipeline.Options
}

func (o *inputOptions) addFlags(cmd *cobra.Command, withData bool) {
	f := cmd.Flags()
	if withData {
		f.StringVar(&o.Assignment, "assignment", "", "assignment CSV: person_id,arm,randomised_on[,stratum,covariates…] (required)")
		f.StringVar(&o.Weeks, "weeks", "", "weekly CSV: person_id,week,hours,status (required)")
		cmd.MarkFlagRequired("assignment")
		cmd.MarkFlagRequired("weeks")
	}
	f.StringVar(&o.Out, "out", "", "output directory (required)")
	f.StringVar(&o.ExtractEnd, "extract-end", "", "last week of the extract, YYYY-Www (default: the last week in the weekly file)")
	f.Float64Var(&o.Level, "level", 0.95, "confidence level of the intervals")
	f.IntVar(&o.MinCell, "min-cell", 5, "suppress estimates resting on fewer persons than this in a cell (0: off)")
	f.StringVar(&o.Lang, "lang", "en", "language of charts and report: en or da")
	if withData {
		cmd.MarkFlagRequired("out")
	}
}

// validate checks the flags and sets lang and opt from them.
func (o *inputOptions) validate() error {
	if !(o.Level > 0 && o.Level < 1) {
		return fmt.Errorf("--level %g: expected a confidence level between 0 and 1, such as 0.95", o.Level)
	}
	if o.MinCell < 0 {
		return fmt.Errorf("--min-cell %d: expected 0 or more", o.MinCell)
	}
	lang, err := reports.ParseLang(o.Lang)
	if err != nil {
		return fmt.Errorf("--lang: %w", err)
	}
	o.lang, o.opt = lang, pipeline.Options{}
	if o.ExtractEnd != "" {
		w, err := pipeline.ParseISOWeek(o.ExtractEnd)
		if err != nil {
			return fmt.Errorf("--extract-end: %w", err)
		}
		o.opt.ExtractEnd = w
	}
	return nil
}

// load validates the flags and reads the trial from files, reporting
// progress on log.
func (o *inputOptions) load(log io.Writer) (*pipeline.Dataset, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	a, err := pipeline.ReadAssignment(o.Assignment)
	if err != nil {
		return nil, err
	}
	src, err := pipeline.OpenWeeks(o.Weeks)
	if err != nil {
		return nil, err
	}
	return loadFrom(log, a, src, o.opt)
}

func loadFrom(log io.Writer, a *pipeline.Assignment, src pipeline.WeekSource, opt pipeline.Options) (*pipeline.Dataset, error) {
	fmt.Fprintf(log, "read %s\n", a)
	ds, err := pipeline.Load(a, src, opt, pipeline.DefaultOutcomes())
	if err != nil {
		return nil, err
	}
	acc := ds.Accounting
	fmt.Fprintf(log, "read %s: %d rows = %d in follow-up + %d pre-period + %d rejected\n",
		acc.Source, acc.Read, acc.FollowUp, acc.PrePeriod, len(acc.Rejects))
	for _, r := range acc.Rejected() {
		fmt.Fprintf(log, "  rejected %d rows: %s\n", r.Rows, r.Reason)
	}
	if acc.NeverAtRisk > 0 {
		fmt.Fprintf(log, "  %d persons randomised after the extract end are never at risk\n", acc.NeverAtRisk)
	}
	fmt.Fprintf(log, "aligned on weeks since randomisation: extract end %s, follow-up up to %d weeks\n", ds.Store.ExtractEnd, ds.Store.Weeks)
	return ds, nil
}
