package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Tables in the PDF report: set in the body's font at up to 9 pt; a table
// too wide for the page is set smaller, down to 7 pt, and only then are its
// cells wrapped.
const (
	tableMaxSize = 9.0
	tableMinSize = 7.0
	tableStep    = 0.5
	cellPadX     = 4.0
	cellPadY     = 2.5
)

// tableLayout is a table measured for the page: its font size, column
// widths and every cell wrapped to its column.
type tableLayout struct {
	t        Table
	size     float64
	leading  float64
	widths   []float64
	label    string   // "Table 3."
	caption  []string // caption lines, label included
	captionH float64
	header   [][]string
	headerH  float64
	cells    [][][]string
	spans    [][]bool // a remark spanning from its cell to the row's end
	rowH     []float64
	note     []string
	noteH    float64
}

// cellStyle is the font style of a cell: headers bold, suppressed cells
// italic.
func cellStyle(c Cell) string {
	if c.Suppressed {
		return "I"
	}
	return ""
}

// spanCandidate reports whether cell j of row is a remark that may run
// into the empty cells after it, to the row's end: "not yet observable:
// follow-up reaches week 43" in a row of numbers. A number (a numeric
// column's cell with a value) never spans.
func spanCandidate(t Table, row []Cell, j int) bool {
	if j == len(row)-1 || strings.TrimSpace(row[j].Text) == "" {
		return false
	}
	if t.Columns[j].Numeric && !math.IsNaN(row[j].Value) {
		return false
	}
	for _, c := range row[j+1:] {
		if strings.TrimSpace(c.Text) != "" {
			return false
		}
	}
	return true
}

// layoutTable measures t: the largest size from 9 pt down to 7 pt at which
// every column fits unwrapped, else 7 pt with the columns wrapped, each at
// least as wide as its longest word (if even that is too wide, words are
// broken).
func (l *pdfLayout) layoutTable(t Table) *tableLayout {
	tl := &tableLayout{t: t}
	if t.Number > 0 {
		tl.label = fmt.Sprintf(T(l.lang, "pdf.table"), t.Number)
	}
	tl.caption = l.captionLines(tl.label, t.Caption)
	tl.captionH = float64(len(tl.caption)) * captionLeading
	l.pdf.SetFont(pdfFamily, "", noteSize)
	tl.note = l.lines(t.Note, textWidth)
	tl.noteH = float64(len(tl.note)) * noteLeading

	fits := false
	for size := tableMaxSize; size >= tableMinSize; size -= tableStep {
		natural := l.columnWidths(t, size, false)
		if sum(natural) <= textWidth {
			tl.size, tl.widths, fits = size, natural, true
			break
		}
	}
	if !fits {
		tl.size = tableMinSize
		natural := l.columnWidths(t, tl.size, false)
		least := l.columnWidths(t, tl.size, true)
		tl.widths = make([]float64, len(natural))
		if sum(least) >= textWidth {
			for j := range least {
				tl.widths[j] = least[j] * textWidth / sum(least)
			}
		} else {
			// Share the room beyond the longest words by how much more each
			// column would take unwrapped.
			slack, want := textWidth-sum(least), 0.0
			for j := range natural {
				want += natural[j] - least[j]
			}
			for j := range natural {
				tl.widths[j] = least[j] + slack*(natural[j]-least[j])/want
			}
		}
	}
	tl.leading = 1.3 * tl.size
	wrap := func(s, style string, w float64) []string {
		l.pdf.SetFont(pdfFamily, style, tl.size)
		ls := l.lines(s, w-2*cellPadX)
		if len(ls) == 0 {
			ls = []string{""}
		}
		return ls
	}
	tl.header = make([][]string, len(t.Columns))
	n := 1
	for j, c := range t.Columns {
		tl.header[j] = wrap(c.Title, "B", tl.widths[j])
		n = max(n, len(tl.header[j]))
	}
	tl.headerH = float64(n)*tl.leading + 2*cellPadY + 1
	tl.cells = make([][][]string, len(t.Rows))
	tl.spans = make([][]bool, len(t.Rows))
	tl.rowH = make([]float64, len(t.Rows))
	for i, row := range t.Rows {
		tl.cells[i] = make([][]string, len(row))
		tl.spans[i] = make([]bool, len(row))
		n := 1
		for j, c := range row {
			w := tl.widths[j]
			if spanCandidate(t, row, j) {
				// A remark spans only if it would not fit its own column.
				l.pdf.SetFont(pdfFamily, cellStyle(c), tl.size)
				if l.pdf.GetStringWidth(c.Text) > w-2*cellPadX {
					tl.spans[i][j], w = true, sum(tl.widths[j:])
				}
			}
			tl.cells[i][j] = wrap(c.Text, cellStyle(c), w)
			n = max(n, len(tl.cells[i][j]))
			if tl.spans[i][j] {
				break
			}
		}
		tl.rowH[i] = float64(n)*tl.leading + 2*cellPadY
	}
	return tl
}

// columnWidths are the columns' widths at size: unwrapped (the longest
// line of a cell) or, byWord, the longest word; padding included.
func (l *pdfLayout) columnWidths(t Table, size float64, byWord bool) []float64 {
	widest := func(s string) float64 {
		parts := strings.Split(s, "\n")
		if byWord {
			parts = words(strings.ReplaceAll(s, "\n", " "))
		}
		w := 0.0
		for _, p := range parts {
			w = max(w, l.pdf.GetStringWidth(p))
		}
		return w
	}
	ws := make([]float64, len(t.Columns))
	for j, c := range t.Columns {
		l.pdf.SetFont(pdfFamily, "B", size)
		ws[j] = widest(c.Title)
	}
	for _, row := range t.Rows {
		for j, c := range row {
			if spanCandidate(t, row, j) {
				continue // measured when the columns are known
			}
			l.pdf.SetFont(pdfFamily, cellStyle(c), size)
			ws[j] = max(ws[j], widest(c.Text))
		}
	}
	for j := range ws {
		ws[j] += 2 * cellPadX
	}
	return ws
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// startHeight is the height of the caption, the header and the first n
// rows (with the note if they are all the rows).
func (tl *tableLayout) startHeight(n int) float64 {
	h := tl.captionH + 4 + tl.headerH
	for _, rh := range tl.rowH[:n] {
		h += rh
	}
	if n == len(tl.rowH) {
		h += tl.noteH + 4
	}
	return h
}

// table writes a table: the caption above, the header repeated on every
// page the table runs onto (under a "Table 3 (continued)" line), rows never
// split, the note under the last row.
func (l *pdfLayout) table(t Table) {
	tl := l.layoutTable(t)
	l.need(tl.startHeight(min(len(t.Rows), 3)))
	l.caption(tl.label, tl.caption)
	l.y += 4
	l.tableHeader(tl)
	onPage := 0 // rows on this page so far
	for i := range t.Rows {
		h := tl.rowH[i]
		if i == len(t.Rows)-1 {
			h += min(tl.noteH, 2*noteLeading) + 4 // keep the note with the last row
		}
		if l.y+h > bodyBottom && onPage > 0 {
			l.tableRule(tl, l.y, 0.9)
			l.newPage()
			l.continued(tl)
			l.tableHeader(tl)
			onPage = 0
		}
		l.tableRow(tl, i, onPage == 0)
		onPage++
	}
	l.tableRule(tl, l.y, 0.9)
	l.y += 4
	l.font("", noteSize, colMuted)
	for _, line := range tl.note {
		l.pdf.Text(marginLeft, baseline(l.y, noteLeading, noteSize), line)
		l.y += noteLeading
	}
	l.y += blockSpacing
}

// continued heads a table's continuation: "Table 3 (continued)", or the
// caption's first words if the table has no number.
func (l *pdfLayout) continued(tl *tableLayout) {
	name := strings.TrimSuffix(tl.label, ".")
	if name == "" && tl.t.Caption != "" {
		l.pdf.SetFont(pdfFamily, "I", noteSize)
		name = l.fit(tl.t.Caption, textWidth*0.7)
	}
	l.font("I", noteSize, colMuted)
	l.pdf.Text(marginLeft, baseline(l.y, noteLeading, noteSize), strings.TrimSpace(name+" "+T(l.lang, "pdf.continued")))
	l.y += noteLeading + 2
}

func (l *pdfLayout) tableRule(tl *tableLayout, y, width float64) {
	l.rule(marginLeft, y, marginLeft+sum(tl.widths), width, colTableRule)
}

// tableHeader writes the header row between a heavy and a light rule;
// numeric columns' titles are right-aligned like their numbers.
func (l *pdfLayout) tableHeader(tl *tableLayout) {
	l.tableRule(tl, l.y, 0.9)
	l.font("B", tl.size, colInk)
	x := marginLeft
	for j, c := range tl.t.Columns {
		y := l.y + cellPadY + 0.5
		for _, line := range tl.header[j] {
			l.cellText(line, x, y, tl.widths[j], tl.size, tl.leading, c.Numeric)
			y += tl.leading
		}
		x += tl.widths[j]
	}
	l.y += tl.headerH
	l.tableRule(tl, l.y, 0.5)
}

// tableRow writes row i: a light band on every other row, a rule above the
// first row of a group, suppressed cells grey and italic.
func (l *pdfLayout) tableRow(tl *tableLayout, i int, firstOnPage bool) {
	row := tl.t.Rows[i]
	if i%2 == 1 {
		l.fillRect(marginLeft, l.y, sum(tl.widths), tl.rowH[i], colZebra)
	}
	if !firstOnPage && slices.ContainsFunc(row, func(c Cell) bool { return c.Group }) {
		l.tableRule(tl, l.y, 0.5)
	}
	x := marginLeft
	for j, c := range row {
		col := colInk
		if c.Suppressed {
			col = colSuppress
		}
		l.font(cellStyle(c), tl.size, col)
		y := l.y + cellPadY
		span := tl.spans[i][j]
		for _, line := range tl.cells[i][j] {
			l.cellText(line, x, y, tl.widths[j], tl.size, tl.leading, tl.t.Columns[j].Numeric && !span)
			y += tl.leading
		}
		if span {
			break
		}
		x += tl.widths[j]
	}
	l.y += tl.rowH[i]
}

// cellText writes one line of a cell whose line box starts at top.
func (l *pdfLayout) cellText(s string, x, top, width, size, leading float64, right bool) {
	if s == "" {
		return
	}
	if right {
		x += width - cellPadX - l.pdf.GetStringWidth(s)
	} else {
		x += cellPadX
	}
	l.pdf.Text(x, baseline(top, leading, size), s)
}
