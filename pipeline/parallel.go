package pipeline

import (
	"runtime"
	"sync"
)

// parallelRanges calls fn on consecutive ranges [lo, hi) covering [0, n),
// one per core, and waits for them: for per-person or per-week passes whose
// ranges touch disjoint memory.
func parallelRanges(n int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}
