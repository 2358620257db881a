package main

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

type resultsDoc struct {
	Command []string
	Inputs  []struct {
		Role, Path, SHA256 string
		Bytes              int64
	}
	Settings map[string]any
	Tables   map[string][]map[string]any
}

func readResults(t *testing.T, path string) resultsDoc {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc resultsDoc
	require.NoError(t, json.Unmarshal(b, &doc))
	return doc
}

// results.json fingerprints the spec and the inputs the spec names
// (resolved against the spec's folder), and records the command line
// without --out.
func TestResultsProvenanceFromSpec(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	require.NoError(t, os.MkdirAll(data, 0o755))
	a, w := writeTrial(t, data, goodAssignment, goodWeeks)
	h := filepath.Join(data, "hours.csv")
	require.NoError(t, os.WriteFile(h, []byte("person_id,week,hours\na,2016-W10,7.5\nb,2016-W11,2\n"), 0o644))
	spec := filepath.Join(dir, "trial.yaml")
	require.NoError(t, os.WriteFile(spec, []byte("inputs:\n  assignment: data/assignment.csv\n  weeks: data/weeks.csv\n  hours: data/hours.csv\nmin_cell: 0\n"), 0o644))
	out := filepath.Join(dir, "out")
	log, err := run(t, "effects", "--spec", spec, "--out", out, "--ri-draws", "10", "--quiet")
	require.NoError(t, err, log)
	doc := readResults(t, filepath.Join(out, "results.json"))
	assert.Equal(t, []string{"rcteval", "effects", "--ri-draws", "10", "--spec", spec}, doc.Command)
	require.Len(t, doc.Inputs, 4)
	for i, want := range []struct{ role, path string }{{"spec", spec}, {"assignment", a}, {"weeks", w}, {"hours", h}} {
		in := doc.Inputs[i]
		assert.Equal(t, want.role, in.Role)
		assert.Equal(t, filepath.Clean(want.path), filepath.Clean(in.Path))
		assert.Equal(t, sha256File(t, want.path), in.SHA256, want.role)
		fi, _ := os.Stat(want.path)
		assert.Equal(t, fi.Size(), in.Bytes)
	}
	assert.Equal(t, float64(0), doc.Settings["min_cell"])
	ri := doc.Settings["randomisation_inference"].(map[string]any)
	assert.Equal(t, true, ri["exact"]) // 10 asked for, but two persons have two assignments
	assert.Equal(t, float64(2), ri["draws"])
	assert.Equal(t, "hours", doc.Tables["effects"][0]["outcome"])
	assert.Equal(t, float64(1), doc.Tables["effects"][0]["n_treatment"])

	// A rerun into another folder writes the same results.json.
	other := filepath.Join(dir, "other")
	_, err = run(t, "effects", "--spec", spec, "--ri-draws", "10", "--out", other)
	require.NoError(t, err)
	x, _ := os.ReadFile(filepath.Join(out, "results.json"))
	y, _ := os.ReadFile(filepath.Join(other, "results.json"))
	assert.Equal(t, string(x), string(y))
}

// --tables chooses the formats; balance writes its two tables in each.
func TestTablesFlag(t *testing.T) {
	dir := t.TempDir()
	a, w := writeTrial(t, dir, goodAssignment, goodWeeks)
	out := filepath.Join(dir, "out")
	_, err := run(t, "balance", "--assignment", a, "--weeks", w, "--out", out, "--min-cell", "0", "--tables", "csv,parquet")
	require.NoError(t, err)
	var names []string
	filepath.Walk(out, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			rel, _ := filepath.Rel(out, path)
			names = append(names, rel)
		}
		return err
	})
	assert.ElementsMatch(t, []string{".rcteval-output", "balance.csv", "attrition.csv", "parquet/balance.parquet", "parquet/attrition.parquet"}, names)

	_, err = run(t, "balance", "--assignment", a, "--weeks", w, "--out", out, "--tables", "csv,pdf")
	assert.ErrorContains(t, err, `--tables "pdf": expected a list of csv, xlsx, parquet, json`)
}

// The demo's workbook (unzipped) and Parquet files (read back) hold no
// person id, and results.json records the embedded inputs' fingerprints.
func TestDemoTablesHoldNoIDs(t *testing.T) {
	dir := t.TempDir()
	_, err := run(t, "demo", "--out", dir, "--ri-draws", "20", "--tables", "xlsx,parquet,json", "--figures", "none")
	require.NoError(t, err)
	z, err := zip.OpenReader(filepath.Join(dir, "tables.xlsx"))
	require.NoError(t, err)
	defer z.Close()
	sheets := 0
	for _, f := range z.File {
		r, err := f.Open()
		require.NoError(t, err)
		b, _ := io.ReadAll(r)
		r.Close()
		assert.NotContains(t, string(b), "P000", f.Name)
		if strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
			sheets++
		}
	}
	assert.Equal(t, 12, sheets) // every table but the rejects listing

	parquets, _ := filepath.Glob(filepath.Join(dir, "parquet", "*.parquet"))
	assert.Len(t, parquets, 13)
	for _, path := range parquets {
		r, err := file.OpenParquetFile(path, false)
		require.NoError(t, err)
		fr, err := pqarrow.NewFileReader(r, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		require.NoError(t, err)
		tbl, err := fr.ReadTable(context.Background())
		require.NoError(t, err)
		for j := 0; j < int(tbl.NumCols()); j++ {
			for _, chunk := range tbl.Column(j).Data().Chunks() {
				if s, ok := chunk.(*array.String); ok {
					for k := 0; k < s.Len(); k++ {
						assert.NotContains(t, s.Value(k), "P000", path)
					}
				}
			}
		}
		tbl.Release()
		r.Close()
	}
	doc := readResults(t, filepath.Join(dir, "results.json"))
	require.Len(t, doc.Inputs, 2)
	assert.Equal(t, "assignment", doc.Inputs[0].Role)
	assert.Equal(t, "assignment.csv.gz", doc.Inputs[0].Path)
	assert.Equal(t, sha256File(t, filepath.Join("..", "..", "testdata", "demo", "assignment.csv.gz")), doc.Inputs[0].SHA256)
	assert.Equal(t, sha256File(t, filepath.Join("..", "..", "testdata", "demo", "weeks.csv.gz")), doc.Inputs[1].SHA256)
	assert.Equal(t, []string{"rcteval", "demo", "--figures", "none", "--ri-draws", "20", "--tables", "xlsx,parquet,json"}, doc.Command)
	// The report's methods section names the same fingerprints.
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), doc.Inputs[1].SHA256)
	_, err = os.Stat(filepath.Join(dir, "effects.csv"))
	assert.True(t, os.IsNotExist(err), "no CSV without csv in --tables")
}

// Writers run side by side, as many at once as there are cores, log in
// their given order, whichever finishes first; the first failure in that
// order is returned, after the lines of the writers before it, and a panic
// reaches the caller.
func TestSideBySide(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // two at once, on any machine
	var log strings.Builder
	w := output{tmp: t.TempDir(), dir: "out", log: &log}
	wait := make(chan struct{})
	slow := func(w output) error {
		<-wait // finishes after the second writer
		return w.file("a.csv", func(p string) error { return os.WriteFile(p, nil, 0o644) })
	}
	fast := func(w output) error {
		defer close(wait)
		return w.file("b.csv", func(p string) error { return os.WriteFile(p, nil, 0o644) })
	}
	require.NoError(t, w.sideBySide(slow, fast))
	line := func(name string) string { return "wrote " + filepath.Join("out", name) + "\n" }
	assert.Equal(t, line("a.csv")+line("b.csv"), log.String())

	log.Reset()
	failing := func(w output) error {
		return w.file("c.csv", func(string) error { return io.ErrShortWrite })
	}
	err := w.sideBySide(func(w output) error {
		return w.file("a.csv", func(p string) error { return os.WriteFile(p, nil, 0o644) })
	}, failing, func(w output) error {
		return w.file("d.csv", func(p string) error { return os.WriteFile(p, nil, 0o644) })
	})
	require.ErrorIs(t, err, io.ErrShortWrite)
	assert.Equal(t, line("a.csv"), log.String())

	assert.PanicsWithValue(t, "bug", func() { _ = w.sideBySide(func(output) error { panic("bug") }) })

	var running, most, done atomic.Int64
	many := make([]func(output) error, 20)
	for i := range many {
		many[i] = func(output) error {
			n := running.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(time.Millisecond)
			running.Add(-1)
			done.Add(1)
			return nil
		}
	}
	require.NoError(t, w.sideBySide(many...))
	assert.Equal(t, int64(20), done.Load())
	assert.Equal(t, int64(2), most.Load(), "writers at once")
}
