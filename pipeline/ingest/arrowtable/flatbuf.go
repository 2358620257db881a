package arrowtable

import (
	"encoding/binary"
	"errors"
)

// Arrow IPC metadata is FlatBuffers, which Arrow's Go reader trusts: a
// vector length read from a corrupt file goes straight into make (one of
// terabytes kills the process, beyond any recover), and a field whose
// children point back at it recurses without end. So the metadata is
// checked here first, structurally: every table, vector and string lies
// within its buffer, nesting is bounded, and no table is visited twice over.
// Scalars are not checked; reading a bad one at worst panics, which guard
// turns into an error.

var errFlatbuf = errors.New("malformed metadata")

// fbuf is a FlatBuffers buffer being checked.
type fbuf struct {
	b      []byte
	budget int // tables that may still be visited
}

func newFbuf(b []byte) *fbuf { return &fbuf{b: b, budget: len(b)/4 + 8} }

// fbTable is a checked table: pos is where it starts, vt its vtable.
type fbTable struct {
	f            *fbuf
	pos, vt      int
	vsize, tsize int
}

func (f *fbuf) u16(pos int) int { return int(binary.LittleEndian.Uint16(f.b[pos:])) }
func (f *fbuf) u32(pos int) int64 {
	return int64(binary.LittleEndian.Uint32(f.b[pos:]))
}

// in says whether n bytes at pos lie within the buffer.
func (f *fbuf) in(pos int, n int64) bool {
	return pos >= 0 && n >= 0 && int64(pos)+n <= int64(len(f.b))
}

// root is the buffer's root table.
func (f *fbuf) root() (fbTable, error) {
	if !f.in(0, 4) {
		return fbTable{}, errFlatbuf
	}
	return f.table(int(f.u32(0)))
}

// table checks the header and vtable of the table at pos.
func (f *fbuf) table(pos int) (fbTable, error) {
	f.budget--
	if f.budget < 0 || !f.in(pos, 4) {
		return fbTable{}, errFlatbuf
	}
	vt := int64(pos) - int64(int32(f.u32(pos)))
	if vt < 0 || !f.in(int(vt), 4) {
		return fbTable{}, errFlatbuf
	}
	t := fbTable{f: f, pos: pos, vt: int(vt), vsize: f.u16(int(vt)), tsize: f.u16(int(vt) + 2)}
	if t.vsize < 4 || t.vsize%2 != 0 || !f.in(t.vt, int64(t.vsize)) || t.tsize < 4 || !f.in(pos, int64(t.tsize)) {
		return fbTable{}, errFlatbuf
	}
	return t, nil
}

// field is where the field in vtable slot holds its size bytes, or -1 if
// the field is absent.
func (t fbTable) field(slot, size int) (int, error) {
	o := 4 + 2*slot
	if o+2 > t.vsize {
		return -1, nil
	}
	fo := t.f.u16(t.vt + o)
	if fo == 0 {
		return -1, nil
	}
	if fo+size > t.tsize {
		return -1, errFlatbuf
	}
	return t.pos + fo, nil
}

// ref follows the offset in slot to what it points at, or -1 if absent.
func (t fbTable) ref(slot int) (int, error) {
	p, err := t.field(slot, 4)
	if err != nil || p < 0 {
		return -1, err
	}
	target := int64(p) + t.f.u32(p)
	if target >= int64(len(t.f.b)) {
		return -1, errFlatbuf
	}
	return int(target), nil
}

// child is the table in slot; ok is false if absent.
func (t fbTable) child(slot int) (c fbTable, ok bool, err error) {
	p, err := t.ref(slot)
	if err != nil || p < 0 {
		return fbTable{}, false, err
	}
	c, err = t.f.table(p)
	return c, err == nil, err
}

// vector is the vector in slot of n elements of size bytes from start;
// n is 0 if absent.
func (t fbTable) vector(slot, size int) (start, n int, err error) {
	p, err := t.ref(slot)
	if err != nil || p < 0 {
		return 0, 0, err
	}
	if !t.f.in(p, 4) {
		return 0, 0, errFlatbuf
	}
	count := t.f.u32(p)
	if !t.f.in(p+4, count*int64(size)) {
		return 0, 0, errFlatbuf
	}
	return p + 4, int(count), nil
}

// tables checks each table of the vector of tables in slot with check.
func (t fbTable) tables(slot int, check func(fbTable) error) error {
	start, n, err := t.vector(slot, 4)
	for i := 0; err == nil && i < n; i++ {
		p := start + 4*i
		var c fbTable
		if c, err = t.f.table(p + int(t.f.u32(p))); err == nil {
			err = check(c)
		}
	}
	return err
}

// i64 is the int64 scalar in slot, 0 if absent.
func (t fbTable) i64(slot int) (int64, error) {
	p, err := t.field(slot, 8)
	if err != nil || p < 0 {
		return 0, err
	}
	return int64(binary.LittleEndian.Uint64(t.f.b[p:])), nil
}

// u8 is the byte scalar in slot, 0 if absent.
func (t fbTable) u8(slot int) (byte, error) {
	p, err := t.field(slot, 1)
	if err != nil || p < 0 {
		return 0, err
	}
	return t.f.b[p], nil
}
