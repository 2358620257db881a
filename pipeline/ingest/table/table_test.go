package table

import (
	"encoding/binary"
	"testing"
)

// Word gives a value's bytes as a word, zero past its end, for values of
// every length up to 8 away from the end of the text, and refuses longer
// values and values too near the end.
func TestWord(t *testing.T) {
	text := []byte("abcdefghijklmnopqrstuvwxyz")
	for s := range len(text) {
		for e := s; e <= len(text); e++ {
			c := RangeColumn{Text: text, Spans: []uint64{uint64(s) | uint64(e)<<32}, Stride: 1}
			w, n, ok := c.Word(0)
			if n != e-s {
				t.Fatalf("[%d:%d]: length %d", s, e, n)
			}
			if want := e-s <= 8 && s+8 <= len(text); ok != want {
				t.Fatalf("[%d:%d]: ok %v, want %v", s, e, ok, want)
			}
			if !ok {
				continue
			}
			var buf [8]byte
			copy(buf[:], text[s:e])
			if want := binary.LittleEndian.Uint64(buf[:]); w != want {
				t.Fatalf("[%d:%d]: %x, want %x", s, e, w, want)
			}
		}
	}
}
