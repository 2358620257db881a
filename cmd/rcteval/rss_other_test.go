//go:build !unix

package main

import "os/exec"

// measuredCommand runs bin; its peak memory is unknown where the kernel
// does not report it (Windows): the benchmarks then print −1.
func measuredCommand(_, bin string, args ...string) (*exec.Cmd, func() float64) {
	return exec.Command(bin, args...), func() float64 { return -1 }
}
