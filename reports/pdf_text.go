package reports

import (
	"strings"
	"sync"

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

// printable is s with every character the house font lacks replaced by its
// compatibility form, where the font has all of that, or its lookalike.
func printable(s string) string {
	ok := true
	for _, r := range s {
		if !hasGlyph(r) && r != '\n' {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == '\n' || hasGlyph(r) {
			b.WriteRune(r)
			continue
		}
		if alt, ok := lookalikes[r]; ok {
			b.WriteString(alt)
			continue
		}
		alt := norm.NFKC.String(string(r))
		good := alt != string(r)
		for _, a := range alt {
			good = good && hasGlyph(a)
		}
		if good {
			b.WriteString(alt)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
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
