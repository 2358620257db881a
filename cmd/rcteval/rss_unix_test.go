//go:build unix

package main

import (
	"os"
	"syscall"
)

// peakRSSMB is a finished process's peak resident memory in MB, from the
// kernel (getrusage's ru_maxrss, in KiB on Linux).
func peakRSSMB(ps *os.ProcessState) float64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024
	}
	return -1
}
