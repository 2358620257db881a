//go:build !unix

package ingest

// cpuSeconds is 0 where the processor time is not measured.
func cpuSeconds() float64 { return 0 }
