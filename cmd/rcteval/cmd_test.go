package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/sim"
	"rcteval/reports"
)

// run executes rcteval with args as the binary would, returning its log.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, log bytes.Buffer
	cmd := newRootCmd(&out, &log)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String() + log.String(), err
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return recs
}

// sharedDemo is one run of the demo with every output (200 re-drawn
// assignments, not 2000), made by the first test that asks for it and only
// read by the tests: TestDemoEndToEnd, and TestOutputsAreDeterministic as
// its first run.
var sharedDemo struct {
	once      sync.Once
	dir, log  string
	err       error
	parentDir string // removed by TestMain
}

var sharedDemoArgs = []string{"demo", "--ri-draws", "200"}

func demoOutput(t *testing.T) (dir, log string) {
	t.Helper()
	sharedDemo.once.Do(func() {
		if sharedDemo.parentDir, sharedDemo.err = os.MkdirTemp("", "rcteval-demo"); sharedDemo.err == nil {
			sharedDemo.dir = filepath.Join(sharedDemo.parentDir, "out")
			sharedDemo.log, sharedDemo.err = run(t, append(sharedDemoArgs, "--out", sharedDemo.dir)...)
		}
	})
	require.NoError(t, sharedDemo.err, sharedDemo.log)
	return sharedDemo.dir, sharedDemo.log
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedDemo.parentDir != "" {
		os.RemoveAll(sharedDemo.parentDir)
	}
	os.Exit(code)
}

func TestDemoEndToEnd(t *testing.T) {
	t.Parallel() // long: runs beside the other long tests
	dir, log := demoOutput(t)
	assert.Contains(t, log, "3000 persons")
	assert.Contains(t, log, "0 rejected")

	effects := readCSV(t, filepath.Join(dir, "effects.csv"))
	assert.Equal(t, strings.Split("outcome,week,n_treatment,n_control,mean_treatment,mean_control,effect,se,df,ci_low,ci_high,p_value", ","), effects[0][:12])
	find := func(outcome string, week int) map[string]float64 {
		for _, r := range effects[1:] {
			if r[0] == outcome && r[1] == strconv.Itoa(week) {
				m := map[string]float64{}
				for i, h := range effects[0][2:12] {
					m[h], _ = strconv.ParseFloat(r[i+2], 64)
				}
				return m
			}
		}
		t.Fatalf("no row %s %d", outcome, week)
		return nil
	}
	// The demo has the midterm's shape at week 35.
	e := find("employed", 35)
	assert.Greater(t, e["effect"], 0.02)
	assert.Less(t, e["p_value"], 0.05)
	h := find("hours", 35)
	assert.InDelta(t, 0.75, h["effect"], 0.5)
	s := find("sustained13", 35)
	assert.Greater(t, s["ci_low"], 0.1)
	// N falls with the week since randomisation.
	assert.Greater(t, find("hours", 0)["n_treatment"], find("hours", 35)["n_treatment"])

	balance := readCSV(t, filepath.Join(dir, "balance.csv"))
	assert.Equal(t, strings.Split("covariate,level,mean_treatment,mean_control,difference,smd,p_value,test", ","), balance[0][:8])
	assert.Equal(t, "joint", balance[len(balance)-1][0])

	for _, name := range []string{"means_effect_hours", "means_effect_employed", "means_effect_praktik", "means_effect_wage_subsidy", "means_effect_sustained13",
		"fig1_praktik", "fig7_hours_bands", "fig8_sustained13", "balance", "at_risk", "forest_hours", "km_sustained13", "effect_hours"} {
		for _, ext := range []string{".png", ".svg", ".pdf"} {
			fi, err := os.Stat(filepath.Join(dir, "figures", name+ext))
			require.NoError(t, err)
			assert.Greater(t, fi.Size(), int64(5000))
		}
	}
	// The published results draw the same charts without the microdata,
	// and serve them.
	for _, c := range [][]string{{"fig5_hours"}, {"forest", "--outcome", "hours"}, {"km", "--outcome", "sustained13"}} {
		file := filepath.Join(t.TempDir(), "chart.svg")
		log, err := run(t, append([]string{"chart", "--results", dir, "--format", "svg", "--out", file}, c...)...)
		require.NoError(t, err, log)
		got, _ := os.ReadFile(file)
		name := c[0]
		if len(c) > 1 {
			name += "_" + c[2]
		}
		want, _ := os.ReadFile(filepath.Join(dir, "figures", name+".svg"))
		assert.True(t, bytes.Equal(want, got), "chart --results %v", c)
	}
	serveDemo(t, dir)

	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	for _, want := range []string{"Balance at randomisation", "Effects by week since randomisation", `<svg role="img" class="chart"`, "All covariates jointly", `data-v="35">35</td>`, "Summary", "Methods and provenance"} {
		assert.Contains(t, string(html), want)
	}
	// No person id leaves in any output. (A PNG's bytes, and their base64
	// in the report, can hold "P000" by chance; a chart's text is in the
	// SVG beside it.)
	images := regexp.MustCompile(`data:image/png;base64,[A-Za-z0-9+/=]+`)
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && filepath.Ext(path) != ".png" {
			b, _ := os.ReadFile(path)
			assert.NotContains(t, string(images.ReplaceAll(b, nil)), "P000", path)
		}
		return nil
	})
}

func TestOutputsAreDeterministic(t *testing.T) {
	t.Parallel() // long: runs beside the other long tests
	a, _ := demoOutput(t)
	b := t.TempDir()
	_, err := run(t, append(sharedDemoArgs, "--out", b)...)
	require.NoError(t, err)
	n := 0
	filepath.Walk(a, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		x, _ := os.ReadFile(path)
		y, err := os.ReadFile(filepath.Join(b, rel))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(x, y), "%s differs between runs", rel)
		n++
		return nil
	})
	// 13 tables (effects, cohort effects, bands, multiplicity, subgroups,
	// subgroup tests, km, ratio, hours distribution, rejects, rejected,
	// balance, attrition) as
	// CSV and Parquet, tables.xlsx, results.json, the report (html, pdf),
	// the output marker, published.json, and 31 charts × (png, svg, pdf): Figures 1–8,
	// means, means_effect, effect and forest × 5 outcomes, at_risk,
	// balance, km of sustained13.
	assert.Equal(t, 13*2+2+2+1+1+31*3, n)
}

// writeTrial writes a small trial to dir, letting a test spoil one file.
func writeTrial(t *testing.T, dir, assignment, weeks string) (string, string) {
	t.Helper()
	a, w := filepath.Join(dir, "assignment.csv"), filepath.Join(dir, "weeks.csv")
	require.NoError(t, os.WriteFile(a, []byte(assignment), 0o644))
	require.NoError(t, os.WriteFile(w, []byte(weeks), 0o644))
	return a, w
}

const goodAssignment = "person_id,arm,randomised_on,stratum\na,treatment,2016-03-09,x\nb,control,2016-03-10,x\n"
const goodWeeks = "person_id,week,hours,status\na,2016-W10,1.5,praktik\nb,2016-W11,0,benefit\n"

// The command line shows the reader's messages (the full set of cases is in
// pipeline/ingest/testdata/cases) and writes nothing after an error.
func TestInputErrors(t *testing.T) {
	cases := []struct {
		name, assignment, weeks string
		want                    []string
	}{
		{"missing column", "person_id,randomised_on\na,2016-03-09\n", goodWeeks,
			[]string{"assignment.csv:1:", `missing column "arm"`, `the file has "person_id", "randomised_on"`}},
		{"unknown arm", "person_id,arm,randomised_on\na,treatment,2016-03-09\nb,placebo,2016-03-10\n", goodWeeks,
			[]string{"assignment.csv:3:3:", `unknown arm "placebo"`, `expected "treatment" for treatment or "control" for control`}},
		{"bad date", "person_id,arm,randomised_on\na,treatment,2016-03-09\nb,control,2016-02-30\n", goodWeeks,
			[]string{"assignment.csv:3:11:", `"2016-02-30": February 2016 has only 29 days`}},
		{"duplicate person", "person_id,arm,randomised_on\na,treatment,2016-03-09\nb,control,2016-03-09\na,control,2016-03-10\n", goodWeeks,
			[]string{"assignment.csv:4:1:", "person id appears twice (first on line 2)"}},
		{"no persons", "person_id,arm,randomised_on\n", goodWeeks,
			[]string{"assignment.csv:2:", "no persons"}},
		{"bad week", goodAssignment, "person_id,week,hours,status\na,2016-W10,1,\nb,2016-W54,0,\n",
			[]string{"weeks.csv:3:3:", `"2016-W54"`, "2016 has only 52 ISO weeks"}},
		{"week in no known form", goodAssignment, "person_id,week,hours,status\na,16-10,1,\nb,16-11,1,\n",
			[]string{"weeks.csv:", `"16-10"`, "set week_format in the spec"}},
		{"bad hours", goodAssignment, "person_id,week,hours,status\na,2016-W10,\"7,5\",\nb,2016-W10,1,\n",
			[]string{"weeks.csv:2:12:", `"7,5"`, "decimal comma? set decimal: comma in the spec"}},
		{"unknown status", goodAssignment, "person_id,week,hours,status\na,2016-W10,1,holiday\nb,2016-W10,1,\n",
			[]string{`status codes that map to no category: "holiday" (1)`, "status_codes in the spec"}},
		{"missing weeks column", goodAssignment, "person_id,week,status\n",
			[]string{"weeks.csv:1:", `missing column "hours"`}},
		{"ragged row", goodAssignment, "person_id,week,hours,status\na,2016-W10,1\n",
			[]string{"weeks.csv:2:", "wrong number of fields: 3; expected 4"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			a, w := writeTrial(t, dir, c.assignment, c.weeks)
			_, err := run(t, "effects", "--assignment", a, "--weeks", w, "--out", filepath.Join(dir, "out"))
			require.Error(t, err)
			for _, want := range c.want {
				assert.Contains(t, err.Error(), want)
			}
			_, statErr := os.Stat(filepath.Join(dir, "out"))
			assert.True(t, os.IsNotExist(statErr), "no output after an error")
		})
	}
}

func TestMissingFile(t *testing.T) {
	dir := t.TempDir()
	_, w := writeTrial(t, dir, goodAssignment, goodWeeks)
	_, err := run(t, "effects", "--assignment", filepath.Join(dir, "nope.csv"), "--weeks", w, "--out", dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nope.csv: file not found")
	_, err = run(t, "balance", "--assignment", filepath.Join(dir, "assignment.csv"), "--weeks", filepath.Join(dir, "gone.csv"), "--out", dir)
	assert.ErrorContains(t, err, "gone.csv: file not found")
	_, err = run(t, "effects", "--assignment", filepath.Join(dir, "assignment.csv"), "--weeks", w, "--out", dir, "--extract-end", "2016-52")
	assert.ErrorContains(t, err, "--extract-end: expected an ISO week")
}

// The binary exits non-zero and prints the error on standard error.
func TestExitCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "rcteval")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	a, w := writeTrial(t, dir, "person_id,arm,randomised_on\na,treated,2016-03-09\n", goodWeeks)
	cmd := exec.Command(bin, "effects", "--assignment", a, "--weeks", w, "--out", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 1, exit.ExitCode())
	assert.Contains(t, stderr.String(), `assignment.csv:2:3: column "arm": unknown arm "treated"`)
}

func TestSmallTrialRuns(t *testing.T) {
	dir := t.TempDir()
	a, w := writeTrial(t, dir, goodAssignment, goodWeeks+"zz,2016-W11,3,\n")
	// One unknown id among two persons is far beyond the default max_missing.
	_, err := run(t, "report", "--assignment", a, "--weeks", w, "--out", dir+"/out", "--min-cell", "0")
	require.ErrorContains(t, err, "1 distinct ids in the weekly data match no person in the assignment")
	spec := filepath.Join(dir, "spec.yaml")
	require.NoError(t, os.WriteFile(spec, []byte("max_missing: 1\n"), 0o644))
	log, err := run(t, "report", "--spec", spec, "--assignment", a, "--weeks", w, "--out", dir+"/out", "--min-cell", "0", "--figures", "none")
	require.NoError(t, err, log)
	assert.Contains(t, log, "1 rejected")
	rejects := readCSV(t, filepath.Join(dir, "out", "rejects.csv"))
	assert.Equal(t, [][]string{{"file", "line", "reason", "column", "value"}, {"weeks.csv", "4", "unknown_person", "", ""}}, rejects)
	// One person per arm: no estimates, but rows and counts.
	effects := readCSV(t, filepath.Join(dir, "out", "effects.csv"))
	assert.Equal(t, []string{"hours", "0", "1", "1", "", "", "", "", "", "", "", "", "", "blocked", "neyman", "", "", "", "", "1"}, effects[1])
}

// The whole pipeline on the demo trial equals an independent re-implementation
// in R (alignment, censoring, outcomes, the 13-week rule) with estimatr
// (testdata/golden/make.R).
func TestDemoMatchesIndependentR(t *testing.T) {
	dir := t.TempDir()
	_, err := run(t, "demo", "--out", dir, "--min-cell", "0", "--estimator", "plain", "--figures", "none")
	require.NoError(t, err)
	got := map[string][]string{}
	effects := readCSV(t, filepath.Join(dir, "effects.csv"))
	for _, r := range effects[1:] {
		got[r[0]+"/"+r[1]] = r
	}
	want := readCSV(t, "../../testdata/golden/demo_expected.csv")
	require.Equal(t, effects[0][:12], want[0])
	require.Len(t, want, 31)
	for _, w := range want[1:] {
		g, ok := got[w[0]+"/"+w[1]]
		require.True(t, ok, "no row for %s week %s", w[0], w[1])
		assert.Equal(t, w[2:4], g[2:4], "%s week %s: n", w[0], w[1])
		for i := 4; i < 12; i++ {
			if w[i] == "NaN" { // no variance in either arm: no interval, written empty
				assert.Equal(t, "", g[i], "%s week %s: %s", w[0], w[1], want[0][i])
				continue
			}
			x, _ := strconv.ParseFloat(w[i], 64)
			y, _ := strconv.ParseFloat(g[i], 64)
			assert.InDelta(t, x, y, 1e-8*max(1, abs(x)), "%s week %s: %s", w[0], w[1], want[0][i])
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// The same trial as canonical CSV, as a Danish DREAM-wide extract with a
// separate hours file (';', decimal comma, Latin-1, read through the spec
// examples/jobfirst.yaml), and as typed Parquet gives byte-identical effects.
func TestFormatsGiveTheSameEffects(t *testing.T) {
	t.Parallel() // long: runs beside the other long tests
	dir := t.TempDir()
	opt := sim.DefaultOptions()
	opt.Persons = 400
	tr := sim.New(opt)
	write := func(name string, fill func(*bytes.Buffer) error) string {
		var b bytes.Buffer
		require.NoError(t, fill(&b))
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b.Bytes(), 0o644))
		return p
	}
	a := write("assignment.csv", func(b *bytes.Buffer) error { return tr.WriteAssignment(b) })
	w := write("weeks.csv", func(b *bytes.Buffer) error { return tr.WriteWeeks(b) })
	var va, dr, ek bytes.Buffer
	require.NoError(t, tr.WriteDanish(&va, &dr, &ek))
	danish := filepath.Join(dir, "jobfirst")
	require.NoError(t, os.MkdirAll(danish, 0o755))
	for name, b := range map[string]*bytes.Buffer{"visitation.csv": &va, "dream.csv": &dr, "eindkomst.csv": &ek} {
		require.NoError(t, os.WriteFile(filepath.Join(danish, name), b.Bytes(), 0o644))
	}
	spec, err := os.ReadFile("../../examples/jobfirst.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "jobfirst.yaml"), spec, 0o644))
	pa, pw := filepath.Join(dir, "assignment.parquet"), filepath.Join(dir, "weeks.parquet")
	require.NoError(t, tr.WriteParquet(pa, pw))

	effects := func(args ...string) []byte {
		out := filepath.Join(t.TempDir(), "out")
		log, err := run(t, append([]string{"effects", "--out", out, "--min-cell", "0"}, args...)...)
		require.NoError(t, err, log)
		b, err := os.ReadFile(filepath.Join(out, "effects.csv"))
		require.NoError(t, err)
		return b
	}
	canonical := effects("--assignment", a, "--weeks", w)
	// A spec naming CSV files, overridden by Parquet paths on the command line.
	csvSpec := filepath.Join(dir, "csv.yaml")
	require.NoError(t, os.WriteFile(csvSpec, []byte("inputs: {assignment: assignment.csv, weeks: weeks.csv}\n"), 0o644))
	overridden := effects("--spec", csvSpec, "--assignment", pa, "--weeks", pw)
	t.Logf("effects.csv: %d bytes, %d lines", len(canonical), bytes.Count(canonical, []byte("\n")))
	dream := effects("--spec", filepath.Join(dir, "jobfirst.yaml"))
	parquet := effects("--assignment", pa, "--weeks", pw)
	require.Greater(t, len(canonical), 10000)
	// The spec adds two outcomes after the default five: compare those five.
	assert.Equal(t, string(canonical), string(dream[:len(canonical)]), "DREAM wide + hours file")
	assert.Equal(t, string(canonical), string(parquet), "Parquet")
	assert.Equal(t, string(canonical), string(overridden), "Parquet paths over a CSV spec")

	// The Latin-1 jobcentre names reach the balance table and report intact.
	out := filepath.Join(t.TempDir(), "out")
	log, err := run(t, "report", "--spec", filepath.Join(dir, "jobfirst.yaml"), "--out", out, "--lang", "da", "--figures", "none")
	require.NoError(t, err, log)
	balance, err := os.ReadFile(filepath.Join(out, "balance.csv"))
	require.NoError(t, err)
	assert.Contains(t, string(balance), "stratum,København,")
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), "København")
	assert.NotContains(t, string(html), "\ufffd")
	assert.Contains(t, string(html), "<h1>Effektevaluering: JobFirst (simulated)</h1>")
	assert.Contains(t, string(html), "Uger på offentlig forsørgelse siden visitation", "the spec's label titles the outcome")
}

// The spec's weeks and landmarks choose the rows of effects.csv and the
// report's tables; a flag overrides the spec's confidence.
func TestSpecWeeksAndLandmarks(t *testing.T) {
	dir := t.TempDir()
	a, w := writeTrial(t, dir, goodAssignment, goodWeeks)
	spec := filepath.Join(dir, "spec.yaml")
	require.NoError(t, os.WriteFile(spec, []byte("weeks: \"1:1\"\nlandmarks: [1]\nconfidence: 0.9\nmin_cell: 0\n"), 0o644))
	out := filepath.Join(dir, "out")
	log, err := run(t, "report", "--spec", spec, "--assignment", a, "--weeks", w, "--out", out, "--level", "0.8", "--figures", "none")
	require.NoError(t, err, log)
	effects := readCSV(t, filepath.Join(out, "effects.csv"))
	require.Len(t, effects, 1+5)
	for _, r := range effects[1:] {
		assert.Equal(t, "1", r[1])
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), `data-v="1">1</td>`)
	assert.Contains(t, string(html), "80 %")
}

// demo without --out writes to out/demo, as its help says.
func TestDemoDefaultOut(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	_, err := run(t, "demo", "--quiet", "--figures", "none")
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(dir, "out", "demo", "figures"))
	assert.True(t, os.IsNotExist(err), "--figures none writes no figures")
	_, err = os.Stat(filepath.Join(dir, "out", "demo", "report.html"))
	assert.NoError(t, err)
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "nothing but out/ in the current folder")
}

// A failed run leaves an earlier output untouched, and a folder of the
// user's own files is never replaced.
func TestOutputSetIsReplacedWhole(t *testing.T) {
	dir := t.TempDir()
	a, w := writeTrial(t, dir, goodAssignment, goodWeeks)
	out := filepath.Join(dir, "out")
	_, err := run(t, "effects", "--assignment", a, "--weeks", w, "--out", out, "--min-cell", "0")
	require.NoError(t, err)
	before, err := os.ReadFile(filepath.Join(out, "effects.csv"))
	require.NoError(t, err)
	// A failed run changes nothing (a failure half-way through writing is
	// tested in reports: TestWriteOutputSet).
	_, err = run(t, "report", "--assignment", a, "--weeks", w, "--out", out, "--lang", "xx")
	require.Error(t, err)
	after, err := os.ReadFile(filepath.Join(out, "effects.csv"))
	require.NoError(t, err)
	assert.Equal(t, before, after)
	// A successful run replaces the set: a file of the earlier set goes.
	require.NoError(t, os.WriteFile(filepath.Join(out, "stale.csv"), []byte("x"), 0o644))
	_, err = run(t, "report", "--assignment", a, "--weeks", w, "--out", out, "--min-cell", "0", "--figures", "none")
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(out, "stale.csv"))
	assert.True(t, os.IsNotExist(err), "the earlier set is replaced as a whole")
	// A folder the user made is refused.
	mine := filepath.Join(dir, "mine")
	require.NoError(t, os.MkdirAll(mine, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(mine, "thesis.docx"), []byte("x"), 0o644))
	_, err = run(t, "effects", "--assignment", a, "--weeks", w, "--out", mine)
	assert.ErrorContains(t, err, "holds files rcteval did not write")
	_, err = os.Stat(filepath.Join(mine, "thesis.docx"))
	assert.NoError(t, err)
}

// validate prints what becomes of every row, the codes seen and writes
// rejects.csv; it fails, listing every problem, when a run would.
func TestValidate(t *testing.T) {
	dir := t.TempDir()
	a, w := writeTrial(t, dir, goodAssignment, goodWeeks+"b,2016-W11,0,benefit\n")
	log, err := run(t, "validate", "--assignment", a, "--weeks", w, "--out", dir)
	require.NoError(t, err, log)
	for _, want := range []string{
		"read weeks.csv: 3 rows = 2 in follow-up + 0 pre-period + 1 rejected",
		"rejected 1: duplicate_person_week",
		"persons: assignment.csv: 2 persons (1 treatment, 1 control)",
		"persons at risk without any weekly row: 0 treatment, 0 control; weekly ids matching no person: 0",
		"weeks with data: 2016-W10 … 2016-W11",
		"praktik → praktik: 1", "benefit → benefit: 2",
		"the inputs are valid",
	} {
		assert.Contains(t, log, want)
	}
	assert.Equal(t, [][]string{{"file", "line", "reason", "column", "value"}, {"weeks.csv", "4", "duplicate_person_week", "", "2016-W11"}},
		readCSV(t, filepath.Join(dir, "rejects.csv")))

	_, w = writeTrial(t, t.TempDir(), goodAssignment, "person_id,week,hours,status\na,2016-W10,-1,\nb,2016-W10,x,\n")
	_, err = run(t, "validate", "--assignment", a, "--weeks", w)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "2 problems in the input")
	assert.Contains(t, err.Error(), "weeks.csv:2:")
	assert.Contains(t, err.Error(), "weeks.csv:3:")
}

// --hours reads hours from a separate file; the weekly file's own hours
// column is then not read, and an hours row after the extract end is rejected.
func TestHoursFlag(t *testing.T) {
	dir := t.TempDir()
	a, w := writeTrial(t, dir, goodAssignment, "person_id,week,hours,status\na,2016-W10,99,praktik\nb,2016-W11,99,benefit\n")
	h := filepath.Join(dir, "hours.csv")
	require.NoError(t, os.WriteFile(h, []byte("person_id,week,hours\na,2016-W10,7.5\nb,2016-W11,2\nb,2016-W30,4\n"), 0o644))
	out := filepath.Join(dir, "out")
	log, err := run(t, "effects", "--assignment", a, "--weeks", w, "--hours", h, "--out", out, "--min-cell", "0")
	require.NoError(t, err, log)
	assert.Contains(t, log, "read hours.csv: 3 rows = 2 in follow-up + 0 pre-period + 1 rejected")
	effects := readCSV(t, filepath.Join(out, "effects.csv"))
	assert.Equal(t, []string{"hours", "0", "1", "1"}, effects[1][:4])
	rejects := readCSV(t, filepath.Join(out, "rejects.csv"))
	assert.Equal(t, []string{"hours.csv", "4", "after_extract_end", "week", "2016-W30"}, rejects[1])
}

// Inputs given by flag take the spec's column names, as the spec's own do.
func TestFlagInputsUseSpecColumns(t *testing.T) {
	dir := t.TempDir()
	a, w := writeTrial(t, dir, "id;arm;randomised_on;;\r\nA1;treatment;14-03-2016 00:00:00;;\r\nA2;control;15-03-2016 00:00:00;;\r\n",
		"id;uge;timer;ydelse\r\nA1;2016-W11;7,5;\r\nA2;2016-W11;2;benefit\r\n")
	h := filepath.Join(dir, "hours.csv")
	require.NoError(t, os.WriteFile(h, []byte("id;uge;timer\nA1;2016-W11;1,5\n"), 0o644))
	spec := filepath.Join(dir, "spec.yaml")
	require.NoError(t, os.WriteFile(spec, []byte("columns: {person_id: id, week: uge, hours: timer, status: ydelse}\nmax_missing: 1\n"), 0o644))
	log, err := run(t, "validate", "--spec", spec, "--assignment", a, "--weeks", w)
	require.NoError(t, err, log)
	assert.Contains(t, log, "read weeks.csv: 2 rows = 2 in follow-up")
	log, err = run(t, "validate", "--spec", spec, "--assignment", a, "--weeks", w, "--hours", h)
	require.NoError(t, err, log)
	assert.Contains(t, log, "read hours.csv: 1 rows = 1 in follow-up")
}

// The demo trial with the blocked and Lin estimators equals estimatr on the
// same data re-aligned independently in R (testdata/golden/make.R): the
// blocked difference in means by jobcentre and lm_lin with the stratum and
// every covariate, HC2 and HC3.
func TestDemoEstimatorsMatchR(t *testing.T) {
	want := readCSV(t, "../../testdata/golden/demo_designs_expected.csv")
	require.Greater(t, len(want), 40)
	for _, args := range [][]string{{"--estimator", "blocked"}, {"--estimator", "lin"}, {"--estimator", "lin", "--hc", "HC3"}} {
		dir := t.TempDir()
		_, err := run(t, append([]string{"demo", "--out", dir, "--min-cell", "0", "--ri-draws", "0", "--figures", "none"}, args...)...)
		require.NoError(t, err)
		effects := readCSV(t, filepath.Join(dir, "effects.csv"))
		header := effects[0]
		col := func(name string) int { return slices.Index(header, name) }
		got := map[string][]string{}
		for _, r := range effects[1:] {
			got[r[0]+"/"+r[1]+"/"+r[col("estimator")]+"/"+r[col("variance")]] = r
		}
		compared := 0
		for _, w := range want[1:] {
			g, ok := got[w[0]+"/"+w[1]+"/"+w[2]+"/"+w[3]]
			if !ok {
				continue // another estimator's row
			}
			compared++
			for i, name := range want[0][4:10] {
				if w[4+i] == "NaN" {
					assert.Equal(t, "", g[col(name)], "%s week %s %s: %s", w[0], w[1], w[2], name)
					continue
				}
				x, _ := strconv.ParseFloat(w[4+i], 64)
				y, err := strconv.ParseFloat(g[col(name)], 64)
				require.NoError(t, err, "%s week %s %s: %s", w[0], w[1], w[2], name)
				assert.InDelta(t, x, y, 1e-8*max(1, abs(x)), "%s week %s %s %s: %s", w[0], w[1], w[2], w[3], name)
			}
		}
		assert.Equal(t, 25, compared, "%v", args)
	}
}

// A variance for Lin's estimator given with another estimator is an error,
// not silently ignored; unknown estimators and variances are named.
func TestAnalysisFlagErrors(t *testing.T) {
	for args, want := range map[string]string{
		"--hc HC3":                  "--hc HC3 (or variance in the spec) applies to Lin's estimator",
		"--estimator ols":           `--estimator "ols": expected plain, blocked or lin`,
		"--estimator lin --hc CR2":  `--hc "CR2": expected HC0, HC1, HC2 or HC3 (CR2 follows from --cluster)`,
		"--ri-draws -1":             "--ri-draws -1: expected 0 (none) or more",
		"--estimator lin --hc HC9 ": `--hc "HC9"`,
		"--figures gif":             `--figures "gif": expected a list of png, svg, pdf, or none`,
	} {
		_, err := run(t, append([]string{"demo", "--out", t.TempDir()}, strings.Fields(args)...)...)
		require.Error(t, err, args)
		assert.Contains(t, err.Error(), want, args)
	}
}

// The demo's band, multiplicity, Kaplan–Meier and ratio tables hold what
// they say: a critical value between the pointwise 1.96 and Bonferroni's,
// adjusted p-values no smaller than the raw ones, the three primary
// outcomes at the three landmarks the demo follows (44 is beyond it).
func TestDemoInferenceTables(t *testing.T) {
	dir := t.TempDir()
	_, err := run(t, "demo", "--out", dir, "--ri-draws", "200", "--figures", "svg")
	require.NoError(t, err)
	// Figure 7's table: each band's share is its count over the arm's
	// persons with hours (the last row); a blank count names its rule, and
	// what the blank counts add up to (with hours less the counts shown)
	// is not a small cell.
	dist := readCSV(t, filepath.Join(dir, "hours_distribution.csv"))
	require.Len(t, dist, 1+7+1)
	last := dist[len(dist)-1]
	require.Equal(t, "with hours", last[2])
	for arm := 0; arm < 2; arm++ {
		withHours, _ := strconv.Atoi(last[5+arm])
		hidden := withHours
		for _, r := range dist[1 : len(dist)-1] {
			if r[5+arm] == "" {
				assert.NotEmpty(t, r[11+arm], "a blank count names its rule: %v", r)
				continue
			}
			n, _ := strconv.Atoi(r[5+arm])
			share, _ := strconv.ParseFloat(r[7+arm], 64)
			assert.InDelta(t, float64(n)/float64(withHours), share, 1e-12, r)
			hidden -= n
		}
		assert.True(t, hidden == 0 || hidden >= 5, "arm %d: the suppressed bands hold %d persons", arm, hidden)
	}

	bands := readCSV(t, filepath.Join(dir, "bands.csv"))
	require.Len(t, bands, 6)
	assert.Equal(t, reports.BandsHeader, bands[0])
	for _, r := range bands[1:] {
		c, err := strconv.ParseFloat(r[1], 64)
		require.NoError(t, err, r)
		assert.True(t, c > 1.96 && c < 3.6, "critical value %v of %s", c, r[0])
		assert.Equal(t, []string{"blocked", "neyman"}, r[7:9])
	}
	fam := readCSV(t, filepath.Join(dir, "multiplicity.csv"))
	require.Len(t, fam, 10) // hours, employed, sustained13 × weeks 13, 26, 35
	for _, r := range fam[1:] {
		p, _ := strconv.ParseFloat(r[2], 64)
		holm, _ := strconv.ParseFloat(r[3], 64)
		wy, _ := strconv.ParseFloat(r[4], 64)
		assert.GreaterOrEqual(t, holm, p, r)
		assert.Greater(t, wy, 0.0, r)
		assert.Contains(t, []string{"hours", "employed", "sustained13"}, r[0])
	}
	km := readCSV(t, filepath.Join(dir, "km.csv"))
	assert.Greater(t, len(km), 30)
	svg, err := os.ReadFile(filepath.Join(dir, "figures", "fig8_sustained13.svg"))
	require.NoError(t, err)
	assert.Contains(t, string(svg), "Effect, persons followed to week 35") // the fixed cohort beside the staggered effect
	ratio := readCSV(t, filepath.Join(dir, "ratio.csv"))
	require.Len(t, ratio, 2)
	assert.Equal(t, []string{"26", "35"}, ratio[1][:2])
}
