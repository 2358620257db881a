package csvtable

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"unicode/utf8"

	"rcteval/pipeline/ingest/table"
)

// blockSize is how many bytes the reader reads before cutting a chunk:
// small enough that a chunk and its spans stay in the core's cache from
// splitting to parsing (5 % faster than 256 KiB). It is a variable so that
// tests can make it small and put many block boundaries inside records; a
// File takes it when opened.
var blockSize = 1 << 16

// maxChunk bounds a chunk, which grows past blockSize only while it holds
// no complete record. Transcoded from Windows-1252 it must stay below
// inScratch. It is a variable for tests.
var maxChunk = 256 << 20

// chunk is a run of complete records on its way from the reader to a
// worker, with the buffers that are reused for the next one.
type chunk struct {
	raw   []byte // as read
	text  []byte // transcoded, when the file is Windows-1252 and raw is not ASCII
	seq   int
	line  int // the line raw starts on
	batch batch
}

// scanRun is one Scan: a reader goroutine, workers, and the first error,
// which stops them all.
type scanRun struct {
	f       *File
	plan    *plan
	fn      func(table.Batch) error
	workers int
	free    chan *chunk // chunks not in use; bounds the memory held
	work    chan *chunk
	done    chan struct{} // closed on the first error
	once    sync.Once
	err     error
	cut     cutter
}

// Scan reads the columns at the given indices into Columns in batches of
// about one block each and calls fn with them, from up to workers
// goroutines at once; workers ≤ 1 calls fn in file order from the calling
// goroutine. It returns the first error of fn, or an *table.Error for a
// problem with the file itself. Rows that cannot be split are delivered
// with Batch.RowErr set. Scan may be called once.
func (f *File) Scan(cols []int, workers int, fn func(table.Batch) error) error {
	if err := f.checkScan(cols); err != nil {
		return err
	}
	f.scanned = true
	return newScanRun(f, cols, max(workers, 1), fn).run()
}

// checkScan rejects a Scan that cannot be done.
func (f *File) checkScan(cols []int) error {
	switch {
	case f.closed:
		return errorf(0, 0, "the file is closed")
	case f.scanned:
		return errorf(0, 0, "the file has been scanned already; Scan may be called once")
	}
	for _, k := range cols {
		if k < 0 || k >= len(f.columns) {
			return errorf(0, 0, "column index %d is out of range; the file has %d columns", k, len(f.columns))
		}
	}
	return nil
}

// newScanRun prepares a run with workers+2 chunks: one being read, one
// waiting, and one per worker.
func newScanRun(f *File, cols []int, workers int, fn func(table.Batch) error) *scanRun {
	n := workers + 2
	s := &scanRun{
		f:       f,
		plan:    newPlan(f.dialect.Sep, len(f.columns), cols),
		fn:      fn,
		workers: workers,
		free:    make(chan *chunk, n),
		work:    make(chan *chunk, n),
		done:    make(chan struct{}),
		cut:     cutter{sep: f.dialect.Sep},
	}
	for range n {
		s.free <- new(chunk)
	}
	return s
}

// run reads and splits until the end of the file or the first error. With
// one worker, the calling goroutine is the worker, so fn is called in order.
func (s *scanRun) run() error {
	var wg sync.WaitGroup
	wg.Go(s.read)
	if s.workers == 1 {
		s.process()
	} else {
		for range s.workers {
			wg.Go(s.process)
		}
	}
	wg.Wait()
	return s.err
}

// fail records the first error and stops the run.
func (s *scanRun) fail(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.done)
	})
}

// stopped reports whether the run has failed.
func (s *scanRun) stopped() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// read cuts the stream into chunks of complete records, numbered and with
// their first line, and hands them to the workers.
func (s *scanRun) read() {
	defer close(s.work)
	var carry []byte
	seq, line := 0, s.f.firstLine
	for {
		var c *chunk
		select {
		case c = <-s.free:
		case <-s.done:
			return
		}
		data, rest, eof, err := s.next(append(c.raw[:0], carry...), line)
		if err != nil {
			s.fail(err)
			return
		}
		carry = append(carry[:0], rest...)
		c.raw, c.seq, c.line = data, seq, line
		if len(data) > 0 {
			select {
			case s.work <- c:
			case <-s.done:
				return
			}
			seq++
			line += bytes.Count(data, []byte{'\n'})
		}
		if eof {
			return
		}
	}
}

// next reads at least a block onto buf, which holds the records carried
// over, and cuts it after the last complete record; if there is none it
// reads on. At the end of the stream all of buf is the chunk.
func (s *scanRun) next(buf []byte, line int) (data, rest []byte, eof bool, err error) {
	for {
		buf, eof, err = readBlock(s.f.r, buf, s.f.blockSize)
		if err != nil {
			return nil, nil, false, s.f.readError(err, line+bytes.Count(buf, []byte{'\n'}))
		}
		cut := s.cut.scan(buf, eof)
		switch {
		case eof:
			return buf, nil, true, nil
		case cut > 0:
			s.cut.pos -= cut
			return buf[:cut], buf[cut:], false, nil
		case len(buf) > maxChunk:
			return nil, nil, false, errorf(line, 0, "a record starting at line %d is longer than %s; expected a line end (is a quote not closed?)", line, sizeName(maxChunk))
		}
	}
}

// readBlock appends at least n bytes from r to buf unless r ends first.
func readBlock(r io.Reader, buf []byte, n int) ([]byte, bool, error) {
	want := len(buf) + n
	if cap(buf) < want {
		// Grow geometrically: a record longer than a block is read in
		// several rounds, which must not copy it over and over.
		buf = append(make([]byte, 0, max(want, 2*cap(buf))), buf...)
	}
	for len(buf) < want {
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, true, nil
		}
		if err != nil {
			return buf, false, err
		}
	}
	return buf, false, nil
}

// process takes chunks, splits them and calls fn until the chunks run out
// or the run fails.
func (s *scanRun) process() {
	for {
		var c *chunk
		var ok bool
		select {
		case c, ok = <-s.work:
			if !ok {
				return
			}
		case <-s.done:
			return
		}
		if err := s.handle(c); err != nil {
			s.fail(err)
			return
		}
		s.free <- c
	}
}

// handle decodes a chunk, splits it into rows and passes them to fn.
func (s *scanRun) handle(c *chunk) error {
	text := c.raw
	latin := s.f.dialect.Encoding == Windows1252
	if latin {
		if i := indexNonASCII(text); i >= 0 {
			c.text = decode1252(append(c.text[:0], text[:i]...), text[i:])
			text = c.text
		}
	}
	c.batch.reset(s.plan, c.seq, c.line, text)
	c.batch.split()
	// The splitter's pass tells whether the text is all ASCII, which most
	// extracts are: then there is no UTF-8 to check, and no second pass.
	if !latin && !c.batch.ascii && !utf8.Valid(text) {
		return utf8Error(text, c.line, invalidUTF8(text))
	}
	c.batch.publish()
	if s.stopped() {
		return nil
	}
	return s.fn(&c.batch)
}

// sizeName writes a size in bytes for users.
func sizeName(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
