package arrowtable

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/stretchr/testify/require"
)

// The record readers' buffers are served again once freed. With freed
// buffers filled with a pattern (TestMain), every value of a file whose batches span
// pages and pages span batches (small pages, three row groups; plain and
// dictionary-encoded text, numbers, nulls in each) must still read as
// written, with one worker and with four.
func TestRecycledBuffersAreNotReadAfterFree(t *testing.T) {
	const n = 3*batchRows + 1234
	rng := rand.New(rand.NewPCG(3, 4))
	mem := memory.NewGoAllocator()
	fields := []arrow.Field{
		{Name: "id", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "hours", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "week", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	}
	ids := array.NewStringBuilder(mem)
	status := array.NewStringBuilder(mem)
	hours := array.NewFloat64Builder(mem)
	weeks := array.NewInt32Builder(mem)
	want := make([][]any, n)
	codes := []string{"", "523", "ledig", "sygedagpenge", "Ø"}
	for i := range n {
		row := make([]any, 4)
		if rng.IntN(10) == 0 {
			ids.AppendNull()
		} else {
			s := fmt.Sprintf("P%0*d", 1+rng.IntN(12), i)
			ids.Append(s)
			row[0] = s
		}
		if rng.IntN(20) == 0 {
			status.AppendNull()
		} else {
			s := codes[rng.IntN(len(codes))]
			status.Append(s)
			row[1] = s
		}
		if rng.IntN(7) == 0 {
			hours.AppendNull()
		} else {
			h := float64(rng.IntN(4000)) / 100
			hours.Append(h)
			row[2] = h
		}
		if rng.IntN(9) == 0 {
			weeks.AppendNull()
		} else {
			w := int32(201601 + rng.IntN(52))
			weeks.Append(w)
			row[3] = int64(w)
		}
		want[i] = row
	}
	arrs := []arrow.Array{ids.NewArray(), status.NewArray(), hours.NewArray(), weeks.NewArray()}
	rec := array.NewRecord(arrow.NewSchema(fields, nil), arrs, n)
	defer rec.Release()

	path := tempPath(t, "poison.parquet")
	f, err := os.Create(path)
	require.NoError(t, err)
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithMaxRowGroupLength(n/3+1), parquet.WithDataPageSize(4<<10),
		parquet.WithDictionaryDefault(false), parquet.WithDictionaryFor("status", true))
	w, err := pqarrow.NewFileWriter(rec.Schema(), f, props, pqarrow.DefaultWriterProps())
	require.NoError(t, err)
	require.NoError(t, w.Write(rec))
	require.NoError(t, w.Close())

	for _, workers := range []int{1, 4} {
		tb, err := Open(path)
		require.NoError(t, err)
		got := scanAll(t, tb, []int{0, 1, 2, 3}, workers)
		require.NoError(t, tb.Close())
		require.Len(t, got.rows, n)
		for i := range n {
			require.Equal(t, want[i], got.rows[i], "row %d, %d workers", i+1, workers)
		}
	}
}
