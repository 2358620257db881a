package arrowtable

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/ingest/table"
)

// day is an expected Date value, told apart from an Int.
type day int32

// col is a fixture column: the values to build it from (nil for null;
// strings are parsed by the Arrow builder, integers set the raw value of
// dates and timestamps) and what reading it must give.
type col struct {
	name string
	dt   arrow.DataType
	in   []any
	want []any
}

const (
	jan1st2024 = 19723         // days since 1970-01-01
	msPerDayT  = int64(864e5)  // milliseconds in a day
	lateJan1st = 1704151800000 // 2024-01-01T23:30:00Z, 2 January in Copenhagen
)

// typeCols has a column of every type read, each with a null, in a form
// Parquet and Arrow IPC can both hold.
func typeCols() []col {
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	cph := &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "Europe/Copenhagen"}
	return []col{
		{"sid", arrow.BinaryTypes.String, []any{"P0000001", "", nil, "Åse Ørsted"}, []any{"P0000001", "", nil, "Åse Ørsted"}},
		{"lsid", arrow.BinaryTypes.LargeString, []any{"a", nil, "bb", "ccc"}, []any{"a", nil, "bb", "ccc"}},
		{"iid", arrow.PrimitiveTypes.Int64, []any{"1", "-2", nil, fmt.Sprint(int64(math.MaxInt64))}, []any{int64(1), int64(-2), nil, int64(math.MaxInt64)}},
		{"status", dict, []any{"employed", "unemployed", nil, "employed"}, []any{"employed", "unemployed", nil, "employed"}},
		{"d32", arrow.FixedWidthTypes.Date32, []any{int64(0), int64(-1), nil, int64(jan1st2024)}, []any{day(0), day(-1), nil, day(jan1st2024)}},
		{"d64", arrow.FixedWidthTypes.Date64, []any{int64(0), -msPerDayT, nil, jan1st2024 * msPerDayT}, []any{day(0), day(-1), nil, day(jan1st2024)}},
		{"ts", cph, []any{int64(lateJan1st), int64(-1), nil, int64(0)}, []any{day(jan1st2024), day(-1), nil, day(0)}},
		{"tsus", arrow.FixedWidthTypes.Timestamp_us, []any{int64(lateJan1st * 1000), nil, int64(1), int64(-1)}, []any{day(jan1st2024), nil, day(0), day(-1)}},
		{"f32", arrow.PrimitiveTypes.Float32, []any{"1.5", "-0.25", nil, "1e30"}, []any{1.5, -0.25, nil, float64(float32(1e30))}},
		{"f64", arrow.PrimitiveTypes.Float64, []any{"37.5", nil, "-1e-300", "0"}, []any{37.5, nil, -1e-300, 0.0}},
		{"i32", arrow.PrimitiveTypes.Int32, []any{"202401", nil, "-7", "2147483647"}, []any{int64(202401), nil, int64(-7), int64(math.MaxInt32)}},
		{"i8", arrow.PrimitiveTypes.Int8, []any{"-128", "127", nil, "0"}, []any{int64(-128), int64(127), nil, int64(0)}},
		{"u32", arrow.PrimitiveTypes.Uint32, []any{"4294967295", nil, "0", "1"}, []any{int64(math.MaxUint32), nil, int64(0), int64(1)}},
		{"u64", arrow.PrimitiveTypes.Uint64, []any{"9223372036854775807", nil, "0", "1"}, []any{int64(math.MaxInt64), nil, int64(0), int64(1)}},
		{"flag", arrow.FixedWidthTypes.Boolean, []any{"true", "false", nil, "true"}, []any{int64(1), int64(0), nil, int64(1)}},
		{"dec", &arrow.Decimal128Type{Precision: 9, Scale: 2}, []any{"123.45", nil, "-0.5", "0"}, []any{123.45, nil, -0.5, 0.0}},
		{"f16", arrow.FixedWidthTypes.Float16, []any{"1.5", nil, "-2", "0.25"}, []any{1.5, nil, -2.0, 0.25}},
		{"nul", arrow.Null, []any{nil, nil, nil, nil}, []any{nil, nil, nil, nil}},
	}
}

// ipcOnlyCols are types Parquet cannot hold.
func ipcOnlyCols() []col {
	return []col{
		{"sview", arrow.BinaryTypes.StringView, []any{"short", "a string longer than twelve bytes", nil, ""},
			[]any{"short", "a string longer than twelve bytes", nil, ""}},
		{"bin", arrow.BinaryTypes.Binary, []any{"YWJj", nil, "", "eA=="}, []any{"abc", nil, "", "x"}},
		{"dict8", &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Uint8, ValueType: arrow.BinaryTypes.String},
			[]any{"x", "y", nil, "x"}, []any{"x", "y", nil, "x"}},
	}
}

// record builds cols as one record.
func record(t testing.TB, cols []col) arrow.Record {
	t.Helper()
	fields := make([]arrow.Field, len(cols))
	arrs := make([]arrow.Array, len(cols))
	for j, c := range cols {
		fields[j] = arrow.Field{Name: c.name, Type: c.dt, Nullable: true}
		arrs[j] = buildCol(t, c)
		defer arrs[j].Release()
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), arrs, -1)
}

func buildCol(t testing.TB, c col) arrow.Array {
	b := array.NewBuilder(memory.DefaultAllocator, c.dt)
	defer b.Release()
	for _, v := range c.in {
		switch v := v.(type) {
		case nil:
			b.AppendNull()
		case string:
			require.NoError(t, b.AppendValueFromString(v), c.name)
		case int64:
			switch b := b.(type) {
			case *array.Date32Builder:
				b.Append(arrow.Date32(v))
			case *array.Date64Builder:
				b.Append(arrow.Date64(v))
			case *array.TimestampBuilder:
				b.Append(arrow.Timestamp(v))
			default:
				t.Fatalf("column %s: raw value for %T", c.name, b)
			}
		}
	}
	return b.NewArray()
}

// writeIPCFile writes recs as an Arrow IPC file.
func writeIPCFile(t testing.TB, path string, recs ...arrow.Record) {
	t.Helper()
	writeIPCFileWith(t, path, nil, recs...)
}

// writeIPCFileWith writes recs as an Arrow IPC file with options, such as
// compression.
func writeIPCFileWith(t testing.TB, path string, opts []ipc.Option, recs ...arrow.Record) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	w, err := ipc.NewFileWriter(f, append(opts, ipc.WithSchema(recs[0].Schema()))...)
	require.NoError(t, err)
	for _, r := range recs {
		require.NoError(t, w.Write(r))
	}
	require.NoError(t, w.Close())
}

// writeIPCStream writes recs as an Arrow IPC stream.
func writeIPCStream(t testing.TB, path string, recs ...arrow.Record) {
	t.Helper()
	writeIPCStreamWith(t, path, nil, recs...)
}

// writeIPCStreamWith writes recs as an Arrow IPC stream with options.
func writeIPCStreamWith(t testing.TB, path string, opts []ipc.Option, recs ...arrow.Record) {
	t.Helper()
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, append(opts, ipc.WithSchema(recs[0].Schema()))...)
	for _, r := range recs {
		require.NoError(t, w.Write(r))
	}
	require.NoError(t, w.Close())
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
}

// writePQ writes recs as a Parquet file with row groups of at most
// rowGroup rows, keeping the Arrow schema (so dictionaries stay such).
func writePQ(t testing.TB, path string, rowGroup int64, recs ...arrow.Record) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithMaxRowGroupLength(rowGroup))
	w, err := pqarrow.NewFileWriter(recs[0].Schema(), f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	require.NoError(t, err)
	for _, r := range recs {
		require.NoError(t, w.Write(r))
	}
	require.NoError(t, w.Close())
}

// scanned is what a scan gave: rows of values (nil, string, int64,
// float64 or day), the batches' lengths in Seq order, and the row numbers.
type scanned struct {
	rows    [][]any
	lens    []int
	rowNums []int
	kinds   []table.Kind
}

// scanAll scans cols of tb with workers and returns the rows in file
// order, checking that Seq numbers are 0, 1, 2, … and rows are counted
// across batches.
func scanAll(t testing.TB, tb table.Table, cols []int, workers int) scanned {
	t.Helper()
	type got struct {
		rows    [][]any
		rowNums []int
		kinds   []table.Kind
	}
	var (
		mu    sync.Mutex
		bySeq = map[int]got{}
	)
	err := tb.Scan(cols, workers, func(b table.Batch) error {
		g := got{}
		for j := range cols {
			g.kinds = append(g.kinds, b.Col(j).Kind())
		}
		for i := range b.Len() {
			row := make([]any, len(cols))
			for j := range cols {
				row[j] = value(b.Col(j), i)
			}
			line, column := b.Pos(i, 0)
			if column != 0 || b.RowErr(i) != nil {
				return fmt.Errorf("row %d: column %d, RowErr %v", line, column, b.RowErr(i))
			}
			g.rows = append(g.rows, row)
			g.rowNums = append(g.rowNums, line)
		}
		mu.Lock()
		defer mu.Unlock()
		bySeq[b.Seq()] = g
		return nil
	})
	require.NoError(t, err)
	seqs := make([]int, 0, len(bySeq))
	for s := range bySeq {
		seqs = append(seqs, s)
	}
	sort.Ints(seqs)
	var out scanned
	for i, s := range seqs {
		require.Equal(t, i, s, "Seq numbers must be 0, 1, 2, …")
		g := bySeq[s]
		out.rows = append(out.rows, g.rows...)
		out.rowNums = append(out.rowNums, g.rowNums...)
		out.lens = append(out.lens, len(g.rows))
		out.kinds = g.kinds
	}
	for i, r := range out.rowNums {
		if r != i+1 {
			t.Fatalf("row %d is numbered %d: row numbers must run on across batches", i+1, r)
		}
	}
	return out
}

// value is value i of c as a plain Go value, nil when null.
func value(c table.Column, i int) any {
	if c.Null(i) {
		return nil
	}
	switch c.Kind() {
	case table.Text:
		return string(c.Bytes(i))
	case table.Int:
		return c.Int(i)
	case table.Float:
		return c.Float(i)
	case table.Date:
		return day(c.Date(i))
	}
	panic("unknown kind")
}

// indices are 0 … n-1.
func indices(n int) []int {
	ix := make([]int, n)
	for i := range ix {
		ix[i] = i
	}
	return ix
}

// tempPath is a file name in a fresh temporary directory.
func tempPath(t testing.TB, name string) string {
	return filepath.Join(t.TempDir(), name)
}
