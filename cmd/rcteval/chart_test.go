package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/reports"
)

var demoData = []string{"--assignment", "../../testdata/demo/assignment.csv.gz", "--weeks", "../../testdata/demo/weeks.csv.gz", "--ri-draws", "0", "-q"}

func TestChartList(t *testing.T) {
	out, err := run(t, "chart", "--list")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, len(reports.Charts()))
	assert.Regexp(t, `^fig1_praktik +Figure 1: share in company internship`, lines[0])
	out, err = run(t, "chart", "--list", "--lang", "da")
	require.NoError(t, err)
	assert.Contains(t, out, "Figur 7: fordeling af positive ordinære timer")
	assert.Contains(t, out, "km ")
	_, err = run(t, "chart", "--list", "--lang", "de")
	assert.ErrorContains(t, err, "--lang")
}

// Every chart through the command on the demo data, in the formats asked,
// to the file asked or NAME[_OUTCOME].FORMAT in the current folder.
func TestChartEveryName(t *testing.T) {
	data, err := filepath.Abs("../../testdata/demo")
	require.NoError(t, err)
	args := []string{"--assignment", filepath.Join(data, "assignment.csv.gz"), "--weeks", filepath.Join(data, "weeks.csv.gz"), "--ri-draws", "0", "-q"}
	dir := t.TempDir()
	t.Chdir(dir)
	magic := map[string]string{"png": "\x89PNG", "svg": "<?xml", "pdf": "%PDF"}
	for i, c := range reports.Charts() {
		format := reports.Formats[i%3]
		cmd := append([]string{"chart", c.Name, "--format", format}, args...)
		file := c.Name + "." + format
		if c.TakesOutcome {
			outcome := map[string]string{"km": "sustained13"}[c.Name]
			if outcome == "" {
				outcome = "employed"
			}
			cmd = append(cmd, "--outcome", outcome)
			file = c.Name + "_" + outcome + "." + format
		}
		_, err := run(t, cmd...)
		require.NoError(t, err, c.Name)
		b, err := os.ReadFile(filepath.Join(dir, file))
		require.NoError(t, err, c.Name)
		assert.Equal(t, magic[format], string(b[:len(magic[format])]), c.Name)
	}
}

func TestChartOptions(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "f5.svg")
	_, err := run(t, append([]string{"chart", "fig5_hours", "--lang", "da", "--format", "svg", "--out", out, "--week-range", "5:30",
		"--width", "12", "--height", "9", "--hide-band", "--warn-at-risk", "0.5"}, demoData...)...)
	require.NoError(t, err)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	svg := string(b)
	assert.Contains(t, svg, "Uger siden visitation")
	assert.Contains(t, svg, `width="340.16pt"`) // 12 cm
	assert.NotContains(t, svg, "simultant bånd")
	assert.Contains(t, svg, "1.333")            // week 10 followed, with a thousands separator
	assert.NotContains(t, svg, "1.498")         // week 0 is outside 5:30
	assert.NotContains(t, svg, "prikket linje") // week 31, from which under half are followed, is outside 5:30

	// The demo follows under half of each group from week 31 on: marked.
	out = filepath.Join(dir, "effect.svg")
	_, err = run(t, append([]string{"chart", "effect", "--outcome", "hours", "--lang", "da", "--format", "svg", "--out", out, "--warn-at-risk", "0.5"}, demoData...)...)
	require.NoError(t, err)
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), "Fra uge 31 (prikket linje) følges under 50 %") // the note may wrap after this

	// --week moves Figure 7 (and the analysis behind it).
	out = filepath.Join(dir, "f7.svg")
	_, err = run(t, append([]string{"chart", "fig7_hours_bands", "--format", "svg", "--out", out, "--week", "26"}, demoData...)...)
	require.NoError(t, err)
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), "Figure 7. Distribution of positive ordinary hours in week 26")
	// Beyond the follow-up (week 43) the last week is shown, and said so.
	_, err = run(t, append([]string{"chart", "fig7_hours_bands", "--format", "svg", "--out", out, "--week", "60"}, demoData...)...)
	require.NoError(t, err)
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), "Week 60 is not yet observable; the last week followed, week 43, is shown.")
}

func TestChartErrors(t *testing.T) {
	for _, tc := range []struct{ args, want string }{
		{"chart", "name the chart to draw"},
		{"chart fig9", `unknown chart "fig9"`},
		{"chart fig5_hours --format gif", `--format "gif": expected png, svg or pdf`},
		{"chart fig5_hours --week-range 10", `--week-range "10": expected FROM:TO`},
		{"chart fig5_hours --week-range 30:10", "the last week comes before the first"},
		{"chart fig5_hours --width -3", "expected sizes in cm"},
		{"chart fig5_hours --week-range 50:", "weeks from 50: the results end at week 43"},
		{"chart means --outcome salary", `cannot be drawn for outcome "salary": is not in this run`},
		{"chart means", "needs an outcome"},
		{"chart balance --outcome hours", "takes no outcome"},
		{"chart forest --outcome hours --week 20", "the landmark weeks with them are 13, 26, 35"},
	} {
		args := strings.Fields(tc.args)
		if len(args) > 1 {
			args = append(args, demoData...)
		}
		_, err := run(t, args...)
		if assert.Error(t, err, tc.args) {
			assert.Contains(t, err.Error(), tc.want, tc.args)
		}
	}
}

// A chart from the data leaves randomisation inference out, which no chart
// shows, unless it is asked for by flag or spec; the chart is the same
// either way.
func TestChartSkipsRandomisationInference(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec.yaml")
	require.NoError(t, os.WriteFile(spec, []byte("analysis:\n  ri_draws: 30\n"), 0o644))
	for _, c := range []struct {
		args  []string
		draws int
	}{
		{nil, 0},
		{[]string{"--ri-draws", "50"}, 50},
		{[]string{"--spec", spec}, 30},
	} {
		o := &chartOptions{}
		cmd := &cobra.Command{}
		o.addFlags(cmd, true)
		o.addAnalysisFlags(cmd)
		require.NoError(t, cmd.ParseFlags(c.args))
		require.NoError(t, o.validate())
		assert.Equal(t, c.draws, o.chartPlan().RIDraws, "%v", c.args)
	}

	data := demoData[:4] // without --ri-draws
	skipped, with := filepath.Join(dir, "skipped.svg"), filepath.Join(dir, "with.svg")
	_, err := run(t, append([]string{"chart", "fig5_hours", "--format", "svg", "--out", skipped, "-q"}, data...)...)
	require.NoError(t, err)
	_, err = run(t, append([]string{"chart", "fig5_hours", "--format", "svg", "--out", with, "-q", "--ri-draws", "50"}, data...)...)
	require.NoError(t, err)
	a, _ := os.ReadFile(skipped)
	b, _ := os.ReadFile(with)
	assert.True(t, len(a) > 1000 && bytes.Equal(a, b), "the chart depends on randomisation inference")
}
