package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// The garbage collector's heap goal is the live heap plus the larger of a
// share of it and gcMinHeadroom. A large trial's panel is most of the heap
// and lives for the whole run, so a small share (not Go's default of all
// of it) bounds peak memory at little cost in collection time; a small
// trial's heap is a few MB, where a share of it would collect after every
// chart drawn.
//
// The share is a quarter while reading, which keeps the heap near the
// panel; the analysis after it makes much short-lived garbage, and half
// the live set halves its collection time.
const (
	gcShareReading  = 25
	gcShareAnalysis = 50
	gcMinHeadroom   = 16 << 20
)

var (
	gcTuned atomic.Bool
	gcShare atomic.Int64 // percent of the live heap
)

// tuneGC sets the collector's target as above and keeps it so after every
// collection. Without it (as in tests, or under GOGC) setGCShare does
// nothing.
func tuneGC() {
	gcShare.Store(gcShareReading)
	gcTuned.Store(true)
	onEveryGC(applyGCShare)
}

// setGCShare sets the share of the live heap for the run's next phase.
func setGCShare(percent int) {
	if gcTuned.Load() {
		gcShare.Store(int64(percent))
		applyGCShare()
	}
}

var liveHeap = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

func applyGCShare() {
	metrics.Read(liveHeap)
	debug.SetGCPercent(gcPercentFor(liveHeap[0].Value.Uint64(), int(gcShare.Load())))
}

// gcPercentFor is the GOGC that gives a live heap of live bytes a headroom
// of share percent of it, or gcMinHeadroom if that is more.
func gcPercentFor(live uint64, share int) int {
	if live == 0 || live*uint64(share)/100 >= gcMinHeadroom {
		return share
	}
	return int(gcMinHeadroom * 100 / live)
}

// onEveryGC calls f now and after each garbage collection, from the
// finalizer of an object that is made unreachable again each time.
func onEveryGC(f func()) {
	type sentinel struct{ _ [16]byte } // not tiny-allocated, so it has its own finalizer
	var rearm func(*sentinel)
	rearm = func(*sentinel) {
		f()
		runtime.SetFinalizer(&sentinel{}, rearm)
	}
	rearm(nil)
}
