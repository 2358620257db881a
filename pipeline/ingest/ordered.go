package ingest

import (
	"errors"
	"sync"

	"rcteval/pipeline/ingest/table"
)

// scanOrdered scans t, turning each batch into a result with parse on up to
// workers goroutines, and calling apply on the results one at a time in file
// order: parsing is the costly part and runs on every core, while apply
// writes to shared state and so runs alone, in an order that keeps "the
// first row is kept" and the order of rejects independent of scheduling.
// parse must not keep references into the batch. A panic in parse or apply
// (a bug) is raised again on the calling goroutine, where the command's
// recover turns it into one clean line.
func scanOrdered[R any](t table.Table, cols []int, workers int, parse func(table.Batch) R, apply func(R) error) error {
	var (
		mu       sync.Mutex
		ready    = sync.NewCond(&mu)
		pending  = map[int]R{}
		next     int
		applying bool // a worker is applying results, without the lock
		failed   error
		crash    any
	)
	// A batch far ahead of the one applied next waits, bounding memory.
	window := 2*workers + 2
	err := t.Scan(cols, workers, func(b table.Batch) (err error) {
		held := false // whether this goroutine holds mu
		defer func() {
			if p := recover(); p != nil {
				if !held {
					mu.Lock()
				}
				crash, failed = p, errCrashed
				ready.Broadcast()
				mu.Unlock()
				err = errCrashed
			}
		}()
		seq := b.Seq()
		r := parse(b)
		mu.Lock()
		held = true
		for seq > next+window && failed == nil {
			ready.Wait()
		}
		if err = failed; err != nil {
			held = false
			mu.Unlock()
			return err
		}
		pending[seq] = r
		if applying { // the worker applying takes it in turn
			held = false
			mu.Unlock()
			return nil
		}
		// This worker applies the results in order while there are any;
		// the others go on parsing meanwhile rather than wait for the lock.
		applying = true
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			held = false
			mu.Unlock()
			aerr := apply(r)
			mu.Lock()
			held = true
			ready.Broadcast()
			if aerr != nil {
				failed = aerr
				break
			}
		}
		applying = false
		err = failed
		held = false
		mu.Unlock()
		return err
	})
	if crash != nil {
		panic(crash)
	}
	return err
}

var errCrashed = errors.New("a worker panicked")
