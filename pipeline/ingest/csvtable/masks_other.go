//go:build !amd64

package csvtable

// maskBlocks sets dst[i] to the mask of the separators, line ends and
// quotes among the 64 bytes text[64i:64i+64]: bit j for byte j. text must
// hold 64·len(dst) bytes. It reports whether there are quotes among them.
func maskBlocks(dst []uint64, text []byte, sep byte) (quotes bool) {
	return maskBlocksSWAR(dst, text, sep)
}
