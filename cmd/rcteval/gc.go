package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// The garbage collector's heap goal is the live heap plus the larger of a
// share of it and a minimum headroom, set for each phase of the run. A
// large trial's panel is most of the heap and lives for the whole run, so
// a small share (not Go's default of all of it) bounds peak memory at
// little cost in collection time; a small trial's heap is a few MB, where a
// share of it would collect after every chart drawn.
//
// While reading, the heap is the panel, the assignment and the reader's
// buffers, and the peak of the run is reached: 10 % and 4 MB keep it near
// the panel. Validating 100 000 persons from Parquet peaks at 104–107 MB in
// 1.45–1.5 s, against 111 MB in 1.43 s with 15 % and 8 MB, and 117 MB in
// 1.32 s with 25 % and 16 MB. The analysis after it makes much short-lived
// garbage, and half the live set halves its collection time.
type gcPhase struct {
	share       int    // percent of the live heap
	minHeadroom uint64 // bytes
}

var (
	gcReading  = gcPhase{share: 10, minHeadroom: 4 << 20}
	gcAnalysis = gcPhase{share: 50, minHeadroom: 16 << 20}
)

var (
	gcTuned atomic.Bool
	gcNow   atomic.Pointer[gcPhase]
)

// tuneGC sets the collector's target as above and keeps it so after every
// collection. Without it (as in tests, or under GOGC) setGCPhase does
// nothing.
func tuneGC() {
	gcNow.Store(&gcReading)
	gcTuned.Store(true)
	onEveryGC(applyGCPhase)
}

// setGCPhase sets the headroom for the run's next phase.
func setGCPhase(p *gcPhase) {
	if gcTuned.Load() {
		gcNow.Store(p)
		applyGCPhase()
	}
}

var liveHeap = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

func applyGCPhase() {
	metrics.Read(liveHeap)
	debug.SetGCPercent(gcPercentFor(liveHeap[0].Value.Uint64(), *gcNow.Load()))
}

// gcPercentFor is the GOGC that gives a live heap of live bytes the
// headroom of phase p: p.share percent of it, or p.minHeadroom if that is
// more.
func gcPercentFor(live uint64, p gcPhase) int {
	if live == 0 || live*uint64(p.share)/100 >= p.minHeadroom {
		return p.share
	}
	return int(p.minHeadroom * 100 / live)
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
