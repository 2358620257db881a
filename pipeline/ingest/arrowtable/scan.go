package arrowtable

import (
	"sync"
	"sync/atomic"

	"rcteval/pipeline/ingest/table"
)

// source yields a file's batches in file order.
type source interface {
	// next returns the next batch, with rows numbered from row0 in its
	// messages, or nil at the end. A batch without rows is skipped.
	next(row0 int) (*batch, error)
	// close frees what the source holds; it does not close the file.
	close()
}

// batch is a run of rows of the requested columns; free, when set, gives
// back what the columns hold once the batch is done with.
type batch struct {
	seq, n, row0 int
	cols         []table.Column
	free         func()
}

func (b *batch) Seq() int                { return b.seq }
func (b *batch) Len() int                { return b.n }
func (b *batch) Col(j int) table.Column  { return b.cols[j] }
func (b *batch) Line(i int) int          { return b.row0 + i + 1 }
func (b *batch) Pos(i, _ int) (int, int) { return b.row0 + i + 1, 0 }
func (b *batch) RowErr(int) *table.Error { return nil }

func (b *batch) release() {
	if b.free != nil {
		b.free()
	}
}

// decoder numbers a source's batches and counts their rows; it is used
// from one goroutine.
type decoder struct {
	src     source
	corrupt string // what a panic in the reading library is reported as
	seq     int
	rows    int
}

// next returns the next non-empty batch, or nil at the end. The source is
// called under guard: a panic on corrupt bytes becomes an error.
func (d *decoder) next() (*batch, error) {
	for {
		var b *batch
		err := guard(d.corrupt, func() (err error) {
			b, err = d.src.next(d.rows)
			return err
		})
		if err != nil || b == nil {
			return nil, err
		}
		if b.n == 0 {
			b.release()
			continue
		}
		b.seq, b.row0 = d.seq, d.rows
		d.seq++
		d.rows += b.n
		return b, nil
	}
}

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
