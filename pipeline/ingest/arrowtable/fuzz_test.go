package arrowtable

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"rcteval/pipeline/ingest/table"
)

// fuzzSeeds adds a small valid file written by write and some of its
// truncations; few, so that the seed corpus runs in well under a second.
func fuzzSeeds(f *testing.F, write func(path string)) {
	path := filepath.Join(f.TempDir(), "seed")
	write(path)
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, n := range []int{len(data) / 2, len(data) - 1, len(data) - 8, 64} {
		if n > 0 && n < len(data) {
			f.Add(data[:n])
		}
	}
}

// openAndScan opens data written to a file named name and scans every
// column, touching every value; any failure must be a *table.Error.
func openAndScan(t *testing.T, name string, data []byte) {
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	tb, err := Open(path)
	if err == nil {
		n := len(tb.Columns())
		err = tb.Scan(indices(n), 2, touchAll(n))
		tb.Close()
	}
	var te *table.Error
	if err != nil && !errors.As(err, &te) {
		t.Fatalf("%T %v is not a *table.Error", err, err)
	}
}

func FuzzOpenParquet(f *testing.F) {
	fuzzSeeds(f, func(path string) {
		names, cols := plainColumns(30)
		if err := WriteParquet(path, names, cols, map[string]bool{"status": true}, 10); err != nil {
			f.Fatal(err)
		}
	})
	fuzzSeeds(f, func(path string) {
		rec := record(f, typeCols())
		defer rec.Release()
		writePQ(f, path, 2, rec)
	})
	f.Fuzz(func(t *testing.T, data []byte) { openAndScan(t, "f.parquet", data) })
}

func FuzzOpenArrow(f *testing.F) {
	cols := append(typeCols(), ipcOnlyCols()...)
	fuzzSeeds(f, func(path string) {
		rec := record(f, cols)
		defer rec.Release()
		writeIPCStream(f, path, rec, rec)
	})
	fuzzSeeds(f, func(path string) {
		rec := record(f, cols)
		defer rec.Release()
		writeIPCFile(f, path, rec, rec)
	})
	f.Fuzz(func(t *testing.T, data []byte) { openAndScan(t, "f.arrow", data) })
}
