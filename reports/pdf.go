package reports

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansbolditalic"
	"codeberg.org/go-fonts/liberation/liberationsansitalic"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The PDF report: A4 portrait in points, one house font (Liberation Sans,
// embedded, so æ, ø and å print wherever the file is opened, and the same
// face the charts are drawn in).
const (
	pdfFamily = "LiberationSans"

	pageWidth    = 595.28
	pageHeight   = 841.89
	marginLeft   = 62.0
	marginRight  = 62.0
	bodyTop      = 74.0            // below the running header
	bodyBottom   = pageHeight - 66 // above the footer
	textWidth    = pageWidth - marginLeft - marginRight
	headerBase   = 44.0            // baseline of the running header
	footerBase   = pageHeight - 36 // baseline of the page number
	bodySize     = 10.0            // body text, points
	bodyLeading  = 14.0            // line height of body text
	noteSize     = 8.5             // notes, captions' notes, header and footer
	noteLeading  = 11.5            // line height of notes
	blockSpacing = 8.0             // space after a block
	tocNumberW   = 30.0            // room kept for a page number in the contents
	bulletIndent = 16.0            // text of a bulleted item
)

// House colours (RGB): ink for text, the charts' dark blue for headings.
var (
	colInk       = [3]int{0x22, 0x22, 0x22}
	colHeading   = [3]int{0x1f, 0x4e, 0x79}
	colMuted     = [3]int{0x5a, 0x5a, 0x5a}
	colRule      = [3]int{0xb4, 0xb4, 0xb4}
	colZebra     = [3]int{0xf3, 0xf5, 0xf8}
	colWarnFill  = [3]int{0xfd, 0xf1, 0xdc}
	colWarnBar   = [3]int{0xd9, 0x7a, 0x1c}
	colSuppress  = [3]int{0x8c, 0x8c, 0x8c}
	colTableRule = [3]int{0x33, 0x33, 0x33}
)

// WritePDF renders doc as a PDF report and writes it to path atomically.
func WritePDF(path string, doc *Document) error {
	b, err := RenderPDF(doc)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, b)
}

// RenderPDF lays doc out as a PDF: a title page, the contents with page
// numbers, then the sections, each chapter (Level 1) on a new page, with
// the title in a running header and "Page n of N" in the footer. Figures
// are drawn as vectors. The same Document gives the same bytes.
//
// fpdf has no table of contents, so the document is laid out twice: the
// first pass finds the page of every section and the number of pages, the
// second prints them. The contents take the same room in both passes (the
// numbers sit in a column of fixed width), so the pages cannot move.
func RenderPDF(doc *Document) ([]byte, error) {
	if err := checkDocument(doc); err != nil {
		return nil, err
	}
	doc = printableDocument(doc)
	var pages []int // the page of each section, from the previous pass
	total := 0
	for pass := 0; pass < 3; pass++ {
		r, err := layoutPDF(doc, pages, total)
		if err != nil {
			return nil, err
		}
		if slices.Equal(r.sectionPages, pages) && r.pdf.PageNo() == total {
			var b bytes.Buffer
			if err := r.pdf.Output(&b); err != nil {
				return nil, fmt.Errorf("writing the PDF report: %w", err)
			}
			return b.Bytes(), nil
		}
		pages, total = r.sectionPages, r.pdf.PageNo()
	}
	return nil, fmt.Errorf("the PDF report's page numbers did not settle in three passes")
}

// checkDocument rejects a Document the renderer cannot lay out faithfully.
func checkDocument(doc *Document) error {
	if doc == nil {
		return fmt.Errorf("no document to render as PDF")
	}
	if _, err := ParseLang(string(doc.Lang)); err != nil {
		return fmt.Errorf("PDF report: %w", err)
	}
	for _, s := range doc.Sections {
		if s.Level != 1 && s.Level != 2 {
			return fmt.Errorf("PDF report: section %q has level %d; expected 1 or 2", s.Title, s.Level)
		}
		for _, b := range s.Blocks {
			switch b := b.(type) {
			case Table:
				if len(b.Columns) == 0 {
					return fmt.Errorf("PDF report: a table in section %q has no columns", s.Title)
				}
				for i, row := range b.Rows {
					if len(row) != len(b.Columns) {
						return fmt.Errorf("PDF report: row %d of table %q in section %q has %d cells for %d columns", i+1, b.Caption, s.Title, len(row), len(b.Columns))
					}
				}
			case FigureBlock:
				if b.Figure == nil || b.Figure.Draw == nil {
					return fmt.Errorf("PDF report: a figure in section %q has nothing to draw", s.Title)
				}
				if w, h := b.Figure.Width.Points(), b.Figure.Height.Points(); !(w > 0 && h > 0) || math.IsInf(w+h, 0) {
					return fmt.Errorf("PDF report: figure %q has size %v×%v", b.Figure.Name, b.Figure.Width, b.Figure.Height)
				}
			case Paragraph, FactList, List:
			case nil:
				return fmt.Errorf("PDF report: section %q has an empty block", s.Title)
			default:
				return fmt.Errorf("PDF report: section %q has a block of unknown kind %T", s.Title, b)
			}
		}
	}
	return nil
}

// pdfLayout is one pass of laying a Document out.
type pdfLayout struct {
	pdf  *fpdf.Fpdf
	doc  *Document
	lang Lang
	y    float64 // the top of the free space on the current page

	knownPages   []int // section pages from the previous pass (nil: none yet)
	knownTotal   int
	sectionPages []int // section pages found in this pass
	links        []int // fpdf link of each section, for the contents
	images       int   // raster images in figures so far
	err          error
}

func layoutPDF(doc *Document, pages []int, total int) (*pdfLayout, error) {
	pdf := newPDF(&fpdf.InitType{UnitStr: "pt", SizeStr: "A4", OrientationStr: "P"})
	pdf.SetMargins(marginLeft, bodyTop, marginRight)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCellMargin(0)
	pdf.SetTitle(doc.Title, true)
	pdf.SetSubject(doc.Subtitle, true)
	pdf.SetCreator("rcteval", false)
	pdf.SetLang(string(doc.Lang))
	pdf.SetDisplayMode("fullwidth", "continuous")
	l := &pdfLayout{pdf: pdf, doc: doc, lang: doc.Lang, knownPages: pages, knownTotal: total,
		sectionPages: make([]int, len(doc.Sections)), links: make([]int, len(doc.Sections))}
	for i := range doc.Sections {
		l.links[i] = pdf.AddLink()
	}
	pdf.SetHeaderFunc(l.header)
	pdf.SetFooterFunc(l.footer)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("PDF report: loading the fonts: %w", err)
	}

	l.titlePage()
	l.contents()
	for i, s := range doc.Sections {
		l.section(i, s)
	}
	pdf.Close()
	if l.err != nil {
		return nil, l.err
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("PDF report: %w", err)
	}
	return l, nil
}

// newPDF starts a PDF in points with the house font (Liberation Sans, four
// styles) embedded as subsets.
func newPDF(init *fpdf.InitType) *fpdf.Fpdf {
	pdf := fpdf.NewCustom(init)
	pdf.AddUTF8FontFromBytes(pdfFamily, "", liberationsansregular.TTF)
	pdf.AddUTF8FontFromBytes(pdfFamily, "B", liberationsansbold.TTF)
	pdf.AddUTF8FontFromBytes(pdfFamily, "I", liberationsansitalic.TTF)
	pdf.AddUTF8FontFromBytes(pdfFamily, "BI", liberationsansbolditalic.TTF)
	return pdf
}

// figurePDF draws f alone on a page of its size, as vectors in the
// report's embedded font subsets: a small file (gonum's vgpdf would embed
// each font whole) whose words can be searched, like the report's figures.
func figurePDF(f *Figure) ([]byte, error) {
	pdf := newPDF(&fpdf.InitType{UnitStr: "pt", OrientationStr: "P", Size: fpdf.SizeType{Wd: f.Width.Points(), Ht: f.Height.Points()}})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle(f.Title, true)
	pdf.SetCreator("rcteval", false)
	pdf.AddPage()
	images := 0
	c := newPDFCanvas(pdf, 0, 0, f.Width, f.Height, 1, &images)
	f.Draw(draw.New(c))
	if err := c.Close(); err != nil {
		return nil, fmt.Errorf("drawing figure %s as PDF: %w", f.Name, err)
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("writing figure %s as PDF: %w", f.Name, err)
	}
	return b.Bytes(), nil
}

// header writes the report's title in a running header on every page but
// the title page.
func (l *pdfLayout) header() {
	if l.pdf.PageNo() == 1 {
		return
	}
	l.font("", noteSize, colMuted)
	title := l.fit(l.doc.Title, textWidth*0.6)
	l.pdf.Text(marginLeft, headerBase, title)
	if l.doc.Subtitle != "" {
		sub := l.fit(l.doc.Subtitle, textWidth*0.35)
		l.pdf.Text(pageWidth-marginRight-l.pdf.GetStringWidth(sub), headerBase, sub)
	}
	l.rule(marginLeft, headerBase+6, pageWidth-marginRight, 0.5, colRule)
}

// footer writes "Page n of N" on every page but the title page.
func (l *pdfLayout) footer() {
	if l.pdf.PageNo() == 1 {
		return
	}
	// The first pass does not know the total yet; its pages are thrown away.
	l.font("", noteSize, colMuted)
	s := fmt.Sprintf(T(l.lang, "pdf.page_of"), l.pdf.PageNo(), l.knownTotal)
	l.pdf.Text(pageWidth-marginRight-l.pdf.GetStringWidth(s), footerBase, s)
}

// font selects the house font in style ("", "B", "I", "BI") at size points
// and the text colour.
func (l *pdfLayout) font(style string, size float64, col [3]int) {
	l.pdf.SetFont(pdfFamily, style, size)
	l.pdf.SetTextColor(col[0], col[1], col[2])
}

// fit shortens s with an ellipsis to fit width in the current font.
func (l *pdfLayout) fit(s string, width float64) string {
	if l.pdf.GetStringWidth(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && l.pdf.GetStringWidth(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

func (l *pdfLayout) rule(x1, y, x2, width float64, col [3]int) {
	l.pdf.SetDrawColor(col[0], col[1], col[2])
	l.pdf.SetLineWidth(width)
	l.pdf.Line(x1, y, x2, y)
}

func (l *pdfLayout) fillRect(x, y, w, h float64, col [3]int) {
	l.pdf.SetFillColor(col[0], col[1], col[2])
	l.pdf.Rect(x, y, w, h, "F")
}

// lines wraps s to width in the current font, at spaces and newlines; a
// no-break space (U+00A0, as in "95 %" or an indent) holds its words
// together. A word wider than the line is cut where it must be. A text
// without words gives no lines.
func (l *pdfLayout) lines(s string, width float64) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	space := l.pdf.GetStringWidth(" ")
	width += 1e-6 // a column is as wide as its text plus padding, less rounding
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line, lw := "", 0.0
		for _, word := range words(para) {
			ww := l.pdf.GetStringWidth(word)
			if line != "" && lw+space+ww <= width {
				line, lw = line+" "+word, lw+space+ww
				continue
			}
			if line != "" {
				out = append(out, line)
			}
			line, lw = word, ww
			for lw > width { // cut a word too wide for any line
				r := []rune(line)
				n := 1
				for n < len(r) && l.pdf.GetStringWidth(string(r[:n+1])) <= width {
					n++
				}
				if n == len(r) {
					break
				}
				out = append(out, string(r[:n]))
				line = string(r[n:])
				lw = l.pdf.GetStringWidth(line)
			}
		}
		out = append(out, line)
	}
	return out
}

// words splits s at ordinary spaces only.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' })
}

// baseline is where text of size points sits in a line of height leading
// whose top is top: the capitals centred in the line.
func baseline(top, leading, size float64) float64 {
	return top + leading/2 + 0.36*size
}

// newPage starts a page and puts the free space at its top.
func (l *pdfLayout) newPage() {
	l.pdf.AddPage()
	l.y = bodyTop
}

// room is the free height left on the current page.
func (l *pdfLayout) room() float64 { return bodyBottom - l.y }

// need starts a new page unless h fits in what is left of this one; on an
// empty page everything is let through (a block taller than a page is cut
// into pieces by its own layout).
func (l *pdfLayout) need(h float64) {
	if h > l.room() && l.y > bodyTop {
		l.newPage()
	}
}

func (l *pdfLayout) titlePage() {
	l.newPage()
	y := 230.0
	l.font("B", 26, colHeading)
	for _, line := range l.lines(l.doc.Title, textWidth) {
		l.pdf.Text(marginLeft, y, line)
		y += 32
	}
	if l.doc.Subtitle != "" {
		l.font("", 16, colMuted)
		y += 4
		for _, line := range l.lines(l.doc.Subtitle, textWidth) {
			l.pdf.Text(marginLeft, y, line)
			y += 21
		}
	}
	y += 6
	l.rule(marginLeft, y, marginLeft+textWidth, 1.2, colHeading)
	l.y = y + 22
	if len(l.doc.Facts) > 0 {
		l.factList(FactList{Items: l.doc.Facts})
	}
}

// contents lists the chapters and their sections with their pages; each
// line is a link to its section.
func (l *pdfLayout) contents() {
	if len(l.doc.Sections) == 0 {
		return
	}
	l.newPage()
	l.heading(T(l.lang, "pdf.contents"), 1)
	for i, s := range l.doc.Sections {
		size, style, indent, leading, before := 10.5, "B", 0.0, 15.0, 5.0
		if s.Level == 2 {
			size, style, indent, leading, before = bodySize, "", 16, 14, 0
		}
		if i == 0 {
			before = 0
		}
		l.font(style, size, colInk)
		lines := l.lines(s.Title, textWidth-indent-tocNumberW-12)
		if len(lines) == 0 {
			lines = []string{""}
		}
		h := before + float64(len(lines))*leading
		l.need(h)
		l.y += before
		top := l.y
		for _, line := range lines {
			l.pdf.Text(marginLeft+indent, baseline(l.y, leading, size), line)
			l.y += leading
		}
		last := baseline(l.y-leading, leading, size)
		page := ""
		if i < len(l.knownPages) && l.knownPages[i] > 0 {
			page = fmt.Sprint(l.knownPages[i])
		}
		// Dot leaders from the title's last line to the number.
		right := marginLeft + textWidth
		end := marginLeft + indent + l.pdfWidthAt(style, size, lines[len(lines)-1]) + 6
		l.font("", size, colRule)
		dot := l.pdf.GetStringWidth(" .")
		if n := int((right - tocNumberW - end) / dot); n > 0 {
			leader := strings.Repeat(" .", n)
			l.pdf.Text(right-tocNumberW-l.pdf.GetStringWidth(leader), last, leader)
		}
		l.font(style, size, colInk)
		l.pdf.Text(right-l.pdf.GetStringWidth(page), last, page)
		l.pdf.Link(marginLeft, top, textWidth, l.y-top, l.links[i])
	}
}

// pdfWidthAt is the width of s in style at size; that font stays selected.
func (l *pdfLayout) pdfWidthAt(style string, size float64, s string) float64 {
	l.pdf.SetFont(pdfFamily, style, size)
	return l.pdf.GetStringWidth(s)
}

// heading sizes: a chapter (1) and a section (2).
func headingStyle(level int) (size, leading, before, after float64) {
	if level == 1 {
		return 16, 20, 0, 8
	}
	return 12, 16, 10, 4
}

func (l *pdfLayout) headingHeight(title string, level int) float64 {
	size, leading, before, after := headingStyle(level)
	l.pdf.SetFont(pdfFamily, "B", size)
	n := max(len(l.lines(title, textWidth)), 1)
	return before + float64(n)*leading + after
}

// heading writes a heading at the current position (the caller has made
// room for it).
func (l *pdfLayout) heading(title string, level int) {
	size, leading, before, after := headingStyle(level)
	if l.y > bodyTop {
		l.y += before
	}
	l.font("B", size, colHeading)
	for _, line := range l.lines(title, textWidth) {
		l.pdf.Text(marginLeft, baseline(l.y, leading, size), line)
		l.y += leading
	}
	if level == 1 {
		l.rule(marginLeft, l.y+2, marginLeft+textWidth, 0.6, colRule)
	}
	l.y += after
}

// section writes a section: a chapter starts a page; a heading is kept
// with the start of what follows it.
func (l *pdfLayout) section(i int, s Section) {
	if s.Level == 1 {
		l.newPage()
	}
	l.need(l.headingHeight(s.Title, s.Level) + l.keepHeight(s.Blocks))
	l.sectionPages[i] = l.pdf.PageNo()
	l.pdf.SetLink(l.links[i], l.y, -1)
	l.pdf.Bookmark(s.Title, s.Level-1, l.y)
	l.heading(s.Title, s.Level)
	for _, b := range s.Blocks {
		l.block(b)
	}
}

func (l *pdfLayout) block(b Block) {
	switch b := b.(type) {
	case Paragraph:
		l.paragraph(b)
	case FactList:
		l.factList(b)
	case List:
		l.list(b)
	case Table:
		l.table(b)
	case FigureBlock:
		l.figure(b)
	}
}

// keepHeight is the height of what must follow a heading on its page:
// short paragraphs (an outcome's definition above its figure) and the
// start of the first other block; never more than a page can hold.
func (l *pdfLayout) keepHeight(blocks []Block) float64 {
	h := 0.0
	for _, b := range blocks {
		if p, ok := b.(Paragraph); ok {
			if ph := l.paragraphHeight(p); ph <= 3*bodyLeading+blockSpacing {
				h += ph
				continue
			}
		}
		h += l.startHeight(b)
		break
	}
	if h > 0.8*(bodyBottom-bodyTop) {
		return l.startHeight(blocks[0])
	}
	return h
}

// paragraphHeight is the whole height of a paragraph with the space after.
func (l *pdfLayout) paragraphHeight(p Paragraph) float64 {
	size, leading, pad := paragraphStyle(p.Style)
	l.pdf.SetFont(pdfFamily, "", size)
	n := len(l.lines(p.Text, textWidth-2*pad-4))
	if n == 0 {
		return 0
	}
	return float64(n)*leading + 2*pad + blockSpacing - 2
}

// startHeight is the height of the part of b that must be on the same page
// as the heading above it: a few lines, the first item, a table's caption,
// header and first rows, a whole figure.
func (l *pdfLayout) startHeight(b Block) float64 {
	switch b := b.(type) {
	case Paragraph:
		size, leading, pad := paragraphStyle(b.Style)
		l.pdf.SetFont(pdfFamily, "", size)
		n := min(len(l.lines(b.Text, textWidth-2*pad)), 2)
		return float64(n)*leading + 2*pad
	case FactList:
		if len(b.Items) == 0 {
			return 0
		}
		return l.factHeights(b)[0]
	case List:
		if len(b.Items) == 0 {
			return 0
		}
		l.pdf.SetFont(pdfFamily, "", bodySize)
		return float64(len(l.lines(b.Items[0], textWidth-bulletIndent))) * bodyLeading
	case Table:
		t := l.layoutTable(b)
		return t.startHeight(min(len(b.Rows), 3))
	case FigureBlock:
		return l.figureLayout(b).height
	}
	return 0
}

// paragraphStyle gives a paragraph's font size, leading and the padding of
// its box (warnings are set in a tinted box).
func paragraphStyle(s ParagraphStyle) (size, leading, pad float64) {
	switch s {
	case ParagraphNote:
		return noteSize, noteLeading, 0
	case ParagraphWarning:
		return bodySize, bodyLeading, 7
	}
	return bodySize, bodyLeading, 0
}

// paragraph writes a paragraph, breaking it between lines at the page's
// end; no page ends after a paragraph's first line or starts with its last
// one alone.
func (l *pdfLayout) paragraph(p Paragraph) {
	size, leading, pad := paragraphStyle(p.Style)
	col := colInk
	if p.Style == ParagraphNote {
		col = colMuted
	}
	l.font("", size, col)
	inner := textWidth - 2*pad
	if p.Style == ParagraphWarning {
		inner -= 4 // the bar
	}
	lines := l.lines(p.Text, inner)
	if len(lines) == 0 {
		return
	}
	for len(lines) > 0 {
		fit := int(math.Floor((l.room() - 2*pad + 0.01) / leading))
		switch {
		case fit >= len(lines):
			fit = len(lines)
		case fit < 2 && l.y > bodyTop:
			l.newPage()
			continue
		case fit == len(lines)-1 && fit > 2:
			fit-- // leave two lines for the next page
		case fit < 1:
			fit = 1 // a page shorter than one line: write it anyway
		}
		h := float64(fit)*leading + 2*pad
		x := marginLeft + pad
		if p.Style == ParagraphWarning {
			l.fillRect(marginLeft, l.y, textWidth, h, colWarnFill)
			l.fillRect(marginLeft, l.y, 3, h, colWarnBar)
			x += 4
		}
		l.font("", size, col)
		for _, line := range lines[:fit] {
			l.pdf.Text(x, baseline(l.y+pad, leading, size), line)
			l.y += leading
		}
		l.y += 2 * pad
		lines = lines[fit:]
		if len(lines) > 0 {
			l.newPage()
		}
	}
	l.y += blockSpacing - 2
}

// factColumns is the width of the term column of a fact list: the widest
// term, at most 40 % of the text width.
func (l *pdfLayout) factColumns(f FactList) float64 {
	l.pdf.SetFont(pdfFamily, "B", bodySize)
	w := 0.0
	for _, it := range f.Items {
		w = max(w, l.pdf.GetStringWidth(it.Term))
	}
	return min(w+14, 0.4*textWidth)
}

func (l *pdfLayout) factHeights(f FactList) []float64 {
	tw := l.factColumns(f)
	hs := make([]float64, len(f.Items))
	for i, it := range f.Items {
		l.pdf.SetFont(pdfFamily, "B", bodySize)
		n := len(l.lines(it.Term, tw-14))
		l.pdf.SetFont(pdfFamily, "", bodySize)
		n = max(n, len(l.lines(it.Text, textWidth-tw)), 1)
		hs[i] = float64(n)*bodyLeading + 3
	}
	return hs
}

// factList writes terms in bold beside their texts.
func (l *pdfLayout) factList(f FactList) {
	tw := l.factColumns(f)
	hs := l.factHeights(f)
	for i, it := range f.Items {
		l.need(hs[i])
		l.font("B", bodySize, colInk)
		y := l.y
		for _, line := range l.lines(it.Term, tw-14) {
			l.pdf.Text(marginLeft, baseline(y, bodyLeading, bodySize), line)
			y += bodyLeading
		}
		l.font("", bodySize, colInk)
		y = l.y
		for _, line := range l.lines(it.Text, textWidth-tw) {
			l.pdf.Text(marginLeft+tw, baseline(y, bodyLeading, bodySize), line)
			y += bodyLeading
		}
		l.y += hs[i]
	}
	l.y += blockSpacing - 3
}

// list writes a bulleted list; an item is not split across pages.
func (l *pdfLayout) list(b List) {
	for _, item := range b.Items {
		l.font("", bodySize, colInk)
		lines := l.lines(item, textWidth-bulletIndent)
		if len(lines) == 0 {
			continue
		}
		l.need(float64(len(lines)) * bodyLeading)
		l.font("", bodySize, colHeading)
		l.pdf.Text(marginLeft+4, baseline(l.y, bodyLeading, bodySize), "•")
		l.font("", bodySize, colInk)
		for _, line := range lines {
			l.pdf.Text(marginLeft+bulletIndent, baseline(l.y, bodyLeading, bodySize), line)
			l.y += bodyLeading
		}
		l.y += 2
	}
	l.y += blockSpacing - 2
}

// figureBox is where a figure goes: its caption and note lines and the
// size it is drawn at on the page.
type figureBox struct {
	caption, note []string
	label         string // "Figure 5." (bold), then the caption's text
	width, draw   float64
	height        float64 // caption, figure and note together
}

const (
	minFigureScale = 0.75
	captionSize    = 9.5
	captionLeading = 13.0
)

// figureLayout scales a figure to the text width keeping its aspect ratio
// (smaller if it would not fit on an empty page with its caption and note).
func (l *pdfLayout) figureLayout(b FigureBlock) figureBox {
	var fb figureBox
	f := b.Figure
	if f.Number > 0 {
		fb.label = fmt.Sprintf(T(l.lang, "pdf.figure"), f.Number)
	}
	fb.caption = l.captionLines(fb.label, printable(f.Title))
	l.pdf.SetFont(pdfFamily, "", noteSize)
	fb.note = l.lines(b.Note, textWidth)
	text := float64(len(fb.caption))*captionLeading + 4 + float64(len(fb.note))*noteLeading + 4
	fb.width = textWidth
	h := fb.width * f.Height.Points() / f.Width.Points()
	if avail := bodyBottom - bodyTop - text; h > avail {
		h = avail
		fb.width = h * f.Width.Points() / f.Height.Points()
	}
	fb.draw = h
	fb.height = text + h
	return fb
}

// captionLines wraps a caption whose first words are a bold label
// ("Table 3.", "Figure 5."); the label is measured as part of the first
// line.
func (l *pdfLayout) captionLines(label, text string) []string {
	full := strings.TrimSpace(label + " " + text)
	if full == "" {
		return nil
	}
	l.pdf.SetFont(pdfFamily, "B", captionSize) // bold is the wider: a safe measure
	return l.lines(full, textWidth)
}

// caption writes caption lines at the current position, the label bold.
func (l *pdfLayout) caption(label string, lines []string) {
	for i, line := range lines {
		x := marginLeft
		b := baseline(l.y, captionLeading, captionSize)
		if i == 0 && label != "" && strings.HasPrefix(line, label) {
			l.font("B", captionSize, colInk)
			l.pdf.Text(x, b, label)
			x += l.pdf.GetStringWidth(label + " ")
			line = strings.TrimSpace(strings.TrimPrefix(line, label))
		}
		l.font("", captionSize, colInk)
		l.pdf.Text(x, b, line)
		l.y += captionLeading
	}
}

// figure writes a figure with its caption above and its note below, all on
// one page, the figure drawn as vectors.
func (l *pdfLayout) figure(b FigureBlock) {
	fb := l.figureLayout(b)
	l.need(fb.height)
	l.caption(fb.label, fb.caption)
	l.y += 4
	f := b.Figure
	left := marginLeft + (textWidth-fb.width)/2
	// The figure is drawn at its own size within limits and scaled to the
	// page: drawn at the text width, a wide chart's fixed-size labels
	// would crowd its panels; scaled down from its own size, its 8.5 pt
	// labels would print at 5 pt. So it is drawn at between the text width
	// and 4/3 of it, and its words print at no less than 3/4 of their size.
	logical := min(max(f.Width.Points(), fb.width), fb.width/minFigureScale)
	scale := fb.width / logical
	c := newPDFCanvas(l.pdf, left, l.y, vg.Length(logical), vg.Length(fb.draw/scale), scale, &l.images)
	err := drawSafely(f, c)
	if cerr := c.Close(); err == nil {
		err = cerr
	}
	if err != nil && l.err == nil {
		l.err = fmt.Errorf("PDF report: drawing figure %q: %w", f.Name, err)
	}
	l.pdf.SetAlpha(1, "Normal")
	l.pdf.SetDashPattern(nil, 0)
	l.y += fb.draw + 4
	l.font("", noteSize, colMuted)
	for _, line := range fb.note {
		l.pdf.Text(marginLeft, baseline(l.y, noteLeading, noteSize), line)
		l.y += noteLeading
	}
	l.y += blockSpacing
}

// drawSafely draws f into c, turning a panic in the drawing into an error.
func drawSafely(f *Figure, c *pdfCanvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	f.Draw(draw.New(c))
	return nil
}
