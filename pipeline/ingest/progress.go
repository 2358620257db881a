package ingest

import (
	"time"

	"rcteval/pipeline/ingest/table"
)

// Watcher follows the read of one input: Update is called a few times a
// second with the bytes (text files) or rows (columnar files) done and the
// total (0 if unknown), then Done once.
type Watcher interface {
	Update(done, total int64)
	Done()
}

// watchEvery is how often a read's progress is polled.
const watchEvery = 200 * time.Millisecond

// watch reports the progress of scanning t, the input named name, to
// c.Watch until the returned stop is called.
func (c *Config) watch(t table.Table, name string) (stop func()) {
	p, ok := t.(table.Progress)
	if c.Watch == nil || !ok {
		return func() {}
	}
	unit := "bytes"
	if t.Positions() == "row" {
		unit = "rows"
	}
	w := c.Watch(name, unit)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(watchEvery)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				w.Update(p.Progress())
				w.Done()
				return
			case <-tick.C:
				w.Update(p.Progress())
			}
		}
	}()
	return func() { close(quit); <-done }
}
