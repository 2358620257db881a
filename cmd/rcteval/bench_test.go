package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// The end-to-end benchmarks run the rcteval binary on simulated trials kept
// in $RCTEVAL_BENCH_DIR (made on first use, which takes minutes for the
// national-scale one), so that peak memory is the process's own. make bench
// runs them; figures: seconds, rows/s, MB/s, peak RSS, the panel's size and
// peak RSS over (panel + assignment). (The ratio of CSV ingest speed to a
// bare line count is BenchmarkLoadCSV's, in pipeline/ingest.)

type benchTrial struct {
	name, format, extractEnd string
	persons                  int
}

var (
	trial100k     = benchTrial{"csv-100k-104w", "csv", "2018-W07", 100_000}
	trial100kPq   = benchTrial{"parquet-100k-104w", "parquet", "2018-W07", 100_000}
	trialNational = benchTrial{"parquet-1m-260w", "parquet", "2021-W08", 1_000_000}
)

func BenchmarkIngestCSV(b *testing.B)     { benchRun(b, trial100k, "validate") }
func BenchmarkIngestParquet(b *testing.B) { benchRun(b, trial100kPq, "validate") }

// BenchmarkEffectsNational: 1 000 000 persons followed up to 260 weeks, from
// Parquet, through effects.csv.
func BenchmarkEffectsNational(b *testing.B) { benchRun(b, trialNational, "effects") }

func benchRun(b *testing.B, tr benchTrial, command string) {
	root := os.Getenv("RCTEVAL_BENCH_DIR")
	if root == "" {
		b.Skip("set RCTEVAL_BENCH_DIR to a folder for the simulated trials (make bench does)")
	}
	bin := filepath.Join(b.TempDir(), "rcteval")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	dir := filepath.Join(root, tr.name)
	ext := map[string]string{"csv": ".csv", "parquet": ".parquet"}[tr.format]
	a, w := filepath.Join(dir, "assignment"+ext), filepath.Join(dir, "weeks"+ext)
	if _, err := os.Stat(w); err != nil {
		b.Logf("simulating %s into %s", tr.name, dir)
		cmd := exec.Command(bin, "simulate", "--format", tr.format, "--out", dir, "--persons", strconv.Itoa(tr.persons), "--extract-end", tr.extractEnd)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("simulate: %v\n%s", err, out)
		}
	}
	fi, err := os.Stat(w)
	if err != nil {
		b.Fatal(err)
	}
	var last runStats
	for b.Loop() {
		last = runBinary(b, bin, command, "--assignment", a, "--weeks", w, "--out", filepath.Join(b.TempDir(), "out"))
	}
	b.ReportMetric(last.seconds, "s")
	b.ReportMetric(float64(last.rows)/last.seconds, "rows/s")
	b.ReportMetric(float64(fi.Size())/1e6/last.seconds, "MB/s")
	b.ReportMetric(last.rssMB, "peak-RSS-MB")
	b.ReportMetric(last.panelMB, "panel-MB")
	b.ReportMetric(last.rssMB/(last.panelMB+last.assignmentMB), "RSS/(panel+assignment)")
}

type runStats struct {
	seconds, rssMB, panelMB, assignmentMB float64
	rows                                  int
}

var (
	rowsRe  = regexp.MustCompile(`read weeks\.\w+: (\d+) rows`)
	panelRe = regexp.MustCompile(`panel of (\d+) persons × (\d+) weeks: ([\d.]+) MB`)
)

// runBinary runs rcteval and reads its figures from the log and the kernel.
func runBinary(b *testing.B, bin string, args ...string) runStats {
	cmd := exec.Command(bin, args...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	s := runStats{seconds: time.Since(start).Seconds()}
	if err != nil {
		b.Fatalf("%v: %v\n%s", args, err, out)
	}
	s.rssMB = float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) / 1024
	if m := rowsRe.FindSubmatch(out); m != nil {
		s.rows, _ = strconv.Atoi(string(m[1]))
	}
	if m := panelRe.FindSubmatch(out); m != nil {
		persons, _ := strconv.Atoi(string(m[1]))
		s.panelMB, _ = strconv.ParseFloat(string(m[3]), 64)
		// The assignment: ids, the id index, arms, weeks and a handful of
		// covariates: about 100 bytes a person.
		s.assignmentMB = float64(persons) * 100 / 1e6
	}
	b.Logf("%s: %.1f s, peak RSS %.0f MB\n%s", args[0], s.seconds, s.rssMB, lastLines(out, 4))
	return s
}

func lastLines(out []byte, n int) string {
	lines := regexp.MustCompile("\n").Split(string(out), -1)
	return fmt.Sprint(lines[max(0, len(lines)-n-1):])
}
