package arrowtable

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"rcteval/pipeline/ingest/table"
)

// textColumn wraps the string and binary types; ok is false for others.
func textColumn(arr arrow.Array, nl nulls, p place) (c table.Column, ok bool, err error) {
	switch arr.DataType().ID() {
	case arrow.STRING, arrow.BINARY:
		c, err = offsetColumn(arr.Data(), arrow.Int32Traits.CastFromBytes, nl, p)
	case arrow.LARGE_STRING, arrow.LARGE_BINARY:
		c, err = offsetColumn(arr.Data(), arrow.Int64Traits.CastFromBytes, nl, p)
	case arrow.STRING_VIEW, arrow.BINARY_VIEW:
		c, err = viewColumn(arr.Data(), nl, p)
	default:
		return nil, false, nil
	}
	return c, true, err
}

// offsetCol reads string and binary arrays: value i is data[off[i]:off[i+1]].
type offsetCol[O int32 | int64] struct {
	noValues
	nulls
	off  []O
	data []byte
}

func (*offsetCol[O]) Kind() table.Kind { return table.Text }

// Bytes caps the slice so that a caller appending to it cannot overwrite
// the next value.
func (c *offsetCol[O]) Bytes(i int) []byte {
	a, b := c.off[i], c.off[i+1]
	return c.data[a:b:b]
}

func offsetColumn[O int32 | int64](d arrow.ArrayData, cast func([]byte) []O, nl nulls, p place) (table.Column, error) {
	bufs, n := d.Buffers(), d.Len()
	if n == 0 {
		return &offsetCol[O]{nulls: nl}, nil
	}
	if len(bufs) < 3 || bufs[1] == nil {
		return nil, p.corrupt("its offsets are missing")
	}
	off := cast(bufs[1].Bytes())
	if len(off) < d.Offset()+n+1 {
		return nil, p.corrupt("its offset buffer is too short")
	}
	off = off[d.Offset() : d.Offset()+n+1]
	var data []byte
	if bufs[2] != nil {
		data = bufs[2].Bytes()
	}
	if !offsetsOK(off, len(data)) {
		return nil, p.corrupt("its string offsets are out of range")
	}
	return &offsetCol[O]{nulls: nl, off: off, data: data}, nil
}

// offsetsOK says whether off is non-decreasing within [0, size].
func offsetsOK[O int32 | int64](off []O, size int) bool {
	prev := off[0]
	if prev < 0 {
		return false
	}
	for _, o := range off[1:] {
		if o < prev {
			return false
		}
		prev = o
	}
	return int64(prev) <= int64(size)
}

// viewCol reads string_view and binary_view arrays (as Polars writes them):
// a value of up to 12 bytes is inline in its header, a longer one is in one
// of the data buffers.
type viewCol struct {
	noValues
	nulls
	views []arrow.ViewHeader
	bufs  [][]byte
}

func (*viewCol) Kind() table.Kind { return table.Text }

func (c *viewCol) Bytes(i int) []byte {
	h := &c.views[i]
	n := h.Len()
	if h.IsInline() {
		return h.InlineBytes()[:n:n]
	}
	o := int(h.BufferOffset())
	return c.bufs[h.BufferIndex()][o : o+n : o+n]
}

func viewColumn(d arrow.ArrayData, nl nulls, p place) (table.Column, error) {
	bufs, n := d.Buffers(), d.Len()
	if n == 0 {
		return &viewCol{nulls: nl}, nil
	}
	if len(bufs) < 2 || bufs[1] == nil {
		return nil, p.corrupt("its views are missing")
	}
	views := arrow.ViewHeaderTraits.CastFromBytes(bufs[1].Bytes())
	if len(views) < d.Offset()+n {
		return nil, p.corrupt("its view buffer is too short")
	}
	c := &viewCol{nulls: nl, views: views[d.Offset() : d.Offset()+n]}
	for _, b := range bufs[2:] {
		var bs []byte
		if b != nil {
			bs = b.Bytes()
		}
		c.bufs = append(c.bufs, bs)
	}
	for i := range c.views {
		if !c.viewOK(&c.views[i]) {
			return nil, p.corrupt("its string views are out of range")
		}
	}
	return c, nil
}

func (c *viewCol) viewOK(h *arrow.ViewHeader) bool {
	n := h.Len()
	if n < 0 {
		return false
	}
	if h.IsInline() {
		return true
	}
	b, o := int(h.BufferIndex()), int(h.BufferOffset())
	return b >= 0 && b < len(c.bufs) && o >= 0 && o+n <= len(c.bufs[b])
}

// dictCol reads a dictionary of strings: value i is dictionary value
// idx[i]. A value is null when its index is, or when the dictionary value
// it points to is.
type dictCol[I integer] struct {
	noValues
	nulls
	idx       []I
	dict      table.Column
	size      int  // dictionary length
	dictNulls bool // whether any dictionary value is null
}

func (*dictCol[I]) Kind() table.Kind { return table.Text }

func (c *dictCol[I]) Null(i int) bool {
	return c.nulls.Null(i) || c.dictNulls && c.dict.Null(int(c.idx[i]))
}

// Bytes checks the index only because a null row's index is arbitrary;
// those of the other rows were checked when the batch was made.
func (c *dictCol[I]) Bytes(i int) []byte {
	k := int(c.idx[i])
	if k < 0 || k >= c.size {
		return nil
	}
	return c.dict.Bytes(k)
}

func dictColumn(d *array.Dictionary, nl nulls, p place) (table.Column, error) {
	values := d.Dictionary()
	if values == nil {
		return nil, p.corrupt("its dictionary is missing")
	}
	vnl, err := nullsOf(values, p)
	if err != nil {
		return nil, err
	}
	dict, ok, err := textColumn(values, vnl, p)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf(0, "column %q has Arrow type %s, which cannot be read; expected %s",
			p.name, d.DataType(), expected)
	}
	dc := dictHead{dict: dict, size: values.Len(), nulls: values.NullN() > 0}
	switch ix := d.Indices().(type) {
	case *array.Int8:
		return newDict(ix.Int8Values(), d.Len(), nl, dc, p)
	case *array.Int16:
		return newDict(ix.Int16Values(), d.Len(), nl, dc, p)
	case *array.Int32:
		return newDict(ix.Int32Values(), d.Len(), nl, dc, p)
	case *array.Int64:
		return newDict(ix.Int64Values(), d.Len(), nl, dc, p)
	case *array.Uint8:
		return newDict(ix.Uint8Values(), d.Len(), nl, dc, p)
	case *array.Uint16:
		return newDict(ix.Uint16Values(), d.Len(), nl, dc, p)
	case *array.Uint32:
		return newDict(ix.Uint32Values(), d.Len(), nl, dc, p)
	case *array.Uint64:
		return newDict(ix.Uint64Values(), d.Len(), nl, dc, p)
	}
	return nil, p.corrupt("its dictionary indices are not integers")
}

// dictHead is what a dictionary column needs of its dictionary.
type dictHead struct {
	dict  table.Column
	size  int
	nulls bool
}

// newDict checks that every non-null index points into the dictionary.
func newDict[I integer](idx []I, n int, nl nulls, h dictHead, p place) (table.Column, error) {
	if len(idx) < n {
		return nil, p.corrupt("its index buffer is too short")
	}
	idx = idx[:n]
	for i, k := range idx {
		if (int64(k) < 0 || int64(k) >= int64(h.size)) && !nl.Null(i) {
			return nil, p.corrupt("a dictionary index is out of range")
		}
	}
	return &dictCol[I]{nulls: nl, idx: idx, dict: h.dict, size: h.size, dictNulls: h.nulls}, nil
}
