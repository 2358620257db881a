package csvtable

import (
	"bytes"
	"compress/gzip"
	"slices"
	"strings"
	"sync"
	"testing"

	"rcteval/pipeline/ingest/table"
)

// row is a delivered row as tests compare it.
type row struct {
	Line   int
	Fields []string
	Err    *table.Error
}

// ptr returns a pointer to v, for Options.
func ptr[T any](v T) *T { return &v }

// allCols is every column index of f.
func allCols(f *File) []int {
	cols := make([]int, len(f.Columns()))
	for i := range cols {
		cols[i] = i
	}
	return cols
}

// collect scans the columns of f with the given workers and returns the
// rows in file order.
func collect(f *File, cols []int, workers int) ([]row, error) {
	var mu sync.Mutex
	bySeq := map[int][]row{}
	err := f.Scan(cols, workers, func(b table.Batch) error {
		rows := make([]row, b.Len())
		for i := range rows {
			line, _ := b.Pos(i, 0)
			if len(cols) == 0 {
				line = 0
			}
			rows[i].Line = line
			if rows[i].Err = b.RowErr(i); rows[i].Err != nil {
				continue
			}
			for j := range cols {
				rows[i].Fields = append(rows[i].Fields, string(b.Col(j).Bytes(i)))
			}
		}
		mu.Lock()
		defer mu.Unlock()
		bySeq[b.Seq()] = rows
		return nil
	})
	var out []row
	seqs := make([]int, 0, len(bySeq))
	for s := range bySeq {
		seqs = append(seqs, s)
	}
	slices.Sort(seqs)
	for i, s := range seqs {
		if err == nil && i != s {
			panic("batch sequence numbers are not consecutive")
		}
		out = append(out, bySeq[s]...)
	}
	return out, err
}

// readString opens text as a file named name and reads all its columns
// with one worker.
func readString(t testing.TB, name, text string, opt Options) (*File, []row, error) {
	t.Helper()
	f, err := New(name, strings.NewReader(text), opt)
	if err != nil {
		return nil, nil, err
	}
	rows, err := collect(f, allCols(f), 1)
	return f, rows, err
}

// withBlockSize sets the block size for the rest of the test.
func withBlockSize(t testing.TB, n int) {
	old := blockSize
	blockSize = n
	t.Cleanup(func() { blockSize = old })
}

// fieldsOf is the fields of rows without errors.
func fieldsOf(rows []row) [][]string {
	var out [][]string
	for _, r := range rows {
		if r.Err == nil {
			out = append(out, r.Fields)
		}
	}
	return out
}

// gz compresses b.
func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, err := w.Write(b)
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
