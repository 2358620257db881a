package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// The end-to-end benchmarks run the rcteval binary on simulated trials kept
// in $RCTEVAL_BENCH_DIR (made on first use, which takes minutes for the
// national-scale one), so that peak memory is the process's own. make bench
// runs them; figures: seconds, rows/s, MB/s, peak RSS, the panel's size and
// peak RSS over (panel + assignment), and the peak RSS of rcteval version.
// (The ratio of CSV ingest speed to a bare line count is BenchmarkLoadCSV's,
// in pipeline/ingest.)

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

// BenchmarkIngestNational reads the national-scale trial: where the
// program's own fixed memory (program-RSS-MB, the peak RSS of rcteval
// version: mostly its code, mapped from the binary) no longer counts.
func BenchmarkIngestNational(b *testing.B) { benchRun(b, trialNational, "validate") }

// BenchmarkEffectsNational: 1 000 000 persons followed up to 260 weeks, from
// Parquet, through effects.csv (randomisation inference by default is
// skipped at this size, with a note).
func BenchmarkEffectsNational(b *testing.B) { benchRun(b, trialNational, "effects") }

// The weekly analysis of 100 000 persons × 104 weeks with each estimator,
// end to end from CSV (reading is about 3 s of it), without randomisation
// inference (pipeline/analysis has its own benchmark of that).
func BenchmarkAnalysisPlain(b *testing.B) {
	benchRun(b, trial100k, "effects", "--estimator", "plain", "--ri-draws", "0")
}
func BenchmarkAnalysisBlocked(b *testing.B) {
	benchRun(b, trial100k, "effects", "--estimator", "blocked", "--ri-draws", "0")
}
func BenchmarkAnalysisLin(b *testing.B) {
	benchRun(b, trial100k, "effects", "--estimator", "lin", "--ri-draws", "0")
}

// BenchmarkRBaselines times, where R is installed, the same weekly effects
// (hours, employed, praktik, wage subsidy) on the same 100 000-person files,
// reading included: the loop an evaluator would write (data.table +
// estimatr::difference_in_means per week) and the fastest R we could write
// (fread, per-arm sums by week); and rcteval's effects with the plain
// estimator twice: as run by default (five outcomes with the 13-week rule,
// the fixed cohort, every table format), and on the R scripts' four
// outcomes, CSV only, without the cohort (still with bands, subgroups,
// balance and Kaplan–Meier curves, which R does not compute).
func BenchmarkRBaselines(b *testing.B) {
	if _, err := exec.LookPath("Rscript"); err != nil {
		b.Skip("no Rscript: apt-get install r-cran-estimatr r-cran-data.table")
	}
	root := os.Getenv("RCTEVAL_BENCH_DIR")
	if root == "" {
		b.Skip("set RCTEVAL_BENCH_DIR (make bench does)")
	}
	dir := filepath.Join(root, trial100k.name)
	a, w := filepath.Join(dir, "assignment.csv"), filepath.Join(dir, "weeks.csv")
	if _, err := os.Stat(w); err != nil {
		b.Skip("run BenchmarkIngestCSV first to simulate the trial")
	}
	bin := filepath.Join(b.TempDir(), "rcteval")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	timed := func(name string, args ...string) float64 {
		start := time.Now()
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", name, err, out)
		}
		s := time.Since(start).Seconds()
		b.Logf("%s: %.1f s", name, s)
		return s
	}
	for b.Loop() {
		effects := []string{bin, "effects", "--assignment", a, "--weeks", w, "--estimator", "plain", "--ri-draws", "0", "-q"}
		ours := timed("rcteval effects (plain)", append(effects, "--out", filepath.Join(b.TempDir(), "out"))...)
		sameOut := filepath.Join(b.TempDir(), "same")
		same := timed("rcteval effects (plain), the R scripts' outcomes, CSV", append(effects, "--out", sameOut,
			"--spec", "../../testdata/bench/r_outcomes.yaml", "--cohort", "-1", "--tables", "csv")...)
		fastOut, loopOut := filepath.Join(b.TempDir(), "fast.csv"), filepath.Join(b.TempDir(), "loop.csv")
		fast := timed("R, fastest", "Rscript", "../../testdata/bench/r_fast.R", a, w, fastOut)
		loop := timed("R, per-week estimatr loop", "Rscript", "../../testdata/bench/r_loop.R", a, w, loopOut)
		for _, r := range []string{fastOut, loopOut} {
			sameEffects(b, filepath.Join(sameOut, "effects.csv"), r)
		}
		b.ReportMetric(ours, "rcteval-s")
		b.ReportMetric(fast/ours, "x-faster-than-fast-R")
		b.ReportMetric(loop/ours, "x-faster-than-R-loop")
		b.ReportMetric(same, "rcteval-same-outcomes-s")
		b.ReportMetric(fast/same, "same-outcomes-x-faster-than-fast-R")
		b.ReportMetric(loop/same, "same-outcomes-x-faster-than-R-loop")
	}
}

// sameEffects checks that every weekly effect and SE an R baseline wrote
// (outcome, week, effect, se) equals rcteval's in effects.csv to 1e-8, and
// that they estimated the same outcome-weeks (rcteval's suppressed rows
// aside).
func sameEffects(b *testing.B, ours, theirs string) {
	b.Helper()
	read := func(path string) map[string][2]float64 {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil || len(rows) == 0 {
			b.Fatalf("%s: %v", path, err)
		}
		col := map[string]int{}
		for j, name := range rows[0] {
			col[name] = j
		}
		out := map[string][2]float64{}
		for _, r := range rows[1:] {
			effect, err1 := strconv.ParseFloat(r[col["effect"]], 64)
			se, err2 := strconv.ParseFloat(r[col["se"]], 64)
			if err1 == nil && err2 == nil {
				out[r[col["outcome"]]+" week "+r[col["week"]]] = [2]float64{effect, se}
			}
		}
		return out
	}
	mine, r := read(ours), read(theirs)
	compared := 0
	for key, want := range r {
		got, ok := mine[key]
		if !ok {
			continue // suppressed by rcteval's disclosure control
		}
		for i, name := range []string{"effect", "se"} {
			if math.Abs(got[i]-want[i]) > 1e-8*max(1, math.Abs(want[i])) {
				b.Fatalf("%s, %s: rcteval %v, %s %v", key, name, got[i], filepath.Base(theirs), want[i])
			}
		}
		compared++
	}
	if compared < len(mine)*9/10 || compared == 0 {
		b.Fatalf("%s: only %d of rcteval's %d estimates compared", filepath.Base(theirs), compared, len(mine))
	}
	b.Logf("%s: %d weekly effects and SEs equal rcteval's to 1e-8", filepath.Base(theirs), compared)
}

func benchRun(b *testing.B, tr benchTrial, command string, extra ...string) {
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
		last = runBinary(b, bin, append([]string{command, "--assignment", a, "--weeks", w, "--out", filepath.Join(b.TempDir(), "out")}, extra...)...)
	}
	b.ReportMetric(last.seconds, "s")
	b.ReportMetric(float64(last.rows)/last.seconds, "rows/s")
	b.ReportMetric(float64(fi.Size())/1e6/last.seconds, "MB/s")
	b.ReportMetric(last.rssMB, "peak-RSS-MB")
	b.ReportMetric(last.panelMB, "panel-MB")
	b.ReportMetric(last.assignmentMB, "assignment-MB")
	b.ReportMetric(last.rssMB/(last.panelMB+last.assignmentMB), "RSS/(panel+assignment)")
	b.ReportMetric(runBinary(b, bin, "version").rssMB, "program-RSS-MB")
}

type runStats struct {
	seconds, rssMB, panelMB, assignmentMB float64
	rows                                  int
}

var (
	rowsRe  = regexp.MustCompile(`read weeks\.\w+: (\d+) rows`)
	panelRe = regexp.MustCompile(`panel of (\d+) persons × (\d+) weeks: ([\d.]+) MB; assignment ([\d.]+) MB`)
)

// runBinary runs rcteval and reads its figures from the log and the kernel.
func runBinary(b *testing.B, bin string, args ...string) runStats {
	cmd, peak := measuredCommand(b.TempDir(), bin, args...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	s := runStats{seconds: time.Since(start).Seconds()}
	if err != nil {
		b.Fatalf("%v: %v\n%s", args, err, out)
	}
	s.rssMB = peak()
	if m := rowsRe.FindSubmatch(out); m != nil {
		s.rows, _ = strconv.Atoi(string(m[1]))
	}
	if m := panelRe.FindSubmatch(out); m != nil {
		s.panelMB, _ = strconv.ParseFloat(string(m[3]), 64)
		s.assignmentMB, _ = strconv.ParseFloat(string(m[4]), 64)
	}
	b.Logf("%s: %.1f s, peak RSS %.0f MB\n%s", args[0], s.seconds, s.rssMB, lastLines(out, 4))
	return s
}

func lastLines(out []byte, n int) string {
	lines := regexp.MustCompile("\n").Split(string(out), -1)
	return fmt.Sprint(lines[max(0, len(lines)-n-1):])
}
