// The mapping of vg's paths, dashes, colours and transforms to fpdf follows
// gonum/plot's vg/vgpdf:
//
// Copyright ©2015 The Gonum Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package reports

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"

	"codeberg.org/go-pdf/fpdf"
	stdfnt "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// pdfCanvas is a vg.Canvas drawing into a rectangle of a page of a report
// being laid out, as vectors: a figure in the report is as sharp as the
// text around it, and its words are in the report's embedded font, so
// they can be searched and copied. The document's unit is the point.
//
// vg's origin is the bottom left corner with y up; fpdf's is the top left
// with y down. The canvas opens a graphics state that moves the origin to
// the rectangle's bottom left corner and flips y; vg's Translate, Scale and
// Rotate are then the same matrices in fpdf's terms, as in vgpdf.
type pdfCanvas struct {
	pdf   *fpdf.Fpdf
	w, h  vg.Length // the size the figure is drawn at
	stack []pdfContext
	// images counts the raster images drawn so far in the whole document,
	// so that each gets a unique name.
	images *int
	err    error
}

type pdfContext struct {
	color  color.Color
	width  vg.Length
	dashes []vg.Length
	offset vg.Length
}

// newPDFCanvas starts drawing a figure of size w×h into the page rectangle
// whose top left corner is (left, top) and whose width is scale·w. Close
// must be called when the figure is drawn.
func newPDFCanvas(pdf *fpdf.Fpdf, left, top float64, w, h vg.Length, scale float64, images *int) *pdfCanvas {
	c := &pdfCanvas{pdf: pdf, w: w, h: h, images: images, stack: []pdfContext{{color: color.Black, width: 1}}}
	pdf.TransformBegin()
	pdf.TransformTranslate(left, top+scale*h.Points())
	pdf.TransformScale(100, -100, 0, 0)
	if scale != 1 {
		pdf.TransformScale(100*scale, 100*scale, 0, 0)
	}
	vg.Initialize(c)
	return c
}

// Close ends the figure's graphics state; the page's own state (colours,
// line width, dashes, opacity) is as before the figure.
func (c *pdfCanvas) Close() error {
	c.pdf.TransformEnd()
	return c.err
}

func (c *pdfCanvas) Size() (w, h vg.Length) { return c.w, c.h }

func (c *pdfCanvas) context() *pdfContext { return &c.stack[len(c.stack)-1] }

func (c *pdfCanvas) SetLineWidth(w vg.Length) {
	c.context().width = w
	c.pdf.SetLineWidth(w.Points())
}

func (c *pdfCanvas) SetLineDash(dashes []vg.Length, offs vg.Length) {
	c.context().dashes, c.context().offset = append([]vg.Length(nil), dashes...), offs
	ds := make([]float64, len(dashes))
	for i, d := range dashes {
		ds[i] = d.Points()
	}
	c.pdf.SetDashPattern(ds, offs.Points())
}

func (c *pdfCanvas) SetColor(clr color.Color) {
	if clr == nil {
		clr = color.Black
	}
	c.context().color = clr
	r, g, b, a := pdfRGBA(clr)
	c.pdf.SetFillColor(r, g, b)
	c.pdf.SetDrawColor(r, g, b)
	c.pdf.SetTextColor(r, g, b)
	c.pdf.SetAlpha(a, "Normal")
}

func (c *pdfCanvas) Rotate(r float64) { c.pdf.TransformRotate(-r*180/math.Pi, 0, 0) }

func (c *pdfCanvas) Translate(pt vg.Point) { c.pdf.TransformTranslate(pt.X.Points(), pt.Y.Points()) }

func (c *pdfCanvas) Scale(x, y float64) { c.pdf.TransformScale(x*100, y*100, 0, 0) }

func (c *pdfCanvas) Push() {
	top := *c.context()
	c.stack = append(c.stack, top)
	c.pdf.TransformBegin()
}

// Pop restores the graphics state, and tells fpdf the restored colour and
// line style too: fpdf keeps its own copy of them (the text colour above
// all), which the PDF's Q does not reach.
func (c *pdfCanvas) Pop() {
	if len(c.stack) < 2 {
		c.fail(fmt.Errorf("figure drawing popped more states than it pushed"))
		return
	}
	c.pdf.TransformEnd()
	c.stack = c.stack[:len(c.stack)-1]
	ctx := *c.context()
	c.SetColor(ctx.color)
	c.SetLineWidth(ctx.width)
	c.SetLineDash(ctx.dashes, ctx.offset)
}

func (c *pdfCanvas) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

func (c *pdfCanvas) Stroke(p vg.Path) {
	if c.context().width > 0 {
		c.path(p, "D")
	}
}

func (c *pdfCanvas) Fill(p vg.Path) { c.path(p, "F") }

// FillString writes text with its baseline starting at pt, in the report's
// font at the face's size, bold and italic as the face asks.
func (c *pdfCanvas) FillString(fnt font.Face, pt vg.Point, str string) {
	if fnt.Font.Size == 0 || str == "" {
		return
	}
	style := ""
	if fnt.Font.Weight >= stdfnt.WeightBold {
		style += "B"
	}
	if fnt.Font.Style == stdfnt.StyleItalic {
		style += "I"
	}
	c.pdf.SetFont(pdfFamily, style, fnt.Font.Size.Points())
	c.pdf.TransformBegin()
	c.pdf.TransformTranslate(pt.X.Points(), pt.Y.Points())
	c.pdf.TransformScale(100, -100, 0, 0) // upright glyphs
	c.pdf.Text(0, 0, printable(str))
	c.pdf.TransformEnd()
}

// DrawImage draws img (as PNG) into rect, upright.
func (c *pdfCanvas) DrawImage(rect vg.Rectangle, img image.Image) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		c.fail(fmt.Errorf("encoding an image of a figure: %w", err))
		return
	}
	*c.images++
	name := fmt.Sprintf("figure-image-%d", *c.images)
	opts := fpdf.ImageOptions{ImageType: "png"}
	c.pdf.RegisterImageOptionsReader(name, opts, &buf)
	size := rect.Size()
	c.pdf.TransformBegin()
	c.pdf.TransformTranslate(rect.Min.X.Points(), rect.Max.Y.Points())
	c.pdf.TransformScale(100, -100, 0, 0)
	c.pdf.ImageOptions(name, 0, 0, size.X.Points(), size.Y.Points(), false, opts, 0, "")
	c.pdf.TransformEnd()
}

// path draws p; arcs become cubic Bézier curves (fpdf's own arcs want
// fpdf's angles, and a path may start with an arc).
func (c *pdfCanvas) path(p vg.Path, style string) {
	var start vg.Point // the current subpath's first point
	open := false      // whether there is a current point
	for _, comp := range p {
		switch comp.Type {
		case vg.MoveComp:
			c.pdf.MoveTo(comp.Pos.X.Points(), comp.Pos.Y.Points())
			start, open = comp.Pos, true
		case vg.LineComp:
			if !open {
				c.pdf.MoveTo(comp.Pos.X.Points(), comp.Pos.Y.Points())
				start, open = comp.Pos, true
				continue
			}
			c.pdf.LineTo(comp.Pos.X.Points(), comp.Pos.Y.Points())
		case vg.ArcComp:
			p0 := arcPoint(comp, comp.Start)
			if open {
				c.pdf.LineTo(p0.X.Points(), p0.Y.Points())
			} else {
				c.pdf.MoveTo(p0.X.Points(), p0.Y.Points())
				start, open = p0, true
			}
			c.arc(comp)
		case vg.CurveComp:
			switch len(comp.Control) {
			case 1:
				c.pdf.CurveTo(comp.Control[0].X.Points(), comp.Control[0].Y.Points(), comp.Pos.X.Points(), comp.Pos.Y.Points())
			case 2:
				c.pdf.CurveBezierCubicTo(comp.Control[0].X.Points(), comp.Control[0].Y.Points(),
					comp.Control[1].X.Points(), comp.Control[1].Y.Points(), comp.Pos.X.Points(), comp.Pos.Y.Points())
			default:
				c.fail(fmt.Errorf("a figure's curve has %d control points; expected 1 or 2", len(comp.Control)))
				return
			}
		case vg.CloseComp:
			if open {
				c.pdf.LineTo(start.X.Points(), start.Y.Points())
				c.pdf.ClosePath()
			}
		default:
			c.fail(fmt.Errorf("a figure's path has a component of unknown type %d", comp.Type))
			return
		}
	}
	if open {
		c.pdf.DrawPath(style)
	}
}

func arcPoint(comp vg.PathComp, angle float64) vg.Point {
	return vg.Point{
		X: comp.Pos.X + comp.Radius*vg.Length(math.Cos(angle)),
		Y: comp.Pos.Y + comp.Radius*vg.Length(math.Sin(angle)),
	}
}

// arc appends the arc as cubic Béziers of at most a quarter turn each, with
// control points at 4/3·tan(δ/4) of the radius along the tangents.
func (c *pdfCanvas) arc(comp vg.PathComp) {
	n := int(math.Ceil(math.Abs(comp.Angle) / (math.Pi / 2)))
	if n == 0 {
		return
	}
	delta := comp.Angle / float64(n)
	k := 4.0 / 3 * math.Tan(delta/4) * comp.Radius.Points()
	for i := 0; i < n; i++ {
		a0, a1 := comp.Start+float64(i)*delta, comp.Start+float64(i+1)*delta
		p0, p1 := arcPoint(comp, a0), arcPoint(comp, a1)
		c.pdf.CurveBezierCubicTo(
			p0.X.Points()-k*math.Sin(a0), p0.Y.Points()+k*math.Cos(a0),
			p1.X.Points()+k*math.Sin(a1), p1.Y.Points()-k*math.Cos(a1),
			p1.X.Points(), p1.Y.Points())
	}
}

// pdfRGBA converts a colour to fpdf's 0–255 components and an opacity.
func pdfRGBA(c color.Color) (r, g, b int, a float64) {
	cr, cg, cb, ca := c.RGBA()
	if ca == 0 {
		return 0, 0, 0, 0
	}
	// Un-premultiply: fpdf wants the colour, the opacity apart.
	un := func(v uint32) int { return int(math.Round(float64(v) * 255 / float64(ca))) }
	return un(cr), un(cg), un(cb), float64(ca) / math.MaxUint16
}
