package arrowtable

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/decimal256"
	"github.com/apache/arrow/go/v17/arrow/float16"

	"rcteval/pipeline/ingest/table"
)

// Columns read values in place from the Arrow buffers of a batch. Each is
// checked once when the batch is made (offsets, indices, buffer lengths),
// so that the accessors, called per value by the caller, can index without
// checks and still cannot panic on a corrupt file.

// place says where a column's values are, for messages.
type place struct {
	name string
	row0 int // rows before the batch
}

// corrupt is the error for a column whose buffers do not hold together.
func (p place) corrupt(what string) *table.Error {
	return errorf(0, "corrupt column %q: %s", p.name, what)
}

// newColumn wraps arr, a column of n rows, as a table.Column.
func newColumn(arr arrow.Array, n int, p place) (table.Column, error) {
	if arr.Len() != n {
		return nil, p.corrupt("its length differs from the batch's")
	}
	if arr.DataType().ID() == arrow.NULL {
		return nullColumn{}, nil
	}
	nl, err := nullsOf(arr, p)
	if err != nil {
		return nil, err
	}
	if c, ok, err := textColumn(arr, nl, p); ok || err != nil {
		return c, err
	}
	if d, ok := arr.(*array.Dictionary); ok {
		return dictColumn(d, nl, p)
	}
	return numberColumn(arr, nl, p)
}

// numberColumn wraps the integer, boolean, floating-point and date types.
func numberColumn(arr arrow.Array, nl nulls, p place) (table.Column, error) {
	switch a := arr.(type) {
	case *array.Int8, *array.Int16, *array.Int32, *array.Int64,
		*array.Uint8, *array.Uint16, *array.Uint32, *array.Uint64:
		return intColumn(arr, nl, p)
	case *array.Boolean:
		return boolColumn(a, nl, p)
	case *array.Float16:
		return fixed(&float16Col{nulls: nl, v: a.Values()}, len(a.Values()), a.Len(), p)
	case *array.Float32:
		return fixed(&floatCol[float32]{nulls: nl, v: a.Float32Values()}, len(a.Float32Values()), a.Len(), p)
	case *array.Float64:
		return fixed(&floatCol[float64]{nulls: nl, v: a.Float64Values()}, len(a.Float64Values()), a.Len(), p)
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return fixed(&decimalCol[decimal128.Num]{nulls: nl, v: a.Values(), scale: scale}, len(a.Values()), a.Len(), p)
	case *array.Decimal256:
		scale := a.DataType().(*arrow.Decimal256Type).Scale
		return fixed(&decimalCol[decimal256.Num]{nulls: nl, v: a.Values(), scale: scale}, len(a.Values()), a.Len(), p)
	case *array.Date32:
		return fixed(&dateCol[arrow.Date32]{nulls: nl, v: a.Date32Values()}, len(a.Date32Values()), a.Len(), p)
	case *array.Date64:
		return dayColumn(a.Date64Values(), a.Len(), msPerDay, nl, p)
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return dayColumn(a.TimestampValues(), a.Len(), perDay[unit], nl, p)
	}
	return nil, errorf(0, "column %q has Arrow type %s, which cannot be read; expected %s", p.name, arr.DataType(), expected)
}

// fixed returns c if its values cover the batch; Arrow slices a short
// value buffer of a corrupt file down to what is there.
func fixed(c table.Column, have, want int, p place) (table.Column, error) {
	if have < want {
		return nil, p.corrupt("its value buffer is too short")
	}
	return c, nil
}

// nulls is an Arrow validity bitmap; bits is nil when nothing is null.
type nulls struct {
	bits []byte
	off  int
}

func nullsOf(arr arrow.Array, p place) (nulls, error) {
	if arr.NullN() == 0 {
		return nulls{}, nil
	}
	d := arr.Data()
	bm := d.Buffers()[0]
	if bm == nil || bm.Len()*8 < d.Offset()+d.Len() {
		return nulls{}, p.corrupt("its validity bitmap is too short")
	}
	return nulls{bits: bm.Bytes(), off: d.Offset()}, nil
}

// Null reports whether value i is null.
func (n nulls) Null(i int) bool {
	if n.bits == nil {
		return false
	}
	i += n.off
	return n.bits[i>>3]&(1<<(i&7)) == 0
}

// noValues gives every column the accessors of the other kinds; calling
// one is a bug in the caller, which the contract of table.Column forbids.
type noValues struct{}

func (noValues) Bytes(int) []byte { panic("arrowtable: Bytes called on a column that is not text") }
func (noValues) Int(int) int64    { panic("arrowtable: Int called on a column that is not integer") }
func (noValues) Float(int) float64 {
	panic("arrowtable: Float called on a column that is not floating point")
}
func (noValues) Date(int) int32 { panic("arrowtable: Date called on a column that is not a date") }

// nullColumn is a column of Arrow's null type: every value is null.
type nullColumn struct{ noValues }

func (nullColumn) Kind() table.Kind { return table.Text }
func (nullColumn) Null(int) bool    { return true }
func (nullColumn) Bytes(int) []byte { return nil }

// integer is every Arrow integer type that may hold values or dictionary
// indices.
type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// intCol reads an integer array.
type intCol[T integer] struct {
	noValues
	nulls
	v []T
}

func (*intCol[T]) Kind() table.Kind  { return table.Int }
func (c *intCol[T]) Int(i int) int64 { return int64(c.v[i]) }

func intColumn(arr arrow.Array, nl nulls, p place) (table.Column, error) {
	switch a := arr.(type) {
	case *array.Int8:
		return fixed(&intCol[int8]{nulls: nl, v: a.Int8Values()}, len(a.Int8Values()), a.Len(), p)
	case *array.Int16:
		return fixed(&intCol[int16]{nulls: nl, v: a.Int16Values()}, len(a.Int16Values()), a.Len(), p)
	case *array.Int32:
		return fixed(&intCol[int32]{nulls: nl, v: a.Int32Values()}, len(a.Int32Values()), a.Len(), p)
	case *array.Int64:
		return fixed(&intCol[int64]{nulls: nl, v: a.Int64Values()}, len(a.Int64Values()), a.Len(), p)
	case *array.Uint8:
		return fixed(&intCol[uint8]{nulls: nl, v: a.Uint8Values()}, len(a.Uint8Values()), a.Len(), p)
	case *array.Uint16:
		return fixed(&intCol[uint16]{nulls: nl, v: a.Uint16Values()}, len(a.Uint16Values()), a.Len(), p)
	case *array.Uint32:
		return fixed(&intCol[uint32]{nulls: nl, v: a.Uint32Values()}, len(a.Uint32Values()), a.Len(), p)
	case *array.Uint64:
		return uint64Column(a.Uint64Values(), a.Len(), nl, p)
	}
	return nil, p.corrupt("unexpected integer array")
}

// uint64Column checks that every value fits an int64 up front, so that Int
// need not fail: the batch is refused at the first value that does not.
func uint64Column(v []uint64, n int, nl nulls, p place) (table.Column, error) {
	if len(v) < n {
		return nil, p.corrupt("its value buffer is too short")
	}
	for i, x := range v[:n] {
		if x > math.MaxInt64 && !nl.Null(i) {
			return nil, errorf(p.row0+i+1, "column %q: %d is too large for a 64-bit signed integer", p.name, x)
		}
	}
	return &intCol[uint64]{nulls: nl, v: v}, nil
}

// boolCol reads a boolean array as 0 and 1.
type boolCol struct {
	noValues
	nulls
	bits []byte
	off  int
}

func (*boolCol) Kind() table.Kind { return table.Int }
func (c *boolCol) Int(i int) int64 {
	i += c.off
	return int64(c.bits[i>>3] >> (i & 7) & 1)
}

func boolColumn(a *array.Boolean, nl nulls, p place) (table.Column, error) {
	d := a.Data()
	b := d.Buffers()[1]
	if a.Len() == 0 {
		return &boolCol{nulls: nl}, nil
	}
	if b == nil || b.Len()*8 < d.Offset()+d.Len() {
		return nil, p.corrupt("its value bitmap is too short")
	}
	return &boolCol{nulls: nl, bits: b.Bytes(), off: d.Offset()}, nil
}

// floatCol reads float32 and float64 arrays.
type floatCol[T float32 | float64] struct {
	noValues
	nulls
	v []T
}

func (*floatCol[T]) Kind() table.Kind      { return table.Float }
func (c *floatCol[T]) Float(i int) float64 { return float64(c.v[i]) }

// float16Col reads half-precision floats.
type float16Col struct {
	noValues
	nulls
	v []float16.Num
}

func (*float16Col) Kind() table.Kind      { return table.Float }
func (c *float16Col) Float(i int) float64 { return float64(c.v[i].Float32()) }

// decimalCol reads decimals as the nearest float: hours and amounts in
// register extracts are decimals only because of how they were exported.
type decimalCol[T interface{ ToFloat64(int32) float64 }] struct {
	noValues
	nulls
	v     []T
	scale int32
}

func (*decimalCol[T]) Kind() table.Kind      { return table.Float }
func (c *decimalCol[T]) Float(i int) float64 { return c.v[i].ToFloat64(c.scale) }

// dateCol reads days since the epoch as stored.
type dateCol[T ~int32] struct {
	noValues
	nulls
	v []T
}

func (*dateCol[T]) Kind() table.Kind   { return table.Date }
func (c *dateCol[T]) Date(i int) int32 { return int32(c.v[i]) }

const msPerDay = 86_400_000

// perDay is how many units of a timestamp make a day.
var perDay = map[arrow.TimeUnit]int64{
	arrow.Second:      86_400,
	arrow.Millisecond: msPerDay,
	arrow.Microsecond: 86_400_000_000,
	arrow.Nanosecond:  86_400_000_000_000,
}

// dayCol reads date64 and timestamps as the UTC day they fall on: Arrow
// stores instants as UTC whatever the timezone annotation says, and a
// timestamp without one is a wall-clock time whose day is read the same way.
type dayCol[T ~int64] struct {
	noValues
	nulls
	v   []T
	per int64
}

func (*dayCol[T]) Kind() table.Kind   { return table.Date }
func (c *dayCol[T]) Date(i int) int32 { return int32(floorDiv(int64(c.v[i]), c.per)) }

// floorDiv divides rounding down, so that an instant before 1970 falls on
// the day it is in rather than the day after.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// dayColumn refuses a batch holding a day outside int32 (only possible in
// seconds or milliseconds), so that Date need not fail.
func dayColumn[T ~int64](v []T, n int, per int64, nl nulls, p place) (table.Column, error) {
	if len(v) < n {
		return nil, p.corrupt("its value buffer is too short")
	}
	if per == 0 {
		return nil, p.corrupt("unknown time unit")
	}
	if per <= msPerDay {
		for i, x := range v[:n] {
			d := floorDiv(int64(x), per)
			if (d < math.MinInt32 || d > math.MaxInt32) && !nl.Null(i) {
				return nil, errorf(p.row0+i+1, "column %q: %d is too far from 1970 to be a date", p.name, x)
			}
		}
	}
	return &dayCol[T]{nulls: nl, v: v[:n], per: per}, nil
}
