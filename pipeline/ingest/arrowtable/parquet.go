package arrowtable

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"rcteval/pipeline/ingest/table"
)

const (
	// batchRows is how many rows a batch has at most: large enough that
	// per-batch costs vanish, small enough that a few batches of a few
	// columns stay within some megabytes.
	batchRows = 64 << 10
	// readBuffer is how much of a column chunk is read from disk at once,
	// rather than the whole chunk, which would tie memory to the writer's
	// row group size.
	readBuffer = 1 << 20
	corruptPQ  = "corrupt Parquet file"
)

var (
	magicParquet   = []byte("PAR1")
	magicEncrypted = []byte("PARE")
)

// parquetTable is an open Parquet file.
type parquetTable struct {
	name   string
	f      *os.File
	rdr    *file.Reader
	fr     *pqarrow.FileReader
	fields []arrow.Field
	cols   []string
}

// OpenParquet opens a Parquet file and reads its footer (the schema and
// row groups); no data is read until Scan.
func OpenParquet(path string) (table.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	t, err := openParquet(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	t.name = filepath.Base(path)
	return t, nil
}

func openParquet(f *os.File) (*parquetTable, error) {
	if err := checkParquetEnds(f); err != nil {
		return nil, err
	}
	t := &parquetTable{f: f}
	mem := allocatorFor(f)
	err := guard(corruptPQ, func() error {
		props := parquet.NewReaderProperties(mem)
		props.BufferedStreamEnabled = true
		props.BufferSize = readBufferFor(f)
		rdr, err := file.NewParquetReader(f, file.WithReadProps(props))
		if err != nil {
			return wrap(err, "%s: its footer cannot be read", corruptPQ)
		}
		t.rdr = rdr
		t.fr, err = pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: batchRows}, mem)
		if err != nil {
			return wrap(err, "%s: its schema cannot be read", corruptPQ)
		}
		sc, err := t.fr.Schema()
		if err != nil {
			return wrap(err, "%s: its schema cannot be read", corruptPQ)
		}
		t.fields = sc.Fields()
		return nil
	})
	if err != nil {
		return nil, err
	}
	t.cols = fieldNames(t.fields)
	return t, nil
}

// readBufferFor is readBuffer, or less for a smaller file: the buffer is
// allocated afresh for every column chunk.
func readBufferFor(f *os.File) int64 {
	st, err := f.Stat()
	if err != nil {
		return readBuffer
	}
	return max(min(readBuffer, st.Size()), 4<<10)
}

// checkParquetEnds looks at both ends of the file before Arrow does, to
// say plainly what is wrong with the common cases: not Parquet at all, or
// cut short (a Parquet file ends with its footer, so a partial copy has
// none).
func checkParquetEnds(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	head := make([]byte, 8)
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	head = head[:n]
	if !bytes.HasPrefix(head, magicParquet) {
		return errorf(0, "not a Parquet file: %s", lookslike(head))
	}
	size := st.Size()
	if size < 12 {
		return errorf(0, "truncated Parquet file: it has only %d bytes", size)
	}
	tail := make([]byte, 4)
	if _, err := f.ReadAt(tail, size-4); err != nil {
		return err
	}
	switch {
	case bytes.Equal(tail, magicEncrypted):
		return errorf(0, "encrypted Parquet files are not supported")
	case !bytes.Equal(tail, magicParquet):
		return errorf(0, "truncated Parquet file: the footer is missing (the file does not end with \"PAR1\"); "+
			"it was probably cut short while being copied or written")
	}
	return nil
}

// lookslike says what a file starting with head seems to be instead.
func lookslike(head []byte) string {
	switch {
	case len(head) == 0:
		return "the file is empty"
	case bytes.HasPrefix(head, magicParquet):
		return "it is a Parquet file"
	case bytes.HasPrefix(head, magicArrow):
		return "it is an Arrow IPC file"
	case bytes.HasPrefix(head, magicStream):
		return "it is an Arrow IPC stream"
	case bytes.HasPrefix(head, magicFeather1):
		return "it is a Feather version 1 file"
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return "it is gzip-compressed"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "it is a zip archive"
	}
	return fmt.Sprintf("it starts with %q", head)
}

func (t *parquetTable) Name() string      { return t.name }
func (t *parquetTable) Columns() []string { return t.cols }
func (t *parquetTable) Positions() string { return "row" }

func (t *parquetTable) Describe() string {
	return fmt.Sprintf("Parquet, %s, %s", plural(t.rdr.NumRowGroups(), "row group"), plural64(t.rdr.NumRows(), "row"))
}

func (t *parquetTable) Close() error { return t.f.Close() }

// Scan reads the requested columns row group by row group; a batch never
// spans two row groups, whose dictionaries differ.
func (t *parquetTable) Scan(cols []int, workers int, fn func(table.Batch) error) error {
	if err := checkColumns(t.fields, cols); err != nil {
		return err
	}
	if len(cols) == 0 {
		return nil
	}
	src, p, err := t.source(cols)
	if err != nil {
		return err
	}
	return scan(&decoder{src: src, plan: p, corrupt: corruptPQ}, workers, fn)
}

// source plans reading cols: pqarrow reads leaf columns, each field once,
// in the order first asked for.
func (t *parquetTable) source(cols []int) (*pqSource, plan, error) {
	p := plan{recCol: make([]int, len(cols)), names: make([]string, len(cols))}
	pos := map[int]int{}
	var leaves []int
	for j, c := range cols {
		k, seen := pos[c]
		if !seen {
			leaf := t.fr.Manifest.Fields[c].ColIndex
			if leaf < 0 {
				return nil, p, errorf(0, "column %q is nested, which cannot be read; expected %s", t.cols[c], expected)
			}
			k = len(leaves)
			pos[c] = k
			leaves = append(leaves, leaf)
		}
		p.recCol[j], p.names[j] = k, t.cols[c]
	}
	return &pqSource{fr: t.fr, leaves: leaves, groups: t.rdr.NumRowGroups()}, p, nil
}

// pqSource reads row group after row group.
type pqSource struct {
	fr     *pqarrow.FileReader
	leaves []int
	group  int // next row group
	groups int
	rr     pqarrow.RecordReader // of the current row group
}

func (s *pqSource) next() (arrow.Record, error) {
	for {
		if s.rr == nil {
			if s.group == s.groups {
				return nil, nil
			}
			rr, err := s.fr.GetRecordReader(context.Background(), s.leaves, []int{s.group})
			if err != nil {
				return nil, wrap(err, "%s: row group %d cannot be read", corruptPQ, s.group+1)
			}
			s.rr = rr
			s.group++
		}
		if s.rr.Next() {
			rec := s.rr.Record()
			rec.Retain()
			return rec, nil
		}
		err := s.rr.Err()
		s.close()
		// pqarrow ends a row group with io.EOF.
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, wrap(err, "%s: row group %d cannot be read", corruptPQ, s.group)
		}
	}
}

func (s *pqSource) close() {
	if s.rr != nil {
		s.rr.Release()
		s.rr = nil
	}
}

func plural(n int, unit string) string { return plural64(int64(n), unit) }

func plural64(n int64, unit string) string {
	switch {
	case n == 1:
		return "1 " + unit
	case strings.HasSuffix(unit, "ch"):
		return fmt.Sprintf("%d %ses", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
