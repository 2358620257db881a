package ingest

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline"
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
	assert.Equal(t, 8, csv.Accounting.Rejects()[0].Line, "a CSV line counts the header")
	assert.Equal(t, 7, parquet.Accounting.Rejects()[0].Line, "a Parquet row is a data row")

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

// Integer ids in Parquet match the assignment's text ids, and a DREAM-wide
// file in Parquet reads as the same file in CSV.
func TestParquetIntIDsAndWide(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "assignment.csv", []byte("person_id,arm,randomised_on\n101,treatment,2016-03-09\n102,control,2016-03-20\n"))
	long := filepath.Join(dir, "weeks.parquet")
	require.NoError(t, arrowtable.WriteParquet(long, []string{"person_id", "week", "hours", "status"},
		[]any{[]int64{101, 101, 102}, []string{"2016-W10", "2016-W11", "2016-W12"}, []float64{1.5, 0, 2}, []string{"praktik", "", "benefit"}}, nil, 0))
	ds := load(t, fileConfig(a, long))
	assert.Equal(t, pipeline.SourceAccounting{Source: "weeks.parquet", Unit: "rows", Read: 3, FollowUp: 3}, *ds.Accounting.Sources[0])
	assert.Equal(t, []float64{1.5, 0}, week(t, ds, "hours", 0))

	// Integer ids and codes that alternate row by row: the one-entry caches
	// must not mistake one integer for the one before.
	mixed := filepath.Join(dir, "mixed.parquet")
	require.NoError(t, arrowtable.WriteParquet(mixed, []string{"person_id", "week", "hours", "status"},
		[]any{[]int64{101, 102, 101, 102}, []int32{201610, 201611, 201611, 201612}, []float64{1, 2, 3, 4}, []int32{523, 130, 130, 523}}, nil, 0))
	cfg := fileConfig(a, mixed)
	cfg.Codes["523"], cfg.Codes["130"] = pipeline.StatusPraktik, pipeline.StatusBenefit
	ds = load(t, cfg)
	assert.Equal(t, []float64{1, 2}, week(t, ds, "hours", 0))
	assert.Equal(t, []float64{3, 4}, week(t, ds, "hours", 1))
	assert.Equal(t, []float64{1, 0}, week(t, ds, "praktik", 0))
	assert.Equal(t, []float64{0, 1}, week(t, ds, "praktik", 1))

	wideCSV := writeFile(t, dir, "dream.csv", []byte("cpr,y_1610,y_1611,y_1612\n101,523,523,\n102,,130,130\n"))
	widePq := filepath.Join(dir, "dream.parquet")
	require.NoError(t, arrowtable.WriteParquet(widePq, []string{"cpr", "y_1610", "y_1611", "y_1612"},
		[]any{[]string{"101", "102"}, []string{"523", ""}, []string{"523", "130"}, []string{"", "130"}}, map[string]bool{"y_1611": true}, 0))
	read := func(path string) *pipeline.Dataset {
		cfg := fileConfig(a, path)
		cfg.Weeks[0].Wide, cfg.Weeks[0].Columns = true, map[string]string{ColPersonID: "cpr"}
		cfg.Codes["523"], cfg.Codes["130"] = pipeline.StatusPraktik, pipeline.StatusBenefit
		cfg.Outcomes = []pipeline.OutcomeDef{{Name: "praktik", Kind: pipeline.KindStatus, Statuses: []pipeline.Status{pipeline.StatusPraktik}},
			{Name: "self", Kind: pipeline.KindSelfSupporting}}
		return load(t, cfg)
	}
	fromCSV, fromPq := read(wideCSV), read(widePq)
	for _, name := range []string{"praktik", "self"} {
		for k := range 2 {
			assert.Equal(t, week(t, fromCSV, name, k), week(t, fromPq, name, k), "%s week %d", name, k)
		}
	}
	assert.Equal(t, []float64{1, 0}, week(t, fromPq, "praktik", 0))
	assert.Equal(t, []float64{0, 0}, week(t, fromPq, "self", 1))
	assert.Equal(t, 6, fromPq.Accounting.Sources[1].Read, "cells")
}
