package arrowtable

import (
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/schema"
)

// pqConv is how the values of a Parquet column become table values.
type pqConv uint8

const (
	pqNone      pqConv = iota // not read: nested, or a type without a meaning here
	pqNull                    // the null type: every value is null
	pqBool                    // BOOLEAN, as 0 and 1
	pqInt32                   // signed integers in INT32
	pqUint32                  // unsigned integers in INT32
	pqInt64                   // signed integers in INT64
	pqUint64                  // unsigned integers in INT64
	pqDate                    // DATE: days since 1970-01-01 in INT32
	pqTimestamp               // TIMESTAMP in INT64, read as its UTC day
	pqInt96                   // the legacy INT96 timestamp (Impala, Spark, old Hive)
	pqFloat                   // FLOAT
	pqDouble                  // DOUBLE
	pqDecimal                 // DECIMAL in any physical type, read as the nearest float
	pqFloat16                 // FLOAT16 in a 2-byte FIXED_LEN_BYTE_ARRAY
	pqText                    // BYTE_ARRAY: strings, enums, JSON, raw bytes
)

// pqField is a top-level field of a Parquet file and how it is read.
type pqField struct {
	name   string
	leaf   int    // index of its column; -1 when nested
	desc   string // its type, for messages
	conv   pqConv
	phys   parquet.Type
	levels file.LevelInfo // where its values are null, for the record reader
	scale  int32          // of a decimal
	per    int64          // units of a timestamp in a day
}

// fieldOf describes node, a child of the schema's root. Parquet's logical
// types (or the converted types of older writers, which the library turns
// into logical types) decide the kind, as Arrow's own Parquet reader does.
func fieldOf(sc *schema.Schema, node schema.Node) pqField {
	f := pqField{name: node.Name(), leaf: -1}
	pn, ok := node.(*schema.PrimitiveNode)
	if !ok || node.RepetitionType() == parquet.Repetitions.Repeated {
		f.desc = "nested"
		if lt := node.LogicalType(); lt != nil && !lt.IsNone() {
			f.desc += " (" + strings.ToLower(lt.String()) + ")"
		}
		return f
	}
	f.leaf = sc.ColumnIndexByNode(node)
	f.levels = file.LevelInfo{NullSlotUsage: 1}
	f.levels.Increment(node)
	phys, lt := pn.PhysicalType(), pn.LogicalType()
	f.phys = phys
	f.desc = phys.String()
	if !lt.IsNone() {
		f.desc += " (" + lt.String() + ")"
	}
	f.conv, f.scale, f.per = convOf(phys, lt, pn.TypeLength())
	return f
}

// convOf is how values of a physical and a logical type are read.
func convOf(phys parquet.Type, lt schema.LogicalType, typeLen int) (c pqConv, scale int32, per int64) {
	switch t := lt.(type) {
	case schema.NullLogicalType:
		return pqNull, 0, 0
	case *schema.DecimalLogicalType:
		switch phys {
		case parquet.Types.Int32, parquet.Types.Int64, parquet.Types.ByteArray, parquet.Types.FixedLenByteArray:
			return pqDecimal, t.Scale(), 0
		}
		return pqNone, 0, 0
	}
	none := lt.IsNone()
	switch phys {
	case parquet.Types.Boolean:
		if none {
			return pqBool, 0, 0
		}
	case parquet.Types.Int32:
		switch t := lt.(type) {
		case schema.NoLogicalType:
			return pqInt32, 0, 0
		case schema.DateLogicalType:
			return pqDate, 0, 0
		case *schema.IntLogicalType:
			if t.IsSigned() {
				return pqInt32, 0, 0
			}
			return pqUint32, 0, 0
		}
	case parquet.Types.Int64:
		switch t := lt.(type) {
		case schema.NoLogicalType:
			return pqInt64, 0, 0
		case *schema.IntLogicalType:
			if t.IsSigned() {
				return pqInt64, 0, 0
			}
			return pqUint64, 0, 0
		case *schema.TimestampLogicalType:
			if per := unitsPerDay[t.TimeUnit()]; per > 0 {
				return pqTimestamp, 0, per
			}
		}
	case parquet.Types.Int96:
		if none {
			return pqInt96, 0, 0
		}
	case parquet.Types.Float:
		if none {
			return pqFloat, 0, 0
		}
	case parquet.Types.Double:
		if none {
			return pqDouble, 0, 0
		}
	case parquet.Types.ByteArray:
		switch lt.(type) {
		case schema.NoLogicalType, schema.StringLogicalType, schema.EnumLogicalType,
			schema.JSONLogicalType, schema.BSONLogicalType:
			return pqText, 0, 0
		}
	case parquet.Types.FixedLenByteArray:
		if _, ok := lt.(schema.Float16LogicalType); ok && typeLen == 2 {
			return pqFloat16, 0, 0
		}
	}
	return pqNone, 0, 0
}

// unitsPerDay is how many units of a Parquet timestamp make a day.
var unitsPerDay = map[schema.TimeUnitType]int64{
	schema.TimeUnitMillis: perDay[arrow.Millisecond],
	schema.TimeUnitMicros: perDay[arrow.Microsecond],
	schema.TimeUnitNanos:  perDay[arrow.Nanosecond],
}
