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
