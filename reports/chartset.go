package reports

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"

	"rcteval/pipeline/analysis"
)

// ChartOptions are what a chart is drawn from and how: the one argument of
// every chart in the registry.
type ChartOptions struct {
	Lang    Lang
	Results *analysis.Disclosed
	// Outcome is the outcome of a chart that takes one.
	Outcome string
	// FromWeek and ToWeek bound the weeks shown (inclusive); ToWeek ≤ 0:
	// to the last week estimated.
	FromWeek, ToWeek int
	// Width and Height are the figure's size; 0: the house size (16 × 10 cm).
	Width, Height vg.Length
	// Title replaces the chart's own title; HideTitle leaves it out (for a
	// report that sets the title as the figure's caption).
	Title     string
	HideTitle bool
	// Titles are the outcomes' names from the spec (outcome → label in
	// Lang); missing: the catalogue's.
	Titles map[string]string
	// Labels name covariates and levels (love and forest plots).
	Labels Labels
	// HideCI and HideBand leave out the pointwise confidence interval and
	// the simultaneous (sup-t) band of effect charts.
	HideCI, HideBand bool
	// WarnAtRisk, when above 0, marks weekly charts from the first week at
	// which fewer than this share of an arm is still followed (a midterm
	// report's warning): a dotted line and a note.
	WarnAtRisk float64
	// Week is the week of the forest plot (0: the last landmark with
	// subgroup estimates); the hours distribution is drawn at the week the
	// results hold (Plan.HoursWeek), and a different Week is an error.
	Week int

	// Set by BuildChart from the registry: the figure's number and name.
	number int
	name   string
}

// ChartInfo describes a chart of the registry.
type ChartInfo struct {
	// Name is the chart's stable name, used on the command line and in
	// file names.
	Name string
	// Number is the figure's number in the JobFirst midterm report (1–8);
	// 0 for the charts beyond it.
	Number int
	// TakesOutcome says the chart is drawn for an outcome chosen by
	// ChartOptions.Outcome; Outcome is the fixed outcome of a numbered
	// figure.
	TakesOutcome bool
	Outcome      string
	build        func(ChartOptions, string) (*Figure, error)
	// outcomes lists the outcomes the chart can be drawn for in d.
	outcomes func(*analysis.Disclosed) []string
	// table is the published table the chart is drawn from.
	table func(*analysis.Disclosed) *DataTable
}

// Weekly says the chart is drawn over weeks since randomisation, so that
// ChartOptions.FromWeek and ToWeek choose what it shows.
func (c ChartInfo) Weekly() bool {
	switch c.Name {
	case "fig7_hours_bands", "balance", "forest":
		return false
	}
	return true
}

// Description is the chart's one-line description in lang.
func (c ChartInfo) Description(lang Lang) string { return T(lang, "chart.desc."+c.Name) }

// charts is the registry, in the order listed.
var charts = []ChartInfo{
	{Name: "fig1_praktik", Number: 1, Outcome: "praktik", build: buildMeans, table: EffectsTable},
	{Name: "fig2_wage_subsidy", Number: 2, Outcome: "wage_subsidy", build: buildMeans, table: EffectsTable},
	{Name: "fig3_hours", Number: 3, Outcome: "hours", build: buildMeans, table: EffectsTable},
	{Name: "fig4_sustained13", Number: 4, Outcome: "sustained13", build: buildMeans, table: EffectsTable},
	{Name: "fig5_hours", Number: 5, Outcome: "hours", build: buildMeansEffect, table: EffectsTable},
	{Name: "fig6_employed", Number: 6, Outcome: "employed", build: buildMeansEffect, table: EffectsTable},
	{Name: "fig7_hours_bands", Number: 7, build: buildHoursBands, outcomes: hoursBandsOutcomes, table: HoursDistributionTable},
	{Name: "fig8_sustained13", Number: 8, Outcome: "sustained13", build: buildMeansEffect, table: EffectsTable},
	{Name: "means", TakesOutcome: true, build: buildMeans, table: EffectsTable},
	{Name: "means_effect", TakesOutcome: true, build: buildMeansEffect, table: EffectsTable},
	{Name: "effect", TakesOutcome: true, build: buildEffect, table: EffectsTable},
	{Name: "at_risk", build: buildAtRisk, outcomes: atRiskOutcomes, table: AttritionTable},
	{Name: "balance", build: buildBalance, outcomes: balanceOutcomes, table: BalanceTable},
	{Name: "forest", TakesOutcome: true, build: buildForest, outcomes: forestOutcomes, table: SubgroupsTable},
	{Name: "km", TakesOutcome: true, build: buildKM, outcomes: kmOutcomes, table: KMTable},
}

// Charts lists every chart of the registry.
func Charts() []ChartInfo { return slices.Clone(charts) }

// chartInfo finds a chart by name.
func chartInfo(name string) (ChartInfo, error) {
	for _, c := range charts {
		if c.Name == name {
			return c, nil
		}
	}
	names := make([]string, len(charts))
	for i, c := range charts {
		names[i] = c.Name
	}
	return ChartInfo{}, fmt.Errorf("unknown chart %q; the charts are %s (rcteval chart --list describes them)", name, strings.Join(names, ", "))
}

// estimatedOutcomes are the outcomes with at least one effect row.
func estimatedOutcomes(d *analysis.Disclosed) []string {
	var out []string
	for _, o := range d.Trial().Outcomes {
		if len(d.OutcomeEffects(o.Name)) > 0 {
			out = append(out, o.Name)
		}
	}
	return out
}

// Outcomes are the outcomes the chart can be drawn for in d: for a chart
// without an outcome, one empty name when it can be drawn and none when
// it cannot.
func (c ChartInfo) Outcomes(d *analysis.Disclosed) []string {
	if c.outcomes != nil {
		return c.outcomes(d)
	}
	all := estimatedOutcomes(d)
	if c.TakesOutcome {
		return all
	}
	if slices.Contains(all, c.Outcome) {
		return []string{""}
	}
	return nil
}

// FileName is the name of the chart's file without extension:
// NAME, or NAME_OUTCOME for a chart that takes an outcome.
func (c ChartInfo) FileName(outcome string) string {
	if c.TakesOutcome && outcome != "" {
		return c.Name + "_" + outcome
	}
	return c.Name
}

// BuildChart draws the chart name from opts. An unknown chart or outcome,
// an outcome the chart cannot be drawn for in these results, or weeks out
// of range are errors.
func BuildChart(name string, opts ChartOptions) (*Figure, error) {
	c, err := chartInfo(name)
	if err != nil {
		return nil, err
	}
	d := opts.Results
	if d == nil {
		return nil, fmt.Errorf("chart %s: no results", name)
	}
	if _, err := ParseLang(string(opts.Lang)); err != nil {
		return nil, fmt.Errorf("chart %s: %w", name, err)
	}
	if opts.Width < 0 || opts.Height < 0 {
		return nil, fmt.Errorf("chart %s: size %v × %v: expected a positive width and height", name, opts.Width, opts.Height)
	}
	available := c.Outcomes(d)
	outcome := c.Outcome
	switch {
	case c.TakesOutcome && opts.Outcome == "":
		return nil, fmt.Errorf("chart %s needs an outcome; one of: %s", name, orNone(available))
	case c.TakesOutcome:
		outcome = opts.Outcome
		if !slices.Contains(available, outcome) {
			return nil, fmt.Errorf("chart %s cannot be drawn for outcome %q: %s; it can for: %s", name, outcome, whyNot(d, outcome), orNone(available))
		}
	case opts.Outcome != "" && opts.Outcome != c.Outcome:
		return nil, fmt.Errorf("chart %s takes no outcome (it is drawn for %s): leave out the outcome, or use a chart that takes one (means, means_effect, effect)", name, orNone([]string{c.Outcome}))
	case len(available) == 0:
		if c.Outcome != "" {
			return nil, fmt.Errorf("chart %s is not available: the outcome %q %s", name, c.Outcome, whyNot(d, c.Outcome))
		}
		return nil, fmt.Errorf("chart %s is not available: %s", name, unavailable[c.Name])
	}
	opts.number, opts.name = c.Number, c.FileName(outcome)
	return c.build(opts, outcome)
}

// ChartTable is the table behind the chart that BuildChart(name, opts)
// draws: the published table it is drawn from, cut to its outcome and to
// the weeks shown (a forest plot: its week), so that a number read off
// the chart can be looked up. Its errors are BuildChart's.
func ChartTable(name string, opts ChartOptions) (*DataTable, error) {
	if _, err := BuildChart(name, opts); err != nil {
		return nil, err
	}
	c, _ := chartInfo(name)
	outcome := cmp.Or(opts.Outcome, c.Outcome)
	keepWeek := func(k int64) bool { return true }
	switch {
	case c.Name == "forest":
		week, err := forestWeek(opts.Results, outcome, opts.Week)
		if err != nil {
			return nil, err
		}
		keepWeek = func(k int64) bool { return k == int64(week) }
	case c.Weekly():
		keepWeek = func(k int64) bool { return k >= int64(opts.FromWeek) && (opts.ToWeek <= 0 || k <= int64(opts.ToWeek)) }
	}
	full := c.table(opts.Results)
	outcomeCol, weekCol := slices.IndexFunc(full.Columns, func(c DataColumn) bool { return c.Name == "outcome" }),
		slices.IndexFunc(full.Columns, func(c DataColumn) bool { return c.Name == "week" })
	t := newTable(full.Name, full.Columns)
	full.EachRow(func(row []any) {
		if outcome != "" && outcomeCol >= 0 && row[outcomeCol] != outcome {
			return
		}
		if k, ok := row[max(weekCol, 0)].(int64); weekCol >= 0 && ok && !keepWeek(k) {
			return
		}
		t.Rows = append(t.Rows, slices.Clone(row))
	})
	return t, nil
}

// unavailable says why a chart without an outcome cannot be drawn.
var unavailable = map[string]string{
	"fig7_hours_bands": "the run has no hours outcome, or no week followed",
	"at_risk":          "the run has no weeks followed",
	"balance":          "the balance table has no covariate with a standardised difference",
}

// whyNot says why an outcome has no chart.
func whyNot(d *analysis.Disclosed, outcome string) string {
	for _, o := range d.Trial().Outcomes {
		if o.Name == outcome {
			return "has no estimates in this run for this chart"
		}
	}
	return "is not in this run"
}

func orNone(names []string) string {
	if len(names) == 0 || (len(names) == 1 && names[0] == "") {
		return "none"
	}
	return strings.Join(names, ", ")
}

// chartTitle is the title drawn on a figure: the options' title, else
// "Figure N. title" for a numbered figure, else title; empty when hidden.
func chartTitle(opts ChartOptions, number int, title string) string {
	switch {
	case opts.HideTitle:
		return ""
	case opts.Title != "":
		return opts.Title
	case number > 0:
		return fmt.Sprintf(T(opts.Lang, "chart.figure"), number, title)
	}
	return title
}

// outcomeTitle is an outcome's name in the options' language.
func outcomeTitle(opts ChartOptions, outcome string) string {
	if t := opts.Titles[outcome]; t != "" {
		return t
	}
	return OutcomeTitle(opts.Lang, outcome)
}

// weekRange is the weeks [from, to] shown of rows' weeks first … last.
func weekRange(opts ChartOptions, first, last int) (from, to int, err error) {
	from, to = max(opts.FromWeek, first), last
	if opts.ToWeek > 0 {
		to = min(opts.ToWeek, last)
	}
	switch {
	case opts.FromWeek < 0:
		return 0, 0, fmt.Errorf("weeks from %d: expected 0 or more", opts.FromWeek)
	case opts.ToWeek > 0 && opts.ToWeek < opts.FromWeek:
		return 0, 0, fmt.Errorf("weeks %d:%d: expected from ≤ to", opts.FromWeek, opts.ToWeek)
	case opts.FromWeek > last:
		return 0, 0, fmt.Errorf("weeks from %d: the results end at week %d", opts.FromWeek, last)
	case opts.ToWeek > 0 && opts.ToWeek < first:
		return 0, 0, fmt.Errorf("weeks to %d: the results start at week %d", opts.ToWeek, first)
	}
	return from, to, nil
}
