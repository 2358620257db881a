package reports

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"rcteval/pipeline/analysis"
)

// Chart colours, kept few and distinguishable in grey print.
var (
	colTreatment = color.RGBA{R: 0x1f, G: 0x4e, B: 0x79, A: 0xff}
	colControl   = color.RGBA{R: 0xd9, G: 0x7a, B: 0x1c, A: 0xff}
	colEffect    = color.RGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
	colBand      = color.NRGBA{R: 0x9e, G: 0xbc, B: 0xda, A: 0xc0}
	colZero      = color.RGBA{R: 0x88, G: 0x88, B: 0x88, A: 0xff}
)

// Charts use a sans-serif face, as the midterm report's figures do.
var chartFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

func init() { plot.DefaultFont = chartFont }

// Chart size.
const (
	chartWidth  = 10 * vg.Inch
	chartHeight = 4.2 * vg.Inch
	atRiskBand  = 0.55 * vg.Inch
)

// EffectChart draws the two-panel figure of one outcome, like Figures 5, 6
// and 8 of the JobFirst midterm report: group means by week (left) and the
// effect with a shaded confidence band and a zero line (right), with the
// number at risk per arm under both. It uses only the disclosed rows of the
// effects table (suppressed rows leave gaps), never raw data. title is the
// chart's heading; empty, the catalogue's title of the outcome.
func EffectChart(lang Lang, d *analysis.Disclosed, outcome, title string) (*Figure, error) {
	level, rows := d.Plan().Level, d.OutcomeEffects(outcome)
	unit := "hours"
	if len(rows) > 0 {
		unit = rows[0].Unit
		if rows[0].Binary {
			unit = "share"
		}
	}
	scale, yMeans, yEffect := 100.0, T(lang, "axis.percent"), T(lang, "axis.pp")
	if unit != "share" {
		scale, yMeans, yEffect = 1, T(lang, "axis."+unit), T(lang, "axis."+unit+"_fx")
	}
	var treat, ctrl, eff, lo, hi []plotter.XYs
	var prev = -2
	for _, r := range rows {
		if !r.Estimated {
			continue
		}
		if r.Week != prev+1 { // start a new segment after a gap
			treat, ctrl, eff, lo, hi = append(treat, nil), append(ctrl, nil), append(eff, nil), append(lo, nil), append(hi, nil)
		}
		prev = r.Week
		x := float64(r.Week)
		n := len(treat) - 1
		treat[n] = append(treat[n], plotter.XY{X: x, Y: scale * r.MeanTreatment})
		ctrl[n] = append(ctrl[n], plotter.XY{X: x, Y: scale * r.MeanControl})
		eff[n] = append(eff[n], plotter.XY{X: x, Y: scale * r.Estimate.Estimate})
		if !math.IsNaN(r.CILow) {
			lo[n] = append(lo[n], plotter.XY{X: x, Y: scale * r.CILow})
			hi[n] = append(hi[n], plotter.XY{X: x, Y: scale * r.CIHigh})
		}
	}
	lastWeek := 0.0
	if len(rows) > 0 {
		lastWeek = float64(rows[len(rows)-1].Week)
	}

	means := newPlot(lang, T(lang, "group_means"), yMeans, lastWeek)
	effect := newPlot(lang, TLevel(lang, "effect_ci", level), yEffect, lastWeek)
	for i := range treat {
		if err := addLine(means, treat[i], colTreatment, nil, T(lang, "treatment"), i == 0); err != nil {
			return nil, err
		}
		if err := addLine(means, ctrl[i], colControl, []vg.Length{vg.Points(5), vg.Points(3)}, T(lang, "control"), i == 0); err != nil {
			return nil, err
		}
		if len(lo[i]) > 1 {
			band := append(append(plotter.XYs{}, lo[i]...), reversed(hi[i])...)
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return nil, err
			}
			poly.Color, poly.LineStyle.Width = colBand, 0
			effect.Add(poly)
			if i == 0 {
				effect.Legend.Add(" "+TLevel(lang, "ci", level), poly)
			}
		}
		if err := addLine(effect, eff[i], colEffect, nil, T(lang, "effect"), i == 0); err != nil {
			return nil, err
		}
	}
	// The fixed cohort's effect beside the staggered one: late weeks rest on
	// the earliest cohorts only, and where the two lines part the
	// difference is who is followed, not the programme's course.
	if week, cohort := d.Cohort(); week >= 0 {
		var segs []plotter.XYs
		prev := -2
		for _, r := range cohort {
			if r.Outcome != outcome || !r.Estimated {
				continue
			}
			if r.Week != prev+1 {
				segs = append(segs, nil)
			}
			prev = r.Week
			segs[len(segs)-1] = append(segs[len(segs)-1], plotter.XY{X: float64(r.Week), Y: scale * r.Estimate.Estimate})
		}
		for i, seg := range segs {
			if err := addLine(effect, seg, colControl, []vg.Length{vg.Points(2), vg.Points(2)}, fmt.Sprintf(T(lang, "cohort_line"), week), i == 0); err != nil {
				return nil, err
			}
		}
	}
	zero := plotter.NewFunction(func(float64) float64 { return 0 })
	zero.Color, zero.Width, zero.Dashes = colZero, vg.Points(0.8), []vg.Length{vg.Points(2), vg.Points(2)}
	effect.Add(zero)
	means.Y.Min = math.Min(means.Y.Min, 0)
	// Head room for the legend, which sits in the top left corner.
	for _, p := range []*plot.Plot{means, effect} {
		p.Y.Max += 0.22 * (p.Y.Max - p.Y.Min)
	}

	if title == "" {
		title = OutcomeTitle(lang, outcome)
	}
	render := func(c draw.Canvas) {
		c.FillText(draw.TextStyle{Color: color.Black, Font: font.From(chartFont, 13), Handler: plot.DefaultTextHandler, XAlign: draw.XCenter, YAlign: draw.YTop},
			vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - vg.Points(6)}, title)
		body := draw.Crop(c, 0, 0, atRiskBand, -vg.Points(26))
		tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Points(28), PadLeft: vg.Points(6), PadRight: vg.Points(10), PadTop: vg.Points(4)}
		cs := plot.Align([][]*plot.Plot{{means, effect}}, tiles, body)
		for j, p := range []*plot.Plot{means, effect} {
			p.Draw(cs[0][j])
			drawAtRisk(lang, c, p, cs[0][j], rows, j == 0)
		}
	}
	return &Figure{Name: outcome, Title: title, Width: chartWidth, Height: chartHeight, Draw: render}, nil
}

func newPlot(lang Lang, title, ylabel string, lastWeek float64) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.X.Label.Text = T(lang, "weeks_since")
	p.Y.Label.Text = ylabel
	p.X.Min, p.X.Max = 0, math.Max(lastWeek, 1)
	p.X.Tick.Marker = weekTicks{}
	p.Y.Tick.Marker = shortTicks{lang}
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	p.Add(plotter.NewGrid())
	return p
}

func addLine(p *plot.Plot, xys plotter.XYs, c color.Color, dashes []vg.Length, label string, legend bool) error {
	if len(xys) == 0 {
		return nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return err
	}
	l.Color, l.Width, l.Dashes = c, vg.Points(1.8), dashes
	p.Add(l)
	if legend {
		p.Legend.Add(" "+label, l) // a space between sample and text
	}
	return nil
}

func reversed(xys plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(xys))
	for i, v := range xys {
		out[len(xys)-1-i] = v
	}
	return out
}

// weekTicks puts a labelled tick every 5 weeks and a minor one every week.
type weekTicks struct{}

func (weekTicks) Ticks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for w := math.Ceil(min); w <= max; w++ {
		t := plot.Tick{Value: w}
		if int(w)%5 == 0 {
			t.Label = fmt.Sprint(int(w))
		}
		ts = append(ts, t)
	}
	return ts
}

// shortTicks are gonum's default ticks labelled without trailing zeros, with
// a decimal comma in Danish.
type shortTicks struct{ lang Lang }

func (st shortTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'f', -1, 64)
			if st.lang == Danish {
				ts[i].Label = strings.ReplaceAll(ts[i].Label, ".", ",")
			}
		}
	}
	return ts
}

// thousands writes n with thousands separators: 1,234 in English, 1.234 in
// Danish.
func thousands(lang Lang, n int) string {
	s := groupThousands(n)
	if lang == Danish {
		s = strings.ReplaceAll(s, ",", ".")
	}
	return s
}

// drawAtRisk writes the number at risk per arm every 10 weeks under a panel.
func drawAtRisk(lang Lang, c draw.Canvas, p *plot.Plot, area draw.Canvas, rows []analysis.Effect, label bool) {
	dc := p.DataCanvas(area)
	x, _ := p.Transforms(&dc)
	sty := draw.TextStyle{Color: color.Gray{Y: 0x33}, Font: font.From(chartFont, 8.5), Handler: plot.DefaultTextHandler, XAlign: draw.XCenter}
	y1 := c.Min.Y + atRiskBand - vg.Points(16)
	if label {
		l := sty
		l.XAlign = draw.XLeft
		c.FillText(l, vg.Point{X: c.Min.X + vg.Points(8), Y: y1 + vg.Points(11)}, T(lang, "at_risk"))
	}
	for _, r := range rows {
		if r.Week%10 != 0 {
			continue
		}
		txt := "–"
		if !r.HideCounts {
			txt = thousands(lang, r.NTreatment) + "/" + thousands(lang, r.NControl)
		}
		c.FillText(sty, vg.Point{X: x(float64(r.Week)), Y: y1 - vg.Points(2)}, txt)
	}
}
