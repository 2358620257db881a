package csvtable

// maskBlocks sets dst[i] to the mask of the separators, line ends and
// quotes among the 64 bytes text[64i:64i+64]: bit j for byte j. text must
// hold 64·len(dst) bytes. It reports whether there are quotes among them,
// and whether any of them is not ASCII (high: a byte ≥ 0x80).
// It compares 16 bytes at a time with SSE2, which every amd64 processor
// has.
//
//go:noescape
func maskBlocks(dst []uint64, text []byte, sep byte) (quotes, high bool)
