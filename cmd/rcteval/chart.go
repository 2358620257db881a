package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"gonum.org/v1/plot/vg"

	"rcteval/pipeline/analysis"
	"rcteval/reports"
)

// chartOptions are the flags of rcteval chart: the data and analysis flags
// of report, and how to draw the one chart.
type chartOptions struct {
	inputOptions
	Name          string
	List          bool
	Outcome       string
	WeekRange     string
	Week          int
	Format        string
	Width, Height float64 // cm
	Title         string
	HideCI        bool
	HideBand      bool
	WarnAtRisk    float64
	// Results is a report's folder to draw from instead of the microdata.
	Results string
}

func newChartCmd() *cobra.Command {
	o := &chartOptions{}
	cmd := &cobra.Command{
		Use:   "chart NAME (--spec S | --assignment A --weeks W) [--outcome O] [--out FILE] | chart --list",
		Short: "Draw one chart (PNG, SVG or PDF); --list names every chart",
		Long: `Draw one chart of the trial as PNG, SVG or PDF: the JobFirst midterm report's
Figures 1–8 (fig1_praktik … fig8_sustained13) and the charts beyond them (means,
means_effect, effect, at_risk, balance, forest, km). "rcteval chart --list"
describes each. Charts that take an outcome need --outcome.

The data and analysis flags are those of "rcteval report". --width and --height
are in centimetres (default 16 × 10, the text width of an A4 page; PNGs are
drawn at 200 dpi). --week-range limits the weeks shown, e.g. 0:44 or 13: .

With --results DIR the chart is drawn from the published results an earlier
"rcteval report" wrote to DIR (its published.json), without the microdata:
what can be done outside the secure environment.`,
		Example: `  rcteval chart --list --lang da
  rcteval chart fig5_hours --spec examples/jobfirst.yaml --lang da
  rcteval chart effect --outcome employed --assignment a.csv --weeks w.csv --format pdf --out employed.pdf
  rcteval chart fig7_hours_bands --spec trial.yaml --week 26 --width 12 --height 8
  rcteval chart fig5_hours --results out/jobfirst --lang da`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				o.Name = args[0]
			}
			if o.List {
				return runChartList(o, cmd.OutOrStdout())
			}
			if err := o.check(); err != nil {
				return err
			}
			if o.Results != "" {
				return runChartPublished(o, cmd.ErrOrStderr())
			}
			ds, err := o.load(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			d, err := analyse(ds, o.chartPlan())
			if err != nil {
				return err
			}
			base := reports.ChartOptions{Lang: o.lang, Results: d, Titles: o.titles(), Labels: o.labels(), WarnAtRisk: o.WarnAtRisk}
			return runChart(o, base, o.log(cmd.ErrOrStderr()))
		},
	}
	o.addFlags(cmd, true)
	o.addAnalysisFlags(cmd)
	f := cmd.Flags()
	f.Lookup("out").Usage = "file to write (default NAME.FORMAT, or NAME_OUTCOME.FORMAT, in the current folder)"
	ri := f.Lookup("ri-draws")
	ri.Usage, ri.DefValue = "re-drawn assignments for randomisation inference, which no chart shows: none unless given", "0"
	f.BoolVar(&o.List, "list", false, "list every chart with a one-line description (in --lang) and exit")
	f.StringVar(&o.Outcome, "outcome", "", "outcome of a chart that takes one (means, means_effect, effect, forest, km)")
	f.StringVar(&o.WeekRange, "week-range", "", "weeks shown, FROM:TO (inclusive; either may be left out), e.g. 0:44")
	f.IntVar(&o.Week, "week", 0, "week of fig7_hours_bands (default 35) and of the forest plot (default: the last landmark with subgroup effects)")
	f.StringVar(&o.Format, "format", "png", "png, svg or pdf")
	f.Float64Var(&o.Width, "width", 0, "width in cm (default 16)")
	f.Float64Var(&o.Height, "height", 0, "height in cm (default 10; taller for long balance and forest plots)")
	f.StringVar(&o.Title, "title", "", "title drawn on the chart instead of its own")
	f.BoolVar(&o.HideCI, "hide-ci", false, "leave out the pointwise confidence intervals")
	f.BoolVar(&o.HideBand, "hide-band", false, "leave out the simultaneous (sup-t) band")
	f.StringVar(&o.Results, "results", "", "draw from the published results in this folder (written by rcteval report) instead of the microdata")
	f.Float64Var(&o.WarnAtRisk, "warn-at-risk", 0, "mark weekly charts from the first week at which fewer than this share of a group is followed, e.g. 0.5 (a midterm report's warning); 0: no mark")
	return cmd
}

// check validates the chart flags before any data is read.
func (o *chartOptions) check() error {
	if o.Name == "" {
		return fmt.Errorf("name the chart to draw, e.g. rcteval chart fig5_hours (rcteval chart --list names them all)")
	}
	found := false
	for _, c := range reports.Charts() {
		found = found || c.Name == o.Name
	}
	if !found {
		_, err := reports.BuildChart(o.Name, reports.ChartOptions{})
		return err
	}
	switch o.Format {
	case "png", "svg", "pdf":
	default:
		return fmt.Errorf("--format %q: expected png, svg or pdf", o.Format)
	}
	if o.Width < 0 || o.Height < 0 || o.Width > 200 || o.Height > 200 {
		return fmt.Errorf("--width %g --height %g: expected sizes in cm between 0 and 200 (0: the default)", o.Width, o.Height)
	}
	if o.Week < 0 {
		return fmt.Errorf("--week %d: expected 0 or more", o.Week)
	}
	if _, _, err := parseWeekRange(o.WeekRange); err != nil {
		return err
	}
	return nil
}

// parseWeekRange reads FROM:TO, either side optional; to 0: to the end.
func parseWeekRange(s string) (from, to int, err error) {
	if s == "" {
		return 0, 0, nil
	}
	a, b, ok := strings.Cut(s, ":")
	bad := fmt.Errorf("--week-range %q: expected FROM:TO in weeks since randomisation, such as 0:44, 13: or :26", s)
	if !ok {
		return 0, 0, bad
	}
	if a != "" {
		if from, err = strconv.Atoi(a); err != nil || from < 0 {
			return 0, 0, bad
		}
	}
	if b != "" {
		if to, err = strconv.Atoi(b); err != nil || to < 0 {
			return 0, 0, bad
		}
		if to < from {
			return 0, 0, fmt.Errorf("--week-range %q: the last week comes before the first", s)
		}
	}
	return from, to, nil
}

// chartPlan is the analysis a chart from the data needs. No chart shows
// randomisation inference, so it is left out unless asked for (on 100 000
// persons it takes a minute).
func (o *chartOptions) chartPlan() analysis.Plan {
	plan := o.plan()
	if o.set("week") {
		plan.HoursWeek = o.Week
	}
	if plan.RIDefault {
		plan.RIDraws = 0
	}
	return plan
}

// runChartList writes every chart with its description in --lang.
func runChartList(o *chartOptions, out io.Writer) error {
	lang, err := reports.ParseLang(o.Lang)
	if err != nil {
		return fmt.Errorf("--lang: %w", err)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, c := range reports.Charts() {
		fmt.Fprintf(tw, "%s\t%s\n", c.Name, c.Description(lang))
	}
	return tw.Flush()
}

// runChartPublished draws the chart o names from the published results in
// o.Results; the data and analysis flags have no say.
func runChartPublished(o *chartOptions, log io.Writer) error {
	for _, name := range []string{"spec", "assignment", "weeks", "hours", "estimator", "covariates", "cluster", "hc", "ri-draws", "seed", "cohort", "level", "min-cell", "week"} {
		if o.set(name) {
			return fmt.Errorf("--%s with --results: the published results were estimated when they were written; draw from the data instead to change them", name)
		}
	}
	lang, err := reports.ParseLang(o.Lang)
	if err != nil {
		return fmt.Errorf("--lang: %w", err)
	}
	p, err := reports.OpenPublished(o.Results)
	if err != nil {
		return err
	}
	base := p.ChartOptions(lang)
	if o.set("warn-at-risk") {
		base.WarnAtRisk = o.WarnAtRisk
	}
	return runChart(o, base, o.log(log))
}

// runChart draws the chart o names from base (the results, language,
// labels) and writes it; o is validated.
func runChart(o *chartOptions, base reports.ChartOptions, log io.Writer) error {
	from, to, _ := parseWeekRange(o.WeekRange)
	opts := base
	opts.Outcome, opts.FromWeek, opts.ToWeek = o.Outcome, from, to
	opts.Width, opts.Height = vg.Length(o.Width)*vg.Centimeter, vg.Length(o.Height)*vg.Centimeter
	opts.Title, opts.HideCI, opts.HideBand, opts.Week = o.Title, o.HideCI, o.HideBand, o.Week
	fig, err := reports.BuildChart(o.Name, opts)
	if err != nil {
		return err
	}
	b, err := fig.Encode(o.Format)
	if err != nil {
		return err
	}
	path := o.Out
	if path == "" {
		path = fig.Name + "." + o.Format
	}
	if err := reports.WriteFileAtomic(path, b); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	fmt.Fprintf(log, "wrote %s\n", path)
	return nil
}
