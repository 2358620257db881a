package arrowtable

import (
	"github.com/apache/arrow/go/v17/arrow"

	"rcteval/pipeline/ingest/table"
)

// expected lists the Arrow types a column may have, for messages.
const expected = "text (string, binary or dictionary of strings), integer, boolean, " +
	"floating point, decimal, date or timestamp"

// kindOf is the table kind a column of type dt is read as; ok is false
// for types the package does not read (lists, structs, maps, times of day,
// intervals, extension types …).
func kindOf(dt arrow.DataType) (k table.Kind, ok bool) {
	switch dt.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY,
		arrow.STRING_VIEW, arrow.BINARY_VIEW:
		return table.Text, true
	case arrow.DICTIONARY:
		_, ok := textKind(dt.(*arrow.DictionaryType).ValueType)
		return table.Text, ok
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64, arrow.BOOL:
		return table.Int, true
	case arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL128, arrow.DECIMAL256:
		return table.Float, true
	case arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP:
		return table.Date, true
	case arrow.NULL:
		// A column that is null throughout is read as text so that callers
		// that accept text accept it; every value is null anyway.
		return table.Text, true
	}
	return 0, false
}

// textKind is kindOf restricted to the types a dictionary's values may
// have: only text makes sense as the value of a dictionary column here.
func textKind(dt arrow.DataType) (table.Kind, bool) {
	switch dt.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.BINARY, arrow.LARGE_BINARY,
		arrow.STRING_VIEW, arrow.BINARY_VIEW:
		return table.Text, true
	}
	return 0, false
}

// checkColumns returns the error for the first requested column whose type
// is not read; it runs at Scan, not at Open, so that a file with, say, a
// list column nobody asks for is read without complaint.
func checkColumns(fields []arrow.Field, cols []int) error {
	for _, c := range cols {
		if c < 0 || c >= len(fields) {
			return errorf(0, "column index %d out of range: the file has %d columns", c, len(fields))
		}
		if _, ok := kindOf(fields[c].Type); !ok {
			return errorf(0, "column %q has Arrow type %s, which cannot be read; expected %s",
				fields[c].Name, fields[c].Type, expected)
		}
	}
	return nil
}

// fieldNames are the names of fields, in order.
func fieldNames(fields []arrow.Field) []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return names
}
