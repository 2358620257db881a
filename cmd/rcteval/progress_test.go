package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Off a terminal, a read longer than a second gets a plain line at every
// tenth of the way and one when done; a short read gets nothing.
func TestPlainProgress(t *testing.T) {
	var log bytes.Buffer
	w := progressWatch(&log)("weeks.csv", "bytes").(*watcher)
	w.Update(5e6, 100e6)
	assert.Empty(t, log.String(), "nothing in the first second")
	w.start = time.Now().Add(-2 * time.Second)
	for _, done := range []int64{5e6, 12e6, 13e6, 55e6, 100e6} {
		w.Update(done, 100e6)
	}
	w.Done()
	assert.Equal(t, "reading weeks.csv: 10 % (12 MB of 100 MB)\nreading weeks.csv: 50 % (55 MB of 100 MB)\nreading weeks.csv: done in 2.0 s\n", log.String())

	log.Reset()
	short := progressWatch(&log)("assignment.csv", "rows")
	short.Update(10, 10)
	short.Done()
	assert.Empty(t, log.String())
}
