package ingest

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkLoadCSV reads the canonical trial of 100 000 persons × 104 weeks
// that make bench keeps in $RCTEVAL_BENCH_DIR/csv-100k-104w, in process,
// reporting rows/s, MB/s, processor seconds per load, and the ratio of a
// line count's time over the same weekly file to the load's (the goal is
// 0.35 or more):
//   - scan-ratio: a bare bufio.Scanner, as NewScanner makes it (it reads 4 KiB
//     at a time), against the whole load, the assignment included;
//   - paired-scan-ratio: the same, each load paired with a line count taken
//     just after it (the lower median), as the host's speed drifts;
//   - weeks-scan-ratio: the same against the weekly file's own reading;
//   - buffered-scan-ratio: paired, against a Scanner given a 1 MiB buffer,
//     about a fifth faster than the bare one: a stricter yardstick.
func BenchmarkLoadCSV(b *testing.B) {
	dir := filepath.Join(os.Getenv("RCTEVAL_BENCH_DIR"), "csv-100k-104w")
	if _, err := os.Stat(filepath.Join(dir, "weeks.csv")); os.Getenv("RCTEVAL_BENCH_DIR") == "" || err != nil {
		b.Skip("no $RCTEVAL_BENCH_DIR/csv-100k-104w: make bench makes it")
	}
	benchLoad(b, filepath.Join(dir, "assignment.csv"), filepath.Join(dir, "weeks.csv"))
}

// BenchmarkLoadParquet reads the same trial from the typed Parquet files
// in $RCTEVAL_BENCH_DIR/parquet-100k-104w.
func BenchmarkLoadParquet(b *testing.B) {
	dir := filepath.Join(os.Getenv("RCTEVAL_BENCH_DIR"), "parquet-100k-104w")
	if _, err := os.Stat(filepath.Join(dir, "weeks.parquet")); os.Getenv("RCTEVAL_BENCH_DIR") == "" || err != nil {
		b.Skip("no $RCTEVAL_BENCH_DIR/parquet-100k-104w: make bench makes it")
	}
	benchLoad(b, filepath.Join(dir, "assignment.parquet"), filepath.Join(dir, "weeks.parquet"))
}

func benchLoad(b *testing.B, assignment, weeks string) {
	fi, err := os.Stat(weeks)
	if err != nil {
		b.Fatal(err)
	}
	cfg := Default()
	cfg.Assignment, cfg.Weeks = Input{Path: assignment}, []Input{{Path: weeks}}
	var rows int
	b.SetBytes(fi.Size())
	csv := filepath.Ext(weeks) == ".csv"
	var paired, buffered []float64 // line count / load, each pair measured back to back
	cpu := cpuSeconds()
	for b.Loop() {
		start := time.Now()
		ds, err := Load(cfg)
		if err != nil {
			b.Fatal(err)
		}
		rows = ds.Accounting.Sources[0].Read
		if csv {
			load := time.Since(start).Seconds()
			b.StopTimer()
			cpu -= cpuSeconds()
			paired = append(paired, lineCount(b, weeks, 0)/load)
			buffered = append(buffered, lineCount(b, weeks, 1<<20)/load)
			cpu += cpuSeconds()
			b.StartTimer()
		}
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(rows)/perOp, "rows/s")
	if cpu := cpuSeconds() - cpu; cpu > 0 {
		b.ReportMetric(cpu/float64(b.N), "cpu-s/op") // more stable than time on a shared machine
	}
	if csv {
		scan := lineCountSeconds(b, weeks)
		b.ReportMetric(scan/perOp, "scan-ratio")
		b.ReportMetric(lowerMedian(paired), "paired-scan-ratio")
		b.ReportMetric(scan/(perOp-assignmentSeconds(b, &cfg)), "weeks-scan-ratio")
		b.ReportMetric(lowerMedian(buffered), "buffered-scan-ratio")
	}
}

// lowerMedian is the lower median of x, which it sorts.
func lowerMedian(x []float64) float64 {
	slices.Sort(x)
	return x[(len(x)-1)/2]
}

// assignmentSeconds times reading the assignment alone: the best of three.
func assignmentSeconds(b *testing.B, cfg *Config) float64 {
	best := 0.0
	for range 3 {
		start := time.Now()
		if _, err := ReadAssignment(cfg); err != nil {
			b.Fatal(err)
		}
		if t := time.Since(start).Seconds(); best == 0 || t < best {
			best = t
		}
	}
	return best
}

// lineCountSeconds times a bare bufio.Scanner line count over a file: the
// best of three, after the benchmark has read the file into the page cache.
func lineCountSeconds(b *testing.B, path string) float64 {
	best := 0.0
	for range 3 {
		if t := lineCount(b, path, 0); best == 0 || t < best {
			best = t
		}
	}
	return best
}

// lineCount times one bufio.Scanner line count over a file: bare, or with
// a buffer of buffer bytes.
func lineCount(b *testing.B, path string, buffer int) float64 {
	start := time.Now()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	if buffer > 0 {
		s.Buffer(make([]byte, buffer), buffer)
	}
	n := 0
	for s.Scan() {
		n++
	}
	if s.Err() != nil || n == 0 {
		b.Fatal(s.Err(), n)
	}
	return time.Since(start).Seconds()
}

// BenchmarkReadAssignment reads the assignment of the 100 000-person trial
// that BenchmarkLoadCSV reads.
func BenchmarkReadAssignment(b *testing.B) {
	dir := filepath.Join(os.Getenv("RCTEVAL_BENCH_DIR"), "csv-100k-104w")
	if _, err := os.Stat(filepath.Join(dir, "assignment.csv")); os.Getenv("RCTEVAL_BENCH_DIR") == "" || err != nil {
		b.Skip("no $RCTEVAL_BENCH_DIR/csv-100k-104w: make bench makes it")
	}
	cfg := Default()
	cfg.Assignment = Input{Path: filepath.Join(dir, "assignment.csv")}
	for b.Loop() {
		if _, err := ReadAssignment(&cfg); err != nil {
			b.Fatal(err)
		}
	}
}
