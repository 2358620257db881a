package csvtable

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Alphabets for random input: the bytes that matter to splitting, with
// quotes common (most such inputs are broken) or rare.
var (
	quoteRich = []string{"a", "b", ",", ",", ";", ";", "\n", "\n", "\r", `"`, `"`, " ", "\t", "æ"}
	quotePoor = append(strings.Split("abcdefgh12345678", ""), ",", ",", ",", ";", ";", ";", "\n", "\n", "\r", " ", "\t", "æ", `"`)
)

// randomRecords is well-formed CSV with sep of up to n bytes: fields plain
// or quoted (holding separators, line ends and doubled quotes), CRLF and LF
// line ends, blank lines, and rarely a stray quote.
func randomRecords(rng *rand.Rand, n int, sep byte) []byte {
	var b []byte
	plain := []string{"", "a", "7,5", "x;y", "æø", " b ", "\r"}
	quoted := []string{`""`, `"abc"`, `"a,b"`, `"x;y"`, `"q""q"`, "\"l\nm\"", "\"\r\n\"", "\"a\rb\"", `"æ"`}
	for len(b) < n {
		for f := range 1 + rng.IntN(4) {
			if f > 0 {
				b = append(b, sep)
			}
			tok := plain[rng.IntN(len(plain))]
			if rng.IntN(2) == 0 {
				tok = quoted[rng.IntN(len(quoted))]
			}
			if tok == "\r" && rng.IntN(40) == 0 {
				tok = "a\"b" // stray
			}
			b = append(b, tok...)
		}
		b = append(b, []string{"\n", "\r\n", "\n\n"}[rng.IntN(3)]...)
	}
	return b[:max(len(b)-rng.IntN(2), 0)]
}

// randomCSV is about n bytes of tokens drawn from alphabet, with quotes
// rarer still when the alphabet says so.
func randomCSV(rng *rand.Rand, n int, alphabet []string) []byte {
	var b []byte
	for len(b) < n {
		tok := alphabet[rng.IntN(len(alphabet))]
		if tok == `"` && len(alphabet) > 20 && rng.IntN(10) > 0 {
			continue
		}
		b = append(b, tok...)
	}
	return b
}

// TestMasks compares the masks of blocks and whether they hold quotes, by
// maskBlocks (SSE2 on amd64), its portable twin and fillMasks with its
// short last block, against a byte-by-byte reading.
func TestMasks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	naive := func(text []byte, sep byte) uint64 {
		var m uint64
		for j := 0; j < 64 && j < len(text); j++ {
			if c := text[j]; c == sep || c == '\n' || c == '"' {
				m |= 1 << j
			}
		}
		return m
	}
	for _, sep := range candidates {
		p := newPlan(sep, 1, nil)
		for range 500 {
			alphabet := [][]string{quoteRich, quotePoor[:len(quotePoor)-1]}[rng.IntN(2)] // with quotes or none
			text := randomCSV(rng, 64+rng.IntN(3000), alphabet)
			at := rng.IntN(len(text))
			full := (len(text) - at) / 64
			if rng.IntN(3) == 0 { // a byte that is not ASCII, somewhere
				text[rng.IntN(len(text))] = byte(0x80 + rng.IntN(0x80))
			}
			quoted := func(b []byte) bool { return bytes.IndexByte(b, '"') >= 0 }
			high := func(b []byte) bool { return bytes.IndexFunc(b, func(r rune) bool { return r >= 0x80 }) >= 0 }
			for name, f := range map[string]func([]uint64, []byte, byte) (bool, bool){"maskBlocks": maskBlocks, "maskBlocksSWAR": maskBlocksSWAR} {
				got := make([]uint64, full)
				quotes, hi := f(got, text[at:], sep)
				require.Equal(t, quoted(text[at:at+64*full]), quotes, "%s: quotes in %q", name, text[at:at+64*full])
				require.Equal(t, high(text[at:at+64*full]), hi, "%s: bytes above 0x7f in %q", name, text[at:at+64*full])
				for i, m := range got {
					require.Equal(t, naive(text[at+64*i:], sep), m, "%s: block %d of %q", name, i, text[at:])
				}
			}
			masks := make([]uint64, maskGroup)
			quotes, hi := p.fillMasks(masks, text, at)
			end := min(len(text), at+64*maskGroup)
			require.Equal(t, quoted(text[at:end]), quotes, "fillMasks: quotes in %q", text[at:end])
			require.Equal(t, high(text[at:end]), hi, "fillMasks: bytes above 0x7f in %q", text[at:end])
			for i := range min(maskGroup, (len(text)-at+63)/64) {
				require.Equal(t, naive(text[at+64*i:], sep), masks[i], "fillMasks: block %d of %q", i, text[at:])
			}
		}
	}
}

// TestRandomAgainstCSV compares longer random inputs than the fuzz seeds
// with encoding/csv, so that lines cross the 64-byte blocks of splitPlain.
func TestRandomAgainstCSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 450
	if testing.Short() {
		n = 100
	}
	compared := 0
	for i := range n {
		for _, sep := range []byte{',', ';'} {
			data := randomRecords(rng, rng.IntN(400), sep)
			if i%3 > 0 {
				data = randomCSV(rng, rng.IntN(400), [][]string{quoteRich, quotePoor}[i%3-1])
			}
			if compareWithCSV(t, data, sep) {
				compared++
			}
		}
	}
	t.Logf("%d of %d inputs compared", compared, 2*n)
	require.Greater(t, compared, n/2, "inputs encoding/csv reads")
}
