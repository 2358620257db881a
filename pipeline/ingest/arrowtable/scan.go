package arrowtable

import (
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"

	"rcteval/pipeline/ingest/table"
)

// source yields a file's record batches in file order.
type source interface {
	// next returns the next record, which the caller must release, or nil
	// at the end.
	next() (arrow.Record, error)
	// close frees what the source holds; it does not close the file.
	close()
}

// plan says which record column and name each requested column has.
type plan struct {
	recCol []int    // record column of requested column j
	names  []string // its name, for messages
}

// batch is a record with its requested columns wrapped; it holds a
// reference to the record until released.
type batch struct {
	seq, n, row0 int
	cols         []table.Column
	rec          arrow.Record
}

func (b *batch) Seq() int                { return b.seq }
func (b *batch) Len() int                { return b.n }
func (b *batch) Col(j int) table.Column  { return b.cols[j] }
func (b *batch) Line(i int) int          { return b.row0 + i + 1 }
func (b *batch) Pos(i, _ int) (int, int) { return b.row0 + i + 1, 0 }
func (b *batch) RowErr(int) *table.Error { return nil }
func (b *batch) release()                { b.rec.Release() }

// decoder turns a source's records into batches, numbering them and
// counting rows; it is used from one goroutine.
type decoder struct {
	src     source
	plan    plan
	corrupt string // what a panic in Arrow is reported as
	seq     int
	rows    int
}

// next returns the next non-empty batch, or nil at the end. Arrow is
// called under guard: a panic on corrupt bytes becomes an error.
func (d *decoder) next() (b *batch, err error) {
	for b == nil {
		var rec arrow.Record
		err = guard(d.corrupt, func() error {
			var err error
			if rec, err = d.src.next(); err != nil || rec == nil {
				return err
			}
			b, err = d.wrap(rec)
			return err
		})
		if err != nil || rec == nil {
			if rec != nil {
				rec.Release()
			}
			return nil, err
		}
		if b == nil { // an empty record
			rec.Release()
		}
	}
	return b, nil
}

// wrap makes a batch of rec, or nil for a record without rows.
func (d *decoder) wrap(rec arrow.Record) (*batch, error) {
	n64 := rec.NumRows()
	if n64 < 0 || n64 > int64(maxInt32) {
		return nil, errorf(0, "%s: a record batch claims %d rows", d.corrupt, n64)
	}
	n := int(n64)
	if n == 0 {
		return nil, nil
	}
	b := &batch{seq: d.seq, n: n, row0: d.rows, rec: rec, cols: make([]table.Column, len(d.plan.recCol))}
	for j, c := range d.plan.recCol {
		if c >= int(rec.NumCols()) {
			return nil, errorf(0, "%s: a record batch has %d columns", d.corrupt, rec.NumCols())
		}
		col, err := newColumn(rec.Column(c), n, place{name: d.plan.names[j], row0: d.rows})
		if err != nil {
			return nil, err
		}
		b.cols[j] = col
	}
	d.seq++
	d.rows += n
	return b, nil
}

const maxInt32 = 1<<31 - 1

// scan hands every batch of d to fn, on up to workers goroutines.
func scan(d *decoder, workers int, fn func(table.Batch) error) error {
	defer d.src.close()
	if workers <= 1 {
		return scanSerial(d, fn)
	}
	return scanParallel(d, workers, fn)
}

func scanSerial(d *decoder, fn func(table.Batch) error) error {
	for {
		b, err := d.next()
		if err != nil || b == nil {
			return err
		}
		err = fn(b)
		b.release()
		if err != nil {
			return err
		}
	}
}

// scanParallel decodes in the calling goroutine and runs fn on workers
// goroutines. Batches go out in Seq order through a channel of workers
// slots, so at most 2×workers+1 batches are alive at once. The first error
// of fn stops decoding; batches still queued are released unseen. A panic
// in fn is re-raised in the caller's goroutine, as it would be with one
// worker.
func scanParallel(d *decoder, workers int, fn func(table.Batch) error) error {
	var (
		work   = make(chan *batch, workers)
		stop   = make(chan struct{})
		once   sync.Once
		failed error
		panicV any
		wg     sync.WaitGroup
	)
	fail := func(err error, p any) {
		once.Do(func() { failed, panicV = err, p; close(stop) })
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				if !stopped(stop) {
					call(fn, b, fail)
				}
				b.release()
			}
		}()
	}
	err := feed(d, work, stop)
	close(work)
	wg.Wait()
	if panicV != nil {
		panic(panicV)
	}
	if failed != nil {
		return failed
	}
	return err
}

// feed sends d's batches to work until the end, an error, or stop.
func feed(d *decoder, work chan<- *batch, stop <-chan struct{}) error {
	for !stopped(stop) {
		b, err := d.next()
		if err != nil || b == nil {
			return err
		}
		select {
		case work <- b:
		case <-stop:
			b.release()
			return nil
		}
	}
	return nil
}

// call runs fn on b, reporting an error or a panic through fail.
func call(fn func(table.Batch) error, b *batch, fail func(error, any)) {
	defer func() {
		if p := recover(); p != nil {
			fail(nil, p)
		}
	}()
	if err := fn(b); err != nil {
		fail(err, nil)
	}
}

func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// countRows wraps fn to count the rows it is given.
func countRows(n *atomic.Int64, fn func(table.Batch) error) func(table.Batch) error {
	return func(b table.Batch) error {
		err := fn(b)
		n.Add(int64(b.Len()))
		return err
	}
}
