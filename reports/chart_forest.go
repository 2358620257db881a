package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"rcteval/pipeline/analysis"
)

// forestOutcomes are the outcomes with subgroup effects.
func forestOutcomes(d *analysis.Disclosed) []string {
	var out []string
	for _, o := range d.Trial().Outcomes {
		for _, s := range d.Subgroups() {
			if s.Outcome == o.Name {
				out = append(out, o.Name)
				break
			}
		}
	}
	return out
}

// forestWeek is the week of a forest plot: the asked one, which must have
// subgroup rows, else the last week with an estimated subgroup (the last
// with rows when none is estimated).
// ForestWeeks are the weeks with subgroup effects of outcome (the
// landmarks), in order: the weeks a forest plot can be drawn at.
func ForestWeeks(d *analysis.Disclosed, outcome string) []int {
	var weeks []int
	for _, s := range d.Subgroups() {
		if s.Outcome == outcome && !slices.Contains(weeks, s.Week) {
			weeks = append(weeks, s.Week)
		}
	}
	slices.Sort(weeks)
	return weeks
}

func forestWeek(d *analysis.Disclosed, outcome string, asked int) (int, error) {
	weeks := ForestWeeks(d, outcome)
	last, lastEstimated := -1, -1
	for _, s := range d.Subgroups() {
		if s.Outcome == outcome {
			last = max(last, s.Week)
			if s.Estimated {
				lastEstimated = max(lastEstimated, s.Week)
			}
		}
	}
	if asked > 0 {
		if !slices.Contains(weeks, asked) {
			ws := make([]string, len(weeks))
			for i, w := range weeks {
				ws[i] = fmt.Sprint(w)
			}
			return 0, fmt.Errorf("chart forest: no subgroup effects of %s in week %d; the landmark weeks with them are %s", outcome, asked, strings.Join(ws, ", "))
		}
		return asked, nil
	}
	if lastEstimated >= 0 {
		return lastEstimated, nil
	}
	return last, nil
}

// buildForest draws the forest plot of an outcome's effects within
// jobcentres (strata) and subgroups at a landmark week, each with its
// confidence interval, the overall effect as a reference line.
func buildForest(opts ChartOptions, outcome string) (*Figure, error) {
	lang, d := opts.Lang, opts.Results
	week, err := forestWeek(d, outcome, opts.Week)
	if err != nil {
		return nil, err
	}
	var rows []analysis.SubgroupEffect
	for _, s := range d.Subgroups() {
		if s.Outcome == outcome && s.Week == week {
			rows = append(rows, s)
		}
	}
	w, err := weeklyOf(ChartOptions{Lang: lang, Results: d}, outcome)
	if err != nil {
		return nil, err
	}
	n := len(rows)
	covs, levels := make([]string, n), make([]string, n)
	for i, r := range rows {
		covs[i], levels[i] = r.Variable, r.Level
	}
	names := rowLabels(lang, opts.Labels, covs, levels)
	reversedNames := make([]string, n)
	p := newPanel("", fmt.Sprintf(T(lang, "chart.forest_axis"), w.yEffect, week), "")
	y := func(i int) float64 { return float64(n - 1 - i) }
	var pts plotter.XYs
	var suppressed []float64
	lo, hi := 0.0, 0.0
	for i, r := range rows {
		reversedNames[n-1-i] = names[i]
		if !r.Estimated {
			if r.Suppressed != "" {
				suppressed = append(suppressed, y(i))
			}
			continue
		}
		est := w.scale * r.Estimate.Estimate
		pts = append(pts, plotter.XY{X: est, Y: y(i)})
		lo, hi = math.Min(lo, est), math.Max(hi, est)
		if !opts.HideCI && !math.IsNaN(r.CILow) {
			l, _, err := lineOf(plotter.XYs{{X: w.scale * r.CILow, Y: y(i)}, {X: w.scale * r.CIHigh, Y: y(i)}}, colEffect, 1, nil)
			if err != nil {
				return nil, err
			}
			p.Add(l)
			lo, hi = math.Min(lo, w.scale*r.CILow), math.Max(hi, w.scale*r.CIHigh)
		}
	}
	p.NominalY(reversedNames...)
	p.Y.Padding = vg.Points(6)
	p.Add(vline(0, colReference, 0.7, nil))
	glyph := draw.GlyphStyle{Color: colEffect, Radius: vg.Points(2.4), Shape: draw.BoxGlyph{}}
	if len(pts) > 0 {
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = glyph
		p.Add(s)
	}
	sample, _ := plotter.NewScatter(plotter.XYs{{}})
	sample.GlyphStyle = glyph
	legend := []legendEntry{{T(lang, "chart.forest_point"), sample}}
	if !opts.HideCI {
		legend = append(legend, legendEntry{TLevel(lang, "ci", w.level), lineSample(colEffect, 1, nil)})
	}
	if r := w.row(week); r != nil && r.Estimated {
		overall := w.scale * r.Estimate.Estimate
		p.Add(vline(overall, colCohort, 1.2, dashed))
		lo, hi = math.Min(lo, overall), math.Max(hi, overall)
		legend = append(legend, legendEntry{fmt.Sprintf(T(lang, "chart.forest_overall"), formatNumber(lang, overall, 1)), lineSample(colCohort, 1.2, dashed)})
	}
	p.Add(rowMarks{rows: suppressed})
	if len(suppressed) > 0 {
		legend = append(legend, suppressedEntry(lang, d.Plan().MinCell))
	}
	scaleAxis(lang, &p.X, lo, hi, true)
	p.Y.Min, p.Y.Max = -0.7, float64(n)-0.3
	title := fmt.Sprintf(T(lang, "chart.forest_title"), outcomeTitle(opts, outcome), week)
	f := &frame{title: chartTitle(opts, 0, title), panels: []*plot.Plot{p}, legend: legend, notes: []string{T(lang, "chart.forest_note")}}
	opts.Height = tallHeight(opts, n)
	return f.figure(opts.name, 0, title, opts), nil
}
