package pipeline

import (
	"hash/maphash"
	"slices"
)

// idIndex holds the person ids and finds a person by id without a pointer
// per id: the ids lie end to end in one byte slice, and an open-addressing
// hash table (linear probing, at most half full) holds positions. A
// []string and a map[string]int of 100 000 ids are 200 000 objects for the
// garbage collector to mark in every collection while the weekly files are
// read (some 3 ms each); these slices hold nothing it scans, in 3.6 MB
// rather than 5.7.
type idIndex struct {
	text  []byte   // the ids, end to end
	end   []int    // id i is text[end[i-1]:end[i]]
	slots []uint64 // the hash's high half << 32 | position+1 (so < 2³² ids); 0 is empty
	seed  maphash.Seed
}

func (x *idIndex) len() int { return len(x.end) }

func (x *idIndex) bytes() int { return cap(x.text) + 8*cap(x.end) + 8*cap(x.slots) }

// id returns id i.
func (x *idIndex) id(i int) []byte {
	start := 0
	if i > 0 {
		start = x.end[i-1]
	}
	return x.text[start:x.end[i]]
}

// grow makes room for n more ids of about width bytes each.
func (x *idIndex) grow(n, width int) {
	x.end, x.text = slices.Grow(x.end, n), slices.Grow(x.text, n*width)
	x.rehash(len(x.end) + n)
}

// add appends id and returns its position, or returns the position of the
// id already there and false.
func (x *idIndex) add(id []byte) (int, bool) {
	if x.slots == nil {
		x.rehash(8)
	}
	h := maphash.Bytes(x.seed, id)
	s, pos := probe(x, h, id)
	if pos >= 0 {
		return pos, false
	}
	x.text = append(x.text, id...)
	x.end = append(x.end, len(x.text))
	pos = len(x.end) - 1
	x.slots[s] = h>>32<<32 | uint64(pos+1)
	if 2*len(x.end) > len(x.slots) {
		x.rehash(len(x.end))
	}
	return pos, true
}

// lookup returns the position of id.
func (x *idIndex) lookup(id string) (int, bool) {
	if x.slots == nil {
		return 0, false
	}
	_, pos := probe(x, maphash.String(x.seed, id), id)
	return pos, pos >= 0
}

// lookupBytes is lookup for an id in a byte slice.
func (x *idIndex) lookupBytes(id []byte) (int, bool) {
	if x.slots == nil {
		return 0, false
	}
	_, pos := probe(x, maphash.Bytes(x.seed, id), id)
	return pos, pos >= 0
}

// probe returns the slot of id, whose hash is h, and its position, or the
// empty slot where it would go and -1 (linear probing).
func probe[T string | []byte](x *idIndex, h uint64, id T) (slot, pos int) {
	mask := uint64(len(x.slots) - 1)
	for s := h & mask; ; s = (s + 1) & mask {
		v := x.slots[s]
		if v == 0 {
			return int(s), -1
		}
		if v>>32 == h>>32 {
			if p := int(uint32(v)) - 1; string(x.id(p)) == string(id) {
				return int(s), p
			}
		}
	}
}

// rehash sizes the table for n ids (at most half full) and fills it again.
func (x *idIndex) rehash(n int) {
	size := 8
	for size < 2*n {
		size *= 2
	}
	if size <= len(x.slots) {
		return
	}
	if x.slots == nil {
		x.seed = maphash.MakeSeed()
	}
	x.slots = make([]uint64, size)
	mask := uint64(size - 1)
	for p := range x.end {
		h := maphash.Bytes(x.seed, x.id(p))
		s := h & mask
		for x.slots[s] != 0 {
			s = (s + 1) & mask
		}
		x.slots[s] = h>>32<<32 | uint64(p+1)
	}
}
