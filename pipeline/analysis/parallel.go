package analysis

import (
	"runtime"
	"sync"
)

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
