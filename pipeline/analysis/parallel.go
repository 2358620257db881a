package analysis

import (
	"runtime"
	"sync"
)

// parallelPairs calls fn(a, b) for every 0 ≤ a ≤ b < n, on every core;
// calls for different pairs must touch disjoint memory.
func parallelPairs(n int, fn func(a, b int)) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for a := w; a < n; a += workers {
				for b := a; b < n; b++ {
					fn(a, b)
				}
			}
		})
	}
	wg.Wait()
}

// parallelEach calls fn(i) for 0 ≤ i < n, on every core, and waits; calls
// for different i must touch disjoint memory.
func parallelEach(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				fn(i)
			}
		})
	}
	wg.Wait()
}
