package csvtable

import (
	"encoding/binary"
	"unicode/utf8"
)

// cp1252High are the characters of bytes 0x80–0x9F in Windows-1252, where it
// differs from Latin-1; the five unassigned bytes read as U+FFFD, as in
// golang.org/x/text/encoding/charmap. Bytes 0xA0–0xFF are Latin-1.
var cp1252High = [32]rune{
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
}

// utf8Of is the UTF-8 encoding of each Windows-1252 byte from 0x80.
var utf8Of = func() (t [128]struct {
	n uint8
	b [3]byte
}) {
	for i := range t {
		r := rune(0x80 + i)
		if r < 0xA0 {
			r = cp1252High[i]
		}
		t[i].n = uint8(utf8.EncodeRune(t[i].b[:], r))
	}
	return t
}()

// indexNonASCII is the offset of the first byte ≥ 0x80 in b, or -1. It
// looks at 8 bytes at a time since most text is ASCII.
func indexNonASCII(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= 0x80 {
			return i
		}
	}
	return -1
}

// decode1252 appends src, Windows-1252, to dst as UTF-8.
func decode1252(dst, src []byte) []byte {
	for len(src) > 0 {
		i := indexNonASCII(src)
		if i < 0 {
			return append(dst, src...)
		}
		dst = append(dst, src[:i]...)
		e := &utf8Of[src[i]-0x80]
		dst = append(dst, e.b[:e.n]...)
		src = src[i+1:]
	}
	return dst
}

// validSample reports whether a sample of a file is UTF-8. A sample that
// stops before the end of the file may cut the last character short, so an
// incomplete sequence in its last three bytes is not held against it.
func validSample(b []byte, eof bool) bool {
	if !eof {
		for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
			c := b[len(b)-i]
			if c < 0x80 {
				break
			}
			if c >= 0xC0 {
				if !utf8.FullRune(b[len(b)-i:]) {
					b = b[:len(b)-i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

// invalidUTF8 is the offset of the first byte of b that is not part of
// valid UTF-8, or -1.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// utf8Error reports invalid UTF-8 at text[off], with text[0] on line line.
func utf8Error(text []byte, line, off int) error {
	l, c := locate(text, 0, line, off)
	return errorf(l, c, "invalid UTF-8 (byte 0x%02x); the file looks Latin-1: set encoding: latin1 in the spec", text[off])
}
