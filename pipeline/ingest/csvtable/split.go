package csvtable

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unicode/utf8"

	"rcteval/pipeline/ingest/table"
)

// split cuts b.text into rows: splitPlain takes the rows up to the next
// quote, and splitRecord the record with the quote, which may read on over
// quoted line ends.
func (b *batch) split() {
	text := b.text
	line := uint32(0)
	for pos := 0; pos < len(text); {
		var plain bool
		if pos, line, plain = b.splitPlain(pos, line); !plain {
			next := b.splitRecord(pos, line)
			line += uint32(bytes.Count(text[pos:next], []byte{'\n'}))
			pos = next
		}
	}
}

// splitPlain splits the lines from text[pos] (on line line) at separators
// until the end of the text or a line with a quote. It returns where it
// stopped (the start of that line) and its line number; plain is false if
// it stopped at a quote.
//
// It finds separators, line ends and quotes 64 bytes at a time as a bit
// mask and then visits only those, so that the time taken goes with the
// bytes and not with the number of fields; a loop per field would pay a
// mispredicted branch at the end of every field.
func (b *batch) splitPlain(pos int, line uint32) (next int, nextLine uint32, plain bool) {
	p := b.plan
	text, want, sep, last := b.text, p.want, p.sep, p.last
	n := len(text)
	base := b.addRow(pos, line)
	offs := b.offs[base : base+p.stride]
	k, start := 0, pos
	for block := pos; block < n; block += 64 {
		for m := p.specials(text, block); m != 0; m &= m - 1 {
			i := block + bits.TrailingZeros64(m)
			switch text[i] {
			case sep:
				if k <= last {
					if s := want[k]; s >= 0 {
						offs[2*s], offs[2*s+1] = uint32(start), uint32(i)
					}
				}
				k++
				start = i + 1
			case '\n':
				if b.endRow(base, k, start, i, line) {
					base = b.addRow(i+1, line+1)
					offs = b.offs[base : base+p.stride]
				} else {
					b.rows[len(b.rows)-1] = rowInfo{start: uint32(i + 1), line: line + 1}
				}
				line++
				k, start = 0, i+1
			default: // a quote: leave the line to splitRecord
				r := b.rows[len(b.rows)-1]
				b.rows, b.offs = b.rows[:len(b.rows)-1], b.offs[:base]
				return int(r.start), line, false
			}
		}
	}
	if !b.endRow(base, k, start, n, line) {
		b.rows, b.offs = b.rows[:len(b.rows)-1], b.offs[:base]
	}
	return n, line, true
}

// endRow ends the row whose offsets start at base, with k fields so far, at
// the line end text[end]; its last field starts at start. It reports
// false, keeping nothing, if the line is blank, which is skipped as
// encoding/csv skips it.
func (b *batch) endRow(base, k, start, end int, line uint32) bool {
	text := b.text
	if end > start && text[end-1] == '\r' {
		end-- // \r\n reads as \n, and a \r before the end of the file is dropped
	}
	if k == 0 && end == start {
		return false
	}
	p := b.plan
	if k <= p.last {
		if s := p.want[k]; s >= 0 {
			b.offs[base+2*int(s)], b.offs[base+2*int(s)+1] = uint32(start), uint32(end)
		}
	}
	if k+1 != p.ncols {
		b.fail(base, b.ragged(k+1, line))
	}
	return true
}

// addRow appends a row starting at text[start] and returns the index of
// its first offset.
func (b *batch) addRow(start int, line uint32) int {
	b.rows = append(b.rows, rowInfo{start: uint32(start), line: line})
	base, stride := len(b.offs), b.plan.stride
	if cap(b.offs)-base < stride {
		b.offs = append(b.offs[:cap(b.offs)], make([]uint32, cap(b.offs)+stride)...)
	}
	b.offs = b.offs[:base+stride]
	return base
}

// splitRecord splits the record starting at text[start], which has quotes,
// and returns where the next line starts.
func (b *batch) splitRecord(start int, line uint32) int {
	base := b.addRow(start, line)
	p := b.plan
	spans, next, err := parseRecord(b.text, start, p.sep, b.spans[:0])
	b.spans = spans
	switch {
	case err.kind != noErr:
		b.fail(base, b.recordError(start, line, err))
		return next
	case len(spans) != p.ncols:
		b.fail(base, b.ragged(len(spans), line))
		return next
	}
	offs := b.offs[base : base+p.stride]
	for k, s := range spans {
		slot := p.want[k]
		if slot < 0 {
			continue
		}
		if s.esc {
			from := len(b.scratch)
			b.scratch = unescape(b.scratch, b.text[s.start:s.end])
			offs[2*slot], offs[2*slot+1] = uint32(from)|inScratch, uint32(len(b.scratch))|inScratch
		} else {
			offs[2*slot], offs[2*slot+1] = uint32(s.start), uint32(s.end)
		}
	}
	return next
}

// fail records the error of the row whose offsets start at base; its
// offsets are cleared so that a caller who reads it anyway gets empty text.
func (b *batch) fail(base int, err *table.Error) {
	clear(b.offs[base : base+b.plan.stride])
	b.errRows = append(b.errRows, len(b.rows)-1)
	b.errs = append(b.errs, err)
}

// ragged is the error of a row with the wrong number of fields.
func (b *batch) ragged(fields int, line uint32) *table.Error {
	return errorf(b.line+int(line), 1, "wrong number of fields: %d; expected %d as in the header", fields, b.plan.ncols)
}

// recordError describes a record that could not be split.
func (b *batch) recordError(start int, line uint32, err recErr) *table.Error {
	l, c := locate(b.text, start, b.line+int(line), err.off)
	return quoteError(b.text, err, l, c, b.plan.sep)
}

// quoteError words a quoting problem at text[err.off] for users.
func quoteError(text []byte, err recErr, line, col int, sep byte) *table.Error {
	switch err.kind {
	case bareQuote:
		return errorf(line, col, `unexpected " in a field that does not start with a quote; expected the whole field in quotes, with the " written twice ("")`)
	case extraQuote:
		r, _ := utf8.DecodeRune(text[err.off+1:])
		return errorf(line, col, `unexpected %q after the closing quote of a field; expected %s or the end of the line (a " inside a quoted field is written twice: "")`, r, sepName(sep))
	}
	return errorf(line, col, `unterminated quoted field: the quote here is never closed; expected a closing " before the end of the file`)
}

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

// specials is a mask of the separators, '\n' and '"' among the 64 bytes
// from text[at]: bit j for text[at+j].
func (p *plan) specials(text []byte, at int) uint64 {
	if len(text)-at < 64 {
		var m uint64
		for j, c := range text[at:] {
			if p.special[c] {
				m |= 1 << j
			}
		}
		return m
	}
	t := text[at : at+64]
	var m uint64
	for j := 0; j < 64; j += 8 {
		w := binary.LittleEndian.Uint64(t[j:])
		z := zeroBytes(w^p.sepWord) | zeroBytes(w^nls) | zeroBytes(w^quots)
		m |= (z >> 7 * gather >> 56) << j
	}
	return m
}

// zeroBytes has bit 7 set in each byte of x that is zero, exactly (the
// quicker (x-ones)&^x&highs may also mark bytes above a zero byte).
func zeroBytes(x uint64) uint64 {
	return ^((x&lows + lows) | x) & highs
}
