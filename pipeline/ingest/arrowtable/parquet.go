package arrowtable

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/metadata"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"rcteval/pipeline/ingest/table"
)

const (
	// batchRows is how many rows a batch has at most: large enough that
	// per-batch costs vanish, small enough that the batches alive at once
	// stay within a few megabytes (16 Ki rows: 10–15 MB less peak memory
	// than 64 Ki on 100 000 persons × 104 weeks, as fast).
	batchRows = 16 << 10
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
	done   atomic.Int64 // rows handed to Scan's fn, for Progress
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
		if err := checkStoredSchema(rdr.MetaData().KeyValueMetadata()); err != nil {
			return wrap(err, "%s: its Arrow schema cannot be read", corruptPQ)
		}
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

// checkStoredSchema checks the Arrow schema that Arrow writers store in a
// Parquet file's metadata, an IPC schema message that pqarrow would decode
// unchecked (see flatbuf.go), the same way it decodes it.
func checkStoredSchema(kv metadata.KeyValueMetadata) error {
	v := kv.FindValue("ARROW:schema")
	if v == nil {
		return nil
	}
	var (
		raw []byte
		err error
	)
	if len(*v)%4 == 0 {
		raw, err = base64.StdEncoding.DecodeString(*v)
	}
	if len(raw) == 0 || err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(*v); err != nil {
			return err
		}
	}
	meta, _, err := readMessageMeta(bytes.NewReader(raw), 0, int64(len(raw)))
	if err != nil {
		return err
	}
	if meta == nil {
		return errFlatbuf
	}
	kind, _, err := checkMessage(meta, math.MaxInt64)
	if err == nil && kind != msgSchema {
		err = errFlatbuf
	}
	return err
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
	fn = countRows(&t.done, fn)
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

// source plans reading cols: each field once, in the order first asked for.
func (t *parquetTable) source(cols []int) (*pqSource, plan, error) {
	p := plan{recCol: make([]int, len(cols)), names: make([]string, len(cols))}
	pos := map[int]int{}
	src := &pqSource{fr: t.fr, leaves: map[int]bool{}, groups: t.rdr.NumRowGroups()}
	for j, c := range cols {
		k, seen := pos[c]
		if !seen {
			leaf := t.fr.Manifest.Fields[c].ColIndex
			if leaf < 0 {
				return nil, p, errorf(0, "column %q is nested, which cannot be read; expected %s", t.cols[c], expected)
			}
			k = len(src.fields)
			pos[c] = k
			src.fields = append(src.fields, c)
			src.leaves[leaf] = true
		}
		p.recCol[j], p.names[j] = k, t.cols[c]
	}
	return src, p, nil
}

// pqSource reads row group after row group, a batch of each field at a
// time. It drives pqarrow's column readers itself rather than through
// pqarrow's record reader, which starts them on goroutines of its own,
// where a panic on a corrupt file could not be recovered.
type pqSource struct {
	fr      *pqarrow.FileReader
	fields  []int        // top-level fields read
	leaves  map[int]bool // their leaf columns
	group   int          // next row group
	groups  int
	readers []*pqarrow.ColumnReader // of the current row group
	rows    int64                   // read of it so far
	want    int64                   // in it, by the footer
	schema  *arrow.Schema
}

func (s *pqSource) next() (arrow.Record, error) {
	for {
		if s.readers == nil {
			if s.group == s.groups {
				return nil, nil
			}
			if err := s.openGroup(); err != nil {
				return nil, wrap(err, "%s: row group %d cannot be read", corruptPQ, s.group)
			}
		}
		rec, err := s.read()
		if err != nil {
			return nil, wrap(err, "%s: row group %d cannot be read", corruptPQ, s.group)
		}
		if err := s.count(rec); err != nil {
			if rec != nil {
				rec.Release()
			}
			return nil, err
		}
		if rec != nil {
			return rec, nil
		}
		s.close() // the row group is done
	}
}

// count checks the rows of a row group against its footer, rec being its
// next batch or nil at its end: a run-length encoded page in a corrupt
// file can claim billions of values, which would otherwise all be read.
func (s *pqSource) count(rec arrow.Record) error {
	if rec != nil {
		s.rows += rec.NumRows()
	}
	switch {
	case s.rows > s.want:
		return errorf(0, "%s: row group %d holds more rows than the %d its footer says", corruptPQ, s.group, s.want)
	case rec == nil && s.rows != s.want:
		return errorf(0, "%s: row group %d holds %d rows where its footer says %d", corruptPQ, s.group, s.rows, s.want)
	}
	return nil
}

// openGroup opens a column reader per field on the next row group.
func (s *pqSource) openGroup() error {
	ctx := context.Background()
	s.readers = make([]*pqarrow.ColumnReader, 0, len(s.fields))
	g := s.group
	s.group++
	s.rows, s.want = 0, s.fr.ParquetReader().MetaData().RowGroup(g).NumRows()
	for _, f := range s.fields {
		r, err := s.fr.GetFieldReader(ctx, f, s.leaves, []int{g})
		if err == nil && r == nil {
			err = errors.New("no reader for a column")
		}
		if err != nil {
			return err
		}
		s.readers = append(s.readers, r)
	}
	if s.schema == nil {
		fields := make([]arrow.Field, len(s.readers))
		for i, r := range s.readers {
			fields[i] = *r.Field()
		}
		s.schema = arrow.NewSchema(fields, nil)
	}
	return nil
}

// read returns the next batch of the row group as a record, or nil at its
// end.
func (s *pqSource) read() (arrow.Record, error) {
	cols := make([]arrow.Array, len(s.readers))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, r := range s.readers {
		var err error
		if cols[i], err = nextArray(r); err != nil {
			return nil, err
		}
		if length(cols[i]) != length(cols[0]) {
			return nil, errors.New("its columns differ in length")
		}
	}
	if length(cols[0]) == 0 {
		return nil, nil
	}
	return array.NewRecord(s.schema, cols, int64(cols[0].Len())), nil
}

// length is the length of a, 0 for none.
func length(a arrow.Array) int {
	if a == nil {
		return 0
	}
	return a.Len()
}

// nextArray reads the next batch of a column as one array, or nil at the
// end of the row group. Reading row group by row group, it is one chunk;
// several would mean a dictionary changing within the group, which Arrow
// can concatenate.
func nextArray(r *pqarrow.ColumnReader) (arrow.Array, error) {
	ch, err := r.NextBatch(batchRows)
	if err != nil {
		return nil, err
	}
	defer ch.Release()
	switch {
	case ch.Len() == 0:
		return nil, nil
	case len(ch.Chunks()) == 1:
		a := ch.Chunk(0)
		a.Retain()
		return a, nil
	}
	return array.Concatenate(ch.Chunks(), memory.DefaultAllocator)
}

func (s *pqSource) close() {
	for _, r := range s.readers {
		r.Release()
	}
	s.readers = nil
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

// Progress returns the rows scanned and the rows of the file.
func (t *parquetTable) Progress() (done, total int64) { return t.done.Load(), t.rdr.NumRows() }

// RowsHint is the file's rows, from its metadata.
func (t *parquetTable) RowsHint(table.Batch) int { return int(t.rdr.NumRows()) }
