package reports

import (
	"fmt"
	"io"

	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/schema"
)

const (
	// parquetBatch is the rows written at a time (a listing can run to
	// millions; it is streamed in batches of this many).
	parquetBatch = 1 << 16
	// parquetRowGroup is the rows of a row group at most.
	parquetRowGroup = 1 << 20
)

// parquetType is the Parquet column of each kind: every column optional,
// text as UTF-8 strings, integers as INT64 (unsigned for seeds), floats as
// DOUBLE; Arrow, pandas and R read them as utf8, int64, uint64, float64.
var parquetType = map[ColumnKind]struct {
	phys    parquet.Type
	logical schema.LogicalType
	name    string // for messages
}{
	KindText:  {parquet.Types.ByteArray, schema.StringLogicalType{}, "string"},
	KindInt:   {parquet.Types.Int64, schema.NewIntLogicalType(64, true), "int64"},
	KindUint:  {parquet.Types.Int64, schema.NewIntLogicalType(64, false), "uint64"},
	KindFloat: {parquet.Types.Double, schema.NoLogicalType{}, "float64"},
}

// WriteParquet writes t as a Parquet file (Snappy: cheap to start for the
// many small columns, read by every Parquet reader): typed columns, blank
// cells as nulls, ±Inf kept. A table without rows is a file with its
// schema and no row group. It holds no time and no path, so a rerun writes
// the same bytes.
func WriteParquet(path string, t *DataTable) error {
	return writeAtomic(path, func(w io.Writer) error { return writeParquet(w, t) })
}

func writeParquet(w io.Writer, t *DataTable) error {
	fields := make(schema.FieldList, len(t.Columns))
	for i, c := range t.Columns {
		pt := parquetType[c.Kind]
		node, err := schema.NewPrimitiveNodeLogical(c.Name, parquet.Repetitions.Optional, pt.logical, pt.phys, -1, -1)
		if err != nil {
			return fmt.Errorf("table %s: column %s: %w", t.Name, c.Name, err)
		}
		fields[i] = node
	}
	sc, err := schema.NewGroupNode("schema", parquet.Repetitions.Required, fields, -1)
	if err != nil {
		return fmt.Errorf("table %s: %w", t.Name, err)
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithMaxRowGroupLength(parquetRowGroup))
	fw := file.NewParquetWriter(w, sc, file.WithWriterProps(props))
	cols := make([]parquetColumn, len(t.Columns))
	for i, c := range t.Columns {
		cols[i].kind = c.Kind
	}
	var (
		rg      file.BufferedRowGroupWriter
		inGroup int // rows in rg
		failed  error
		n       int // rows in cols
	)
	flush := func() error {
		if rg == nil || inGroup+n > parquetRowGroup {
			if rg != nil {
				if err := rg.Close(); err != nil {
					return err
				}
			}
			rg, inGroup = fw.AppendBufferedRowGroup(), 0
		}
		for i := range cols {
			cw, err := rg.Column(i)
			if err == nil {
				err = cols[i].write(cw)
			}
			if err != nil {
				return err
			}
		}
		inGroup += n
		n = 0
		return nil
	}
	t.EachRow(func(row []any) {
		if failed != nil {
			return
		}
		for i, v := range row {
			if !cols[i].add(v) {
				failed = fmt.Errorf("a %T cell in a %s column", v, parquetType[cols[i].kind].name)
				return
			}
		}
		if n++; n == parquetBatch {
			failed = flush()
		}
	})
	if failed == nil && n > 0 {
		failed = flush()
	}
	if failed == nil && rg != nil {
		failed = rg.Close()
	}
	if err := fw.Close(); failed == nil {
		failed = err
	}
	if failed != nil {
		return fmt.Errorf("table %s: %w", t.Name, failed)
	}
	return nil
}

// parquetColumn gathers a batch of one column's cells: a definition level
// per row (1 for a value, 0 for a null) and the values.
type parquetColumn struct {
	kind ColumnKind
	defs []int16
	text []parquet.ByteArray
	ints []int64
	flts []float64
}

// add appends a cell; it reports false for a cell of another type.
func (c *parquetColumn) add(v any) bool {
	if v == nil {
		c.defs = append(c.defs, 0)
		return true
	}
	switch x := v.(type) {
	case string:
		if c.kind != KindText {
			return false
		}
		c.text = append(c.text, parquet.ByteArray(x))
	case int64:
		if c.kind != KindInt {
			return false
		}
		c.ints = append(c.ints, x)
	case uint64:
		if c.kind != KindUint {
			return false
		}
		c.ints = append(c.ints, int64(x)) // the same bits, read back as unsigned
	case float64:
		if c.kind != KindFloat {
			return false
		}
		c.flts = append(c.flts, x)
	default:
		return false
	}
	c.defs = append(c.defs, 1)
	return true
}

// write writes the batch and empties it.
func (c *parquetColumn) write(cw file.ColumnChunkWriter) error {
	var err error
	switch w := cw.(type) {
	case *file.ByteArrayColumnChunkWriter:
		_, err = w.WriteBatch(c.text, c.defs, nil)
	case *file.Int64ColumnChunkWriter:
		_, err = w.WriteBatch(c.ints, c.defs, nil)
	case *file.Float64ColumnChunkWriter:
		_, err = w.WriteBatch(c.flts, c.defs, nil)
	}
	c.defs, c.text, c.ints, c.flts = c.defs[:0], c.text[:0], c.ints[:0], c.flts[:0]
	return err
}
