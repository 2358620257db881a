package arrowtable

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"rcteval/pipeline/ingest/table"
)

// benchRows is the size of the benchmark file: 100 000 persons × 50 weeks.
const benchRows = 5_000_000

// benchFile is written once per test binary and removed by TestMain.
var benchFile struct {
	once sync.Once
	dir  string
	path string
	size int64
	err  error
}

// Tests run with freed buffers poisoned (see recyclingAllocator), so that
// any of them read after it is freed shows; benchmarks without.
func TestMain(m *testing.M) {
	poisonFreed = true
	code := m.Run()
	if benchFile.dir != "" {
		os.RemoveAll(benchFile.dir)
	}
	os.Exit(code)
}

// weeklyParquet writes the benchmark file: a person id like "P0001234",
// an int32 week (YYYYWW), float32 hours and a dictionary-encoded status,
// in row groups of 1 Mi rows.
func weeklyParquet(b *testing.B) (string, int64) {
	benchFile.once.Do(func() {
		benchFile.dir, benchFile.err = os.MkdirTemp("", "arrowtable-bench")
		if benchFile.err != nil {
			return
		}
		ids := make([]string, benchRows)
		weeks := make([]int32, benchRows)
		hours := make([]float32, benchRows)
		status := make([]string, benchRows)
		states := []string{"employed", "unemployed", "education", "sick", "leave"}
		r := rand.New(rand.NewPCG(1, 2))
		for i := range benchRows {
			ids[i] = fmt.Sprintf("P%07d", i/50) // sorted by person, then week
			weeks[i] = int32(202401 + i%50)
			switch s := r.IntN(10); {
			case s < 3:
				hours[i] = 0
			case s < 6:
				hours[i] = 37
			default:
				hours[i] = float32(r.IntN(1500)) / 20 // 0 … 75 in steps of 3 minutes
			}
			status[i] = states[r.IntN(len(states))]
		}
		benchFile.path = filepath.Join(benchFile.dir, "weekly.parquet")
		benchFile.err = WriteParquet(benchFile.path, []string{"id", "week", "hours", "status"},
			[]any{ids, weeks, hours, status}, map[string]bool{"status": true}, 0)
		if benchFile.err == nil {
			var st os.FileInfo
			st, benchFile.err = os.Stat(benchFile.path)
			if st != nil {
				benchFile.size = st.Size()
			}
		}
	})
	if benchFile.err != nil {
		b.Fatal(benchFile.err)
	}
	return benchFile.path, benchFile.size
}

// BenchmarkScanParquet scans 5 M rows × 4 columns with two workers,
// touching every value; MB/s is of the file's size.
func BenchmarkScanParquet(b *testing.B) {
	poisonFreed = false
	defer func() { poisonFreed = true }()
	path, size := weeklyParquet(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		var rows, sink atomic.Int64
		tb, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		err = tb.Scan([]int{0, 1, 2, 3}, 2, func(bt table.Batch) error {
			id, week, hours, status := bt.Col(0), bt.Col(1), bt.Col(2), bt.Col(3)
			var s int64
			var h float64
			for i := range bt.Len() {
				s += int64(len(id.Bytes(i))) + week.Int(i) + int64(len(status.Bytes(i)))
				h += hours.Float(i)
			}
			sink.Add(s + int64(h))
			rows.Add(int64(bt.Len()))
			return nil
		})
		tb.Close()
		if err != nil {
			b.Fatal(err)
		}
		if rows.Load() != benchRows {
			b.Fatalf("%d rows", rows.Load())
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(size)/(1<<20), "file-MiB")
}
