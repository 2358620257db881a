//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// gnuTime is GNU time, which measures a child's peak memory truly.
const gnuTime = "/usr/bin/time"

// measuredCommand returns the command that runs bin with args, and a
// function giving its peak resident memory in MB (10⁶ bytes, the unit of
// the panel's size in the log) once it has run (−1 when unknown). The kernel's ru_maxrss of the child cannot be used as it is:
// Go starts children with vfork, and the kernel counts the parent's
// resident memory in the child's maxrss, so a program started by a large
// benchmark reports the benchmark's own size (rcteval version, 22 MB,
// reported 34 MB). GNU time forks properly; without it, ru_maxrss is the
// larger of the two, an upper bound.
func measuredCommand(dir, bin string, args ...string) (*exec.Cmd, func() float64) {
	if _, err := os.Stat(gnuTime); err == nil {
		out := filepath.Join(dir, "peak-rss")
		cmd := exec.Command(gnuTime, append([]string{"-f", "%M", "-o", out, bin}, args...)...)
		return cmd, func() float64 {
			b, err := os.ReadFile(out)
			if err != nil {
				return -1
			}
			fields := strings.Fields(string(b))
			if len(fields) == 0 {
				return -1
			}
			kb, err := strconv.ParseFloat(fields[len(fields)-1], 64)
			if err != nil {
				return -1
			}
			return kb * 1024 / 1e6
		}
	}
	cmd := exec.Command(bin, args...)
	return cmd, func() float64 {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			return float64(ru.Maxrss) * 1024 / 1e6 // KiB on Linux
		}
		return -1
	}
}
