package ingest

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/ingest/arrowtable"
)

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p
}

func gz(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// fileConfig reads the hand-worked trial from files in dir.
func fileConfig(assignment, weeks string) Config {
	cfg := Default()
	cfg.Today, cfg.MaxMissing = today, 1
	cfg.Assignment = Input{Path: assignment}
	cfg.Weeks = []Input{{Path: weeks}}
	return cfg
}

func TestGzipFiles(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "assignment.csv.gz", gz([]byte(handAssignment)))
	w := writeFile(t, dir, "weeks.csv.gz", gz([]byte(handWeeks)))
	ds := load(t, fileConfig(a, w))
	assert.Equal(t, 5, ds.Accounting.Sources[0].FollowUp)

	// A truncated file is an error naming the file, not a short read.
	full := gz([]byte(handWeeks + handWeeks[len("person_id,week,hours,status\n"):]))
	cut := writeFile(t, dir, "cut.csv.gz", full[:len(full)*2/3])
	_, err := Load(fileConfig(a, cut))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cut.csv.gz")
	assert.Contains(t, err.Error(), "truncated")

	notGzip := writeFile(t, dir, "plain.csv.gz", []byte("not gzip at all\n"))
	_, err = Load(fileConfig(a, notGzip))
	assert.ErrorContains(t, err, "plain.csv.gz")
}

func TestParquetFiles(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "assignment.csv", []byte(handAssignment))
	w := filepath.Join(dir, "weeks.parquet")
	ids := []string{"a", "a", "a", "b", "b", "c", "x", "b"}
	weeks := []int32{201608, 201610, 201612, 201611, 201614, 201614, 201612, 201614}
	hours := []float64{3, 0, 7.5, 2.25, 10, 1, 4, 99}
	status := []string{"benefit", "praktik", "", "wage_subsidy", "benefit", "", "", ""}
	require.NoError(t, arrowtable.WriteParquet(w, []string{"person_id", "week", "hours", "status"},
		[]any{ids, weeks, hours, status}, map[string]bool{"status": true}, 3))
	parquet := load(t, fileConfig(a, w))
	csv := load(t, handConfig())
	for _, name := range []string{"hours", "employed", "praktik", "wage_subsidy", "sustained13"} {
		for k := range 5 {
			assert.Equal(t, week(t, csv, name, k), week(t, parquet, name, k), "%s week %d", name, k)
		}
	}
	assert.Equal(t, 8, csv.Accounting.Rejects[0].Line, "a CSV line counts the header")
	assert.Equal(t, 7, parquet.Accounting.Rejects[0].Line, "a Parquet row is a data row")

	// A column of a type that cannot hold weeks names the column and the type.
	bad := filepath.Join(dir, "bad.parquet")
	fweeks := make([]float64, len(weeks))
	for i, w := range weeks {
		fweeks[i] = float64(w)
	}
	require.NoError(t, arrowtable.WriteParquet(bad, []string{"person_id", "week", "hours", "status"},
		[]any{ids, fweeks, hours, status}, nil, 0))
	_, err := Load(fileConfig(a, bad))
	require.Error(t, err)
	assert.Equal(t, `bad.parquet: column "week" is a floating point column; expected text, integer, date`, err.Error())

	// A truncated Parquet file.
	data, err := os.ReadFile(w)
	require.NoError(t, err)
	cut := writeFile(t, dir, "cut.parquet", data[:len(data)/2])
	_, err = Load(fileConfig(a, cut))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cut.parquet")
}
