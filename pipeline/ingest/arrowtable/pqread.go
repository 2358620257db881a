package arrowtable

import (
	"encoding/binary"
	"errors"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/decimal256"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"

	"rcteval/pipeline/ingest/table"
)

// pqSource reads row group after row group, batchRows rows of every
// requested field at a time, each field once however often it is asked for.
//
// Each field is read by a record reader of the Parquet library, which
// decodes into buffers it keeps from batch to batch. Its column chunk
// readers' ReadBatch is not used: a page that claims more values than it
// holds makes it loop for ever (as arrow-rs#1997 was), whereas a record
// reader stops at the first batch of levels it cannot decode.
type pqSource struct {
	rdr     *file.Reader
	mem     memory.Allocator
	pool    *sync.Pool          // scratch buffers for the record readers
	fields  []pqField           // read
	at      []int               // requested column j is fields[at[j]]
	readers []file.RecordReader // one per field (nil for a null one), moved from row group to row group
	group   int                 // the current row group, or the next one to open
	groups  int
	open    bool            // whether row group s.group is being read
	want    int64           // its rows, by the footer
	left    int64           // its rows not yet read
	free    chan []pqBuffer // buffers of released batches, to serve again
}

// pqBuffer holds a column's values for a batch, one row each, copied out
// of the record reader's buffers, which serve the next batch.
type pqBuffer struct {
	valid []byte // validity bitmap; unused when nothing is null
	bools []byte
	i32   []int32
	i64   []int64
	f32   []float32
	f64   []float64
	arr   arrow.Array // the text of a byte array column, built by the record reader for this batch
}

// errFewerRows is a column that ends before its row group does.
var errFewerRows = errors.New("fewer rows than the row group")

func (s *pqSource) close() {
	for _, r := range s.readers {
		if r != nil {
			r.Release()
		}
	}
	s.readers = nil
}

func (s *pqSource) next(row0 int) (*batch, error) {
	for !s.open || s.left == 0 {
		if s.open {
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
	b := &batch{n: n, cols: make([]table.Column, len(s.at)), free: func() { s.give(bufs) }}
	cols := make([]table.Column, len(s.fields))
	for k := range s.fields {
		var err error
		if cols[k], err = s.read(k, n, &bufs[k], place{name: s.fields[k].name, row0: row0}); err != nil {
			b.release()
			if errors.Is(err, errFewerRows) {
				return nil, errorf(0, "%s: column %q of row group %d holds fewer rows than the %d its footer says",
					corruptPQ, s.fields[k].name, s.group, s.want)
			}
			return nil, wrap(err, "%s: row group %d cannot be read", corruptPQ, s.group)
		}
	}
	s.left -= int64(n)
	for j, k := range s.at {
		b.cols[j] = cols[k]
	}
	return b, nil
}

// openGroup moves every field's record reader to row group s.group.
func (s *pqSource) openGroup() error {
	rg := s.rdr.RowGroup(s.group)
	s.want = rg.NumRows()
	if s.want < 0 {
		return errorf(0, "%s: row group %d claims %d rows", corruptPQ, s.group, s.want)
	}
	s.left = s.want
	if s.readers == nil {
		s.readers = make([]file.RecordReader, len(s.fields))
	}
	for k, f := range s.fields {
		if f.conv == pqNull {
			continue
		}
		pages, err := rg.GetColumnPageReader(f.leaf)
		if err != nil {
			return err
		}
		if s.readers[k] == nil {
			s.readers[k] = file.NewRecordReader(s.rdr.MetaData().Schema.Column(f.leaf), f.levels, builtAs(f, rg), s.mem, s.pool)
		}
		s.readers[k].SetPageReader(pages)
	}
	s.open = true
	return nil
}

// builtAs is the Arrow type the record reader builds a byte array
// column as: a dictionary when the column chunk is dictionary-encoded, as
// status codes usually are, so that its values are decoded as indices into
// the dictionary rather than appended one by one; plain binary otherwise.
func builtAs(f pqField, rg *file.RowGroupReader) arrow.DataType {
	if f.conv == pqText {
		if cc, err := rg.MetaData().ColumnChunk(f.leaf); err == nil && cc.HasDictionaryPage() {
			return &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.Binary}
		}
	}
	return arrow.BinaryTypes.Binary
}

// endGroup checks that no column holds more rows than its row group: a
// run-length encoded page in a corrupt file can claim billions of values.
func (s *pqSource) endGroup() error {
	for k, r := range s.readers {
		if r == nil {
			continue
		}
		r.Reset()
		if more, err := r.ReadRecords(1); more > 0 || err != nil {
			return errorf(0, "%s: column %q of row group %d holds more rows than the %d its footer says",
				corruptPQ, s.fields[k].name, s.group, s.want)
		}
	}
	s.open = false
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
func (s *pqSource) give(bufs []pqBuffer) {
	for i := range bufs {
		if bufs[i].arr != nil {
			bufs[i].arr.Release()
			bufs[i].arr = nil
		}
	}
	select {
	case s.free <- bufs:
	default:
	}
}

// read reads the next n rows of field k into b.
func (s *pqSource) read(k, n int, b *pqBuffer, p place) (table.Column, error) {
	f := &s.fields[k]
	if f.conv == pqNull {
		return nullColumn{}, nil
	}
	r := s.readers[k]
	r.Reset()
	if err := r.Reserve(int64(n)); err != nil {
		return nil, err
	}
	for got := 0; got < n; {
		m, err := r.ReadRecords(int64(n - got))
		if err != nil {
			return nil, err
		}
		if m == 0 {
			return nil, errFewerRows
		}
		got += int(m)
	}
	if br, ok := r.(file.BinaryRecordReader); ok {
		return s.readBytes(f, br, n, b, p)
	}
	if r.ValuesWritten() != n {
		return nil, p.corrupt("its values do not match its rows")
	}
	var nl nulls
	if r.NullCount() > 0 {
		bits := r.(interface{ GetValidBits() []byte }).GetValidBits()
		if len(bits) < (n+7)>>3 {
			return nil, p.corrupt("its validity bitmap is too short")
		}
		b.valid = append(b.valid[:0], bits[:(n+7)>>3]...)
		nl.bits = b.valid
	}
	raw := r.Values()
	if len(raw) < n*f.phys.ByteSize() {
		return nil, p.corrupt("its value buffer is too short")
	}
	switch f.conv {
	case pqBool:
		b.bools = append(b.bools[:0], raw[:n]...) // a byte a value
		return &boolValues{nulls: nl, v: b.bools}, nil
	case pqInt32, pqUint32, pqDate:
		b.i32 = append(b.i32[:0], arrow.Int32Traits.CastFromBytes(raw)[:n]...)
		switch f.conv {
		case pqUint32:
			return &intCol[uint32]{nulls: nl, v: arrow.Uint32Traits.CastFromBytes(arrow.Int32Traits.CastToBytes(b.i32))}, nil
		case pqDate:
			return &dateCol[int32]{nulls: nl, v: b.i32}, nil
		}
		return &intCol[int32]{nulls: nl, v: b.i32}, nil
	case pqInt64, pqUint64, pqTimestamp:
		b.i64 = append(b.i64[:0], arrow.Int64Traits.CastFromBytes(raw)[:n]...)
		switch f.conv {
		case pqUint64:
			return uint64Column(arrow.Uint64Traits.CastFromBytes(arrow.Int64Traits.CastToBytes(b.i64)), n, nl, p)
		case pqTimestamp:
			return dayColumn(b.i64, n, f.per, nl, p)
		}
		return &intCol[int64]{nulls: nl, v: b.i64}, nil
	case pqInt96:
		b.i64 = resize(b.i64, n)
		for i, x := range parquet.Int96Traits.CastFromBytes(raw)[:n] {
			b.i64[i] = int96Day(x)
		}
		return dayColumn(b.i64, n, 1, nl, p)
	case pqFloat:
		b.f32 = append(b.f32[:0], arrow.Float32Traits.CastFromBytes(raw)[:n]...)
		return &floatCol[float32]{nulls: nl, v: b.f32}, nil
	case pqDouble:
		b.f64 = append(b.f64[:0], arrow.Float64Traits.CastFromBytes(raw)[:n]...)
		return &floatCol[float64]{nulls: nl, v: b.f64}, nil
	case pqDecimal: // in INT32 or INT64
		b.f64 = resize(b.f64, n)
		if f.phys == parquet.Types.Int32 {
			for i, x := range arrow.Int32Traits.CastFromBytes(raw)[:n] {
				b.f64[i] = decimal128.FromI64(int64(x)).ToFloat64(f.scale)
			}
		} else {
			for i, x := range arrow.Int64Traits.CastFromBytes(raw)[:n] {
				b.f64[i] = decimal128.FromI64(x).ToFloat64(f.scale)
			}
		}
		return &floatCol[float64]{nulls: nl, v: b.f64}, nil
	}
	return nil, p.corrupt("its record reader does not match its type")
}

// readBytes takes the batch's byte arrays (or fixed-length ones) as the
// record reader built them: text, or decimals and half floats to convert.
func (s *pqSource) readBytes(f *pqField, r file.BinaryRecordReader, n int, b *pqBuffer, p place) (table.Column, error) {
	chunks := r.GetBuilderChunks()
	switch len(chunks) {
	case 0:
		return nil, p.corrupt("its values are missing")
	case 1:
		b.arr = chunks[0] // released with the batch
	default: // a dictionary changing within the batch
		arr, err := array.Concatenate(chunks, s.mem)
		for _, c := range chunks {
			c.Release()
		}
		if err != nil {
			return nil, err
		}
		b.arr = arr
	}
	if f.conv == pqText {
		return newColumn(b.arr, n, p)
	}
	if b.arr.Len() != n {
		return nil, p.corrupt("its values do not match its rows")
	}
	nl, err := nullsOf(b.arr, p)
	if err != nil {
		return nil, err
	}
	value, ok := b.arr.(interface{ Value(int) []byte })
	if !ok {
		return nil, p.corrupt("its values are not byte arrays")
	}
	b.f64 = resize(b.f64, n)
	for i := range n {
		if nl.Null(i) {
			continue
		}
		x := value.Value(i)
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
	return &floatCol[float64]{nulls: nl, v: b.f64}, nil
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
	return int64(binary.LittleEndian.Uint32(x[8:])) - julianEpoch + floorDiv(nanos, perDay[arrow.Nanosecond])
}

// boolValues reads booleans, decoded a byte each, as 0 and 1.
type boolValues struct {
	noValues
	nulls
	v []byte
}

func (*boolValues) Kind() table.Kind { return table.Int }
func (c *boolValues) Int(i int) int64 {
	if c.v[i] != 0 {
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
