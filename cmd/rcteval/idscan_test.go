package main

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"rcteval/pipeline"
	"rcteval/reports"
)

// No person id, date of birth or raw row in any output: every command that
// writes files runs on a trial whose ids are CPR-like numbers, with a
// pseudonym and a birth-date column beside them, and every file it writes,
// in whatever format, is scanned for them.

// secrets are what must never appear in an output: exact strings and id
// shapes.
type secrets struct {
	exact  []string
	shapes []idShape
}

// found lists the secrets in text. Exact secrets (all at least 4 bytes
// long) are sifted by a hash of their first 4 bytes, so that a position
// costs one table load unless a secret may start there; the shapes are
// found from their fixed byte.
func (s secrets) found(text []byte) []string {
	var sieve [1 << 16]bool
	byLen := map[int]map[string]bool{}
	for _, e := range s.exact {
		if len(e) < 4 {
			panic("secrets: an exact secret shorter than 4 bytes: " + e)
		}
		sieve[hash4([]byte(e))] = true
		if byLen[len(e)] == nil {
			byLen[len(e)] = map[string]bool{}
		}
		byLen[len(e)][e] = true
	}
	var out []string
	for i := 0; i+4 <= len(text); i++ {
		if !sieve[hash4(text[i:])] {
			continue
		}
		for n, set := range byLen {
			if i+n <= len(text) && set[string(text[i:i+n])] {
				out = append(out, string(text[i:i+n]))
			}
		}
	}
	for _, p := range s.shapes {
		if m := p.find(text); m != nil {
			out = append(out, string(m))
		}
	}
	return out
}

func hash4(b []byte) uint16 { return uint16(binary.LittleEndian.Uint32(b) * 2654435761 >> 16) }

// An idShape is an id of a known form: a fixed byte, with before digits
// before it and after digits after it, as a whole word (the regular
// expression \b\d{before}<sep>\d{after}\b, or \b<sep>\d{after}\b when
// before is 0).
type idShape struct {
	before int
	sep    byte
	after  int
}

// cprShape matches a CPR-like number, ddmmyy-nnnn; simShape the simulated
// trial's ids, P and six digits.
var (
	cprShape = idShape{before: 6, sep: '-', after: 4}
	simShape = idShape{sep: 'P', after: 6}
)

// find returns the first id of the shape in text, or nil.
func (p idShape) find(text []byte) []byte {
	word := func(i int) bool { // whether text[i] is a word character; false outside text
		if i < 0 || i >= len(text) {
			return false
		}
		c := text[i]
		return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	}
	digits := func(from, n int) bool {
		for j := from; j < from+n; j++ {
			if j < 0 || j >= len(text) || text[j] < '0' || text[j] > '9' {
				return false
			}
		}
		return true
	}
	for off := 0; ; {
		k := bytes.IndexByte(text[off:], p.sep)
		if k < 0 {
			return nil
		}
		i := off + k
		start, end := i-p.before, i+1+p.after
		if digits(start, p.before) && digits(i+1, p.after) && !word(start-1) && !word(end) {
			return text[start:end]
		}
		off = i + 1
	}
}

// The id shapes find what their regular expressions find.
func TestIDShapesAreTheirRegexps(t *testing.T) {
	shapes := map[string]idShape{`\b\d{6}-\d{4}\b`: cprShape, `\bP\d{6}\b`: simShape}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789-P_aZ .\xe6"
	digits := func(b []byte, n int) []byte {
		for range n {
			b = append(b, byte('0'+rng.IntN(10)))
		}
		return b
	}
	for expr, shape := range shapes {
		re := regexp.MustCompile(expr)
		matched := 0
		for range 50000 {
			var text []byte // ids of nearly the right shape between random bytes
			for range rng.IntN(5) {
				switch rng.IntN(3) {
				case 0:
					text = append(text, alphabet[rng.IntN(len(alphabet))])
				case 1:
					text = digits(append(text, 'P'), 5+rng.IntN(3))
				case 2:
					text = digits(append(digits(text, 5+rng.IntN(3)), '-'), 3+rng.IntN(3))
				}
			}
			want := re.Find(text)
			assert.Equal(t, want, shape.find(text), "%s in %q", expr, text)
			if want != nil {
				matched++
			}
		}
		assert.Greater(t, matched, 100, "%s: too few texts hold an id to tell", expr)
	}
}

// leaks scans one output file for secrets, by its format: .xlsx and other
// zip files entry by entry; .pdf raw and with every Flate stream inflated,
// its strings decoded; .parquet read back; .png's text chunks (not its
// image data); anything else as it is.
func leaks(path string, s secrets) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var texts [][]byte
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".zip", ".docx", ".ods":
		texts, err = zipTexts(b)
	case ".pdf":
		texts = pdfTexts(b)
	case ".parquet":
		texts, err = parquetTexts(b)
		texts = append(texts, b) // uncompressed pages, metadata
	case ".png":
		texts, err = pngTexts(b)
	default:
		texts = [][]byte{b}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []string
	for _, t := range texts {
		out = append(out, s.found(t)...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func zipTexts(b []byte) ([][]byte, error) {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, []byte(f.Name), data)
	}
	return out, nil
}

var pdfStream = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\n?endstream`)

// pdfTexts is the raw PDF and every stream, inflated when it is
// Flate-compressed, each also as the concatenation of its decoded string
// operands (literal and hex, split across TJ arrays) with and without NUL
// bytes (UTF-16BE text, as fpdf writes with UTF-8 fonts).
func pdfTexts(b []byte) [][]byte {
	out := [][]byte{b}
	for _, m := range pdfStream.FindAllSubmatch(b, -1) {
		data := m[1]
		if r, err := zlib.NewReader(bytes.NewReader(data)); err == nil {
			if inflated, err := io.ReadAll(r); err == nil || len(inflated) > 0 {
				data = inflated
			}
		}
		strs := pdfStrings(data)
		out = append(out, data, strs, bytes.ReplaceAll(strs, []byte{0}, nil))
	}
	return out
}

// pdfStrings concatenates the string operands of a content stream:
// (literal) strings with their escapes undone and <hex> strings decoded.
func pdfStrings(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '(':
			depth := 1
			for i++; i < len(b) && depth > 0; i++ {
				c := b[i]
				switch c {
				case '\\':
					if i+1 < len(b) {
						i++
						switch e := b[i]; e {
						case 'n':
							out = append(out, '\n')
						case 'r':
							out = append(out, '\r')
						case 't':
							out = append(out, '\t')
						default:
							if e >= '0' && e <= '7' { // octal, up to three digits
								v := 0
								for j := 0; j < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7'; j++ {
									v = v*8 + int(b[i]-'0')
									i++
								}
								i--
								out = append(out, byte(v))
							} else {
								out = append(out, e)
							}
						}
					}
					continue
				case '(':
					depth++
				case ')':
					depth--
					if depth == 0 {
						i--
						continue
					}
				}
				out = append(out, c)
			}
		case '<':
			if i+1 < len(b) && b[i+1] == '<' {
				i++
				continue
			}
			end := bytes.IndexByte(b[i:], '>')
			if end < 0 {
				continue
			}
			digits := bytes.Map(func(r rune) rune {
				if strings.ContainsRune("0123456789abcdefABCDEF", r) {
					return r
				}
				return -1
			}, b[i+1:i+end])
			if len(digits)%2 == 1 {
				digits = append(digits, '0')
			}
			if d, err := hex.DecodeString(string(digits)); err == nil {
				out = append(out, d...)
			}
			i += end
		}
	}
	return out
}

// parquetTexts reads every column of a Parquet file back and writes its
// values out as text, with the schema and key-value metadata.
func parquetTexts(b []byte) ([][]byte, error) {
	rdr, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer rdr.Close()
	var meta bytes.Buffer
	for _, kv := range rdr.MetaData().KeyValueMetadata() {
		fmt.Fprintf(&meta, "%s=%s\n", kv.Key, kv.GetValue())
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, err
	}
	table, err := fr.ReadTable(context.Background())
	if err != nil {
		return nil, err
	}
	defer table.Release()
	fmt.Fprintln(&meta, table.Schema())
	out := [][]byte{meta.Bytes()}
	for i := range int(table.NumCols()) {
		var col bytes.Buffer
		for _, chunk := range table.Column(i).Data().Chunks() {
			for j := range chunk.Len() {
				fmt.Fprintln(&col, chunk.ValueStr(j))
			}
		}
		out = append(out, col.Bytes())
	}
	return out, nil
}

// pngTexts are a PNG's text chunks (tEXt as is, zTXt and iTXt inflated
// when compressed); the image data is not text.
func pngTexts(b []byte) ([][]byte, error) {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(b, []byte(sig)) {
		return nil, fmt.Errorf("not a PNG")
	}
	var out [][]byte
	for p := len(sig); p+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[p:]))
		kind := string(b[p+4 : p+8])
		if p+12+n > len(b) {
			return nil, fmt.Errorf("truncated %s chunk", kind)
		}
		data := b[p+8 : p+8+n]
		switch kind {
		case "tEXt":
			out = append(out, data)
		case "zTXt", "iTXt":
			out = append(out, data)
			if k := bytes.IndexByte(data, 0); k >= 0 {
				rest := data[k+1:]
				if kind == "iTXt" && len(rest) >= 2 && rest[0] == 1 { // compressed
					rest = rest[2:]
					for range 2 { // language tag, translated keyword
						if z := bytes.IndexByte(rest, 0); z >= 0 {
							rest = rest[z+1:]
						}
					}
				} else if kind == "zTXt" && len(rest) >= 1 {
					rest = rest[1:]
				} else {
					rest = nil
				}
				if r, err := zlib.NewReader(bytes.NewReader(rest)); err == nil {
					if t, err := io.ReadAll(r); err == nil {
						out = append(out, t)
					}
				}
			}
		}
		p += 12 + n
	}
	return out, nil
}

// scanDir scans every file under dir.
func scanDir(t *testing.T, dir string, s secrets) {
	t.Helper()
	files := 0
	require.NoError(t, filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		files++
		found, err := leaks(path, s)
		require.NoError(t, err)
		assert.Empty(t, found, "%s holds a person id or birth date", path)
		return nil
	}))
	assert.Positive(t, files, "%s: nothing written to scan", dir)
}

// idTrial writes a trial of 80 persons with CPR-like ids, a pseudonym and
// a birth-date column, followed up to 20 weeks, with one duplicate weekly
// row (rejected), and returns the paths and the secrets.
func idTrial(t *testing.T, dir string) (assignment, weeks string, s secrets) {
	var a, w strings.Builder
	a.WriteString("person_id,arm,randomised_on,stratum,birth_date,pseudonym,sex\n")
	w.WriteString("person_id,week,hours,status\n")
	for i := range 80 {
		day, month, year := 1+i%28, 1+i%12, 1960+i%35
		id := fmt.Sprintf("%02d%02d%02d-%04d", day, month, year%100, 1234+i)
		birth := fmt.Sprintf("%04d-%02d-%02d", year, month, day)
		pseudonym := fmt.Sprintf("PERSONID%04d", i+1)
		arm := []string{"treatment", "control"}[i%2]
		start := 10 + i%6 // randomised over six weeks of 2016
		fmt.Fprintf(&a, "%s,%s,%s,%s,%s,%s,%s\n", id, arm, isoMonday(2016, start), []string{"north", "south"}[i%3%2], birth, pseudonym, []string{"f", "m"}[i%5%2])
		for k := start; k <= 30; k++ {
			hours := float64((i*7+k*3)%40) * float64((i+k)%3%2)
			status := []string{"", "praktik", "benefit", "wage_subsidy"}[(i+k)%4]
			fmt.Fprintf(&w, "%s,2016-W%02d,%g,%s\n", id, k, hours, status)
		}
		if i == 3 {
			fmt.Fprintf(&w, "%s,2016-W%02d,1,\n", id, start) // a duplicate: rejected with its week, never its id
		}
		s.exact = append(s.exact, id, strings.ReplaceAll(id, "-", ""), pseudonym, birth, fmt.Sprintf("%02d-%02d-%04d", day, month, year))
	}
	s.shapes = []idShape{cprShape, simShape}
	assignment, weeks = writeTrial(t, dir, a.String(), w.String())
	return assignment, weeks, s
}

func isoMonday(year, week int) string {
	return pipeline.ISOWeek{Year: year, Week: week}.Monday().Format("2006-01-02")
}

// scannedCommands are the commands that write files, each run by the id
// scan; exempt those that write none from a trial's data (simulate writes
// the simulated inputs themselves, ids and all; power and version write
// nothing).
var (
	scannedCommands = []string{"effects", "balance", "report", "validate", "demo", "chart", "serve"}
	exemptCommands  = []string{"simulate", "power", "version", "help", "completion"}
)

// A command added later (chart, say) must be scanned too: add it to
// TestNoIDsInOutputs and to scannedCommands.
func TestIDScanCoversEveryCommand(t *testing.T) {
	for _, c := range newRootCmd(io.Discard, io.Discard).Commands() {
		name := c.Name()
		assert.True(t, slices.Contains(scannedCommands, name) || slices.Contains(exemptCommands, name),
			"command %q is not in the id scan (idscan_test.go)", name)
	}
}

func TestNoIDsInOutputs(t *testing.T) {
	t.Parallel() // long: runs beside the other long tests
	dir := t.TempDir()
	a, w, s := idTrial(t, dir)
	inputs := []string{"--assignment", a, "--weeks", w, "--ri-draws", "20"}
	runs := map[string][]string{
		"effects":      append([]string{"effects"}, inputs...),
		"effects-off":  append([]string{"effects", "--min-cell", "0"}, inputs...), // nothing suppressed: the harshest case
		"balance":      append([]string{"balance", "--min-cell", "0"}, inputs[:4]...),
		"report-en":    append([]string{"report", "--min-cell", "0"}, inputs...),
		"report-da":    append([]string{"report", "--lang", "da", "--figures", "none"}, inputs...), // report-en scans every figure format
		"validate":     append([]string{"validate"}, inputs[:4]...),
		"balance-cell": append([]string{"balance"}, inputs[:4]...),
	}
	covered := map[string]bool{"demo": true} // below
	for name, args := range runs {
		out := filepath.Join(dir, "out-"+name)
		log, err := run(t, append(args, "--out", out)...)
		require.NoError(t, err, "%s: %s", name, log)
		assert.Empty(t, s.found([]byte(log)), "%s: the log holds a person id", name)
		scanDir(t, out, s)
		covered[args[0]] = true
	}
	// Every chart, in both languages, as SVG and PDF, without suppression.
	charts := filepath.Join(dir, "charts")
	for i, c := range reports.Charts() {
		format, lang := []string{"svg", "pdf"}[i%2], []string{"en", "da"}[i/2%2]
		args := append([]string{"chart", c.Name, "--min-cell", "0", "--lang", lang, "--format", format,
			"--out", filepath.Join(charts, c.Name+"."+format)}, inputs...)
		if c.TakesOutcome {
			args = append(args, "--outcome", map[bool]string{true: "sustained13", false: "employed"}[c.Name == "km"])
		}
		log, err := run(t, args...)
		require.NoError(t, err, "%s: %s", c.Name, log)
		assert.Empty(t, s.found([]byte(log)), "chart %s: the log holds a person id", c.Name)
	}
	scanDir(t, charts, s)
	covered["chart"] = true
	// The chart page over the undisclosed report (--min-cell 0): its
	// briefs, every chart and every table behind one.
	undisclosed := filepath.Join(dir, "out-report-en")
	err := runServe(context.Background(), &serveOptions{Results: []string{undisclosed}, Addr: "127.0.0.1:0"}, io.Discard, io.Discard)
	require.ErrorContains(t, err, "without disclosure control (--min-cell 0): the page serves disclosed results only")
	url := startServe(t, &serveOptions{AllowUndisclosed: true}, undisclosed)
	get := func(path string) []byte {
		res, err := http.Get(url + path)
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.StatusCode, "%s: %s", path, b)
		return b
	}
	for _, lang := range []string{"en", "da"} {
		assert.Empty(t, s.found(get("api/sets?lang="+lang)), "the page's briefs hold a person id")
		for _, c := range reports.Charts() {
			q := "chart=" + c.Name + "&lang=" + lang
			if c.TakesOutcome {
				q += "&outcome=" + map[bool]string{true: "sustained13", false: "employed"}[c.Name == "km"]
			}
			assert.Empty(t, s.found(get("api/chart?format=svg&"+q)), "served chart %s holds a person id", c.Name)
			assert.Empty(t, s.found(get("api/table?format=tsv&"+q)), "the table behind %s holds a person id", c.Name)
		}
	}
	covered["serve"] = true
	for _, c := range scannedCommands {
		assert.True(t, covered[c], "command %s is listed as scanned but not run", c)
	}
	// The demo's own simulated ids (P000001 …) never reach its outputs.
	if testing.Short() {
		return
	}
	out := filepath.Join(dir, "demo")
	log, err := run(t, "demo", "--out", out, "--quiet", "--ri-draws", "0", "--figures", "none") // the figures are scanned above
	require.NoError(t, err, log)
	scanDir(t, out, secrets{shapes: []idShape{simShape, cprShape}})
}

// The scanner finds an id planted in each format, so that a clean scan
// means something.
func TestScannerFindsPlantedIDs(t *testing.T) {
	const id = "010190-1234"
	s := secrets{exact: []string{id}}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o644))
		return p
	}
	files := map[string]string{}
	files["csv"] = write("t.csv", []byte("a,b\n1,"+id+"\n"))

	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	f, err := zw.Create("xl/sharedStrings.xml")
	require.NoError(t, err)
	fmt.Fprintf(f, `<sst><si><t>%s</t></si></sst>`, id)
	require.NoError(t, zw.Close())
	files["xlsx"] = write("t.xlsx", z.Bytes())

	fig := reports.Figure{Name: "t", Width: 3 * vg.Inch, Height: 2 * vg.Inch, Draw: func(c draw.Canvas) {
		fnt := font.DefaultCache.Lookup(font.Font{Typeface: "Liberation", Variant: "Sans"}, 10)
		c.FillString(fnt, vg.Point{X: 10, Y: 10}, "person "+id)
	}}
	pdf, err := fig.Encode("pdf")
	require.NoError(t, err)
	require.NotContains(t, string(pdf), id, "the planted id should sit in a compressed stream")
	files["pdf"] = write("t.pdf", pdf)
	files["pdf-utf16"] = write("t16.pdf", plantedUTF16PDF(id))

	files["parquet"] = write("t.parquet", plantedParquet(t, id))

	files["png"] = write("t.png", plantedPNG(t, id))

	for format, path := range files {
		found, err := leaks(path, s)
		require.NoError(t, err, format)
		assert.Equal(t, []string{id}, found, "%s: the planted id is not found", format)
	}
	// And clean files are clean: the PNG's pixels are not read as text.
	found, err := leaks(write("clean.png", plantedPNG(t, "")), secrets{shapes: []idShape{cprShape}})
	require.NoError(t, err)
	assert.Empty(t, found)
}

// plantedUTF16PDF is a PDF whose page draws text as fpdf does with a UTF-8
// font: UTF-16BE in a compressed stream, split across a TJ array.
func plantedUTF16PDF(text string) []byte {
	var u []byte
	for _, r := range text {
		u = append(u, byte(r>>8), byte(r))
	}
	half := len(u) / 2 &^ 1
	content := fmt.Sprintf("BT /F1 12 Tf 10 10 Td [(%s) -20 <%X>] TJ ET", escapePDF(u[:half]), u[half:])
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(content))
	zw.Close()
	return []byte(fmt.Sprintf("%%PDF-1.4\n1 0 obj << /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj\n%%%%EOF\n", z.Len(), z.Bytes()))
}

func escapePDF(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		if c == '(' || c == ')' || c == '\\' {
			s.WriteByte('\\')
		}
		s.WriteByte(c)
	}
	return s.String()
}

// plantedParquet is a compressed Parquet file with text in a column and no
// statistics (which would hold it uncompressed, as the column's max).
func plantedParquet(t *testing.T, text string) []byte {
	schema := arrow.NewSchema([]arrow.Field{{Name: "person", Type: arrow.BinaryTypes.String}, {Name: "x", Type: arrow.PrimitiveTypes.Float64}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range 2000 { // enough for the codec's entropy coding to hide the text
		v := fmt.Sprintf("row %d of the table", i*i%977)
		if i == 1000 {
			v = text
		}
		b.Field(0).(*array.StringBuilder).Append(v)
		b.Field(1).(*array.Float64Builder).Append(float64(i))
	}
	rec := b.NewRecord()
	defer rec.Release()
	var out bytes.Buffer
	w, err := pqarrow.NewFileWriter(schema, &out, parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Gzip), parquet.WithStats(false), parquet.WithDictionaryDefault(false)), pqarrow.DefaultWriterProps())
	require.NoError(t, err)
	require.NoError(t, w.Write(rec))
	require.NoError(t, w.Close())
	if text != "" {
		require.NotContains(t, out.String(), text, "the planted text should sit in compressed pages only")
	}
	return out.Bytes()
}

// plantedPNG is a small PNG with text in a compressed iTXt chunk (none when
// text is empty).
func plantedPNG(t *testing.T, text string) []byte {
	img := image.NewGray(image.Rect(0, 0, 40, 40))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	if text == "" {
		return b.Bytes()
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(text))
	zw.Close()
	data := append([]byte("Comment\x00\x01\x00en\x00\x00"), z.Bytes()...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	chunk = append(chunk, "iTXt"...)
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(append([]byte("iTXt"), data...)))
	png := b.Bytes()
	return slices.Concat(png[:33], chunk, png[33:]) // after the signature and IHDR
}
