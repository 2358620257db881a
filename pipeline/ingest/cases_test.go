package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/spec"
)

// Every case under testdata/cases (made by testdata/make_cases.py) is a
// trial with one thing wrong, or odd: its folder holds the files that differ
// from testdata/cases/good, an optional spec.yaml, and want: "error" or "ok",
// then the substrings the error (or, for ok, the notes and rejects) must hold.
func TestCases(t *testing.T) {
	dirs, err := filepath.Glob("testdata/cases/*/want")
	require.NoError(t, err)
	require.Greater(t, len(dirs), 40)
	for _, want := range dirs {
		dir := filepath.Dir(want)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			b, err := os.ReadFile(want)
			require.NoError(t, err)
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			ds, err := Load(caseConfig(t, dir))
			sameByColumns(t, caseConfig(t, dir), ds, err)
			if lines[0] == "error" {
				require.Error(t, err)
				for _, w := range lines[1:] {
					assert.Contains(t, err.Error(), w)
				}
				return
			}
			require.NoError(t, err)
			require.True(t, ds.Accounting.Balanced())
			var got strings.Builder
			for _, n := range append(ds.Assignment.Notes, ds.Accounting.Notes...) {
				fmt.Fprintln(&got, n)
			}
			for _, r := range ds.Accounting.Rejected() {
				fmt.Fprintln(&got, r.Reason)
			}
			if n := ds.Accounting.NeverAtRisk; n[0]+n[1] > 0 {
				fmt.Fprintln(&got, "never at risk")
			}
			for _, w := range lines[1:] {
				assert.Contains(t, got.String(), w)
			}
		})
	}
}

// caseConfig reads a case's spec, if any, with the case's files (or the
// good trial's) as inputs, as the command-line flags would give them.
func caseConfig(t *testing.T, dir string) Config {
	t.Helper()
	s := spec.Default()
	if _, err := os.Stat(filepath.Join(dir, "spec.yaml")); err == nil {
		var err error
		s, err = spec.Load(filepath.Join(dir, "spec.yaml"))
		require.NoError(t, err)
	}
	cfg, err := FromSpec(s)
	require.NoError(t, err)
	file := func(name string) string {
		if p := filepath.Join(dir, name); exists(p) {
			return p
		}
		return filepath.Join("testdata", "cases", "good", name)
	}
	cfg.Assignment.Path = file("assignment.csv")
	if len(cfg.Weeks) == 0 {
		cfg.Weeks = []Input{cfg.NewInput("")}
	}
	cfg.Weeks[0].Path = file("weeks.csv")
	cfg.Today, cfg.Workers = today, 2
	return cfg
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }
