package csvtable

import "encoding/binary"

// Words for finding bytes eight at a time.
const (
	ones  = 0x0101010101010101
	lows  = 0x7f7f7f7f7f7f7f7f
	highs = 0x8080808080808080
	nls   = '\n' * ones
	quots = '"' * ones
	// gather moves bit 7 of each byte of a word, shifted to bit 0, into the
	// top byte by one multiplication: the bit of byte j lands on bit 56+j,
	// and the other products fall outside the top byte without carrying.
	gather = 0x0102040810204080
)

// maskBlocksSWAR is maskBlocks in portable Go: it looks at a word of eight
// bytes at a time.
func maskBlocksSWAR(dst []uint64, text []byte, sep byte) (quotes, high bool) {
	sepWord := uint64(sep) * ones
	var all uint64 // the words seen, or'ed
	for i := range dst {
		t := text[64*i : 64*i+64]
		var m uint64
		for j := 0; j < 64; j += 8 {
			w := binary.LittleEndian.Uint64(t[j:])
			all |= w
			// Bit 7 of a byte of nonZero(x) is set if that byte of x is
			// not zero, exactly; a byte is special if it is zero in one.
			nq := nonZero(w ^ quots)
			quotes = quotes || ^nq&highs != 0
			nz := nonZero(w^sepWord) & nonZero(w^nls) & nq
			m |= (^nz & highs >> 7 * gather >> 56) << j
		}
		dst[i] = m
	}
	return quotes, all&highs != 0
}

// nonZero has bit 7 of each byte set if that byte of x is not zero (and
// other bits that do not matter). Unlike the quicker (x-ones)&^x, it marks
// every byte exactly, not just the lowest zero byte.
func nonZero(x uint64) uint64 {
	return (x&lows + lows) | x
}
