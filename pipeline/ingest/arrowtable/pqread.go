package arrowtable

import (
	"encoding/binary"
	"errors"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/decimal256"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"

	"rcteval/pipeline/ingest/table"
)

// pqSource reads row group after row group, batchRows rows of every
// requested field at a time, each field once however often it is asked for.
type pqSource struct {
	rdr     *file.Reader
	fields  []pqField // read
	at      []int     // requested column j is fields[at[j]]
	group   int       // the current row group, or the next one to open
	groups  int
	readers []file.ColumnChunkReader // of the current row group; nil when none is open
	want    int64                    // its rows, by the footer
	left    int64                    // its rows not yet read
	defs    []int16                  // definition levels of the column being read
	raw     pqRaw
	free    chan []pqBuffer // buffers of released batches, to serve again
}

// pqRaw holds values as the library decodes them, before conversion;
// it serves one column at a time.
type pqRaw struct {
	bytes []parquet.ByteArray // point into the library's pages
	fixed []parquet.FixedLenByteArray
	i96   []parquet.Int96
}

// pqBuffer holds a column's values for a batch, one row each.
type pqBuffer struct {
	valid []byte // validity bitmap; unused when nothing is null
	bools []bool
	i32   []int32
	i64   []int64
	f32   []float32
	f64   []float64
	text  []byte
	off   []int32
}

// errFewerRows is a column that ends before its row group does.
var errFewerRows = errors.New("fewer rows than the row group")

func (s *pqSource) close() { s.readers = nil }

func (s *pqSource) next(row0 int) (*batch, error) {
	for s.readers == nil || s.left == 0 {
		if s.readers != nil {
			if err := s.endGroup(); err != nil {
				return nil, err
			}
		}
		if s.group == s.groups {
			return nil, nil
		}
		if err := s.openGroup(); err != nil {
			return nil, wrap(err, "%s: row group %d cannot be read", corruptPQ, s.group)
		}
	}
	n := int(min(s.left, batchRows))
	bufs := s.buffers()
	cols := make([]table.Column, len(s.fields))
	for k := range s.fields {
		var err error
		if cols[k], err = s.read(k, n, &bufs[k], place{name: s.fields[k].name, row0: row0}); err != nil {
			if errors.Is(err, errFewerRows) {
				return nil, errorf(0, "%s: column %q of row group %d holds fewer rows than the %d its footer says",
					corruptPQ, s.fields[k].name, s.group, s.want)
			}
			return nil, wrap(err, "%s: row group %d cannot be read", corruptPQ, s.group)
		}
	}
	s.left -= int64(n)
	b := &batch{n: n, cols: make([]table.Column, len(s.at)), free: func() { s.give(bufs) }}
	for j, k := range s.at {
		b.cols[j] = cols[k]
	}
	return b, nil
}

// openGroup opens a column chunk reader per field on row group s.group.
func (s *pqSource) openGroup() error {
	rg := s.rdr.RowGroup(s.group)
	s.want = rg.NumRows()
	if s.want < 0 {
		return errorf(0, "%s: row group %d claims %d rows", corruptPQ, s.group, s.want)
	}
	s.left = s.want
	s.readers = make([]file.ColumnChunkReader, len(s.fields))
	for k, f := range s.fields {
		if f.conv == pqNull {
			continue
		}
		r, err := rg.Column(f.leaf)
		if err != nil {
			return err
		}
		s.readers[k] = r
	}
	return nil
}

// endGroup checks that no column holds more rows than its row group: a
// run-length encoded page in a corrupt file can claim billions of values.
func (s *pqSource) endGroup() error {
	for k, r := range s.readers {
		if r != nil && r.HasNext() {
			return errorf(0, "%s: column %q of row group %d holds more rows than the %d its footer says",
				corruptPQ, s.fields[k].name, s.group, s.want)
		}
	}
	s.readers = nil
	s.group++
	return nil
}

// buffers returns a released batch's buffers, or new ones.
func (s *pqSource) buffers() []pqBuffer {
	select {
	case b := <-s.free:
		return b
	default:
		return make([]pqBuffer, len(s.fields))
	}
}

// give keeps a released batch's buffers for a later batch; it is called
// from the workers.
func (s *pqSource) give(b []pqBuffer) {
	select {
	case s.free <- b:
	default:
	}
}

// batchReader is the ReadBatch method every typed column chunk reader has.
type batchReader[T any] interface {
	ReadBatch(batchSize int64, values []T, defLvls, repLvls []int16) (total int64, valuesRead int, err error)
}

// readBatch reads n rows: their definition levels into defs (when the
// column is optional) and their values, packed without the nulls, into
// vals. It returns how many values there are.
func readBatch[T any](r batchReader[T], n int, vals []T, defs []int16) (int, error) {
	total, nv, err := r.ReadBatch(int64(n), vals, defs, nil)
	switch {
	case err != nil:
		return 0, err
	case total < int64(n):
		return 0, errFewerRows
	case nv < 0 || nv > n || defs == nil && nv != n:
		return 0, errors.New("its values do not match its rows")
	}
	return nv, nil
}

// read reads the next n rows of field k into b.
func (s *pqSource) read(k, n int, b *pqBuffer, p place) (table.Column, error) {
	f := &s.fields[k]
	if f.conv == pqNull {
		return nullColumn{}, nil
	}
	var defs []int16
	if f.maxDef > 0 {
		s.defs = resize(s.defs, n)
		defs = s.defs
	}
	var (
		nv  int
		nl  nulls
		err error
	)
	switch r := s.readers[k].(type) {
	case *file.BooleanColumnChunkReader:
		b.bools = resize(b.bools, n)
		if nv, err = readBatch[bool](r, n, b.bools, defs); err != nil {
			return nil, err
		}
		if nl, b.valid, err = spreadValues(b.bools, n, nv, defs, f.maxDef, b.valid); err != nil {
			return nil, p.corrupt(err.Error())
		}
		return &boolValues{nulls: nl, v: b.bools}, nil
	case *file.Int32ColumnChunkReader:
		b.i32 = resize(b.i32, n)
		if nv, err = readBatch[int32](r, n, b.i32, defs); err != nil {
			return nil, err
		}
		if f.conv == pqDecimal {
			b.f64 = resize(b.f64, n)
			for i, x := range b.i32[:nv] {
				b.f64[i] = decimal128.FromI64(int64(x)).ToFloat64(f.scale)
			}
			return floats(b, n, nv, defs, f.maxDef, p)
		}
		if nl, b.valid, err = spreadValues(b.i32, n, nv, defs, f.maxDef, b.valid); err != nil {
			return nil, p.corrupt(err.Error())
		}
		switch f.conv {
		case pqUint32:
			return &intCol[uint32]{nulls: nl, v: arrow.Uint32Traits.CastFromBytes(arrow.Int32Traits.CastToBytes(b.i32))}, nil
		case pqDate:
			return &dateCol[int32]{nulls: nl, v: b.i32}, nil
		}
		return &intCol[int32]{nulls: nl, v: b.i32}, nil
	case *file.Int64ColumnChunkReader:
		b.i64 = resize(b.i64, n)
		if nv, err = readBatch[int64](r, n, b.i64, defs); err != nil {
			return nil, err
		}
		if f.conv == pqDecimal {
			b.f64 = resize(b.f64, n)
			for i, x := range b.i64[:nv] {
				b.f64[i] = decimal128.FromI64(x).ToFloat64(f.scale)
			}
			return floats(b, n, nv, defs, f.maxDef, p)
		}
		if nl, b.valid, err = spreadValues(b.i64, n, nv, defs, f.maxDef, b.valid); err != nil {
			return nil, p.corrupt(err.Error())
		}
		switch f.conv {
		case pqUint64:
			return uint64Column(arrow.Uint64Traits.CastFromBytes(arrow.Int64Traits.CastToBytes(b.i64)), n, nl, p)
		case pqTimestamp:
			return dayColumn(b.i64, n, f.per, nl, p)
		}
		return &intCol[int64]{nulls: nl, v: b.i64}, nil
	case *file.Int96ColumnChunkReader:
		s.raw.i96 = resize(s.raw.i96, n)
		if nv, err = readBatch[parquet.Int96](r, n, s.raw.i96, defs); err != nil {
			return nil, err
		}
		b.i64 = resize(b.i64, n)
		for i, x := range s.raw.i96[:nv] {
			b.i64[i] = int96Day(x)
		}
		if nl, b.valid, err = spreadValues(b.i64, n, nv, defs, f.maxDef, b.valid); err != nil {
			return nil, p.corrupt(err.Error())
		}
		return dayColumn(b.i64, n, 1, nl, p)
	case *file.Float32ColumnChunkReader:
		b.f32 = resize(b.f32, n)
		if nv, err = readBatch[float32](r, n, b.f32, defs); err != nil {
			return nil, err
		}
		if nl, b.valid, err = spreadValues(b.f32, n, nv, defs, f.maxDef, b.valid); err != nil {
			return nil, p.corrupt(err.Error())
		}
		return &floatCol[float32]{nulls: nl, v: b.f32}, nil
	case *file.Float64ColumnChunkReader:
		b.f64 = resize(b.f64, n)
		if nv, err = readBatch[float64](r, n, b.f64, defs); err != nil {
			return nil, err
		}
		return floats(b, n, nv, defs, f.maxDef, p)
	case *file.ByteArrayColumnChunkReader:
		s.raw.bytes = resize(s.raw.bytes, n)
		if nv, err = readBatch[parquet.ByteArray](r, n, s.raw.bytes, defs); err != nil {
			return nil, err
		}
		if f.conv == pqDecimal {
			b.f64 = resize(b.f64, n)
			for i, x := range s.raw.bytes[:nv] {
				if b.f64[i], err = decimalOf(x, f.scale, p); err != nil {
					return nil, err
				}
			}
			return floats(b, n, nv, defs, f.maxDef, p)
		}
		return texts(s.raw.bytes, b, n, nv, defs, f.maxDef, p)
	case *file.FixedLenByteArrayColumnChunkReader:
		s.raw.fixed = resize(s.raw.fixed, n)
		if nv, err = readBatch[parquet.FixedLenByteArray](r, n, s.raw.fixed, defs); err != nil {
			return nil, err
		}
		b.f64 = resize(b.f64, n)
		for i, x := range s.raw.fixed[:nv] {
			switch {
			case f.conv == pqDecimal:
				if b.f64[i], err = decimalOf(x, f.scale, p); err != nil {
					return nil, err
				}
			case len(x) == 2:
				b.f64[i] = float64(arrow.Float16Traits.CastFromBytes(x)[0].Float32())
			default:
				return nil, p.corrupt("a half-precision float is not 2 bytes long")
			}
		}
		return floats(b, n, nv, defs, f.maxDef, p)
	}
	return nil, p.corrupt("its column reader does not match its type")
}

// floats spreads the nv floats in b.f64 to their rows.
func floats(b *pqBuffer, n, nv int, defs []int16, maxDef int16, p place) (table.Column, error) {
	nl, valid, err := spreadValues(b.f64, n, nv, defs, maxDef, b.valid)
	b.valid = valid
	if err != nil {
		return nil, p.corrupt(err.Error())
	}
	return &floatCol[float64]{nulls: nl, v: b.f64}, nil
}

// spreadValues moves the nv values packed at the start of v to the rows
// whose definition level says they are not null, from the last down so
// that none is overwritten before it is moved, and returns the validity
// of the n rows (in valid, reused).
func spreadValues[T any](v []T, n, nv int, defs []int16, maxDef int16, valid []byte) (nulls, []byte, error) {
	if defs == nil || nv == n {
		return nulls{}, valid, nil
	}
	valid = resize(valid, (n+7)>>3)
	clear(valid)
	j := nv
	for i := n - 1; i >= 0 && j >= 0; i-- {
		if defs[i] == maxDef {
			if j--; j >= 0 {
				v[i] = v[j]
				valid[i>>3] |= 1 << (i & 7)
			}
		}
	}
	if j != 0 {
		return nulls{}, valid, errors.New("its definition levels do not match its values")
	}
	return nulls{bits: valid}, valid, nil
}

// texts copies the nv byte arrays of vals, which point into the library's
// pages, into b as the text of n rows.
func texts(vals []parquet.ByteArray, b *pqBuffer, n, nv int, defs []int16, maxDef int16, p place) (table.Column, error) {
	size := 0
	for _, x := range vals[:nv] {
		size += len(x)
	}
	if size > maxInt32 {
		return nil, p.corrupt("a batch holds more than 2 GiB of text")
	}
	if cap(b.text) < size {
		b.text = make([]byte, 0, size)
	}
	text := b.text[:0]
	b.off = resize(b.off, n+1)
	off := b.off
	off[0] = 0
	var nl nulls
	if nv < n {
		b.valid = resize(b.valid, (n+7)>>3)
		clear(b.valid)
		nl.bits = b.valid
	}
	j := 0
	for i := range n {
		if defs == nil || defs[i] == maxDef {
			if j == nv {
				return nil, p.corrupt("its definition levels do not match its values")
			}
			text = append(text, vals[j]...)
			j++
			if nl.bits != nil {
				nl.bits[i>>3] |= 1 << (i & 7)
			}
		}
		off[i+1] = int32(len(text))
	}
	if j != nv {
		return nil, p.corrupt("its definition levels do not match its values")
	}
	b.text = text
	return &offsetCol[int32]{nulls: nl, off: off, data: text}, nil
}

// decimalOf is the value of a decimal stored as a big-endian two's
// complement integer of up to 32 bytes, scaled down by 10^scale.
func decimalOf(x []byte, scale int32, p place) (float64, error) {
	var w [32]byte
	if len(x) == 0 || len(x) > len(w) {
		return 0, p.corrupt("a decimal is not 1 to 32 bytes long")
	}
	if x[0]&0x80 != 0 {
		for i := range w {
			w[i] = 0xff
		}
	}
	copy(w[len(w)-len(x):], x)
	be := binary.BigEndian
	if len(x) <= 16 {
		return decimal128.New(int64(be.Uint64(w[16:])), be.Uint64(w[24:])).ToFloat64(scale), nil
	}
	return decimal256.New(be.Uint64(w[:]), be.Uint64(w[8:]), be.Uint64(w[16:]), be.Uint64(w[24:])).ToFloat64(scale), nil
}

// julianEpoch is the Julian day number of 1970-01-01.
const julianEpoch = 2_440_588

// int96Day is the day of a legacy INT96 timestamp: nanoseconds within
// the day in its first 8 bytes, the Julian day in its last 4.
func int96Day(x parquet.Int96) int64 {
	nanos := int64(binary.LittleEndian.Uint64(x[:8]))
	return int64(binary.LittleEndian.Uint32(x[8:])) - julianEpoch + floorDiv(nanos, 86_400_000_000_000)
}

// boolValues reads booleans as 0 and 1.
type boolValues struct {
	noValues
	nulls
	v []bool
}

func (*boolValues) Kind() table.Kind { return table.Int }
func (c *boolValues) Int(i int) int64 {
	if c.v[i] {
		return 1
	}
	return 0
}

// resize returns s with length n, reusing its array when it is large
// enough; the values are not cleared.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
