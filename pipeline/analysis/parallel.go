package analysis

import (
	"runtime"
	"sync"
)

// parallelEach calls fn(i) for 0 ≤ i < n, on every core, and waits; calls
// for different i must touch disjoint memory. A panic in a call is raised
// again on the caller (where the command's recover turns it into one clean
// line), after every call has returned.
func parallelEach(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	run(workers, func(w int) {
		for i := w; i < n; i += workers {
			fn(i)
		}
	})
}

// concurrently calls fn(i) for 0 ≤ i < n, each on a goroutine of its own,
// so that long calls share the cores out between them, and waits, as
// parallelEach.
func concurrently(n int, fn func(i int)) { run(n, fn) }

// run calls fn(i) for 0 ≤ i < n on a goroutine each, waits, and raises
// the first panic again.
func run(n int, fn func(i int)) {
	var wg sync.WaitGroup
	var once sync.Once
	var crash any
	for i := range n {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					once.Do(func() { crash = r })
				}
			}()
			fn(i)
		})
	}
	wg.Wait()
	if crash != nil {
		panic(crash)
	}
}
