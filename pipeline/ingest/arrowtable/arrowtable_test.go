package arrowtable

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/ingest/table"
)

// formats writes a record in each format this package reads.
var formats = []struct {
	name, ext string
	write     func(t testing.TB, path string, recs ...arrow.Record)
}{
	{"parquet", ".parquet", func(t testing.TB, path string, recs ...arrow.Record) { writePQ(t, path, 1<<20, recs...) }},
	{"ipc file", ".arrow", writeIPCFile},
	{"ipc stream", ".arrows", writeIPCStream},
}

func TestEveryTypeRoundTrips(t *testing.T) {
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			cols := typeCols()
			if f.name != "parquet" {
				cols = append(cols, ipcOnlyCols()...)
			}
			rec := record(t, cols)
			defer rec.Release()
			path := tempPath(t, "types"+f.ext)
			f.write(t, path, rec)

			tb, err := Open(path)
			require.NoError(t, err)
			defer tb.Close()
			names := make([]string, len(cols))
			for j, c := range cols {
				names[j] = c.name
			}
			require.Equal(t, names, tb.Columns())
			assert.Equal(t, "row", tb.Positions())

			got := scanAll(t, tb, indices(len(cols)), 1)
			require.Len(t, got.rows, len(cols[0].want))
			for j, c := range cols {
				for i, want := range c.want {
					assert.Equal(t, want, got.rows[i][j], "column %s row %d", c.name, i+1)
				}
			}
		})
	}
}

// Feather v2 as pyarrow writes it is LZ4-compressed by default.
func TestCompressedIPC(t *testing.T) {
	cols := append(typeCols(), ipcOnlyCols()...)
	rec := record(t, cols)
	defer rec.Release()
	for name, opt := range map[string]ipc.Option{"lz4": ipc.WithLZ4(), "zstd": ipc.WithZstd()} {
		dir := t.TempDir()
		writeIPCFileWith(t, dir+"/c.feather", []ipc.Option{opt}, rec, rec)
		writeIPCStreamWith(t, dir+"/c.arrows", []ipc.Option{opt}, rec, rec)
		for _, file := range []string{"c.feather", "c.arrows"} {
			tb, err := Open(dir + "/" + file)
			require.NoError(t, err, name)
			got := scanAll(t, tb, indices(len(cols)), 2)
			require.NoError(t, tb.Close())
			require.Len(t, got.rows, 2*len(cols[0].want), name)
			for j, c := range cols {
				for i, want := range c.want {
					assert.Equal(t, want, got.rows[len(c.want)+i][j], "%s %s: column %s row %d", name, file, c.name, i+1)
				}
			}
		}
	}
}

func TestKinds(t *testing.T) {
	want := map[string]table.Kind{
		"sid": table.Text, "status": table.Text, "nul": table.Text, "iid": table.Int, "flag": table.Int,
		"u64": table.Int, "f32": table.Float, "dec": table.Float, "f16": table.Float, "d32": table.Date,
		"d64": table.Date, "ts": table.Date,
	}
	cols := typeCols()
	rec := record(t, cols)
	defer rec.Release()
	path := tempPath(t, "kinds.parquet")
	writePQ(t, path, 1<<20, rec)
	tb, err := Open(path)
	require.NoError(t, err)
	defer tb.Close()
	got := scanAll(t, tb, indices(len(cols)), 1)
	for j, c := range cols {
		if k, ok := want[c.name]; ok {
			assert.Equal(t, k, got.kinds[j], c.name)
		}
	}
}

// listRecord has an id, a list column, and hours.
func listRecord(t testing.TB) arrow.Record {
	mem := memory.DefaultAllocator
	lb := array.NewListBuilder(mem, arrow.PrimitiveTypes.Int64)
	defer lb.Release()
	for i := range 3 {
		lb.Append(true)
		lb.ValueBuilder().(*array.Int64Builder).AppendValues([]int64{int64(i), int64(i + 1)}, nil)
	}
	list := lb.NewArray()
	defer list.Release()
	ids := buildCol(t, col{dt: arrow.BinaryTypes.String, in: []any{"a", "b", "c"}})
	defer ids.Release()
	hours := buildCol(t, col{dt: arrow.PrimitiveTypes.Float64, in: []any{"1", "2", "3"}})
	defer hours.Release()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: ids.DataType()}, {Name: "spells", Type: list.DataType()}, {Name: "hours", Type: hours.DataType()},
	}, nil)
	return array.NewRecord(sc, []arrow.Array{ids, list, hours}, -1)
}

func TestOnlyRequestedColumnsAreRead(t *testing.T) {
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			rec := listRecord(t)
			defer rec.Release()
			path := tempPath(t, "list"+f.ext)
			f.write(t, path, rec)

			tb, err := Open(path) // a list column is no reason to refuse the file
			require.NoError(t, err)
			require.Equal(t, []string{"id", "spells", "hours"}, tb.Columns())
			got := scanAll(t, tb, []int{2, 0}, 1)
			assert.Equal(t, [][]any{{1.0, "a"}, {2.0, "b"}, {3.0, "c"}}, got.rows)
			require.NoError(t, tb.Close())

			tb, err = Open(path)
			require.NoError(t, err)
			defer tb.Close()
			err = tb.Scan([]int{0, 1}, 1, func(table.Batch) error {
				t.Fatal("no batch when a column cannot be read")
				return nil
			})
			var te *table.Error
			require.ErrorAs(t, err, &te)
			assert.Contains(t, te.Msg, `column "spells"`)
			assert.Contains(t, te.Msg, "list")
			assert.Contains(t, te.Msg, "expected text")
		})
	}
}

func TestSameColumnTwice(t *testing.T) {
	rec := listRecord(t)
	defer rec.Release()
	path := tempPath(t, "twice.parquet")
	writePQ(t, path, 2, rec)
	tb, err := Open(path)
	require.NoError(t, err)
	defer tb.Close()
	got := scanAll(t, tb, []int{2, 0, 2}, 1)
	assert.Equal(t, [][]any{{1.0, "a", 1.0}, {2.0, "b", 2.0}, {3.0, "c", 3.0}}, got.rows)
	assert.Equal(t, []int{2, 1}, got.lens, "one batch per row group")
}

// plainColumns are n rows of an id, a week, hours and a status.
func plainColumns(n int) ([]string, []any) {
	ids := make([]string, n)
	weeks := make([]int32, n)
	hours := make([]float32, n)
	status := make([]string, n)
	states := []string{"employed", "unemployed", "student", "sick"}
	for i := range n {
		ids[i] = fmt.Sprintf("P%07d", i/10)
		weeks[i] = int32(202401 + i%10)
		hours[i] = float32(i%38) + 0.5
		status[i] = states[i%len(states)]
	}
	return []string{"id", "week", "hours", "status"}, []any{ids, weeks, hours, status}
}

func TestRowGroupsBatchesAndWorkers(t *testing.T) {
	const n = 150_000 // row groups of 100 000 and 50 000 rows, each in batches of batchRows
	var lens []int
	for _, group := range []int{100_000, 50_000} {
		for left := group; left > 0; left -= batchRows {
			lens = append(lens, min(left, batchRows))
		}
	}
	names, cols := plainColumns(n)
	path := tempPath(t, "weeks.parquet")
	require.NoError(t, WriteParquet(path, names, cols, map[string]bool{"status": true}, 100_000))

	var serial scanned
	for _, workers := range []int{1, 4} {
		tb, err := Open(path)
		require.NoError(t, err)
		assert.Equal(t, "Parquet, 2 row groups, 150000 rows", tb.Describe())
		got := scanAll(t, tb, []int{0, 1, 2, 3}, workers)
		require.NoError(t, tb.Close())
		assert.Equal(t, lens, got.lens)
		assert.Equal(t, []table.Kind{table.Text, table.Int, table.Float, table.Text}, got.kinds)
		require.Len(t, got.rows, n)
		for _, i := range []int{0, batchRows - 1, batchRows, 99_999, 100_000, n - 1} {
			want := []any{cols[0].([]string)[i], int64(cols[1].([]int32)[i]), float64(cols[2].([]float32)[i]), cols[3].([]string)[i]}
			require.Equal(t, want, got.rows[i], "row %d", i+1)
		}
		if workers == 1 {
			serial = got
		} else {
			assert.Equal(t, serial.rows, got.rows, "workers 1 and 4 give the same rows")
		}
	}
}

func TestIPCBatchesAndWorkers(t *testing.T) {
	recs := make([]arrow.Record, 5)
	for k := range recs {
		n := 3 * k // the first record is empty and gives no batch
		in := make([]any, n)
		for i := range in {
			in[i] = fmt.Sprint(k*100 + i)
		}
		recs[k] = record(t, []col{{name: "x", dt: arrow.PrimitiveTypes.Int64, in: in}})
		defer recs[k].Release()
	}
	var want [][]any
	for k := range recs {
		for i := range 3 * k {
			want = append(want, []any{int64(k*100 + i)})
		}
	}
	for _, f := range formats[1:] {
		t.Run(f.name, func(t *testing.T) {
			path := tempPath(t, "batches"+f.ext)
			f.write(t, path, recs...)
			for _, workers := range []int{1, 4} {
				tb, err := Open(path)
				require.NoError(t, err)
				got := scanAll(t, tb, []int{0}, workers)
				require.NoError(t, tb.Close())
				assert.Equal(t, []int{3, 6, 9, 12}, got.lens)
				assert.Equal(t, want, got.rows)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	rec := listRecord(t)
	defer rec.Release()
	dir := t.TempDir()
	writeIPCFile(t, dir+"/a.arrow", rec, rec)
	writeIPCStream(t, dir+"/a.arrows", rec)
	writePQ(t, dir+"/a.parquet", 1, rec)
	for path, want := range map[string]string{
		"a.arrow": "Arrow IPC file, 2 record batches", "a.arrows": "Arrow IPC stream", "a.parquet": "Parquet, 3 row groups, 3 rows",
	} {
		tb, err := Open(dir + "/" + path)
		require.NoError(t, err)
		assert.Equal(t, want, tb.Describe())
		assert.Equal(t, path, tb.Name())
		require.NoError(t, tb.Close())
	}
}

func TestEmptyFiles(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, WriteParquet(dir+"/none.parquet", []string{"id", "week"}, []any{[]string{}, []int32{}}, nil, 0))
	rec := record(t, []col{{name: "id", dt: arrow.BinaryTypes.String}, {name: "n", dt: arrow.PrimitiveTypes.Int64}})
	defer rec.Release()
	writePQ(t, dir+"/empty-group.parquet", 10, rec) // one row group of no rows
	writeIPCFile(t, dir+"/empty.arrow", rec)
	writeIPCStream(t, dir+"/empty.arrows", rec)
	for _, name := range []string{"none.parquet", "empty-group.parquet", "empty.arrow", "empty.arrows"} {
		tb, err := Open(dir + "/" + name)
		require.NoError(t, err, name)
		require.Len(t, tb.Columns(), 2)
		require.NoError(t, tb.Scan([]int{1, 0}, 2, func(table.Batch) error {
			t.Fatalf("%s: a batch without rows", name)
			return nil
		}), name)
		require.NoError(t, tb.Close())
	}
}

func TestStopsAtFirstError(t *testing.T) {
	names, cols := plainColumns(300_000)
	path := tempPath(t, "stop.parquet")
	require.NoError(t, WriteParquet(path, names, cols, nil, 10_000)) // 30 batches
	stop := errors.New("stop")
	before := runtime.NumGoroutine()
	for _, workers := range []int{1, 4} {
		tb, err := Open(path)
		require.NoError(t, err)
		var calls atomic.Int32
		err = tb.Scan([]int{0, 1}, workers, func(b table.Batch) error {
			if b.Seq() == 1 {
				return stop
			}
			calls.Add(1)
			return nil
		})
		require.NoError(t, tb.Close())
		assert.Same(t, stop, err, "fn's error is returned as is")
		assert.Less(t, int(calls.Load()), 2*workers+2, "decoding stops: no more than the batches in flight are seen")
	}
	waitGoroutines(t, before)
}

func TestPanicInWorkerReachesCaller(t *testing.T) {
	names, cols := plainColumns(10)
	path := tempPath(t, "panic.parquet")
	require.NoError(t, WriteParquet(path, names, cols, nil, 3))
	tb, err := Open(path)
	require.NoError(t, err)
	defer tb.Close()
	assert.PanicsWithValue(t, "boom", func() {
		_ = tb.Scan([]int{0}, 3, func(table.Batch) error { panic("boom") })
	})
}

// waitGoroutines fails unless the goroutine count falls back to before.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines leaked")
}

func TestBytesDoNotAllocateAndAreCapped(t *testing.T) {
	names, cols := plainColumns(1000)
	path := tempPath(t, "bytes.parquet")
	require.NoError(t, WriteParquet(path, names, cols, map[string]bool{"status": true}, 0))
	tb, err := Open(path)
	require.NoError(t, err)
	defer tb.Close()
	require.NoError(t, tb.Scan([]int{0, 3}, 1, func(b table.Batch) error {
		ids, status := b.Col(0), b.Col(1)
		allocs := testing.AllocsPerRun(10, func() {
			for i := range b.Len() {
				_ = ids.Bytes(i)
				_ = status.Bytes(i)
				_ = ids.Null(i) || status.Null(i)
			}
		})
		assert.Zero(t, allocs)
		v := ids.Bytes(0)
		_ = append(v, 'X')
		assert.Equal(t, "P0000000", string(ids.Bytes(1)), "appending to a value leaves the next alone")
		return nil
	}))
}

func TestUint64TooLarge(t *testing.T) {
	rec := record(t, []col{{name: "n", dt: arrow.PrimitiveTypes.Uint64, in: []any{"1", nil, "18446744073709551615"}}})
	defer rec.Release()
	path := tempPath(t, "u64.arrow")
	writeIPCFile(t, path, rec)
	tb, err := Open(path)
	require.NoError(t, err)
	defer tb.Close()
	err = tb.Scan([]int{0}, 1, func(table.Batch) error { return nil })
	var te *table.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 3, te.Line, "the row")
	assert.Contains(t, te.Msg, "too large")
}

func TestTimestampTooFarForADate(t *testing.T) {
	ts := &arrow.TimestampType{Unit: arrow.Second}
	rec := record(t, []col{{name: "t", dt: ts, in: []any{int64(1) << 62}}})
	defer rec.Release()
	path := tempPath(t, "far.arrows")
	writeIPCStream(t, path, rec)
	tb, err := Open(path)
	require.NoError(t, err)
	defer tb.Close()
	err = tb.Scan([]int{0}, 1, func(table.Batch) error { return nil })
	var te *table.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 1, te.Line)
}

func TestOpenByExtensionOrContent(t *testing.T) {
	for _, p := range []string{"a.parquet", "A.PARQ", "x.arrow", "x.feather", "x.ipc", "x.arrows"} {
		assert.True(t, IsColumnar(p), p)
	}
	for _, p := range []string{"a.csv", "a.csv.gz", "parquet", "a.txt"} {
		assert.False(t, IsColumnar(p), p)
	}
	rec := listRecord(t)
	defer rec.Release()
	dir := t.TempDir()
	writePQ(t, dir+"/pq.dat", 10, rec)
	writeIPCFile(t, dir+"/file.dat", rec)
	writeIPCStream(t, dir+"/stream.dat", rec)
	writeIPCStream(t, dir+"/stream.arrow", rec) // a stream named as a file is read all the same
	for _, name := range []string{"pq.dat", "file.dat", "stream.dat", "stream.arrow"} {
		tb, err := Open(dir + "/" + name)
		require.NoError(t, err, name)
		got := scanAll(t, tb, []int{0}, 1)
		assert.Equal(t, [][]any{{"a"}, {"b"}, {"c"}}, got.rows, name)
		require.NoError(t, tb.Close())
	}
	require.NoError(t, os.WriteFile(dir+"/text.dat", []byte("id;week\n1;2\n"), 0o644))
	_, err := Open(dir + "/text.dat")
	var te *table.Error
	require.ErrorAs(t, err, &te)
	assert.Contains(t, te.Msg, "neither a Parquet nor an Arrow IPC file")

	_, err = OpenParquet(dir + "/file.dat")
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "not a Parquet file: it is an Arrow IPC file", te.Msg)
	_, err = Open(dir + "/missing.parquet")
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// openErr opens path, scans every column and returns the *table.Error
// either gave.
func openErr(t *testing.T, path string) *table.Error {
	t.Helper()
	var te *table.Error
	tb, err := Open(path)
	if err == nil {
		err = tb.Scan(indices(len(tb.Columns())), 2, func(b table.Batch) error { return nil })
		tb.Close()
	}
	require.ErrorAs(t, err, &te)
	return te
}

func TestDamagedFiles(t *testing.T) {
	names, cols := plainColumns(20_000)
	dir := t.TempDir()
	good := dir + "/good.parquet"
	require.NoError(t, WriteParquet(good, names, cols, map[string]bool{"status": true}, 5000))
	data, err := os.ReadFile(good)
	require.NoError(t, err)

	write := func(name string, b []byte) string {
		require.NoError(t, os.WriteFile(dir+"/"+name, b, 0o644))
		return dir + "/" + name
	}
	te := openErr(t, write("half.parquet", data[:len(data)/2]))
	assert.Contains(t, te.Msg, "truncated Parquet file: the footer is missing")

	rnd := make([]byte, 4096)
	for i := range rnd {
		rnd[i] = byte(rand.IntN(256))
	}
	te = openErr(t, write("random.parquet", rnd))
	assert.Contains(t, te.Msg, "not a Parquet file")
	te = openErr(t, write("empty.parquet", nil))
	assert.Equal(t, "not a Parquet file: the file is empty", te.Msg)
	te = openErr(t, write("magic.parquet", append(append([]byte("PAR1"), rnd...), "PAR1"...)))
	assert.Contains(t, te.Msg, "corrupt Parquet file")

	// Damage in the data pages must be reported or read, never panic.
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		bad := append([]byte(nil), data...)
		for range 1 + r.IntN(8) {
			bad[4+r.IntN(len(bad)/2)] ^= byte(1 + r.IntN(255))
		}
		path := write("flipped.parquet", bad)
		tb, err := Open(path)
		if err == nil {
			err = tb.Scan([]int{0, 1, 2, 3}, 2, touchAll(4))
			tb.Close()
		}
		if err != nil {
			var te *table.Error
			require.ErrorAs(t, err, &te)
		}
	}
}

func TestDamagedIPC(t *testing.T) {
	recs := make([]arrow.Record, 3)
	for k := range recs {
		recs[k] = listRecord(t)
		defer recs[k].Release()
	}
	dir := t.TempDir()
	writeIPCStream(t, dir+"/s.arrows", recs...)
	writeIPCFile(t, dir+"/f.arrow", recs...)
	stream, err := os.ReadFile(dir + "/s.arrows")
	require.NoError(t, err)
	file, err := os.ReadFile(dir + "/f.arrow")
	require.NoError(t, err)

	write := func(name string, b []byte) string {
		require.NoError(t, os.WriteFile(dir+"/"+name, b, 0o644))
		return dir + "/" + name
	}
	for cut := 4; cut < len(stream)-8; cut += 7 {
		te := openErr(t, write("cut.arrows", stream[:cut]))
		assert.Contains(t, te.Msg, "truncated Arrow IPC stream", "cut at %d", cut)
	}
	te := openErr(t, write("noeos.arrows", stream[:len(stream)-8])) // cut exactly before the end marker
	assert.Contains(t, te.Msg, "without the end-of-stream marker")
	te = openErr(t, write("half.arrow", file[:len(file)/2]))
	assert.Contains(t, te.Msg, "truncated Arrow IPC file")
	te = openErr(t, write("v1.feather", []byte("FEA1\x00\x00\x00\x00")))
	assert.Contains(t, te.Msg, "Feather version 1")

	r := rand.New(rand.NewPCG(3, 4))
	for _, good := range [][]byte{stream, file} {
		for range 300 {
			bad := append([]byte(nil), good...)
			for range 1 + r.IntN(4) {
				bad[8+r.IntN(len(bad)-16)] ^= byte(1 + r.IntN(255))
			}
			tb, err := OpenArrow(write("flipped.arrow", bad))
			if err == nil {
				err = tb.Scan([]int{0, 2}, 1, touchAll(2))
				tb.Close()
			}
			if err != nil {
				var te *table.Error
				require.ErrorAs(t, err, &te)
			}
		}
	}
}

// touchAll returns a callback that reads every value of the first ncols
// columns of a batch with the accessor of its kind.
func touchAll(ncols int) func(table.Batch) error {
	return func(b table.Batch) error {
		for j := range ncols {
			c := b.Col(j)
			for i := range b.Len() {
				_ = value(c, i)
			}
		}
		return nil
	}
}

func TestWriteParquetRoundTrip(t *testing.T) {
	path := tempPath(t, "w.parquet")
	names := []string{"s", "d", "i32", "i64", "f32", "f64", "b", "date"}
	cols := []any{
		[]string{"x", "y", "x"}, []string{"u", "v", "u"}, []int32{1, -2, 3}, []int64{1 << 40, 0, -1},
		[]float32{0.5, 1, 2}, []float64{1e-3, 2, 3}, []bool{true, false, true}, DateColumn{0, -1, jan1st2024},
	}
	require.NoError(t, WriteParquet(path, names, cols, map[string]bool{"d": true}, 2))
	tb, err := Open(path)
	require.NoError(t, err)
	defer tb.Close()
	assert.Equal(t, "Parquet, 2 row groups, 3 rows", tb.Describe())
	assert.Equal(t, names, tb.Columns())
	got := scanAll(t, tb, indices(len(names)), 1)
	assert.Equal(t, [][]any{
		{"x", "u", int64(1), int64(1 << 40), 0.5, 1e-3, int64(1), day(0)},
		{"y", "v", int64(-2), int64(0), 1.0, 2.0, int64(0), day(-1)},
		{"x", "u", int64(3), int64(-1), 2.0, 3.0, int64(1), day(jan1st2024)},
	}, got.rows)

	for i, name := range names {
		cc, err := tb.(*parquetTable).rdr.MetaData().RowGroup(0).ColumnChunk(i)
		require.NoError(t, err)
		assert.Equal(t, name == "d", cc.HasDictionaryPage(), "%s: only the columns asked for are dictionary-encoded", name)
	}

	assert.ErrorContains(t, WriteParquet(path, []string{"a", "b"}, []any{[]int32{1}, []int32{1, 2}}, nil, 0), "values")
	assert.ErrorContains(t, WriteParquet(path, []string{"a"}, []any{[]uint8{1}}, nil, 0), "unsupported")
	assert.ErrorContains(t, WriteParquet(path, []string{"a"}, []any{[]int32{1}}, map[string]bool{"a": true}, 0), "dictionary")
}
