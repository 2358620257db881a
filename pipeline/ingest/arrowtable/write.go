package arrowtable

import (
	"bufio"
	"errors"
	"fmt"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// DateColumn is a column of dates for WriteParquet, as days since
// 1970-01-01; it is written as Arrow date32.
type DateColumn []int32

// defaultRowGroup is the row group length when WriteParquet is given none.
const defaultRowGroup = 1 << 20

// WriteParquet writes columns as a Parquet file (zstd compression, row
// groups of rowGroup rows; 1 Mi rows if rowGroup ≤ 0). Each column is one
// of []string, []int32, []int64, []float32, []float64, []bool, or
// DateColumn, all of the same length and without nulls; string columns
// named in dict are dictionary-encoded, and read back as dictionaries.
// It lets tests and fixture generators write Parquet from plain slices.
func WriteParquet(path string, names []string, cols []any, dict map[string]bool, rowGroup int) (err error) {
	sc, n, err := writeSchema(names, cols, dict)
	if err != nil {
		return err
	}
	if rowGroup <= 0 {
		rowGroup = defaultRowGroup
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	if err := writeRowGroups(w, sc, cols, dict, n, rowGroup); err != nil {
		return err
	}
	return w.Flush()
}

// writeSchema checks the columns and returns their schema and length.
func writeSchema(names []string, cols []any, dict map[string]bool) (*arrow.Schema, int, error) {
	if len(names) != len(cols) {
		return nil, 0, fmt.Errorf("arrowtable: %d names for %d columns", len(names), len(cols))
	}
	fields := make([]arrow.Field, len(cols))
	n := -1
	for j, c := range cols {
		dt, m, err := writeType(c, dict[names[j]])
		if err != nil {
			return nil, 0, fmt.Errorf("arrowtable: column %q: %w", names[j], err)
		}
		if n >= 0 && m != n {
			return nil, 0, fmt.Errorf("arrowtable: column %q has %d values, column %q %d", names[j], m, names[0], n)
		}
		n = m
		fields[j] = arrow.Field{Name: names[j], Type: dt}
	}
	return arrow.NewSchema(fields, nil), max(n, 0), nil
}

// writeType is the Arrow type a column is written as, and its length.
func writeType(c any, dict bool) (arrow.DataType, int, error) {
	if _, ok := c.([]string); !ok && dict {
		return nil, 0, errors.New("only string columns can be dictionary-encoded")
	}
	switch c := c.(type) {
	case []string:
		if dict {
			return &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, len(c), nil
		}
		return arrow.BinaryTypes.String, len(c), nil
	case []int32:
		return arrow.PrimitiveTypes.Int32, len(c), nil
	case []int64:
		return arrow.PrimitiveTypes.Int64, len(c), nil
	case []float32:
		return arrow.PrimitiveTypes.Float32, len(c), nil
	case []float64:
		return arrow.PrimitiveTypes.Float64, len(c), nil
	case []bool:
		return arrow.FixedWidthTypes.Boolean, len(c), nil
	case DateColumn:
		return arrow.FixedWidthTypes.Date32, len(c), nil
	}
	return nil, 0, fmt.Errorf("unsupported column type %T", c)
}

// writeRowGroups writes one record, hence one row group, per rowGroup rows,
// so that only one row group is ever held as Arrow arrays.
func writeRowGroups(w *bufio.Writer, sc *arrow.Schema, cols []any, dict map[string]bool, n, rowGroup int) error {
	opts := []parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithMaxRowGroupLength(int64(rowGroup)),
		// Plain encoding, except where asked: ids and hours have too many
		// distinct values for a dictionary to pay.
		parquet.WithDictionaryDefault(false),
	}
	for name, on := range dict {
		opts = append(opts, parquet.WithDictionaryFor(name, on))
	}
	fw, err := pqarrow.NewFileWriter(sc, w, parquet.NewWriterProperties(opts...),
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return err
	}
	for lo := 0; lo < n; lo += rowGroup {
		if err := writeRecord(fw, sc, cols, lo, min(lo+rowGroup, n)); err != nil {
			fw.Close()
			return err
		}
	}
	return fw.Close()
}

// writeRecord writes rows [lo, hi) of cols as one record.
func writeRecord(fw *pqarrow.FileWriter, sc *arrow.Schema, cols []any, lo, hi int) error {
	arrs := make([]arrow.Array, len(cols))
	defer func() {
		for _, a := range arrs {
			if a != nil {
				a.Release()
			}
		}
	}()
	for j, c := range cols {
		arrs[j] = buildArray(sc.Field(j).Type, c, lo, hi)
	}
	rec := array.NewRecord(sc, arrs, int64(hi-lo))
	defer rec.Release()
	return fw.Write(rec)
}

// buildArray builds rows [lo, hi) of column c as an array of type dt.
func buildArray(dt arrow.DataType, c any, lo, hi int) arrow.Array {
	mem := memory.DefaultAllocator
	switch c := c.(type) {
	case []string:
		if dt.ID() == arrow.DICTIONARY {
			b := array.NewDictionaryBuilder(mem, dt.(*arrow.DictionaryType)).(*array.BinaryDictionaryBuilder)
			defer b.Release()
			for _, s := range c[lo:hi] {
				_ = b.AppendString(s) // cannot fail for a string dictionary
			}
			return b.NewArray()
		}
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.AppendValues(c[lo:hi], nil)
		return b.NewArray()
	case []int32:
		return build(array.NewInt32Builder(mem), c[lo:hi])
	case []int64:
		return build(array.NewInt64Builder(mem), c[lo:hi])
	case []float32:
		return build(array.NewFloat32Builder(mem), c[lo:hi])
	case []float64:
		return build(array.NewFloat64Builder(mem), c[lo:hi])
	case []bool:
		return build(array.NewBooleanBuilder(mem), c[lo:hi])
	case DateColumn:
		b := array.NewDate32Builder(mem)
		defer b.Release()
		b.Reserve(hi - lo)
		for _, d := range c[lo:hi] {
			b.UnsafeAppend(arrow.Date32(d))
		}
		return b.NewArray()
	}
	panic(fmt.Sprintf("arrowtable: unsupported column type %T", c)) // writeType let it through
}

// valuesBuilder is an Arrow builder that appends a slice of values.
type valuesBuilder[T any] interface {
	AppendValues([]T, []bool)
	NewArray() arrow.Array
	Release()
}

func build[T any](b valuesBuilder[T], v []T) arrow.Array {
	defer b.Release()
	b.AppendValues(v, nil)
	return b.NewArray()
}
