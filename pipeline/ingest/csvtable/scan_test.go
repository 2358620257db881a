package csvtable

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/ingest/table"
)

// messyInput is a few MiB of ';'-separated Windows-1252 records with
// quoted separators, doubled quotes and quoted line ends (some \r\n), and a
// few broken rows, so that with a small block size many block boundaries
// fall inside quoted fields.
func messyInput(size int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString("person_id;note;hours;status\r\n")
	notes := []string{"plain", "\"a;b\"", "\"line1\nline2\"", "\"say \"\"hi\"\"\"", "\"x\r\n\r\ny\"", "\"\"", "\xe6\xf8\xe5", "\"\n\n\n\""}
	for i := 0; b.Len() < size; i++ {
		switch rng.IntN(500) {
		case 0:
			fmt.Fprintf(&b, "P%06d;x\"y;1;bad\n", i) // bare quote
		case 1:
			fmt.Fprintf(&b, "P%06d;short\n", i) // ragged
		case 2:
			b.WriteString("\n") // blank
		default:
			fmt.Fprintf(&b, "P%06d;%s;%d,%d;%s\n", i, notes[rng.IntN(len(notes))], rng.IntN(40), rng.IntN(10), []string{"praktik", "ledig", "job"}[rng.IntN(3)])
		}
	}
	return b.Bytes()
}

func TestWorkersAgree(t *testing.T) {
	in := messyInput(2 << 20)
	read := func(block, workers int) []row {
		withBlockSize(t, block)
		f, err := New("messy.csv", bytes.NewReader(in), Options{})
		require.NoError(t, err)
		defer f.Close()
		require.Equal(t, Dialect{Sep: ';', DecimalComma: true, Encoding: Windows1252}, f.Dialect())
		rows, err := collect(f, []int{3, 1, 0}, workers)
		require.NoError(t, err)
		return rows
	}
	want := read(1<<20, 1)
	require.Greater(t, len(want), 40000)
	var bad int
	for _, r := range want {
		if r.Err != nil {
			bad++
		}
	}
	assert.Greater(t, bad, 10, "the input has broken rows")
	checkAgainstCSV(t, in, want)
	for _, workers := range []int{1, 2, 4} {
		for _, block := range []int{64, 4099} {
			t.Run(fmt.Sprintf("workers=%d/block=%d", workers, block), func(t *testing.T) {
				requireSameRows(t, want, read(block, workers))
			})
		}
	}
}

// requireSameRows compares rows, naming the first that differs.
func requireSameRows(t *testing.T, want, got []row) {
	t.Helper()
	if reflect.DeepEqual(want, got) {
		return
	}
	for i := range min(len(want), len(got)) {
		require.Equal(t, want[i], got[i], "row %d", i)
	}
	require.Equal(t, len(want), len(got), "number of rows")
}

// checkAgainstCSV compares the good rows with encoding/csv's reading of the
// same (transcoded) input, skipping the records it cannot read.
func checkAgainstCSV(t *testing.T, in []byte, rows []row) {
	r := csv.NewReader(bytes.NewReader(decode1252(nil, in)))
	r.Comma = ';'
	r.FieldsPerRecord = -1
	_, err := r.Read()
	require.NoError(t, err)
	var recs [][]string
	for {
		rec, err := r.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue
			}
			require.ErrorIs(t, err, io.EOF)
			break
		}
		if len(rec) == 4 {
			recs = append(recs, []string{rec[3], rec[1], rec[0]})
		}
	}
	good := fieldsOf(rows)
	require.Equal(t, len(recs), len(good))
	if !reflect.DeepEqual(recs, good) {
		for i := range recs {
			require.Equal(t, recs[i], good[i], "good row %d", i)
		}
	}
}

func TestScanStopsOnError(t *testing.T) {
	in := messyInput(2 << 20)
	stop := errors.New("stop")
	for _, workers := range []int{1, 2, 4} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			withBlockSize(t, 4096)
			before := runtime.NumGoroutine()
			f, err := New("messy.csv", bytes.NewReader(in), Options{})
			require.NoError(t, err)
			var calls, running, most atomic.Int32
			err = f.Scan([]int{0}, workers, func(b table.Batch) error {
				n := running.Add(1)
				defer running.Add(-1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(time.Millisecond)
				if calls.Add(1) == 5 {
					return stop
				}
				return nil
			})
			assert.ErrorIs(t, err, stop)
			assert.Less(t, calls.Load(), int32(5+workers+3), "fn is not called long after it failed")
			assert.LessOrEqual(t, most.Load(), int32(max(workers, 1)))
			require.NoError(t, f.Close())
			assert.True(t, goroutinesBackTo(before), "goroutines left behind: %d, expected %d", runtime.NumGoroutine(), before)
		})
	}
}

func TestScanNoColumns(t *testing.T) {
	withBlockSize(t, 100)
	in := messyInput(1 << 16)
	f, err := New("messy.csv", bytes.NewReader(in), Options{})
	require.NoError(t, err)
	var n atomic.Int64
	require.NoError(t, f.Scan(nil, 2, func(b table.Batch) error {
		n.Add(int64(b.Len()))
		return nil
	}))
	g, err := New("messy.csv", bytes.NewReader(in), Options{})
	require.NoError(t, err)
	rows, err := collect(g, []int{0}, 1)
	require.NoError(t, err)
	assert.Equal(t, int64(len(rows)), n.Load())
}

// goroutinesBackTo waits up to a second for the number of goroutines to
// drop to n; one that has called wg.Done may not have exited yet.
func goroutinesBackTo(n int) bool {
	for range 100 {
		if runtime.NumGoroutine() <= n {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

func TestSomeColumns(t *testing.T) {
	in := "a,b,c,d\n1,2,3,4\n5,6,7\n8,9,\"x,y\",10\n11,12,13,14,15\n16,17,18,\"z\"\"\"\r\n19,20,21,22\r\n"
	f, err := New("x.csv", bytes.NewReader([]byte(in)), Options{})
	require.NoError(t, err)
	rows, err := collect(f, []int{1, 0, 1}, 1)
	require.NoError(t, err)
	require.Len(t, rows, 6)
	assert.Equal(t, [][]string{{"2", "1", "2"}, {"9", "8", "9"}, {"17", "16", "17"}, {"20", "19", "20"}}, fieldsOf(rows))
	requireTableError(t, rows[1].Err, 3, 1, "wrong number of fields: 3; expected 4")
	requireTableError(t, rows[3].Err, 5, 1, "wrong number of fields: 5; expected 4")
}

func TestBuffersAreReused(t *testing.T) {
	withBlockSize(t, 256)
	in := messyInput(1 << 20)
	for _, workers := range []int{1, 3} {
		f, err := New("messy.csv", bytes.NewReader(in), Options{})
		require.NoError(t, err)
		var mu sync.Mutex
		seen := map[table.Batch]bool{}
		calls := 0
		require.NoError(t, f.Scan([]int{0}, workers, func(b table.Batch) error {
			mu.Lock()
			defer mu.Unlock()
			seen[b] = true
			calls++
			return nil
		}))
		assert.Greater(t, calls, 1000)
		assert.LessOrEqual(t, len(seen), workers+2, "batches (and their chunks) in use")
	}
}

func TestRecordTooLong(t *testing.T) {
	withBlockSize(t, 64)
	old := maxChunk
	maxChunk = 4096
	t.Cleanup(func() { maxChunk = old })
	in := "a,b\n1,2\n3,\"" + strings.Repeat("x,y\n", 10000)
	f, err := New("x.csv", strings.NewReader(in), Options{})
	require.NoError(t, err)
	_, err = collect(f, allCols(f), 2)
	requireTableError(t, err, 3, 0, "a record starting at line 3 is longer than 4096 bytes; expected a line end (is a quote not closed?)")
}

// A file's guess of its rows from the first batch is near the rows it has
// when its rows are alike, and the batch's own rows for a reader.
func TestRowsHint(t *testing.T) {
	withBlockSize(t, 1000)
	var text strings.Builder
	text.WriteString("id,x\n")
	for i := range 5000 {
		fmt.Fprintf(&text, "P%05d,%d\n", i, i%7)
	}
	path := filepath.Join(t.TempDir(), "a.csv")
	require.NoError(t, os.WriteFile(path, []byte(text.String()), 0o644))
	for _, open := range []func() (*File, error){
		func() (*File, error) { return Open(path, Options{}) },
		func() (*File, error) { return New("a.csv", strings.NewReader(text.String()), Options{}) },
	} {
		f, err := open()
		require.NoError(t, err)
		hint, first := 0, 0
		require.NoError(t, f.Scan([]int{0, 1}, 1, func(b table.Batch) error {
			if b.Seq() == 0 {
				hint, first = f.RowsHint(b), b.Len()
			}
			return nil
		}))
		assert.Less(t, first, 1000)
		if f.counter != nil {
			assert.InDelta(t, 5000, hint, 100, "from the file's size")
		} else {
			assert.Equal(t, first, hint, "a reader of unknown size")
		}
	}
}
