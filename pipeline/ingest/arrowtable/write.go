package arrowtable

import (
	"bufio"
	"errors"
	"fmt"
	"math"
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
func WriteParquet(path string, names []string, cols []any, dict map[string]bool, rowGroup int) error {
	_, n, err := writeSchema(names, cols, dict)
	if err != nil {
		return err
	}
	if rowGroup <= 0 {
		rowGroup = defaultRowGroup
	}
	w, err := NewParquetWriter(path, names, cols, dict)
	if err != nil {
		return err
	}
	for lo := 0; lo < n; lo += rowGroup {
		if err := w.write(cols, lo, min(lo+rowGroup, n)); err != nil {
			w.abort()
			return err
		}
	}
	return w.Close()
}

// ParquetWriter writes a Parquet file one row group at a time, for files too
// large to hold as slices (the national-scale benchmark).
type ParquetWriter struct {
	f    *os.File
	w    *bufio.Writer
	fw   *pqarrow.FileWriter
	sc   *arrow.Schema
	dict map[string]bool
}

// NewParquetWriter creates path for columns of the types of the slices in
// like (their lengths do not matter), with dict as for WriteParquet.
func NewParquetWriter(path string, names []string, like []any, dict map[string]bool) (*ParquetWriter, error) {
	sc, _, err := writeSchema(names, emptyLike(like), dict)
	if err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	opts := []parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithMaxRowGroupLength(math.MaxInt64),
		// Plain encoding, except where asked: ids and hours have too many
		// distinct values for a dictionary to pay.
		parquet.WithDictionaryDefault(false),
	}
	for name, on := range dict {
		opts = append(opts, parquet.WithDictionaryFor(name, on))
	}
	p := &ParquetWriter{f: f, w: bufio.NewWriterSize(f, 1<<20), sc: sc, dict: dict}
	p.fw, err = pqarrow.NewFileWriter(sc, p.w, parquet.NewWriterProperties(opts...),
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return p, nil
}

// Write writes cols, of equal length and the writer's types, as one row group.
func (p *ParquetWriter) Write(cols []any) error {
	_, n, err := writeSchema(fieldNames(p.sc.Fields()), cols, p.dict)
	if err != nil {
		return err
	}
	return p.write(cols, 0, n)
}

func (p *ParquetWriter) write(cols []any, lo, hi int) error {
	if lo == hi {
		return nil
	}
	return writeRecord(p.fw, p.sc, cols, lo, hi)
}

// Close finishes the file; a file that could not be finished is removed.
func (p *ParquetWriter) Close() error {
	err := p.fw.Close()
	if err == nil {
		err = p.w.Flush()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p.f.Name())
	}
	return err
}

func (p *ParquetWriter) abort() {
	p.fw.Close()
	p.f.Close()
	os.Remove(p.f.Name())
}

// emptyLike returns zero-length columns of the types of cols.
func emptyLike(cols []any) []any {
	out := make([]any, len(cols))
	for j, c := range cols {
		switch c := c.(type) {
		case []string:
			out[j] = c[:0]
		case []int32:
			out[j] = c[:0]
		case []int64:
			out[j] = c[:0]
		case []float32:
			out[j] = c[:0]
		case []float64:
			out[j] = c[:0]
		case []bool:
			out[j] = c[:0]
		case DateColumn:
			out[j] = c[:0]
		default:
			out[j] = c
		}
	}
	return out
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
