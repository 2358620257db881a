package reports

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"rcteval/pipeline/analysis"
)

// weekly is an outcome's effect rows in the weeks shown, with how to
// scale and label them.
type weekly struct {
	outcome          string
	rows             []analysis.Effect // the weeks shown
	from, to         int
	scale            float64 // 100 for shares (per cent), else 1
	yMeans, yEffect  string
	level            float64
	minCell          int
	suppressedWeeks  []float64
	cohortWeek       int
	cohort           []analysis.Effect
	hasBand, hasEsts bool
	warnWeek         int // the first week few are followed (WarnAtRisk); −1: none shown
}

// weeklyOf gathers an outcome's rows for the weeks the options ask.
func weeklyOf(opts ChartOptions, outcome string) (*weekly, error) {
	d := opts.Results
	all := d.OutcomeEffects(outcome)
	if len(all) == 0 {
		return nil, fmt.Errorf("outcome %q has no estimates in this run", outcome)
	}
	from, to, err := weekRange(opts, all[0].Week, all[len(all)-1].Week)
	if err != nil {
		return nil, err
	}
	w := &weekly{outcome: outcome, from: from, to: to, level: d.Plan().Level, minCell: d.Plan().MinCell, scale: 1, warnWeek: -1}
	if k := warnWeek(d.Attrition(), opts.WarnAtRisk); k >= from && k <= to {
		w.warnWeek = k
	}
	for _, r := range all {
		if r.Week < from || r.Week > to {
			continue
		}
		w.rows = append(w.rows, r)
		if r.Suppressed != "" {
			w.suppressedWeeks = append(w.suppressedWeeks, float64(r.Week))
		}
		w.hasBand = w.hasBand || (r.Estimated && !math.IsNaN(r.BandLow))
		w.hasEsts = w.hasEsts || r.Estimated
	}
	unit, binary := all[0].Unit, all[0].Binary
	if binary {
		w.scale, w.yMeans, w.yEffect = 100, T(opts.Lang, "axis.percent"), T(opts.Lang, "axis.pp")
	} else if key := "axis." + unit; hasText(key) {
		w.yMeans, w.yEffect = T(opts.Lang, key), T(opts.Lang, key+"_fx")
	} else {
		w.yMeans, w.yEffect = unit, unit
	}
	if week, rows := d.Cohort(); week >= 0 {
		w.cohortWeek = week
		for _, r := range rows {
			if r.Outcome == outcome && r.Week >= from && r.Week <= to {
				w.cohort = append(w.cohort, r)
			}
		}
	}
	return w, nil
}

// warning is the note on the dotted line at the week from which few are
// followed, if the chart shows it.
func (w *weekly) warning(opts ChartOptions) []string {
	if w.warnWeek < 0 {
		return nil
	}
	return []string{fmt.Sprintf(T(opts.Lang, "chart.warn_at_risk"), w.warnWeek, numbers{opts.Lang}.fixed(100*opts.WarnAtRisk, 0))}
}

// addArms draws the arms' lines on p, the control group dashed under the
// treatment group, and scales the value axis to them from zero.
func addArms(lang Lang, p *plot.Plot, treat, ctrl []plotter.XYs) error {
	if err := addSegments(p, ctrl, colControl, 1.6, dashed); err != nil {
		return err
	}
	if err := addSegments(p, treat, colTreatment, 1.6, nil); err != nil {
		return err
	}
	lo, hi := extent(math.NaN(), math.NaN(), treat, ctrl)
	scaleAxis(lang, &p.Y, lo, hi, true)
	return nil
}

// segments are the runs of consecutive weeks in which value is defined: a
// gap (a week suppressed, not estimated or without data) breaks a line.
func segments(rows []analysis.Effect, value func(r *analysis.Effect) (float64, bool)) []plotter.XYs {
	var segs []plotter.XYs
	prev := math.MinInt
	for i := range rows {
		r := &rows[i]
		v, ok := value(r)
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			prev = math.MinInt
			continue
		}
		if r.Week != prev+1 || len(segs) == 0 {
			segs = append(segs, nil)
		}
		prev = r.Week
		segs[len(segs)-1] = append(segs[len(segs)-1], plotter.XY{X: float64(r.Week), Y: v})
	}
	return segs
}

// extent is the smallest and largest Y of segments (NaN, NaN for none).
func extent(lo, hi float64, segs ...[]plotter.XYs) (float64, float64) {
	for _, ss := range segs {
		for _, s := range ss {
			for _, p := range s {
				if math.IsNaN(lo) || p.Y < lo {
					lo = p.Y
				}
				if math.IsNaN(hi) || p.Y > hi {
					hi = p.Y
				}
			}
		}
	}
	return lo, hi
}

// meansPanel draws the group means by week.
func (w *weekly) meansPanel(lang Lang, title string) (*plot.Plot, error) {
	p := weekPanel(lang, title, w.yMeans, w.from, w.to)
	est := func(f func(r *analysis.Effect) float64) func(r *analysis.Effect) (float64, bool) {
		return func(r *analysis.Effect) (float64, bool) { return w.scale * f(r), r.Estimated }
	}
	treat := segments(w.rows, est(func(r *analysis.Effect) float64 { return r.MeanTreatment }))
	ctrl := segments(w.rows, est(func(r *analysis.Effect) float64 { return r.MeanControl }))
	if err := addArms(lang, p, treat, ctrl); err != nil {
		return nil, err
	}
	markSuppressed(p, w.suppressedWeeks)
	if w.warnWeek >= 0 {
		p.Add(warnLine{float64(w.warnWeek)})
	}
	return p, nil
}

// effectPanel draws the effect by week with its pointwise interval and
// simultaneous band (unless hidden), the fixed cohort's effect and a zero
// line; the legend entries it needs are returned.
func (w *weekly) effectPanel(opts ChartOptions, title string) (*plot.Plot, []legendEntry, error) {
	lang := opts.Lang
	p := weekPanel(lang, title, w.yEffect, w.from, w.to)
	var legend []legendEntry
	scaled := func(f func(r *analysis.Effect) float64) func(r *analysis.Effect) (float64, bool) {
		return func(r *analysis.Effect) (float64, bool) { return w.scale * f(r), r.Estimated }
	}
	eff := segments(w.rows, scaled(func(r *analysis.Effect) float64 { return r.Estimate.Estimate }))
	lo, hi := extent(0, 0, eff)
	// Bands: the polygon of each run of weeks where both bounds exist.
	addBand := func(lower, upper func(r *analysis.Effect) float64, c fillSample, label string) error {
		both := segments(w.rows, func(r *analysis.Effect) (float64, bool) {
			return 0, r.Estimated && !math.IsNaN(lower(r)) && !math.IsNaN(upper(r))
		})
		added := false
		for _, seg := range both {
			var l, u plotter.XYs
			for _, pt := range seg {
				r := w.row(int(pt.X))
				l, u = append(l, plotter.XY{X: pt.X, Y: w.scale * lower(r)}), append(u, plotter.XY{X: pt.X, Y: w.scale * upper(r)})
			}
			if len(seg) == 1 { // one week alone: a thin bar
				l = append(plotter.XYs{{X: pt0(seg).X - 0.2, Y: l[0].Y}}, plotter.XY{X: pt0(seg).X + 0.2, Y: l[0].Y})
				u = append(plotter.XYs{{X: pt0(seg).X - 0.2, Y: u[0].Y}}, plotter.XY{X: pt0(seg).X + 0.2, Y: u[0].Y})
			}
			poly, err := band(l, u, c.c)
			if err != nil {
				return err
			}
			p.Add(poly)
			lo, hi = extent(lo, hi, []plotter.XYs{l, u})
			added = true
		}
		if added {
			legend = append(legend, legendEntry{label, c})
		}
		return nil
	}
	if !opts.HideBand {
		if err := addBand(func(r *analysis.Effect) float64 { return r.BandLow }, func(r *analysis.Effect) float64 { return r.BandHigh },
			fillSample{colBand}, TLevel(lang, "chart.band", w.level)); err != nil {
			return nil, nil, err
		}
	}
	if !opts.HideCI {
		if err := addBand(func(r *analysis.Effect) float64 { return r.CILow }, func(r *analysis.Effect) float64 { return r.CIHigh },
			fillSample{colCI}, TLevel(lang, "chart.ci", w.level)); err != nil {
			return nil, nil, err
		}
	}
	p.Add(zeroLine())
	if len(w.cohort) > 0 {
		seg := segments(w.cohort, scaled(func(r *analysis.Effect) float64 { return r.Estimate.Estimate }))
		if err := addSegments(p, seg, colCohort, 1.4, dotted); err != nil {
			return nil, nil, err
		}
		if len(seg) > 0 {
			lo, hi = extent(lo, hi, seg)
			legend = append(legend, legendEntry{fmt.Sprintf(T(lang, "cohort_line"), w.cohortWeek), lineSample(colCohort, 1.4, dotted)})
		}
	}
	if err := addSegments(p, eff, colEffect, 1.6, nil); err != nil {
		return nil, nil, err
	}
	legend = append([]legendEntry{{T(lang, "effect"), lineSample(colEffect, 1.6, nil)}}, legend...)
	scaleAxis(lang, &p.Y, lo, hi, true)
	markSuppressed(p, w.suppressedWeeks)
	if w.warnWeek >= 0 {
		p.Add(warnLine{float64(w.warnWeek)})
	}
	return p, legend, nil
}

func pt0(s plotter.XYs) plotter.XY { return s[0] }

// row is the row of week k (rows are consecutive weeks from their first).
func (w *weekly) row(k int) *analysis.Effect {
	for i := range w.rows {
		if w.rows[i].Week == k {
			return &w.rows[i]
		}
	}
	return nil
}

// groupEntries are the legend entries of the two groups' lines.
func groupEntries(lang Lang) []legendEntry {
	return []legendEntry{
		{T(lang, "treatment"), lineSample(colTreatment, 1.6, nil)},
		{T(lang, "control"), lineSample(colControl, 1.6, dashed)},
	}
}

// atRiskUnder writes the persons followed per arm under weekly panels:
// a heading, then the treatment group's count over the control group's,
// every 5, 10 or 20 weeks as the width allows.
func atRiskUnder(lang Lang, rows []analysis.Effect) (func(c draw.Canvas, panel int, p *plot.Plot, area draw.Canvas), int) {
	return func(c draw.Canvas, panel int, p *plot.Plot, area draw.Canvas) {
		dc := p.DataCanvas(area)
		x, _ := p.Transforms(&dc)
		sty := textStyle(sizeNote, colReference)
		top := c.Max.Y - lineHeight(sizeNote)
		if panel == 0 {
			head := sty
			head.XAlign = draw.XLeft
			c.FillText(head, vg.Point{X: c.Min.X, Y: top}, T(lang, "chart.at_risk"))
		}
		sty.XAlign = draw.XCenter
		// Every 5, 10 or 20 weeks, whichever leaves room for the numbers.
		every := 5
		for every < 20 && x(float64(every))-x(0) < vg.Points(32) {
			every *= 2
		}
		for _, r := range rows {
			if r.Week%every != 0 || float64(r.Week) < p.X.Min || float64(r.Week) > p.X.Max {
				continue
			}
			t, k := "–", "–"
			if !r.HideCounts {
				t, k = thousands(lang, r.NTreatment), thousands(lang, r.NControl)
			}
			c.FillText(sty, vg.Point{X: x(float64(r.Week)), Y: top - lineHeight(sizeNote)}, t)
			c.FillText(sty, vg.Point{X: x(float64(r.Week)), Y: top - 2*lineHeight(sizeNote)}, k)
		}
	}, 3
}

// buildMeans draws the group means of an outcome by week in one panel
// (Figures 1–4).
func buildMeans(opts ChartOptions, outcome string) (*Figure, error) {
	w, err := weeklyOf(opts, outcome)
	if err != nil {
		return nil, err
	}
	p, err := w.meansPanel(opts.Lang, "")
	if err != nil {
		return nil, err
	}
	title := outcomeTitle(opts, outcome)
	f := &frame{title: chartTitle(opts, opts.number, title), panels: []*plot.Plot{p}, legend: groupEntries(opts.Lang)}
	f.under, f.underLines = atRiskUnder(opts.Lang, w.rows)
	if len(w.suppressedWeeks) > 0 {
		f.legend = append(f.legend, suppressedEntry(opts.Lang, w.minCell))
	}
	f.notes = append(f.notes, w.warning(opts)...)
	return f.figure(opts.name, opts.number, title, opts), nil
}

// buildMeansEffect draws the two-panel figure of an outcome, like Figures
// 5, 6 and 8 of the midterm report: group means by week (left) and the
// effect with its pointwise interval, simultaneous band and the fixed
// cohort's effect (right), with the persons followed under both.
func buildMeansEffect(opts ChartOptions, outcome string) (*Figure, error) {
	w, err := weeklyOf(opts, outcome)
	if err != nil {
		return nil, err
	}
	means, err := w.meansPanel(opts.Lang, "")
	if err != nil {
		return nil, err
	}
	effectTitle := T(opts.Lang, "effect")
	if !opts.HideCI {
		effectTitle = TLevel(opts.Lang, "effect_ci", w.level)
	}
	effect, entries, err := w.effectPanel(opts, "")
	if err != nil {
		return nil, err
	}
	title := outcomeTitle(opts, outcome)
	number := opts.number
	f := &frame{title: chartTitle(opts, number, title), panels: []*plot.Plot{means, effect},
		panelTitles: []string{T(opts.Lang, "group_means"), effectTitle}, legend: append(groupEntries(opts.Lang), entries...)}
	f.under, f.underLines = atRiskUnder(opts.Lang, w.rows)
	if len(w.suppressedWeeks) > 0 {
		f.legend = append(f.legend, suppressedEntry(opts.Lang, w.minCell))
	}
	f.notes = append(f.notes, w.warning(opts)...)
	return f.figure(opts.name, number, title, opts), nil
}

// buildEffect draws the effect of any outcome by week in one panel, the
// simultaneous (sup-t) band beside the pointwise interval, lighter: the
// band covers the whole curve at once with the stated confidence, the
// interval each week on its own.
func buildEffect(opts ChartOptions, outcome string) (*Figure, error) {
	w, err := weeklyOf(opts, outcome)
	if err != nil {
		return nil, err
	}
	p, entries, err := w.effectPanel(opts, "")
	if err != nil {
		return nil, err
	}
	title := fmt.Sprintf(T(opts.Lang, "chart.effect_title"), outcomeTitle(opts, outcome))
	f := &frame{title: chartTitle(opts, 0, title), panels: []*plot.Plot{p}, legend: entries}
	f.under, f.underLines = atRiskUnder(opts.Lang, w.rows)
	if len(w.suppressedWeeks) > 0 {
		f.legend = append(f.legend, suppressedEntry(opts.Lang, w.minCell))
	}
	f.notes = append(f.notes, w.warning(opts)...)
	if w.hasBand && !opts.HideBand {
		f.notes = append(f.notes, TLevel(opts.Lang, "chart.band_note", w.level))
	}
	return f.figure(opts.name, 0, title, opts), nil
}

// buildAtRisk draws the persons followed by week and arm: with staggered
// randomisation they fall as later cohorts run out of follow-up, and should
// fall alike in both arms.
func buildAtRisk(opts ChartOptions, _ string) (*Figure, error) {
	d := opts.Results
	rows := d.Attrition()
	if len(rows) == 0 {
		return nil, fmt.Errorf("chart at_risk: the run has no weeks followed")
	}
	from, to, err := weekRange(opts, rows[0].Week, rows[len(rows)-1].Week)
	if err != nil {
		return nil, err
	}
	lang := opts.Lang
	p := weekPanel(lang, "", T(lang, "chart.persons"), from, to)
	var treat, ctrl []plotter.XYs
	var suppressed []float64
	prev := math.MinInt
	for _, r := range rows {
		if r.Week < from || r.Week > to {
			continue
		}
		if r.Suppressed != "" {
			suppressed, prev = append(suppressed, float64(r.Week)), math.MinInt
			continue
		}
		if r.Week != prev+1 {
			treat, ctrl = append(treat, nil), append(ctrl, nil)
		}
		prev = r.Week
		treat[len(treat)-1] = append(treat[len(treat)-1], plotter.XY{X: float64(r.Week), Y: float64(r.AtRiskTreatment)})
		ctrl[len(ctrl)-1] = append(ctrl[len(ctrl)-1], plotter.XY{X: float64(r.Week), Y: float64(r.AtRiskControl)})
	}
	if err := addArms(lang, p, treat, ctrl); err != nil {
		return nil, err
	}
	legend := groupEntries(lang)
	if markSuppressed(p, suppressed) {
		legend = append(legend, suppressedEntry(lang, d.Plan().MinCell))
	}
	title := T(lang, "chart.at_risk_title")
	f := &frame{title: chartTitle(opts, 0, title), panels: []*plot.Plot{p}, legend: legend}
	return f.figure(opts.name, 0, title, opts), nil
}

// atRiskOutcomes: the chart of persons followed needs weeks followed.
func atRiskOutcomes(d *analysis.Disclosed) []string {
	if len(d.Attrition()) == 0 {
		return nil
	}
	return []string{""}
}

// EffectChart draws the two-panel figure of one outcome (group means |
// effect with its confidence interval and simultaneous band), as the
// registry's means_effect chart; title empty: the outcome's title. It is
// kept for the report until it draws from the registry.
func EffectChart(lang Lang, d *analysis.Disclosed, outcome, title string) (*Figure, error) {
	f, err := BuildChart("means_effect", ChartOptions{Lang: lang, Results: d, Outcome: outcome, Title: title})
	if err != nil {
		return nil, err
	}
	f.Name = outcome
	return f, nil
}
