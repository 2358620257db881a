package arrowtable

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"

	"rcteval/pipeline/ingest/table"
)

const (
	// batchRows is how many rows a batch has at most: large enough that
	// per-batch costs vanish, small enough that the batches alive at once
	// (and the reader's parsed batches waiting to be applied) stay within
	// a few megabytes; 8 Ki rows of a weekly file are about 300 KB.
	batchRows = 8 << 10
	// readBuffer is how much of a column chunk is read from disk at once,
	// rather than the whole chunk, which would tie memory to the writer's
	// row group size; a buffer per column read, allocated afresh for each
	// column chunk.
	readBuffer = 64 << 10
	corruptPQ  = "corrupt Parquet file"
)

var (
	magicParquet   = []byte("PAR1")
	magicEncrypted = []byte("PARE")
)

// parquetTable is an open Parquet file. It is read with the Parquet
// library's record readers into buffers of its own, which serve batch
// after batch, as the record readers' buffers do (recyclingAllocator),
// rather than into Arrow records through pqarrow: less is allocated
// afresh, and the program does not link Arrow Flight and gRPC, which
// pqarrow pulls in (10 MB more resident memory at start).
type parquetTable struct {
	done   atomic.Int64 // rows handed to Scan's fn, for Progress
	name   string
	f      *os.File
	rdr    *file.Reader
	mem    memory.Allocator
	fields []pqField // the top-level fields
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
	t := &parquetTable{f: f, mem: allocatorFor(f)}
	err := guard(corruptPQ, func() error {
		props := parquet.NewReaderProperties(t.mem)
		props.BufferedStreamEnabled = true
		props.BufferSize = readBufferFor(f)
		rdr, err := file.NewParquetReader(f, file.WithReadProps(props))
		if err != nil {
			return wrap(err, "%s: its footer cannot be read", corruptPQ)
		}
		t.rdr = rdr
		sc := rdr.MetaData().Schema
		root := sc.Root()
		for i := range root.NumFields() {
			t.fields = append(t.fields, fieldOf(sc, root.Field(i)))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	t.cols = make([]string, len(t.fields))
	for i, f := range t.fields {
		t.cols[i] = f.name
	}
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
// spans two row groups.
func (t *parquetTable) Scan(cols []int, workers int, fn func(table.Batch) error) error {
	fn = countRows(&t.done, fn)
	mem := &recyclingAllocator{Allocator: t.mem}
	src := &pqSource{rdr: t.rdr, mem: mem, groups: t.rdr.NumRowGroups(), at: make([]int, len(cols)),
		pool: &sync.Pool{New: func() any { return memory.NewResizableBuffer(mem) }},
		free: make(chan []pqBuffer, 2*workers+1)}
	pos := map[int]int{} // field → its place in src.fields
	for j, c := range cols {
		if c < 0 || c >= len(t.fields) {
			return errorf(0, "column index %d out of range: the file has %d columns", c, len(t.fields))
		}
		f := t.fields[c]
		if f.conv == pqNone {
			return errorf(0, "column %q has Parquet type %s, which cannot be read; expected %s", f.name, f.desc, expected)
		}
		k, seen := pos[c]
		if !seen {
			k = len(src.fields)
			pos[c] = k
			src.fields = append(src.fields, f)
		}
		src.at[j] = k
	}
	if len(cols) == 0 {
		return nil
	}
	return scan(&decoder{src: src, corrupt: corruptPQ}, workers, fn)
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
