package arrowtable

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/ipc"

	"rcteval/pipeline/ingest/table"
)

const (
	corruptFile   = "corrupt Arrow IPC file"
	corruptStream = "corrupt Arrow IPC stream"
)

var (
	magicArrow    = []byte("ARROW1")
	magicStream   = []byte{0xff, 0xff, 0xff, 0xff} // the continuation marker every message starts with
	magicFeather1 = []byte("FEA1")
)

// arrowTable is an open Arrow IPC file or stream: exactly one of fr and sr
// is set.
type arrowTable struct {
	done   atomic.Int64 // rows handed to Scan's fn, for Progress
	name   string
	f      *os.File
	fr     *ipc.FileReader
	sr     *ipc.Reader
	fields []arrow.Field
	cols   []string
}

// OpenArrow opens an Arrow IPC file (.arrow, .feather v2) or stream
// (.arrows), whichever the first bytes say it is, and reads its schema.
func OpenArrow(path string) (table.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	t, err := openArrow(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	t.name = filepath.Base(path)
	t.cols = fieldNames(t.fields)
	return t, nil
}

func openArrow(f *os.File) (*arrowTable, error) {
	head := make([]byte, 8)
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, magicArrow):
		return openIPCFile(f)
	case bytes.HasPrefix(head, magicStream):
		return openIPCStream(f)
	case bytes.HasPrefix(head, magicFeather1):
		return nil, errorf(0, "Feather version 1 files are not supported; save it again as Feather version 2 (Arrow IPC)")
	}
	return nil, errorf(0, "not an Arrow IPC file: %s", lookslike(head))
}

func openIPCFile(f *os.File) (*arrowTable, error) {
	size, err := checkArrowEnd(f)
	if err != nil {
		return nil, err
	}
	if err := checkIPCFile(f, size); err != nil {
		return nil, err
	}
	t := &arrowTable{f: f}
	err = guard(corruptFile, func() error {
		var err error
		t.fr, err = ipc.NewFileReader(f, ipc.WithAllocator(allocatorFor(f)))
		if err != nil {
			return wrap(err, "%s: its footer cannot be read", corruptFile)
		}
		t.fields = t.fr.Schema().Fields()
		return nil
	})
	return t, err
}

// checkArrowEnd tells a file cut short from a corrupt one: an Arrow IPC
// file ends with its footer and the magic "ARROW1". It returns the size.
func checkArrowEnd(f *os.File) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	tail := make([]byte, len(magicArrow))
	if st.Size() >= int64(2*len(magicArrow)+4) {
		if _, err := f.ReadAt(tail, st.Size()-int64(len(tail))); err != nil {
			return 0, err
		}
	}
	if !bytes.Equal(tail, magicArrow) {
		return 0, errorf(0, "truncated Arrow IPC file: the footer is missing (the file does not end with \"ARROW1\"); "+
			"it was probably cut short while being copied or written")
	}
	return st.Size(), nil
}

func openIPCStream(f *os.File) (*arrowTable, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkIPCStream(f, st.Size()); err != nil {
		return nil, err
	}
	t := &arrowTable{f: f}
	err = guard(corruptStream, func() error {
		var err error
		t.sr, err = ipc.NewReader(bufio.NewReaderSize(f, 1<<20), ipc.WithAllocator(allocatorFor(f)))
		if err != nil {
			return streamError(err, "its schema cannot be read")
		}
		t.fields = t.sr.Schema().Fields()
		return nil
	})
	return t, err
}

// streamError reports an error of Arrow's reading a stream that was
// checked, which may still be corrupt in its data.
func streamError(err error, what string) *table.Error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return wrap(err, "truncated Arrow IPC stream: %s", what)
	}
	return wrap(err, "%s: %s", corruptStream, what)
}

func (t *arrowTable) Name() string      { return t.name }
func (t *arrowTable) Columns() []string { return t.cols }
func (t *arrowTable) Positions() string { return "row" }

func (t *arrowTable) Describe() string {
	if t.fr != nil {
		return fmt.Sprintf("Arrow IPC file, %s", plural(t.fr.NumRecords(), "record batch"))
	}
	return "Arrow IPC stream"
}

func (t *arrowTable) Close() error {
	if t.fr != nil {
		t.fr.Close()
	}
	if t.sr != nil {
		t.sr.Release()
	}
	return t.f.Close()
}

// Scan reads record batch after record batch. Arrow IPC has no column
// projection: each batch is read whole, but only the requested columns are
// wrapped and checked, so an unreadable column nobody asks for is harmless.
func (t *arrowTable) Scan(cols []int, workers int, fn func(table.Batch) error) error {
	fn = countRows(&t.done, fn)
	if err := checkColumns(t.fields, cols); err != nil {
		return err
	}
	if len(cols) == 0 {
		return nil
	}
	names := make([]string, len(cols))
	for j, c := range cols {
		names[j] = t.cols[c]
	}
	src := &recordBatches{cols: cols, names: names}
	if t.fr != nil {
		src.recs, src.corrupt = &fileSource{r: t.fr}, corruptFile
	} else {
		src.recs, src.corrupt = &streamSource{r: t.sr}, corruptStream
	}
	return scan(&decoder{src: src, corrupt: src.corrupt}, workers, fn)
}

const maxInt32 = 1<<31 - 1

// recordBatches makes batches of record batches, wrapping the requested
// columns of each.
type recordBatches struct {
	recs interface {
		// next returns the next record, which the caller must release,
		// or nil at the end.
		next() (arrow.Record, error)
	}
	cols    []int    // record column of requested column j
	names   []string // its name, for messages
	corrupt string
}

func (s *recordBatches) close() {}

func (s *recordBatches) next(row0 int) (*batch, error) {
	rec, err := s.recs.next()
	if err != nil || rec == nil {
		return nil, err
	}
	b, err := s.wrap(rec, row0)
	if err != nil {
		rec.Release()
		return nil, err
	}
	return b, nil
}

// wrap makes a batch of rec, holding a reference to it until released.
func (s *recordBatches) wrap(rec arrow.Record, row0 int) (*batch, error) {
	n64 := rec.NumRows()
	if n64 < 0 || n64 > int64(maxInt32) {
		return nil, errorf(0, "%s: a record batch claims %d rows", s.corrupt, n64)
	}
	n := int(n64)
	b := &batch{n: n, free: rec.Release, cols: make([]table.Column, len(s.cols))}
	if n == 0 {
		return b, nil
	}
	for j, c := range s.cols {
		if c >= int(rec.NumCols()) {
			return nil, errorf(0, "%s: a record batch has %d columns", s.corrupt, rec.NumCols())
		}
		col, err := newColumn(rec.Column(c), n, place{name: s.names[j], row0: row0})
		if err != nil {
			return nil, err
		}
		b.cols[j] = col
	}
	return b, nil
}

// fileSource reads the record batches of an IPC file by index.
type fileSource struct {
	r *ipc.FileReader
	i int
}

func (s *fileSource) next() (arrow.Record, error) {
	if s.i >= s.r.NumRecords() {
		return nil, nil
	}
	rec, err := s.r.RecordAt(s.i)
	s.i++
	if err != nil {
		return nil, wrap(err, "%s: record batch %d cannot be read", corruptFile, s.i)
	}
	return rec, nil
}

// streamSource reads the record batches of an IPC stream in turn.
type streamSource struct {
	r *ipc.Reader
	i int
}

func (s *streamSource) next() (arrow.Record, error) {
	if s.r.Next() {
		s.i++
		rec := s.r.Record()
		rec.Retain() // the reader releases its reference at the next Next
		return rec, nil
	}
	if err := s.r.Err(); err != nil {
		return nil, streamError(err, fmt.Sprintf("record batch %d cannot be read", s.i+1))
	}
	return nil, nil
}

// Progress returns the rows scanned; an IPC file does not say its length.
func (t *arrowTable) Progress() (done, total int64) { return t.done.Load(), 0 }
