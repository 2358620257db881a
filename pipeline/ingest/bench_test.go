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
// reporting rows/s, MB/s, processor seconds per load, and the ratio of ingest time to a bare line
// count over the same weekly file (with and without reading the assignment,
// and paired: the median over loads of the ratio to a line count taken just
// after each).
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
	var paired []float64 // line count / load, each pair measured back to back
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
			paired = append(paired, lineCount(b, weeks)/load)
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
		// The line count's speed drifts with the host more than the load's
		// (it is mostly the kernel copying the file), so a ratio of figures
		// taken minutes apart drifts too; this one pairs each load with a
		// line count taken just after it.
		slices.Sort(paired)
		b.ReportMetric(paired[(len(paired)-1)/2], "paired-scan-ratio") // the lower median
		// The same without the assignment: the weekly file's own reading
		// (with the panel's finishing) against the line count of it.
		b.ReportMetric(scan/(perOp-assignmentSeconds(b, &cfg)), "weeks-scan-ratio")
	}
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
		if t := lineCount(b, path); best == 0 || t < best {
			best = t
		}
	}
	return best
}

// lineCount times one bare bufio.Scanner line count over a file.
func lineCount(b *testing.B, path string) float64 {
	start := time.Now()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for s.Scan() {
		n++
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
