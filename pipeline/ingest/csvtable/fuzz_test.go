package csvtable

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/ingest/table"
)

// fuzzSeeds are inputs worth starting from: quoting, line ends, blank lines.
var fuzzSeeds = []string{
	"a,b\n1,2\n",
	"a;b\r\n\"x;\"\"y\"\"\r\nz\";2\r\n\r\n3;4",
	"\"a\n\",b\n\n\"\",\"\"\"\"\n1,\"2\"\r",
	"a,\"b\nc\"\"\",d\r\r\n\r\n,,\n\"x\"y,z\n1,2\"3\n",
	"x\n\"\n",
	"\xef\xbb\xbfa,b\n\xe6,\xf8\n",
	"\r",
	"a\tb\n\"1\t2\"\t3\n",
	"\"P000123\",\"2016-W10\",7.5,\"praktik\"\r\n\"P1\",\"\",\"x\"\"y\",\"a\nb\"\n\"z\"",
}

// FuzzSplit checks that, for input encoding/csv reads without error, the
// reader yields the same records (with ',' and with ';' as separator), at
// the same positions, whatever the block size and number of workers.
func FuzzSplit(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, sep := range []byte{',', ';'} {
			compareWithCSV(t, data, sep)
		}
	})
}

// csvRecord is a record as encoding/csv reads it, with its field positions.
type csvRecord struct {
	fields []string
	pos    [][2]int
}

// readCSV reads data with encoding/csv; ok is false if it finds an error.
func readCSV(data []byte, sep byte) (recs []csvRecord, ok bool) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = rune(sep)
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return recs, true
		}
		if err != nil {
			return nil, false
		}
		c := csvRecord{fields: rec}
		for k := range rec {
			l, col := r.FieldPos(k)
			c.pos = append(c.pos, [2]int{l, col})
		}
		recs = append(recs, c)
	}
}

// compareWithCSV reads data after a header as wide as its first record. It
// reports whether encoding/csv could read data, so that there was something
// to compare.
func compareWithCSV(t *testing.T, data []byte, sep byte) bool {
	recs, ok := readCSV(data, sep)
	width := 1
	if ok && len(recs) > 0 {
		width = len(recs[0].fields)
	}
	names := make([]string, width)
	for i := range names {
		names[i] = fmt.Sprint("c", i)
	}
	in := append([]byte(strings.Join(names, string(sep))+"\n"), data...)
	opt := Options{Sep: sep, Encoding: ptr(UTF8), DecimalComma: ptr(false)}
	var runs [][]scanned
	for _, cfg := range []struct{ block, workers int }{{4096, 1}, {3, 1}, {5, 3}} {
		rows, err := scanForFuzz(in, opt, cfg.block, cfg.workers, nil)
		if !utf8.Valid(data) {
			var te *table.Error
			require.ErrorAs(t, err, &te, "invalid UTF-8 must be reported")
			assert.Contains(t, te.Msg, "invalid UTF-8")
			return false
		}
		require.NoError(t, err)
		runs = append(runs, rows)
	}
	for _, r := range runs[1:] {
		require.Equal(t, runs[0], r, "block size and workers change the rows")
	}
	first, err := scanForFuzz(in, opt, 4096, 1, []int{0})
	require.NoError(t, err)
	require.Len(t, first, len(runs[0]))
	for i, r := range runs[0] {
		require.Equal(t, r.err, first[i].err, "row %d of %q read for its first column", i, in)
		if r.err == nil {
			require.Equal(t, r.fields[0], first[i].fields[0], "row %d of %q read for its first column", i, in)
		}
	}
	if !ok {
		return false
	}
	rows := runs[0]
	require.Len(t, rows, len(recs), "records of %q", in)
	for i, rec := range recs {
		got := rows[i]
		if len(rec.fields) != width {
			require.NotNil(t, got.err, "record %d of %q", i, in)
			assert.Contains(t, got.err.Msg, "wrong number of fields")
			assert.Equal(t, rec.pos[0][0]+1, got.err.Line)
			continue
		}
		require.Nil(t, got.err, "record %d of %q", i, in)
		assert.Equal(t, rec.fields, got.fields, "record %d of %q", i, in)
		for k, p := range rec.pos {
			assert.Equal(t, [2]int{p[0] + 1, p[1]}, got.pos[k], "position of field %d of record %d of %q", k, i, in)
		}
	}
	return true
}

// scanned is a row as the fuzz test compares it.
type scanned struct {
	fields []string
	pos    [][2]int
	err    *table.Error
}

// scanForFuzz reads the columns of in (all if cols is nil) with the given
// block size and workers.
func scanForFuzz(in []byte, opt Options, block, workers int, cols []int) ([]scanned, error) {
	f, err := New("fuzz.csv", bytes.NewReader(in), opt)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	f.blockSize = block
	if cols == nil {
		cols = allCols(f)
	}
	var mu sync.Mutex
	batches := map[int][]scanned{}
	err = f.Scan(cols, workers, func(b table.Batch) error {
		rows := make([]scanned, b.Len())
		for i := range rows {
			r := &rows[i]
			if r.err = b.RowErr(i); r.err != nil {
				continue
			}
			for j := range cols {
				r.fields = append(r.fields, string(b.Col(j).Bytes(i)))
				l, c := b.Pos(i, j)
				r.pos = append(r.pos, [2]int{l, c})
			}
		}
		mu.Lock()
		defer mu.Unlock()
		batches[b.Seq()] = rows
		return nil
	})
	var out []scanned
	for s := 0; s < len(batches); s++ {
		out = append(out, batches[s]...)
	}
	return out, err
}

// FuzzDetect checks that detection and reading never panic, whatever the
// input, and that what New reports is a *table.Error.
func FuzzDetect(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), false)
	}
	f.Add([]byte("a;b,c\n1;2,3\n"), false)
	f.Add(gz(f, []byte("a;b\n1,5;2\n")), true)
	f.Fuzz(func(t *testing.T, data []byte, zipped bool) {
		for _, eof := range []bool{true, false} {
			if _, err := detect(data, eof, Options{}); err != nil {
				var te *table.Error
				require.True(t, errors.As(err, &te))
			}
		}
		name := "fuzz.csv"
		if zipped {
			name += ".gz"
		}
		file, err := New(name, bytes.NewReader(data), Options{})
		if err != nil {
			var te *table.Error
			require.True(t, errors.As(err, &te), "%v", err)
			return
		}
		defer file.Close()
		file.blockSize = 7
		_, _ = scanForFuzz(data, Options{}, 7, 2, nil)
		_, _ = collect(file, allCols(file), 1)
	})
}
