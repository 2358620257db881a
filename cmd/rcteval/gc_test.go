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
	assert.Equal(t, 25, gcPercentFor(0, 25))               // before anything is measured
	assert.Equal(t, 25, gcPercentFor(4*gcMinHeadroom, 25)) // a quarter is the headroom
	assert.Equal(t, 50, gcPercentFor(1<<40, 50))           // a national panel
	assert.Equal(t, 50, gcPercentFor(2*gcMinHeadroom, 25)) // the minimum headroom, not a quarter
	assert.Equal(t, 50, gcPercentFor(2*gcMinHeadroom, 50))
	assert.Equal(t, 100, gcPercentFor(gcMinHeadroom, 25))
	assert.Equal(t, 1600, gcPercentFor(gcMinHeadroom/16, 50)) // a small trial
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
