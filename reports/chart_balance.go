package reports

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"rcteval/pipeline/analysis"
)

// balanceRows are the rows of the balance table a love plot shows: a
// numeric covariate's row and each level of a categorical one (not the
// rows holding only a test).
func balanceRows(d *analysis.Disclosed) []analysis.BalanceRow {
	var rows []analysis.BalanceRow
	for _, r := range d.Balance().Rows {
		if r.Covariate == "joint" || (r.Level == "" && r.Test != analysis.TestWelch && r.Suppressed == "") {
			continue
		}
		if math.IsNaN(r.SMD) && r.Suppressed == "" {
			continue
		}
		rows = append(rows, r)
	}
	return rows
}

func balanceOutcomes(d *analysis.Disclosed) []string {
	if len(balanceRows(d)) == 0 {
		return nil
	}
	return []string{""}
}

// levelName is a level's display name: the spec's label, or the
// catalogue's word for the missing and pooled levels.
func levelName(lang Lang, labels Labels, covariate, level string) string {
	switch level {
	case analysis.MissingLevel:
		return T(lang, "chart.level_missing")
	case analysis.OtherLevel:
		return T(lang, "chart.level_other")
	}
	return labels.level(covariate, level)
}

// rowLabels names rows of covariate levels as a grouped list: the first
// row of a covariate "Covariate: level", the others the level alone.
func rowLabels(lang Lang, labels Labels, covariates, levels []string) []string {
	out := make([]string, len(covariates))
	for i := range covariates {
		name := levelName(lang, labels, covariates[i], levels[i])
		if i == 0 || covariates[i] != covariates[i-1] {
			cov := labels.covariate(lang, covariates[i])
			if levels[i] == "" {
				name = cov
			} else {
				name = cov + ": " + name
			}
		}
		out[i] = name
	}
	return out
}

// tallHeight is the height of a chart with one line per row: the house
// height, or more when the rows need it (unless the options set one).
func tallHeight(opts ChartOptions, rows int) vg.Length {
	if opts.Height > 0 {
		return opts.Height
	}
	return max(chartHeight, vg.Length(rows)*vg.Points(12)+4*vg.Centimeter)
}

// buildBalance draws the love plot: each covariate's (or level's)
// standardised mean difference at randomisation, with lines at ±0.1 and
// ±0.25, the usual thresholds of a negligible and of a notable imbalance.
func buildBalance(opts ChartOptions, _ string) (*Figure, error) {
	lang, d := opts.Lang, opts.Results
	rows := balanceRows(d)
	covs, levels := make([]string, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		covs[i], levels[i] = r.Covariate, r.Level
	}
	names := rowLabels(lang, opts.Labels, covs, levels)
	p := newPanel("", T(lang, "chart.smd"), "")
	n := len(rows)
	y := func(i int) float64 { return float64(n - 1 - i) } // first row on top
	reversedNames := make([]string, n)
	var pts plotter.XYs
	var suppressed []float64
	extreme := 0.3
	for i, r := range rows {
		reversedNames[n-1-i] = names[i]
		if r.Suppressed != "" || math.IsNaN(r.SMD) {
			suppressed = append(suppressed, y(i))
			continue
		}
		pts = append(pts, plotter.XY{X: r.SMD, Y: y(i)})
		extreme = math.Max(extreme, math.Abs(r.SMD)*1.1)
	}
	p.NominalY(reversedNames...)
	p.Y.Padding = vg.Points(6)
	for _, v := range []float64{-0.25, -0.1, 0.1, 0.25} {
		dashes := dashed
		if math.Abs(v) == 0.25 {
			dashes = dotted
		}
		p.Add(vline(v, colReference, 1, dashes))
	}
	p.Add(vline(0, colReference, 0.7, nil))
	if len(pts) > 0 {
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: colTreatment, Radius: vg.Points(2.6), Shape: draw.CircleGlyph{}}
		p.Add(s)
	}
	p.Add(rowMarks{rows: suppressed})
	scaleAxis(lang, &p.X, -extreme, extreme, true)
	p.Y.Min, p.Y.Max = -0.7, float64(n)-0.3
	s, _ := plotter.NewScatter(plotter.XYs{{}})
	s.GlyphStyle = draw.GlyphStyle{Color: colTreatment, Radius: vg.Points(2.6), Shape: draw.CircleGlyph{}}
	legend := []legendEntry{
		{T(lang, "chart.smd_point"), s},
		{"|SMD| = " + formatNumber(lang, 0.1, 1), lineSample(colReference, 1, dashed)},
		{"|SMD| = " + formatNumber(lang, 0.25, 2), lineSample(colReference, 1, dotted)},
	}
	if len(suppressed) > 0 {
		legend = append(legend, suppressedEntry(lang, d.Plan().MinCell))
	}
	title := T(lang, "chart.balance_title")
	f := &frame{title: chartTitle(opts, 0, title), panels: []*plot.Plot{p}, legend: legend, notes: []string{T(lang, "chart.smd_note")}}
	opts.Height = tallHeight(opts, n)
	return f.figure(opts.name, 0, title, opts), nil
}

// vline is a vertical line at x across a panel.
type vlineP struct {
	x     float64
	style draw.LineStyle
}

func vline(x float64, c plotterColor, width float64, dashes []vg.Length) plot.Plotter {
	return vlineP{x, draw.LineStyle{Color: c, Width: vg.Points(width), Dashes: dashes}}
}

func (v vlineP) Plot(c draw.Canvas, p *plot.Plot) {
	if v.x < p.X.Min || v.x > p.X.Max {
		return
	}
	x, _ := p.Transforms(&c)
	c.StrokeLine2(v.style, x(v.x), c.Min.Y, x(v.x), c.Max.Y)
}

func (v vlineP) Thumbnail(c *draw.Canvas) {
	mid := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(v.style, c.Min.X, mid, c.Max.X, mid)
}

// rowMarks marks suppressed rows of a row chart: a grey triangle on the
// zero line's left, at the row.
type rowMarks struct{ rows []float64 }

func (m rowMarks) Plot(c draw.Canvas, p *plot.Plot) {
	x, y := p.Transforms(&c)
	for _, r := range m.rows {
		c.DrawGlyphNoClip(suppressedGlyph, vg.Point{X: x(0), Y: y(r)})
	}
}
