package arrowtable

import (
	"encoding/binary"
	"os"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/ingest/table"
)

// pqCol is a column written with the Parquet library itself: its node, and
// a function writing its values with their definition levels.
type pqCol struct {
	node  func(name string) (schema.Node, error)
	write func(cw file.ColumnChunkWriter) error
	want  []any
}

// writePQColumns writes cols, named c0, c1, …, as one row group.
func writePQColumns(t *testing.T, path string, cols []pqCol) {
	t.Helper()
	fields := make(schema.FieldList, len(cols))
	for i, c := range cols {
		var err error
		fields[i], err = c.node("c" + string(rune('0'+i)))
		require.NoError(t, err)
	}
	sc, err := schema.NewGroupNode("schema", parquet.Repetitions.Required, fields, -1)
	require.NoError(t, err)
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	w := file.NewParquetWriter(f, sc)
	rg := w.AppendRowGroup()
	for _, c := range cols {
		cw, err := rg.NextColumn()
		require.NoError(t, err)
		require.NoError(t, c.write(cw))
		require.NoError(t, cw.Close())
	}
	require.NoError(t, rg.Close())
	require.NoError(t, w.Close())
}

// int96 is a legacy timestamp: nanoseconds into a Julian day.
func int96(julian uint32, nanos int64) (v parquet.Int96) {
	binary.LittleEndian.PutUint64(v[:8], uint64(nanos))
	binary.LittleEndian.PutUint32(v[8:], julian)
	return v
}

// bigEndian is x as a big-endian two's complement integer of n bytes.
func bigEndian(x int64, n int) []byte {
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = byte(x)
		x >>= 8 // arithmetic: a negative number fills with 0xff
	}
	return b
}

// Types that Arrow's writer does not produce but other writers do (Spark,
// Impala, parquet-mr, databases): INT96 timestamps, decimals in every
// physical type, legacy converted types, unsigned 16-bit integers; each
// column optional with nulls first and last, or required.
func TestParquetWritersTypes(t *testing.T) {
	opt, req := parquet.Repetitions.Optional, parquet.Repetitions.Required
	defs := []int16{0, 1, 1, 0} // null, value, value, null
	logical := func(rep parquet.Repetition, lt schema.LogicalType, phys parquet.Type, length int) func(string) (schema.Node, error) {
		return func(name string) (schema.Node, error) {
			return schema.NewPrimitiveNodeLogical(name, rep, lt, phys, length, -1)
		}
	}
	converted := func(ct schema.ConvertedType, phys parquet.Type) func(string) (schema.Node, error) {
		return func(name string) (schema.Node, error) {
			return schema.NewPrimitiveNodeConverted(name, opt, phys, ct, -1, 0, 0, -1)
		}
	}
	wide := []byte(nil)
	cols := []pqCol{
		{logical(opt, schema.NoLogicalType{}, parquet.Types.Int96, -1), func(cw file.ColumnChunkWriter) error {
			v := []parquet.Int96{int96(julianEpoch+jan1st2024, 23*3600e9+1800e9), int96(julianEpoch-1, 0)}
			_, err := cw.(*file.Int96ColumnChunkWriter).WriteBatch(v, defs, nil)
			return err
		}, []any{nil, day(jan1st2024), day(-1), nil}},
		{logical(opt, schema.NewDecimalLogicalType(9, 2), parquet.Types.Int32, -1), func(cw file.ColumnChunkWriter) error {
			_, err := cw.(*file.Int32ColumnChunkWriter).WriteBatch([]int32{12345, -50}, defs, nil)
			return err
		}, []any{nil, 123.45, -0.5, nil}},
		{logical(req, schema.NewDecimalLogicalType(18, 3), parquet.Types.Int64, -1), func(cw file.ColumnChunkWriter) error {
			_, err := cw.(*file.Int64ColumnChunkWriter).WriteBatch([]int64{37500, -1, 0, 1 << 40}, nil, nil)
			return err
		}, []any{37.5, -0.001, 0.0, 1099511627.776}},
		{logical(opt, schema.NewDecimalLogicalType(10, 2), parquet.Types.ByteArray, -1), func(cw file.ColumnChunkWriter) error {
			v := []parquet.ByteArray{bigEndian(12345, 2), bigEndian(-50, 1)}
			_, err := cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(v, defs, nil)
			return err
		}, []any{nil, 123.45, -0.5, nil}},
		{logical(opt, schema.NewDecimalLogicalType(45, 2), parquet.Types.FixedLenByteArray, 20), func(cw file.ColumnChunkWriter) error {
			wide = bigEndian(-50, 20)
			v := []parquet.FixedLenByteArray{bigEndian(12345, 20), wide}
			_, err := cw.(*file.FixedLenByteArrayColumnChunkWriter).WriteBatch(v, defs, nil)
			return err
		}, []any{nil, 123.45, -0.5, nil}},
		{converted(schema.ConvertedTypes.UTF8, parquet.Types.ByteArray), func(cw file.ColumnChunkWriter) error {
			_, err := cw.(*file.ByteArrayColumnChunkWriter).WriteBatch([]parquet.ByteArray{parquet.ByteArray("Åse"), nil}, defs, nil)
			return err
		}, []any{nil, "Åse", "", nil}},
		{converted(schema.ConvertedTypes.Date, parquet.Types.Int32), func(cw file.ColumnChunkWriter) error {
			_, err := cw.(*file.Int32ColumnChunkWriter).WriteBatch([]int32{jan1st2024, -1}, defs, nil)
			return err
		}, []any{nil, day(jan1st2024), day(-1), nil}},
		{logical(req, schema.NewIntLogicalType(16, false), parquet.Types.Int32, -1), func(cw file.ColumnChunkWriter) error {
			_, err := cw.(*file.Int32ColumnChunkWriter).WriteBatch([]int32{65535, 0, 1, 7}, nil, nil)
			return err
		}, []any{int64(65535), int64(0), int64(1), int64(7)}},
		{logical(opt, schema.NewTimestampLogicalType(false, schema.TimeUnitMicros), parquet.Types.Int64, -1), func(cw file.ColumnChunkWriter) error {
			_, err := cw.(*file.Int64ColumnChunkWriter).WriteBatch([]int64{lateJan1st * 1000, -1}, []int16{1, 0, 0, 1}, nil)
			return err
		}, []any{day(jan1st2024), nil, nil, day(-1)}},
		{logical(opt, schema.NoLogicalType{}, parquet.Types.Boolean, -1), func(cw file.ColumnChunkWriter) error {
			_, err := cw.(*file.BooleanColumnChunkWriter).WriteBatch([]bool{true, false}, defs, nil)
			return err
		}, []any{nil, int64(1), int64(0), nil}},
	}
	path := tempPath(t, "writers.parquet")
	writePQColumns(t, path, cols)
	require.Len(t, wide, 20)
	tb, err := Open(path)
	require.NoError(t, err)
	defer tb.Close()
	got := scanAll(t, tb, indices(len(cols)), 2)
	require.Len(t, got.rows, 4)
	for j, c := range cols {
		for i, want := range c.want {
			assert.Equal(t, want, got.rows[i][j], "column c%d row %d", j, i+1)
		}
	}
}

// A column of a type without a meaning here is named with its Parquet type
// when asked for, and harmless when not.
func TestParquetTypeNotRead(t *testing.T) {
	path := tempPath(t, "time.parquet")
	writePQColumns(t, path, []pqCol{
		{func(name string) (schema.Node, error) {
			return schema.NewPrimitiveNodeLogical(name, parquet.Repetitions.Required, schema.NewTimeLogicalType(true, schema.TimeUnitMicros), parquet.Types.Int64, -1, -1)
		}, func(cw file.ColumnChunkWriter) error {
			_, err := cw.(*file.Int64ColumnChunkWriter).WriteBatch([]int64{1}, nil, nil)
			return err
		}, nil},
		{func(name string) (schema.Node, error) {
			return schema.NewPrimitiveNode(name, parquet.Repetitions.Required, parquet.Types.Double, -1, -1)
		}, func(cw file.ColumnChunkWriter) error {
			_, err := cw.(*file.Float64ColumnChunkWriter).WriteBatch([]float64{37}, nil, nil)
			return err
		}, nil},
	})
	tb, err := Open(path)
	require.NoError(t, err)
	defer tb.Close()
	assert.Equal(t, [][]any{{37.0}}, scanAll(t, tb, []int{1}, 1).rows)
	err = tb.Scan([]int{1, 0}, 1, func(table.Batch) error { return nil })
	var te *table.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, `column "c0" has Parquet type INT64 (Time(isAdjustedToUTC=true, timeUnit=microseconds)), which cannot be read; expected `+expected, te.Msg)
}

// A file the fuzzer made, whose fixed-length byte array column has a page
// that claims more values than it holds: the column chunk readers'
// ReadBatch loops on it for ever; it must be read or refused, promptly.
func TestStalledPageEnds(t *testing.T) {
	done := make(chan error, 1)
	go func() {
		tb, err := Open("testdata/stalled-page.parquet")
		if err == nil {
			err = tb.Scan(indices(len(tb.Columns())), 2, touchAll(len(tb.Columns())))
			tb.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			var te *table.Error
			require.ErrorAs(t, err, &te)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("reading the file does not end")
	}
}
