package reports

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"rcteval/pipeline/analysis"
)

// hoursBandsOutcomes: Figure 7 needs the distribution of hours, which a run
// with an hours outcome has.
func hoursBandsOutcomes(d *analysis.Disclosed) []string {
	if d.HoursDistribution() == nil {
		return nil
	}
	return []string{""}
}

// bandLabel names a band of hours: "0–5", …, "37+".
func bandLabel(lang Lang, b analysis.HoursBand) string {
	if math.IsInf(b.Upper, 1) {
		return formatNumber(lang, b.Lower, 0) + "+"
	}
	return formatNumber(lang, b.Lower, 0) + "–" + formatNumber(lang, b.Upper, 0)
}

// buildHoursBands draws Figure 7: the distribution of positive ordinary
// hours in a week by band and arm, as the share of the persons with hours
// in each band (bars side by side), with each arm's mean hours among those
// with hours in the legend. Suppressed bands have no bar but a grey mark.
func buildHoursBands(opts ChartOptions, _ string) (*Figure, error) {
	lang, d := opts.Lang, opts.Results
	h := d.HoursDistribution()
	if opts.Week != 0 && opts.Week != h.AskedWeek && opts.Week != h.Week {
		return nil, fmt.Errorf("chart %s: the results hold the distribution of hours in week %d, not %d; run the analysis with that week (rcteval chart --week %d)", opts.name, h.Week, opts.Week, opts.Week)
	}
	labels := make([]string, len(h.Bands))
	for i, b := range h.Bands {
		labels[i] = bandLabel(lang, b)
	}
	p := newPanel("", T(lang, "chart.hours_axis"), T(lang, "chart.hours_share"))
	p.NominalX(labels...)
	width := vg.Points(13)
	type arm struct {
		color               plotterColor
		withHours           int
		mean                float64
		count               func(analysis.HoursBand) (int, string)
		suppressed, nameKey string
	}
	arms := []arm{
		{colTreatment, h.WithHoursTreatment, h.MeanTreatment, func(b analysis.HoursBand) (int, string) { return b.Treatment, b.SuppressedTreatment }, h.SuppressedTreatment, "treatment"},
		{colControl, h.WithHoursControl, h.MeanControl, func(b analysis.HoursBand) (int, string) { return b.Control, b.SuppressedControl }, h.SuppressedControl, "control"},
	}
	var legend []legendEntry
	var marks []vg.Point // band index, arm
	var means []string
	hi := 0.0
	anySuppressed := false
	for a, arm := range arms {
		for i, b := range h.Bands {
			n, rule := arm.count(b)
			if rule != "" {
				marks = append(marks, vg.Point{X: vg.Length(i), Y: vg.Length(a)})
				anySuppressed = true
				continue
			}
			if arm.withHours == 0 {
				continue
			}
			share := 100 * float64(n) / float64(arm.withHours)
			bar, err := plotter.NewBarChart(plotter.Values{share}, width)
			if err != nil {
				return nil, err
			}
			bar.XMin, bar.Color = float64(i), arm.color
			bar.LineStyle.Width, bar.LineStyle.Color = vg.Points(0.5), colEffect
			bar.Offset = (vg.Length(a) - 0.5) * width
			p.Add(bar)
			hi = math.Max(hi, share)
		}
		legend = append(legend, legendEntry{T(lang, arm.nameKey), fillSample{arm.color}})
		if arm.suppressed == "" && arm.withHours > 0 {
			means = append(means, fmt.Sprintf(T(lang, "chart.hours_mean"), T(lang, arm.nameKey), formatNumber(lang, arm.mean, 1), thousands(lang, arm.withHours)))
		} else {
			means = append(means, fmt.Sprintf(T(lang, "chart.hours_arm_suppressed"), T(lang, arm.nameKey), d.Plan().MinCell))
		}
	}
	p.Add(bandMarks{marks: marks, width: width})
	p.X.Min, p.X.Max = -0.6, float64(len(h.Bands))-0.4
	scaleAxis(lang, &p.Y, 0, hi, true)
	if anySuppressed {
		legend = append(legend, suppressedEntry(lang, d.Plan().MinCell))
	}
	title := fmt.Sprintf(T(lang, "chart.hours_title"), h.Week)
	f := &frame{title: chartTitle(opts, opts.number, title), panels: []*plot.Plot{p}, legend: legend,
		notes: []string{fmt.Sprintf(T(lang, "chart.hours_means"), strings.Join(means, "; ")), T(lang, "chart.hours_note")}}
	if h.Week != h.AskedWeek {
		f.notes = append(f.notes, fmt.Sprintf(T(lang, "chart.hours_week_note"), h.AskedWeek, h.Week))
	}
	return f.figure(opts.name, opts.number, title, opts), nil
}

// plotterColor is a bar colour.
type plotterColor = interface {
	RGBA() (r, g, b, a uint32)
}

// bandMarks marks suppressed bars: a grey triangle on the axis where the
// bar would stand (X the band, Y the arm: 0 treatment, 1 control).
type bandMarks struct {
	marks []vg.Point
	width vg.Length
}

func (m bandMarks) Plot(c draw.Canvas, p *plot.Plot) {
	x, _ := p.Transforms(&c)
	for _, mk := range m.marks {
		off := (vg.Length(mk.Y) - 0.5) * m.width
		c.DrawGlyphNoClip(suppressedGlyph, vg.Point{X: x(float64(mk.X)) + off, Y: c.Min.Y + suppressedGlyph.Radius})
	}
}
