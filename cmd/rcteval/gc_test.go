package main

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGCPercentFor(t *testing.T) {
	quarter := gcPhase{share: 25, minHeadroom: 16 << 20}
	assert.Equal(t, 25, gcPercentFor(0, quarter))         // before anything is measured
	assert.Equal(t, 25, gcPercentFor(64<<20, quarter))    // a quarter is the headroom
	assert.Equal(t, 25, gcPercentFor(1<<40, quarter))     // a national panel
	assert.Equal(t, 50, gcPercentFor(32<<20, quarter))    // the minimum headroom, not a quarter
	assert.Equal(t, 100, gcPercentFor(16<<20, quarter))   // as much again
	assert.Equal(t, 1600, gcPercentFor(1<<20, quarter))   // a small trial
	assert.Equal(t, 10, gcPercentFor(100<<20, gcReading)) // 10 MB > 4 MB
	assert.Equal(t, 20, gcPercentFor(20<<20, gcReading))  // 2 MB < 4 MB
	assert.Equal(t, 50, gcPercentFor(100<<20, gcAnalysis))
}

func TestOnEveryGC(t *testing.T) {
	var calls atomic.Int64 // the hook stays for the test binary's life
	onEveryGC(func() { calls.Add(1) })
	require.Equal(t, int64(1), calls.Load(), "called at once")
	for want := int64(2); want <= 4; want++ {
		runtime.GC()
		deadline := time.Now().Add(10 * time.Second)
		for calls.Load() < want && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond) // the finalizer runs on its own goroutine
		}
		require.GreaterOrEqual(t, calls.Load(), want, "called after collection %d", want-1)
	}
}
