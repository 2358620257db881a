package reports

import (
	"fmt"
	"io"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// parquetBatch is the rows written at a time (a listing can run to
// millions; it is streamed in batches of this many).
const parquetBatch = 1 << 16

// ParquetSchema is the Arrow schema of t: every column nullable, text as
// utf8, integers as int64 (uint64 for seeds), floats as float64.
func ParquetSchema(t *DataTable) *arrow.Schema {
	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		var dt arrow.DataType
		switch c.Kind {
		case KindText:
			dt = arrow.BinaryTypes.String
		case KindInt:
			dt = arrow.PrimitiveTypes.Int64
		case KindUint:
			dt = arrow.PrimitiveTypes.Uint64
		case KindFloat:
			dt = arrow.PrimitiveTypes.Float64
		}
		fields[i] = arrow.Field{Name: c.Name, Type: dt, Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// WriteParquet writes t as a Parquet file (Snappy: cheap to start for the
// many small columns, read by every Parquet reader; the Arrow schema stored):
// typed columns, blank cells as nulls, ±Inf kept. A table without rows is
// a file with its schema and no row group. It holds no time and no path,
// so a rerun writes the same bytes.
func WriteParquet(path string, t *DataTable) error {
	return writeAtomic(path, func(w io.Writer) error { return writeParquet(w, t) })
}

func writeParquet(w io.Writer, t *DataTable) error {
	sc := ParquetSchema(t)
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithMaxRowGroupLength(1<<20))
	fw, err := pqarrow.NewFileWriter(sc, w, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return err
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	n := 0
	flush := func() error {
		rec := b.NewRecord()
		defer rec.Release()
		n = 0
		return fw.Write(rec)
	}
	var failed error
	t.EachRow(func(row []any) {
		if failed != nil {
			return
		}
		for i, v := range row {
			if failed = appendValue(b.Field(i), v); failed != nil {
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
	if err := fw.Close(); failed == nil {
		failed = err
	}
	if failed != nil {
		return fmt.Errorf("table %s: %w", t.Name, failed)
	}
	return nil
}

func appendValue(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch b := b.(type) {
	case *array.StringBuilder:
		if s, ok := v.(string); ok {
			b.Append(s)
			return nil
		}
	case *array.Int64Builder:
		if x, ok := v.(int64); ok {
			b.Append(x)
			return nil
		}
	case *array.Uint64Builder:
		if x, ok := v.(uint64); ok {
			b.Append(x)
			return nil
		}
	case *array.Float64Builder:
		if x, ok := v.(float64); ok {
			b.Append(x)
			return nil
		}
	}
	return fmt.Errorf("a %T cell in a %s column", v, b.Type())
}
