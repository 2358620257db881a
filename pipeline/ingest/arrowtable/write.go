package arrowtable

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"os"

	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/schema"
)

// DateColumn is a column of dates for WriteParquet, as days since
// 1970-01-01; it is written as Parquet's DATE.
type DateColumn []int32

// defaultRowGroup is the row group length when WriteParquet is given none.
const defaultRowGroup = 1 << 20

// WriteParquet writes columns as a Parquet file (zstd compression, row
// groups of rowGroup rows; 1 Mi rows if rowGroup ≤ 0). Each column is one
// of []string, []int32, []int64, []float32, []float64, []bool, or
// DateColumn, all of the same length and without nulls; string columns
// named in dict are dictionary-encoded.
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
	f     *os.File
	w     *bufio.Writer
	fw    *file.Writer
	names []string
	dict  map[string]bool
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
	p := &ParquetWriter{f: f, w: bufio.NewWriterSize(f, 1<<20), names: names, dict: dict}
	p.fw = file.NewParquetWriter(p.w, sc, file.WithWriterProps(parquet.NewWriterProperties(opts...)))
	return p, nil
}

// Write writes cols, of equal length and the writer's types, as one row group.
func (p *ParquetWriter) Write(cols []any) error {
	_, n, err := writeSchema(p.names, cols, p.dict)
	if err != nil {
		return err
	}
	return p.write(cols, 0, n)
}

// write writes rows [lo, hi) of cols as one row group.
func (p *ParquetWriter) write(cols []any, lo, hi int) error {
	if lo == hi {
		return nil
	}
	rg := p.fw.AppendRowGroup()
	for j, c := range cols {
		cw, err := rg.NextColumn()
		if err != nil {
			return err
		}
		if err := writeColumn(cw, c, lo, hi); err != nil {
			return fmt.Errorf("arrowtable: column %q: %w", p.names[j], err)
		}
		if err := cw.Close(); err != nil {
			return err
		}
	}
	return rg.Close()
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
func writeSchema(names []string, cols []any, dict map[string]bool) (*schema.GroupNode, int, error) {
	if len(names) != len(cols) {
		return nil, 0, fmt.Errorf("arrowtable: %d names for %d columns", len(names), len(cols))
	}
	fields := make(schema.FieldList, len(cols))
	n := -1
	for j, c := range cols {
		node, m, err := writeNode(names[j], c, dict[names[j]])
		if err != nil {
			return nil, 0, fmt.Errorf("arrowtable: column %q: %w", names[j], err)
		}
		if n >= 0 && m != n {
			return nil, 0, fmt.Errorf("arrowtable: column %q has %d values, column %q %d", names[j], m, names[0], n)
		}
		n = m
		fields[j] = node
	}
	sc, err := schema.NewGroupNode("schema", parquet.Repetitions.Required, fields, -1)
	return sc, max(n, 0), err
}

// writeNode is the Parquet column a slice is written as, and its length.
func writeNode(name string, c any, dict bool) (schema.Node, int, error) {
	if _, ok := c.([]string); !ok && dict {
		return nil, 0, errors.New("only string columns can be dictionary-encoded")
	}
	req := parquet.Repetitions.Required
	prim := func(t parquet.Type, n int) (schema.Node, int, error) {
		node, err := schema.NewPrimitiveNode(name, req, t, -1, -1)
		return node, n, err
	}
	switch c := c.(type) {
	case []string:
		node, err := schema.NewPrimitiveNodeLogical(name, req, schema.StringLogicalType{}, parquet.Types.ByteArray, -1, -1)
		return node, len(c), err
	case []int32:
		return prim(parquet.Types.Int32, len(c))
	case []int64:
		return prim(parquet.Types.Int64, len(c))
	case []float32:
		return prim(parquet.Types.Float, len(c))
	case []float64:
		return prim(parquet.Types.Double, len(c))
	case []bool:
		return prim(parquet.Types.Boolean, len(c))
	case DateColumn:
		node, err := schema.NewPrimitiveNodeLogical(name, req, schema.DateLogicalType{}, parquet.Types.Int32, -1, -1)
		return node, len(c), err
	}
	return nil, 0, fmt.Errorf("unsupported column type %T", c)
}

// writeColumn writes rows [lo, hi) of column c.
func writeColumn(cw file.ColumnChunkWriter, c any, lo, hi int) error {
	var err error
	switch c := c.(type) {
	case []string:
		v := make([]parquet.ByteArray, hi-lo)
		for i, s := range c[lo:hi] {
			v[i] = parquet.ByteArray(s)
		}
		_, err = cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(v, nil, nil)
	case []int32:
		_, err = cw.(*file.Int32ColumnChunkWriter).WriteBatch(c[lo:hi], nil, nil)
	case DateColumn:
		_, err = cw.(*file.Int32ColumnChunkWriter).WriteBatch(c[lo:hi], nil, nil)
	case []int64:
		_, err = cw.(*file.Int64ColumnChunkWriter).WriteBatch(c[lo:hi], nil, nil)
	case []float32:
		_, err = cw.(*file.Float32ColumnChunkWriter).WriteBatch(c[lo:hi], nil, nil)
	case []float64:
		_, err = cw.(*file.Float64ColumnChunkWriter).WriteBatch(c[lo:hi], nil, nil)
	case []bool:
		_, err = cw.(*file.BooleanColumnChunkWriter).WriteBatch(c[lo:hi], nil, nil)
	default:
		panic(fmt.Sprintf("arrowtable: unsupported column type %T", c)) // writeNode let it through
	}
	return err
}
