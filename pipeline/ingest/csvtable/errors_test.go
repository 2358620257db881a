package csvtable

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/ingest/table"
)

// requireTableError asserts that err is a *table.Error at line:col whose
// message contains msg.
func requireTableError(t *testing.T, err error, line, col int, msg string) {
	t.Helper()
	var te *table.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, line, te.Line, "line of %q", te.Error())
	assert.Equal(t, col, te.Column, "column of %q", te.Error())
	assert.Contains(t, te.Error(), msg)
}

func TestRowErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		row       int // index of the bad row
		line, col int
		msg       string
		good      [][]string
	}{
		{
			name: "ragged row",
			in:   "a,b,c,d\n1,2,3,4\n1,2,3\n5,6,7,8\n",
			row:  1, line: 3, col: 1,
			msg:  "wrong number of fields: 3; expected 4 as in the header",
			good: [][]string{{"1", "2", "3", "4"}, {"5", "6", "7", "8"}},
		},
		{
			name: "too many fields",
			in:   "a,b\n1,2,3\n4,5\n",
			row:  0, line: 2, col: 1,
			msg:  "wrong number of fields: 3; expected 2 as in the header",
			good: [][]string{{"4", "5"}},
		},
		{
			name: "ragged row after a quoted line end",
			in:   "a,b\n\"x\ny\"\n1,2\n",
			row:  0, line: 2, col: 1,
			msg:  "wrong number of fields: 1; expected 2",
			good: [][]string{{"1", "2"}},
		},
		{
			name: "bare quote",
			in:   "a,b\n1,2\n1,x\"y\n3,4\n",
			row:  1, line: 3, col: 4,
			msg:  `unexpected " in a field that does not start with a quote`,
			good: [][]string{{"1", "2"}, {"3", "4"}},
		},
		{
			name: "bare quote after a quoted line end",
			in:   "a,b,c\n1,\"x\ny\",z\"\n3,4,5\n",
			row:  0, line: 3, col: 5,
			msg:  `unexpected "`,
			good: [][]string{{"3", "4", "5"}},
		},
		{
			name: "text after a closing quote",
			in:   "a;b\n1;\"x\"y\n3;4\n",
			row:  0, line: 2, col: 5,
			msg:  `unexpected 'y' after the closing quote of a field; expected ';' or the end of the line`,
			good: [][]string{{"3", "4"}},
		},
		{
			name: "unterminated quote at EOF",
			in:   "a,b\n1,2\n3,\"abc\n4,5\n",
			row:  1, line: 3, col: 3,
			msg:  "unterminated quoted field",
			good: [][]string{{"1", "2"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rows, err := readString(t, "x.csv", tt.in, Options{})
			require.NoError(t, err)
			require.Greater(t, len(rows), tt.row)
			requireTableError(t, rows[tt.row].Err, tt.line, tt.col, tt.msg)
			assert.Equal(t, tt.good, fieldsOf(rows))
			checkCSVErrorPosition(t, tt.in, tt.line, tt.col, tt.msg)
		})
	}
}

// checkCSVErrorPosition compares a quote error's position with encoding/csv's.
func checkCSVErrorPosition(t *testing.T, in string, line, col int, msg string) {
	if strings.Contains(msg, "fields") || strings.Contains(msg, "unterminated") {
		return // no such error, or encoding/csv places it at the end of the file
	}
	r := csv.NewReader(strings.NewReader(in))
	r.Comma = rune(in[1]) // the tests' headers are "a" then a separator
	r.FieldsPerRecord = -1
	for {
		_, err := r.Read()
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			assert.Equal(t, [2]int{line, col}, [2]int{pe.Line, pe.Column}, "encoding/csv: %v", pe)
			return
		}
		require.NoError(t, err, "encoding/csv finds no error")
	}
}

func TestHeaderErrors(t *testing.T) {
	tests := []struct {
		name, in  string
		line, col int
		msg       string
	}{
		{"empty file", "", 1, 0, "file is empty; expected a header row"},
		{"BOM only", "\xef\xbb\xbf", 1, 0, "file is empty; expected a header row"},
		{"empty header", "\na,b\n1,2\n", 1, 0, "the header row (line 1) is empty"},
		{"empty CRLF header", "\r\na,b\n", 1, 0, "the header row (line 1) is empty"},
		{"no names", ";;\n1;2;3\n", 1, 0, "the header has no column names"},
		{"blank name", "  \nx\n", 1, 0, "the header has no column names"},
		{"duplicate", "uge,a,b,c,uge\n", 1, 11, `column "uge" appears twice in the header (columns 1 and 5)`},
		{"duplicate after trimming", "x; uge;uge \n", 1, 8, `column "uge" appears twice in the header (columns 2 and 3)`},
		{"bare quote in header", "a,b\"c\n", 1, 4, `unexpected "`},
		{"unterminated header", "a,\"b\n", 1, 3, "unterminated quoted field"},
		{"invalid UTF-8 in header", "a,\xe6\n", 1, 3, "invalid UTF-8 (byte 0xe6)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := Options{}
			if strings.Contains(tt.name, "UTF-8") {
				opt.Encoding = ptr(UTF8)
			}
			_, err := New("x.csv", strings.NewReader(tt.in), opt)
			requireTableError(t, err, tt.line, tt.col, tt.msg)
		})
	}
}

func TestEmptyNamesMayRepeat(t *testing.T) {
	f, rows, err := readString(t, "x.csv", "a;;b;\n1;2;3;4\n", Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "", "b", ""}, f.Columns())
	assert.Equal(t, [][]string{{"1", "2", "3", "4"}}, fieldsOf(rows))
}

func TestInvalidUTF8AfterTheSample(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("navn,by\n")
	for b.Len() < 3*sampleSize {
		b.WriteString("Peter,Aarhus\n")
	}
	lines := 1 + bytes.Count(b.Bytes(), []byte{'\n'})
	b.WriteString("S\xf8ren,\"x\ny\"\nx,\"B\xe6k\"\n")
	for _, workers := range []int{1, 3} {
		withBlockSize(t, 4096)
		f, err := New("x.csv", bytes.NewReader(b.Bytes()), Options{})
		require.NoError(t, err)
		assert.Equal(t, UTF8, f.Dialect().Encoding)
		_, err = collect(f, allCols(f), workers)
		requireTableError(t, err, lines, 2, "invalid UTF-8 (byte 0xf8); the file looks Latin-1: set encoding: latin1 in the spec")
	}
}

func TestGzip(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("person_id;week;hours\n")
	for i := 0; b.Len() < 2<<20; i++ {
		fmt.Fprintf(&b, "P%07d;2016-W%02d;%d,%d\n", i*7919%10000000, i%52+1, i%40, i%10)
	}
	plain := b.Bytes()
	zipped := gz(t, plain)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		return p
	}

	t.Run("whole", func(t *testing.T) {
		f, err := Open(write("x.csv.gz", zipped), Options{})
		require.NoError(t, err)
		defer f.Close()
		assert.Equal(t, "CSV, ';'-separated, decimal comma, UTF-8, gzip", f.Describe())
		rows, err := collect(f, []int{0, 2}, 2)
		require.NoError(t, err)
		assert.Len(t, rows, bytes.Count(plain, []byte{'\n'})-1)
	})
	t.Run("gzip magic without the name", func(t *testing.T) {
		f, err := Open(write("x.csv", zipped), Options{})
		require.NoError(t, err)
		defer f.Close()
		assert.Contains(t, f.Describe(), "gzip")
	})
	t.Run("truncated", func(t *testing.T) {
		f, err := Open(write("half.csv.gz", zipped[:len(zipped)/2]), Options{})
		require.NoError(t, err, "the first 64 KiB are intact")
		defer f.Close()
		_, err = collect(f, []int{0}, 2)
		var te *table.Error
		require.ErrorAs(t, err, &te)
		assert.Contains(t, te.Error(), "the gzip stream is truncated (unexpected EOF)")
		assert.Greater(t, te.Line, 1)
	})
	t.Run("truncated within the sample", func(t *testing.T) {
		_, err := New("x.csv.gz", bytes.NewReader(zipped[:1000]), Options{})
		assert.ErrorContains(t, err, "the gzip stream is truncated (unexpected EOF)")
		_, err = New("x.csv.gz", bytes.NewReader(zipped[:5]), Options{})
		requireTableError(t, err, 0, 0, "the gzip stream is truncated (unexpected EOF)")
	})
	t.Run("not gzip", func(t *testing.T) {
		_, err := Open(write("plain.csv.gz", plain), Options{})
		requireTableError(t, err, 0, 0, "not a gzip file")
		_, err = New("empty.gz", bytes.NewReader(nil), Options{})
		requireTableError(t, err, 0, 0, "not a gzip file")
	})
	t.Run("missing", func(t *testing.T) {
		_, err := Open(filepath.Join(dir, "nope.csv"), Options{})
		requireTableError(t, err, 0, 0, "file not found")
	})
}

func TestPos(t *testing.T) {
	in := "a,b,c\n1,\"x\ny\",3\n\n\"4\",5,6\r\n7,\"8\"\"\",9"
	f, err := New("x.csv", strings.NewReader(in), Options{})
	require.NoError(t, err)
	type pos struct{ Line, Col int }
	var got [][]pos
	var vals [][]string
	require.NoError(t, f.Scan([]int{2, 1, 0}, 1, func(b table.Batch) error {
		for i := range b.Len() {
			var p []pos
			var v []string
			for j := range 3 {
				l, c := b.Pos(i, j)
				p = append(p, pos{l, c})
				v = append(v, string(b.Col(j).Bytes(i)))
				assert.False(t, b.Col(j).Null(i))
				assert.Equal(t, table.Text, b.Col(j).Kind())
			}
			got, vals = append(got, p), append(vals, v)
		}
		return nil
	}))
	assert.Equal(t, [][]pos{
		{{3, 4}, {2, 3}, {2, 1}},
		{{5, 7}, {5, 5}, {5, 1}},
		{{6, 9}, {6, 3}, {6, 1}},
	}, got)
	assert.Equal(t, [][]string{{"3", "x\ny", "1"}, {"6", "5", "4"}, {"9", `8"`, "7"}}, vals)
	assert.Error(t, f.Scan(nil, 1, func(table.Batch) error { return nil }), "Scan may be called once")
	assert.NoError(t, f.Close())
}

func TestScanBadColumn(t *testing.T) {
	f, err := New("x.csv", strings.NewReader("a,b\n1,2\n"), Options{})
	require.NoError(t, err)
	assert.ErrorContains(t, f.Scan([]int{2}, 1, nil), "column index 2 is out of range")
}

func TestReadErrors(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := New("x.csv", iotest.ErrReader(boom), Options{})
	var te *table.Error
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, boom)
	assert.Contains(t, te.Error(), "cannot read the file")

	var b bytes.Buffer
	b.WriteString("a,b\n")
	for b.Len() < 3*sampleSize {
		b.WriteString("1,2\n")
	}
	lines := 1 + bytes.Count(b.Bytes(), []byte{'\n'})
	f, err := New("x.csv", io.MultiReader(&b, iotest.ErrReader(boom)), Options{})
	require.NoError(t, err)
	_, err = collect(f, allCols(f), 2)
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, lines, te.Line)
}

// Invalid UTF-8 is found whether the splitter's pass saw it (text without
// quotes, where it stands for the UTF-8 check) or a record with quotes
// came first in the chunk (where the whole chunk is checked).
func TestInvalidUTF8WhereverItIs(t *testing.T) {
	for _, tt := range []struct{ name, body string }{
		{"plain text", "1,a\n2,b\xe6\n3,c\n"},
		{"after a quoted record", "1,\"a,b\"\n2,b\xe6\n3,c\n"},
		{"inside a quoted field", "1,a\n2,\"b\xe6\"\n3,c\n"},
		{"in the last short block", strings.Repeat("1,a\n", 40) + "2,\xe6\n"},
	} {
		for _, workers := range []int{1, 3} {
			f, err := New("x.csv", strings.NewReader("n,v\n"+tt.body), Options{Encoding: ptr(UTF8)})
			require.NoError(t, err, tt.name)
			_, err = collect(f, allCols(f), workers)
			var te *table.Error
			require.ErrorAs(t, err, &te, tt.name)
			assert.Contains(t, te.Msg, "invalid UTF-8 (byte 0xe6)", tt.name)
		}
	}
}
