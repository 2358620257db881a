package reports

import (
	"bytes"
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/analysis"
)

// readParquet reads a Parquet file back with pqarrow as rows of cells of
// the table model's types.
func readParquet(t *testing.T, path string) (*arrow.Schema, [][]any) {
	t.Helper()
	r, err := file.OpenParquetFile(path, false)
	require.NoError(t, err)
	defer r.Close()
	fr, err := pqarrow.NewFileReader(r, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	require.NoError(t, err)
	tbl, err := fr.ReadTable(context.Background())
	require.NoError(t, err)
	defer tbl.Release()
	rows := make([][]any, tbl.NumRows())
	for i := range rows {
		rows[i] = make([]any, tbl.NumCols())
	}
	for j := 0; j < int(tbl.NumCols()); j++ {
		i := 0
		for _, chunk := range tbl.Column(j).Data().Chunks() {
			for k := 0; k < chunk.Len(); k, i = k+1, i+1 {
				if chunk.IsNull(k) {
					continue
				}
				switch a := chunk.(type) {
				case *array.String:
					rows[i][j] = a.Value(k)
				case *array.Int64:
					rows[i][j] = a.Value(k)
				case *array.Uint64:
					rows[i][j] = a.Value(k)
				case *array.Float64:
					rows[i][j] = a.Value(k)
				default:
					t.Fatalf("column %d: %T", j, chunk)
				}
			}
		}
	}
	return tbl.Schema(), rows
}

// Each table read back with pqarrow has the model's column types and
// values, nulls where cells are blank; a rerun writes the same bytes.
func TestParquetReadBack(t *testing.T) {
	d := demoDisclosed(t, func(p *analysis.Plan) { p.MinCell = 40 })
	dir := t.TempDir()
	for _, table := range allTables(d) {
		path := filepath.Join(dir, table.Name+".parquet")
		require.NoError(t, WriteParquet(path, table))
		sc, rows := readParquet(t, path)
		require.Equal(t, len(table.Columns), sc.NumFields(), table.Name)
		for i, c := range table.Columns {
			assert.Equal(t, c.Name, sc.Field(i).Name)
			assert.True(t, sc.Field(i).Nullable)
		}
		var want [][]any
		table.EachRow(func(row []any) { want = append(want, append([]any(nil), row...)) })
		if len(want) == 0 {
			assert.Empty(t, rows, table.Name)
			continue
		}
		assert.Equal(t, want, rows, table.Name)

		again := filepath.Join(dir, "again.parquet")
		require.NoError(t, WriteParquet(again, table))
		assert.True(t, bytes.Equal(readFile(t, path), readFile(t, again)), "%s differs between writes", table.Name)
	}
	// The types are the Parquet schema's, not text.
	sc, rows := readParquet(t, filepath.Join(dir, "effects.parquet"))
	assert.Equal(t, arrow.PrimitiveTypes.Int64, sc.Field(1).Type)
	assert.Equal(t, arrow.PrimitiveTypes.Float64, sc.Field(6).Type)
	nulls := 0
	for _, r := range rows {
		if r[6] == nil {
			nulls++
		}
	}
	assert.Greater(t, nulls, 50) // suppressed weeks under min_cell 40
}

// Infinities, seeds beyond int64, and more rows than a batch.
func TestParquetSpecialValues(t *testing.T) {
	table := &DataTable{Name: "special", Columns: columns(floatCol("x", FormatEstimate), uintCol("seed", FormatInteger), textCol("s"), intCol("i", FormatInteger))}
	for i := range parquetBatch + 3 {
		table.Rows = append(table.Rows, []any{float64(i), uint64(math.MaxUint64 - uint64(i)), nil, int64(-i)})
	}
	table.Rows[0] = []any{math.Inf(-1), nil, "a", nil}
	path := filepath.Join(t.TempDir(), "special.parquet")
	require.NoError(t, WriteParquet(path, table))
	_, rows := readParquet(t, path)
	assert.Equal(t, table.Rows, rows)

	bad := &DataTable{Name: "bad", Columns: columns(floatCol("x", FormatEstimate)), Rows: [][]any{{"text"}}}
	assert.ErrorContains(t, WriteParquet(filepath.Join(t.TempDir(), "bad.parquet"), bad), "a string cell in a float64 column")
}
