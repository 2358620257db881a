package reports

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testDocument has every kind of block: a chapter of paragraphs in every
// style, facts and a list; a chapter with a table of rows long enough to
// run over three pages; a chapter with a figure; and a wide table.
func testDocument(t *testing.T, lang Lang) *Document {
	t.Helper()
	ds := dataset(t, smallAssignment, smallWeeks)
	fig, err := EffectChart(lang, disclosed(t, ds, 0), "hours", "")
	require.NoError(t, err)
	fig.Number = 1

	var long [][]Cell
	for i := 0; i < longRows; i++ {
		long = append(long, []Cell{
			{Text: fmt.Sprintf("Uge %d", i), Group: i%10 == 0},
			{Text: fmt.Sprintf("%d,5", i), Value: float64(i) + 0.5},
			{Text: "–", Value: math.NaN(), Suppressed: i%7 == 3},
		})
	}
	wideCols := make([]Column, 14)
	wideRow := make([]Cell, 14)
	for j := range wideCols {
		wideCols[j] = Column{Title: fmt.Sprintf("Kolonne med en lang overskrift %d", j), Numeric: j > 0}
		wideRow[j] = Cell{Text: fmt.Sprintf("%d.234,5 (−1,2; 3,4)", j)}
	}
	return &Document{
		Lang:     lang,
		Title:    "Effektevaluering: JobFirst på Ærø",
		Subtitle: "Midtvejsevaluering",
		Facts:    []Fact{{Term: "Version", Text: "rcteval test"}, {Term: "Læsevejledning", Text: "Tal med decimalkomma."}},
		Sections: []Section{
			{ID: "sammenfatning", Title: "Sammenfatning", Level: 1, Blocks: []Block{
				Paragraph{Text: "Deltagerne i forsøget arbejdede flere ordinære timer end kontrolgruppen; forskellen er størst omkring uge 30. Æbler, øl og åer."},
				Paragraph{Text: "Sene uger hviler kun på de tidligste hold.", Style: ParagraphWarning},
				Paragraph{Text: "Andele i procent og effekter i procentpoint.", Style: ParagraphNote},
				FactList{Items: []Fact{{Term: "Personer", Text: "1.234"}, {Term: "Længste opfølgning", Text: "43 uger"}}},
				List{Items: []string{"Første punkt om søgning", "Andet punkt om løntilskud"}},
			}},
			{ID: "data", Title: "Data og opfølgning", Level: 2, Blocks: []Block{
				Paragraph{Text: "Udtrækket slutter i uge 43."},
			}},
			{ID: "effekter", Title: "Effekter efter uger", Level: 1, Blocks: []Block{
				Table{Number: 2, Caption: "Ordinære timer pr. uge", Note: "Undertrykte celler bygger på færre end fem personer.",
					Columns: []Column{{Title: "Ugenummer"}, {Title: "Effekt", Numeric: true}, {Title: "Kontrol", Numeric: true}},
					Rows:    long},
			}},
			{ID: "figur", Title: "Figur", Level: 1, Blocks: []Block{
				FigureBlock{Figure: fig, Note: "Kilde: simulerede data."},
				Table{Number: 3, Caption: "En bred tabel", Columns: wideCols, Rows: [][]Cell{wideRow}},
			}},
		},
	}
}

// longRows rows of one line each: 16.7 pt a row at 9 pt, about 40 rows to a
// page, so the table takes the chapter's first page and two more.
const longRows = 100

func TestRenderPDF(t *testing.T) {
	doc := testDocument(t, Danish)
	b, err := RenderPDF(doc)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte("%PDF-")))
	again, err := RenderPDF(testDocument(t, Danish))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(b, again), "a rerender must give the same bytes")

	text := pdfText(t, b)
	for _, want := range []string{
		"Effektevaluering: JobFirst på Ærø", "Midtvejsevaluering", "Indhold", "Sammenfatning", "Data og opfølgning",
		"Effekter efter uger", "Æbler, øl og åer.", "Sene uger hviler kun på de tidligste hold.", "Længste opfølgning",
		"Første punkt om søgning", "Tabel 2.", "Ordinære timer pr. uge", "Uge 99", "99,5",
		"Undertrykte celler bygger på færre end fem personer.", "Figur 1.", "Kilde: simulerede data.",
		"Uger siden visitation", // the figure's own words, as text
		"Side 2 af 7", "Side 7 af 7",
	} {
		assert.Contains(t, text, want)
	}
	// Title page, contents, the first chapter, the long table's three
	// pages (its header on each, "(fortsat)" on the two it runs onto), and
	// the figure's chapter.
	assert.Equal(t, 7, pageCount(b))
	assert.Equal(t, 3, strings.Count(text, "Ugenummer"))
	assert.Equal(t, 2, strings.Count(text, "Tabel 2 (fortsat)"))
	assert.NotContains(t, text, "Side 1 af") // no footer on the title page
	// The contents give each chapter's page: 3, 4 (the table) and 7.
	assert.Regexp(t, `\nSammenfatning\n( \.)+\n3\n`, text)
	assert.Regexp(t, `\nEffekter efter uger\n( \.)+\n4\n`, text)
	assert.Regexp(t, `\nFigur\n( \.)+\n7\n`, text)
	// The font is embedded, the figure is vectors.
	assert.Contains(t, string(b), "/FontFile2")
	assert.NotContains(t, string(b), "/Subtype /Image")

	en, err := RenderPDF(testDocument(t, English))
	require.NoError(t, err)
	assert.Contains(t, pdfText(t, en), "Page 3 of 7")
	assert.Contains(t, pdfText(t, en), "Weeks since randomisation")
}

func TestWritePDF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.pdf")
	require.NoError(t, WritePDF(path, testDocument(t, English)))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("%PDF-")))
	if dir := os.Getenv("RCTEVAL_PDF_OUT"); dir != "" { // to look at
		require.NoError(t, WritePDF(filepath.Join(dir, "test_en.pdf"), testDocument(t, English)))
		require.NoError(t, WritePDF(filepath.Join(dir, "test_da.pdf"), testDocument(t, Danish)))
	}
}

func TestRenderPDFRejects(t *testing.T) {
	for name, doc := range map[string]*Document{
		"nil":      nil,
		"language": {Lang: "fr"},
		"level":    {Lang: English, Sections: []Section{{Title: "x", Level: 3}}},
		"cells":    {Lang: English, Sections: []Section{{Title: "x", Level: 1, Blocks: []Block{Table{Columns: []Column{{Title: "a"}}, Rows: [][]Cell{{{}, {}}}}}}}},
		"figure":   {Lang: English, Sections: []Section{{Title: "x", Level: 1, Blocks: []Block{FigureBlock{}}}}},
	} {
		_, err := RenderPDF(doc)
		assert.Error(t, err, name)
	}
	// An empty document is a title page.
	b, err := RenderPDF(&Document{Lang: English, Title: "Nothing yet"})
	require.NoError(t, err)
	assert.Equal(t, 1, pageCount(b))
	assert.Contains(t, pdfText(t, b), "Nothing yet")
}

// pdfText is the text of every string shown in b's content streams, one
// string a line, decoded from the UTF-16 fpdf writes for Unicode fonts.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	var out strings.Builder
	shown := regexp.MustCompile(`\(((?:\\.|[^\\)])*)\) Tj`)
	for _, s := range pdfStreams(t, b) {
		for _, m := range shown.FindAllSubmatch(s, -1) {
			raw := unescapePDF(m[1])
			u := make([]uint16, len(raw)/2)
			for i := range u {
				u[i] = uint16(raw[2*i])<<8 | uint16(raw[2*i+1])
			}
			out.WriteString(string(utf16.Decode(u)))
			out.WriteByte('\n')
		}
	}
	return out.String()
}

// pdfStreams are b's streams, inflated where they are FlateDecode.
func pdfStreams(t *testing.T, b []byte) [][]byte {
	t.Helper()
	var streams [][]byte
	for {
		i := bytes.Index(b, []byte("stream\n"))
		if i < 0 {
			return streams
		}
		dict := b[max(0, bytes.LastIndex(b[:i], []byte("<<"))):i]
		b = b[i+len("stream\n"):]
		j := bytes.Index(b, []byte("\nendstream"))
		require.GreaterOrEqual(t, j, 0)
		s := b[:j]
		b = b[j+len("\nendstream"):]
		if bytes.Contains(dict, []byte("/FlateDecode")) {
			r, err := zlib.NewReader(bytes.NewReader(s))
			require.NoError(t, err)
			s, err = io.ReadAll(r)
			require.NoError(t, err)
		}
		streams = append(streams, s)
	}
}

func unescapePDF(s []byte) []byte {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'r':
				out = append(out, '\r')
			case 'n':
				out = append(out, '\n')
			default:
				out = append(out, s[i])
			}
			continue
		}
		out = append(out, s[i])
	}
	return out
}

func pageCount(b []byte) int {
	return len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(b, -1))
}

// A table is set at 9 pt when it fits, smaller when it must, and at 7 pt
// with wrapped cells when even that is too wide; it never runs past the
// margin.
func TestPDFTableWidths(t *testing.T) {
	pdf, err := layoutPDF(&Document{Lang: English}, nil, 0)
	require.NoError(t, err)
	table := func(cols int, text string) Table {
		tb := Table{Columns: make([]Column, cols), Rows: [][]Cell{make([]Cell, cols)}}
		for j := range tb.Columns {
			tb.Columns[j] = Column{Title: "C", Numeric: true}
			tb.Rows[0][j] = Cell{Text: text, Value: 1}
		}
		return tb
	}
	narrow := pdf.layoutTable(table(3, "1.234,5"))
	assert.Equal(t, tableMaxSize, narrow.size)
	assert.Less(t, sum(narrow.widths), textWidth/2)
	// Columns of "123.456,7 (−1,2; 3,4)" are about 92 pt wide at 9 pt and
	// 73 pt at 7 pt; the page holds 471 pt: six fit at a smaller size,
	// nine only wrapped.
	shrunk := pdf.layoutTable(table(6, "123.456,7 (−1,2; 3,4)"))
	assert.Less(t, shrunk.size, tableMaxSize)
	assert.GreaterOrEqual(t, shrunk.size, tableMinSize)
	assert.LessOrEqual(t, sum(shrunk.widths), textWidth)
	wrapped := pdf.layoutTable(table(9, "123.456,7 (−1,2; 3,4)"))
	assert.Equal(t, tableMinSize, wrapped.size)
	assert.InDelta(t, textWidth, sum(wrapped.widths), 0.01)
	assert.Len(t, wrapped.cells[0][0], 2) // "123.456,7" above "(−1,2; 3,4)"
	// A column as wide as its widest cell holds it on one line.
	for j := range shrunk.widths {
		assert.Len(t, shrunk.cells[0][j], 1)
		assert.Len(t, shrunk.header[j], 1)
	}
	p := pdf.layoutTable(Table{Columns: []Column{{Title: "Effect", Numeric: true}, {Title: "p", Numeric: true}},
		Rows: [][]Cell{{{Text: "+25,8", Value: 25.8}, {Text: "< 0,001", Value: 0.0001}}}})
	assert.Equal(t, [][]string{{"+25,8"}, {"< 0,001"}}, p.cells[0])

	// A remark in a row of numbers runs over the empty cells after it; a
	// number with empty cells after it stays in its column.
	remark := Table{Columns: []Column{{Title: "Week", Numeric: true}, {Title: "N", Numeric: true}, {Title: "Effect", Numeric: true}, {Title: "p", Numeric: true}},
		Rows: [][]Cell{
			{{Text: "13", Value: 13}, {Text: "1.248/1.250", Value: 2498}, {Text: "+0,63", Value: 0.63}, {Text: "0,004", Value: 0.004}},
			{{Text: "44", Value: 44}, {Text: "not yet observable: follow-up reaches week 43", Value: math.NaN(), Suppressed: true}, {Value: math.NaN()}, {Value: math.NaN()}},
			{{Text: "45", Value: 45}, {Text: "1.000/1.000", Value: 2000}, {Value: math.NaN()}, {Value: math.NaN()}},
		}}
	rl := pdf.layoutTable(remark)
	assert.Equal(t, []bool{false, true, false, false}, rl.spans[1])
	assert.Equal(t, []bool{false, false, false, false}, rl.spans[2])
	assert.Less(t, rl.widths[1], 60.0) // the remark does not widen its column
}

// Text the font cannot print never breaks the renderer.
func TestRenderPDFOddText(t *testing.T) {
	for _, s := range []string{"smil 😀", "kant \U00010000", "tab\tog\x00nul", "漢字", "\uffff\ufffe", string([]byte{0xff, 0xfe}), ""} {
		doc := &Document{Lang: Danish, Title: s, Subtitle: s, Facts: []Fact{{Term: s, Text: s}}, Sections: []Section{{Title: s, Level: 1, Blocks: []Block{
			Paragraph{Text: s}, List{Items: []string{s}}, FactList{Items: []Fact{{Term: s, Text: s}}},
			Table{Caption: s, Note: s, Columns: []Column{{Title: s}, {Title: s, Numeric: true}}, Rows: [][]Cell{{{Text: s}, {Text: s, Value: math.NaN()}}}},
		}}}}
		b, err := RenderPDF(doc)
		require.NoError(t, err, "%q", s)
		assert.True(t, bytes.HasPrefix(b, []byte("%PDF-")))
	}
	assert.Equal(t, "smil \uFFFD tab ognul", printable("smil 😀 tab\tog\x00nul"))
}

// Lines break at spaces, never at a no-break space; a word too long for
// the line is cut.
func TestPDFLines(t *testing.T) {
	l, err := layoutPDF(&Document{Lang: English}, nil, 0)
	require.NoError(t, err)
	l.pdf.SetFont(pdfFamily, "", 10)
	w := l.pdf.GetStringWidth("aaaa bbbb")
	assert.Equal(t, []string{"aaaa bbbb", "cc\u00a0dd"}, l.lines("aaaa bbbb cc\u00a0dd", w))
	assert.Equal(t, []string{"aaaa", "bbbb", "", "cc"}, l.lines("aaaa\nbbbb\n\ncc", w))
	assert.Equal(t, []string{"\u00a0\u00a0indented"}, l.lines("\u00a0\u00a0indented", 100))
	assert.Equal(t, []string{"aaaa", "aaaa", "aa"}, l.lines("aaaaaaaaaa", l.pdf.GetStringWidth("aaaa")))
	assert.Nil(t, l.lines("  ", w))
}

func TestPrintable(t *testing.T) {
	assert.Equal(t, "√((s²t+s²c)/2) æøå ÆØÅ –", printable("√((s²ₜ+s²꜀)/2) æøå ÆØÅ –"))
	assert.Equal(t, "χ² −1,2", printable("χ² −1,2"))
}
