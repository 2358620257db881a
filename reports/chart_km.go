package reports

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"rcteval/pipeline/analysis"
)

// kmOutcomes are the outcomes with Kaplan–Meier rows (the sustained ones).
func kmOutcomes(d *analysis.Disclosed) []string {
	var out []string
	for _, o := range d.Trial().Outcomes {
		for _, r := range d.KM() {
			if r.Outcome == o.Name {
				out = append(out, o.Name)
				break
			}
		}
	}
	return out
}

// buildKM draws the Kaplan–Meier cumulative incidence of a sustained
// outcome by arm: the share who have reached it by each week, using every
// person for as long as they are followed, as steps, with each arm's
// pointwise interval shaded lightly.
func buildKM(opts ChartOptions, outcome string) (*Figure, error) {
	lang, d := opts.Lang, opts.Results
	var rows []analysis.KMRow
	for _, r := range d.KM() {
		if r.Outcome == outcome {
			rows = append(rows, r)
		}
	}
	from, to, err := weekRange(opts, rows[0].Week, rows[len(rows)-1].Week)
	if err != nil {
		return nil, err
	}
	p := weekPanel(lang, "", T(lang, "axis.percent"), from, to)
	var suppressed []float64
	var shown []analysis.KMRow
	for _, r := range rows {
		if r.Week < from || r.Week > to {
			continue
		}
		if r.Suppressed != "" {
			suppressed = append(suppressed, float64(r.Week))
		}
		shown = append(shown, r)
	}
	// Steps: a run of weeks as a line that holds each week's value to the
	// next week.
	runs := func(value func(r *analysis.KMRow) float64) []plotter.XYs {
		var segs []plotter.XYs
		prev := math.MinInt
		for i := range shown {
			r := &shown[i]
			v := value(r)
			if r.Suppressed != "" || math.IsNaN(v) {
				prev = math.MinInt
				continue
			}
			if r.Week != prev+1 || len(segs) == 0 {
				segs = append(segs, nil)
			}
			prev = r.Week
			segs[len(segs)-1] = append(segs[len(segs)-1], plotter.XY{X: float64(r.Week), Y: 100 * v})
		}
		return segs
	}
	hi := 0.0
	arms := []struct {
		value, low, high func(r *analysis.KMRow) float64
		c                color.RGBA
		dashes           bool
	}{
		{func(r *analysis.KMRow) float64 { return r.IncidenceControl }, func(r *analysis.KMRow) float64 { return r.LowControl },
			func(r *analysis.KMRow) float64 { return r.HighControl }, colControl, true},
		{func(r *analysis.KMRow) float64 { return r.IncidenceTreatment }, func(r *analysis.KMRow) float64 { return r.LowTreatment },
			func(r *analysis.KMRow) float64 { return r.HighTreatment }, colTreatment, false},
	}
	if !opts.HideCI {
		for _, a := range arms {
			los, his := steps(runs(a.low)), steps(runs(a.high))
			for i := range los {
				if i >= len(his) || len(los[i]) != len(his[i]) || len(los[i]) < 2 {
					continue
				}
				c := color.NRGBA{R: a.c.R, G: a.c.G, B: a.c.B, A: 0x40}
				poly, err := band(los[i], his[i], c)
				if err != nil {
					return nil, err
				}
				p.Add(poly)
				_, hi = extent(0, hi, his)
			}
		}
	}
	for _, a := range arms {
		segs := steps(runs(a.value))
		for _, seg := range segs {
			if len(seg) == 0 {
				continue
			}
			l, err := plotter.NewLine(seg)
			if err != nil {
				return nil, err
			}
			l.Color, l.Width = a.c, lineWidth
			if a.dashes {
				l.Dashes = dashed
			}
			p.Add(l)
		}
		_, hi = extent(0, hi, segs)
	}
	legend := groupEntries(lang)
	if !opts.HideCI {
		legend = append(legend, legendEntry{TLevel(lang, "ci", d.Plan().Level), fillSample{color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x50}}})
	}
	if markSuppressed(p, suppressed) {
		legend = append(legend, suppressedEntry(lang, d.Plan().MinCell))
	}
	scaleAxis(lang, &p.Y, 0, math.Min(hi, 100), true)
	title := fmt.Sprintf(T(lang, "chart.km_title"), outcomeTitle(opts, outcome))
	f := &frame{title: chartTitle(opts, 0, title), panels: []*plot.Plot{p}, legend: legend, notes: []string{T(lang, "chart.km_note")}}
	return f.figure(opts.name, 0, title, opts), nil
}

// steps turns runs of weekly values into steps: each week's value held to
// the next week, as a Kaplan–Meier curve is
// constant between event times.
func steps(segs []plotter.XYs) []plotter.XYs {
	out := make([]plotter.XYs, len(segs))
	for i, seg := range segs {
		for j, pt := range seg {
			next := pt.X
			if j+1 < len(seg) {
				next = seg[j+1].X
			}
			out[i] = append(out[i], pt, plotter.XY{X: next, Y: pt.Y})
		}
	}
	return out
}
