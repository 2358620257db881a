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
)

// The house style of every chart. Colours are from the Okabe–Ito palette,
// which readers with any common colour-vision deficiency tell apart; lines
// also differ in style (solid, dashed, dotted) and bands in lightness, so
// a chart printed in black and white on A4 still reads.
var (
	colTreatment  = color.RGBA{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}  // blue
	colControl    = color.RGBA{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}  // orange
	colEffect     = color.RGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}  // black
	colCohort     = color.RGBA{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff}  // vermillion
	colCI         = color.NRGBA{R: 0x56, G: 0xb4, B: 0xe9, A: 0x90} // sky blue
	colBand       = color.NRGBA{R: 0x56, G: 0xb4, B: 0xe9, A: 0x38} // the same, lighter
	colSuppressed = color.RGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
	colReference  = color.RGBA{R: 0x66, G: 0x66, B: 0x66, A: 0xff}
	colGrid       = color.RGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
	colText       = color.RGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
)

// Line styles: solid for the treatment group and effects, dashed for the
// control group, dotted for the fixed cohort and reference lines.
var (
	dashed = []vg.Length{vg.Points(5), vg.Points(2.5)}
	dotted = []vg.Length{vg.Points(1.2), vg.Points(1.8)}
)

// Charts use a sans-serif face, as the midterm report's figures do, at
// sizes that are true when a figure is printed at its size (16 cm wide: the
// text width of an A4 page).
var chartFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

const (
	sizeTitle  = 11
	sizePanel  = 9.5
	sizeAxis   = 9
	sizeTick   = 8
	sizeLegend = 8
	sizeNote   = 7.5
)

func init() { plot.DefaultFont = chartFont }

// lineWidth is the width of data lines, in points.
const lineWidth = 1.6

// The house size of a chart: the text width of an A4 page, and a height
// that leaves room for the legend and notes under the plot.
const (
	chartWidth  = 16 * vg.Centimeter
	chartHeight = 10 * vg.Centimeter
)

func textStyle(size float64, c color.Color) draw.TextStyle {
	return draw.TextStyle{Color: c, Font: font.From(chartFont, vg.Points(size)), Handler: plot.DefaultTextHandler}
}

// newPanel is a plot in the house style: titled (or not), labelled axes,
// a light grid, no legend of its own (the figure draws one under the
// plots, where it covers no data).
func newPanel(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(chartFont, vg.Points(sizePanel))
	p.Title.TextStyle.Color = colText
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font, a.Label.TextStyle.Color = font.From(chartFont, vg.Points(sizeAxis)), colText
		a.Tick.Label.Font, a.Tick.Label.Color = font.From(chartFont, vg.Points(sizeTick)), colText
		a.Tick.Length = vg.Points(4)
		a.LineStyle.Width = vg.Points(0.6)
		a.Tick.LineStyle.Width = vg.Points(0.6)
		a.Padding = vg.Points(2)
	}
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = colGrid, colGrid
	g.Vertical.Width, g.Horizontal.Width = vg.Points(0.4), vg.Points(0.4)
	p.Add(g)
	return p
}

// weekPanel is a panel over weeks since randomisation from to to.
func weekPanel(lang Lang, title, ylabel string, from, to int) *plot.Plot {
	p := newPanel(title, T(lang, "weeks_since"), ylabel)
	p.X.Min, p.X.Max = float64(from), math.Max(float64(to), float64(from+1))
	p.X.Tick.Marker = weekTicks{}
	return p
}

// weekTicks puts a labelled tick every 5 weeks (10 over long spans) and a
// minor one every week.
type weekTicks struct{}

func (weekTicks) Ticks(min, max float64) []plot.Tick {
	every := 5
	if max-min > 60 {
		every = 10
	}
	var ts []plot.Tick
	for w := math.Ceil(min); w <= max; w++ {
		t := plot.Tick{Value: w}
		if int(w)%every == 0 {
			t.Label = strconv.Itoa(int(w))
		}
		if max-min <= 110 || t.Label != "" {
			ts = append(ts, t)
		}
	}
	return ts
}

// niceTicks label an axis at the multiples of a round step (1, 2 or 5
// times a power of ten) giving about five labels: multiples of the step,
// so 0 is a label whenever the axis spans it. Labels use the language's
// decimal comma and thousands separator. scaleAxis widens the axis to
// whole steps first.
type niceTicks struct {
	lang Lang
	step float64 // 0: chosen from the axis's span
}

// niceStep is the round step that divides span into about n parts.
func niceStep(span float64, n int) float64 {
	if !(span > 0) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

func (t niceTicks) Ticks(min, max float64) []plot.Tick {
	step := t.step
	if step <= 0 {
		step = niceStep(max-min, 5)
	}
	decimals := max0(int(-math.Floor(math.Log10(step) + 1e-9)))
	if s := strconv.FormatFloat(step, 'f', -1, 64); strings.Contains(s, ".") {
		decimals = len(s) - strings.Index(s, ".") - 1
	}
	var ts []plot.Tick
	for k := math.Ceil(min/step - 1e-9); k*step <= max+1e-9*step; k++ {
		v := k * step
		if v == 0 {
			v = 0 // no "-0"
		}
		ts = append(ts, plot.Tick{Value: v, Label: formatNumber(t.lang, v, decimals)})
		// A minor tick half way.
		if mid := v + step/2; mid <= max {
			ts = append(ts, plot.Tick{Value: mid})
		}
	}
	return ts
}

func max0(n int) int { return max(n, 0) }

// scaleAxis sets a value axis to [lo, hi] widened to whole steps of its
// ticks, through 0 when withZero, and puts niceTicks on it.
func scaleAxis(lang Lang, a *plot.Axis, lo, hi float64, withZero bool) {
	if withZero {
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if hi-lo < 1e-9 {
		pad := math.Max(math.Abs(hi)*0.1, 1)
		if withZero && lo == 0 {
			hi += pad
		} else {
			lo, hi = lo-pad, hi+pad
		}
	}
	step := niceStep(hi-lo, 5)
	a.Min, a.Max = math.Floor(lo/step+1e-9)*step, math.Ceil(hi/step-1e-9)*step
	a.Tick.Marker = niceTicks{lang, step}
}

// formatNumber writes v with the given decimals in lang: a decimal comma
// and "." between thousands in Danish, a decimal point and "," in English;
// never "-0".
func formatNumber(lang Lang, v float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteString("−")
	}
	sep, dec := ",", "."
	if lang == Danish {
		sep, dec = ".", ","
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(dec + frac)
	}
	return b.String()
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

// lineOf is a line in the house style: solid unless dashes are given.
func lineOf(xys plotter.XYs, c color.Color, width float64, dashes []vg.Length) (plot.Plotter, plot.Thumbnailer, error) {
	if len(xys) == 1 { // one week alone between gaps: a dot
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}
		return s, s, nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, nil, err
	}
	l.Color, l.Width, l.Dashes = c, vg.Points(width), dashes
	return l, l, nil
}

// addSegments draws the segments of one series as lines of one style.
func addSegments(p *plot.Plot, segs []plotter.XYs, c color.Color, width float64, dashes []vg.Length) error {
	for _, seg := range segs {
		if len(seg) == 0 {
			continue
		}
		l, _, err := lineOf(seg, c, width, dashes)
		if err != nil {
			return err
		}
		p.Add(l)
	}
	return nil
}

// lineSample is a legend sample of a line style.
func lineSample(c color.Color, width float64, dashes []vg.Length) plot.Thumbnailer {
	l, _, _ := lineOf(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}}, c, width, dashes)
	return l.(plot.Thumbnailer)
}

// fillSample is a legend sample of a filled band.
type fillSample struct{ c color.Color }

func (f fillSample) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	h := r.Max.Y - r.Min.Y
	c.FillPolygon(f.c, []vg.Point{{X: r.Min.X, Y: r.Min.Y + h*0.15}, {X: r.Max.X, Y: r.Min.Y + h*0.15}, {X: r.Max.X, Y: r.Max.Y - h*0.15}, {X: r.Min.X, Y: r.Max.Y - h*0.15}})
}

// band is the polygon between lo and hi (same weeks) in colour c.
func band(lo, hi plotter.XYs, c color.Color) (*plotter.Polygon, error) {
	pts := append(append(plotter.XYs{}, lo...), reversed(hi)...)
	poly, err := plotter.NewPolygon(pts)
	if err != nil {
		return nil, err
	}
	poly.Color, poly.LineStyle.Width = c, 0
	return poly, nil
}

func reversed(xys plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(xys))
	for i, v := range xys {
		out[len(xys)-1-i] = v
	}
	return out
}

// suppressedMarks marks the weeks whose values disclosure control
// suppressed: a small grey triangle standing on the x axis, so that they
// look different from weeks without data (a gap with no mark).
type suppressedMarks struct{ weeks []float64 }

var suppressedGlyph = draw.GlyphStyle{Color: colSuppressed, Radius: vg.Points(2.4), Shape: draw.TriangleGlyph{}}

func (m suppressedMarks) Plot(c draw.Canvas, p *plot.Plot) {
	x, _ := p.Transforms(&c)
	for _, w := range m.weeks {
		if w < p.X.Min || w > p.X.Max {
			continue
		}
		c.DrawGlyphNoClip(suppressedGlyph, vg.Point{X: x(w), Y: c.Min.Y + suppressedGlyph.Radius})
	}
}

func (suppressedMarks) Thumbnail(c *draw.Canvas) {
	c.DrawGlyphNoClip(suppressedGlyph, c.Center())
}

// warnLine is a dotted vertical line at the first week a midterm report
// warns on (few persons still followed), across the panel.
type warnLine struct{ week float64 }

func (l warnLine) Plot(c draw.Canvas, p *plot.Plot) {
	if l.week < p.X.Min || l.week > p.X.Max {
		return
	}
	x, _ := p.Transforms(&c)
	sty := draw.LineStyle{Color: colSuppressed, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(1), vg.Points(2.5)}}
	c.StrokeLine2(sty, x(l.week), c.Min.Y, x(l.week), c.Max.Y)
}

// markSuppressed adds the marks of the suppressed weeks to p, and returns
// whether there were any.
func markSuppressed(p *plot.Plot, weeks []float64) bool {
	if len(weeks) == 0 {
		return false
	}
	p.Add(suppressedMarks{weeks})
	return true
}

// suppressedEntry is the legend entry of the suppression marks.
func suppressedEntry(lang Lang, minCell int) legendEntry {
	return legendEntry{fmt.Sprintf(T(lang, "chart.suppressed"), minCell), suppressedMarks{}}
}

// zeroLine is a thin grey line at y = 0 across a panel.
func zeroLine() plot.Plotter {
	z := plotter.NewFunction(func(float64) float64 { return 0 })
	z.Color, z.Width = colReference, vg.Points(0.7)
	return z
}

// legendEntry is one sample and its text in a figure's legend.
type legendEntry struct {
	label string
	thumb plot.Thumbnailer
}

// frame lays a figure out: its title on top, the panels side by side, and
// under them the persons at risk, the legend (in rows, never over the
// data) and notes.
type frame struct {
	title  string
	panels []*plot.Plot
	// panelTitles are drawn over the panels on one line (the plots' own
	// titles would shift with their tick labels).
	panelTitles []string
	// under draws text under each panel (persons at risk) in lines rows.
	under      func(c draw.Canvas, panel int, p *plot.Plot, area draw.Canvas)
	underLines int
	legend     []legendEntry
	notes      []string
}

const (
	padOuter = 6  // points around the figure
	sampleW  = 20 // points, a legend sample
)

// lineHeight is the height of a line of text of the given size.
func lineHeight(size float64) vg.Length { return vg.Points(size * 1.3) }

// legendRows splits the legend into rows that fit width.
func (f *frame) legendRows(width vg.Length) [][]legendEntry {
	sty := textStyle(sizeLegend, colText)
	var rows [][]legendEntry
	var used vg.Length
	for _, e := range f.legend {
		w := vg.Points(sampleW+4+12) + sty.Width(e.label)
		if len(rows) == 0 || used+w > width {
			rows, used = append(rows, nil), 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], e)
		used += w
	}
	return rows
}

// wrap breaks text into lines no wider than width.
func wrap(sty draw.TextStyle, text string, width vg.Length) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && sty.Width(line+" "+w) > width {
			lines, line = append(lines, line), w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// draw draws the figure into c.
func (f *frame) draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, vg.Points(padOuter), -vg.Points(padOuter), vg.Points(padOuter/2), -vg.Points(padOuter))
	width := c.Max.X - c.Min.X
	top := c.Max.Y
	if f.title != "" {
		sty := textStyle(sizeTitle, colText)
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
		for _, line := range wrap(sty, f.title, width) {
			c.FillText(sty, vg.Point{X: c.Min.X, Y: top}, line)
			top -= lineHeight(sizeTitle)
		}
		top -= vg.Points(4)
	}
	// From the bottom up: notes, legend, lines under the panels.
	y := c.Min.Y
	noteSty := textStyle(sizeNote, colReference)
	var noteLines []string
	for _, n := range f.notes {
		noteLines = append(noteLines, wrap(noteSty, n, width)...)
	}
	noteSty.XAlign = draw.XLeft
	for i := len(noteLines) - 1; i >= 0; i-- {
		c.FillText(noteSty, vg.Point{X: c.Min.X, Y: y + vg.Points(2)}, noteLines[i])
		y += lineHeight(sizeNote)
	}
	if len(noteLines) > 0 {
		y += vg.Points(2)
	}
	rows := f.legendRows(width)
	legendSty := textStyle(sizeLegend, colText)
	legendSty.XAlign, legendSty.YAlign = draw.XLeft, draw.YCenter
	for i := len(rows) - 1; i >= 0; i-- {
		row := rows[i]
		var total vg.Length
		for _, e := range row {
			total += vg.Points(sampleW+4+12) + legendSty.Width(e.label)
		}
		x := c.Min.X + (width-total+vg.Points(12))/2
		h := lineHeight(sizeLegend) + vg.Points(2)
		mid := y + h/2
		for _, e := range row {
			sample := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x, Y: mid - vg.Points(4)}, Max: vg.Point{X: x + vg.Points(sampleW), Y: mid + vg.Points(4)}}}
			e.thumb.Thumbnail(&sample)
			c.FillText(legendSty, vg.Point{X: x + vg.Points(sampleW+4), Y: mid}, e.label)
			x += vg.Points(sampleW+4+12) + legendSty.Width(e.label)
		}
		y += h
	}
	if len(rows) > 0 {
		y += vg.Points(4)
	}
	underTop := y + vg.Length(f.underLines)*lineHeight(sizeNote)
	if f.underLines > 0 {
		underTop += vg.Points(2)
	}
	panelTitleSty := textStyle(sizePanel, colText)
	panelTitleSty.XAlign, panelTitleSty.YAlign = draw.XCenter, draw.YTop
	hasPanelTitles := false
	for _, t := range f.panelTitles {
		hasPanelTitles = hasPanelTitles || t != ""
	}
	titleTop := top
	if hasPanelTitles {
		top -= lineHeight(sizePanel) + vg.Points(4)
	}
	body := draw.Crop(c, 0, 0, underTop-c.Min.Y, top-c.Max.Y)
	tiles := draw.Tiles{Rows: 1, Cols: len(f.panels), PadX: vg.Points(18), PadRight: vg.Points(6)}
	cs := plot.Align([][]*plot.Plot{f.panels}, tiles, body)
	for i, p := range f.panels {
		p.Draw(cs[0][i])
		if i < len(f.panelTitles) && f.panelTitles[i] != "" {
			dc := p.DataCanvas(cs[0][i])
			c.FillText(panelTitleSty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: titleTop}, f.panelTitles[i])
		}
		if f.under != nil {
			under := draw.Crop(c, 0, 0, 0, underTop-c.Max.Y)
			f.under(under, i, p, cs[0][i])
		}
	}
}

// figure wraps a frame as a Figure of the options' size.
func (f *frame) figure(name string, number int, title string, opts ChartOptions) *Figure {
	w, h := opts.Width, opts.Height
	if w <= 0 {
		w = chartWidth
	}
	if h <= 0 {
		h = chartHeight
	}
	return &Figure{Name: name, Number: number, Title: title, Width: w, Height: h, Draw: f.draw}
}
