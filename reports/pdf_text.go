package reports

import (
	"strings"
	"sync"
	"unicode"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// The PDF embeds one font, so a character it lacks prints as an empty box
// (a browser would borrow it from another font). Such a character is
// printed as its compatibility form when the font has that, e.g. the
// subscript ₜ as t; otherwise it is left as it is.

var houseGlyphs struct {
	once sync.Once
	font *sfnt.Font
	mu   sync.Mutex
	buf  sfnt.Buffer
}

// hasGlyph reports whether the house font draws r.
func hasGlyph(r rune) bool {
	houseGlyphs.once.Do(func() {
		houseGlyphs.font, _ = sfnt.Parse(liberationsansregular.TTF)
	})
	if houseGlyphs.font == nil {
		return true // cannot tell: leave the text alone
	}
	houseGlyphs.mu.Lock()
	defer houseGlyphs.mu.Unlock()
	i, err := houseGlyphs.font.GlyphIndex(&houseGlyphs.buf, r)
	return err == nil && i != 0
}

// lookalikes stand in for characters the font lacks that have no
// compatibility form: ꜀ serves as a subscript c ("s²꜀", the control
// group's variance).
var lookalikes = map[rune]string{'\uA700': "c"}

// printable is s as the PDF can print it: every character the house font
// lacks replaced by its compatibility form where the font has all of that,
// or its lookalike; a character beyond the Basic Multilingual Plane (which
// fpdf cannot embed) by U+FFFD; tabs as spaces, other control characters
// but the newline dropped. Other characters the font lacks stay (a box in
// print, but the text can still be copied).
func printable(s string) string {
	ok := true
	for _, r := range s {
		if !plain(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case plain(r):
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r):
		default:
			b.WriteString(substitute(r))
		}
	}
	return b.String()
}

// plain reports whether r is printed as it is.
func plain(r rune) bool {
	return r == '\n' || (!unicode.IsControl(r) && r <= 0xFFFF && hasGlyph(r))
}

// substitute is what is printed for a character the font lacks.
func substitute(r rune) string {
	if alt, ok := lookalikes[r]; ok {
		return alt
	}
	if alt := norm.NFKC.String(string(r)); alt != string(r) && !strings.ContainsFunc(alt, func(a rune) bool { return !plain(a) || a == '\n' }) {
		return alt
	}
	if r > 0xFFFF {
		return "\uFFFD"
	}
	return string(r)
}

// printableDocument is a copy of doc with every text made printable;
// figures are left as they are (their words pass the canvas, which does
// the same).
func printableDocument(doc *Document) *Document {
	facts := func(fs []Fact) []Fact {
		out := make([]Fact, len(fs))
		for i, f := range fs {
			out[i] = Fact{Term: printable(f.Term), Text: printable(f.Text)}
		}
		return out
	}
	d := *doc
	d.Title, d.Subtitle, d.Facts = printable(doc.Title), printable(doc.Subtitle), facts(doc.Facts)
	d.Sections = make([]Section, len(doc.Sections))
	for i, s := range doc.Sections {
		s.Title = printable(s.Title)
		blocks := make([]Block, len(s.Blocks))
		for j, b := range s.Blocks {
			switch b := b.(type) {
			case Paragraph:
				b.Text = printable(b.Text)
				blocks[j] = b
			case FactList:
				blocks[j] = FactList{Items: facts(b.Items)}
			case List:
				items := make([]string, len(b.Items))
				for k, it := range b.Items {
					items[k] = printable(it)
				}
				blocks[j] = List{Items: items}
			case Table:
				b.Caption, b.Note = printable(b.Caption), printable(b.Note)
				cols := make([]Column, len(b.Columns))
				for k, c := range b.Columns {
					c.Title = printable(c.Title)
					cols[k] = c
				}
				rows := make([][]Cell, len(b.Rows))
				for k, row := range b.Rows {
					rows[k] = make([]Cell, len(row))
					for m, c := range row {
						c.Text = printable(c.Text)
						rows[k][m] = c
					}
				}
				b.Columns, b.Rows = cols, rows
				blocks[j] = b
			case FigureBlock:
				b.Note = printable(b.Note)
				blocks[j] = b
			default:
				blocks[j] = b
			}
		}
		s.Blocks = blocks
		d.Sections[i] = s
	}
	return &d
}
