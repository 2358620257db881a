package csvtable

import (
	"bytes"
	"math/bits"
	"unicode/utf8"

	"rcteval/pipeline/ingest/table"
)

// split cuts b.text into rows: splitPlain takes the rows up to a line it
// cannot split alone, and splitRecord that record, which may read on over
// quoted line ends or be broken.
func (b *batch) split() {
	text := b.text
	line := uint32(0)
	b.ascii = true
	for pos := 0; pos < len(text); {
		var plain bool
		if pos, line, plain = b.splitPlain(pos, line); !plain {
			b.ascii = false // splitRecord does not look at the bytes' high bits
			next := b.splitRecord(pos, line)
			line += uint32(bytes.Count(text[pos:next], []byte{'\n'}))
			pos = next
		}
	}
}

// splitPlain splits the lines from text[pos] (on line line) until the end
// of the text or a line it leaves to splitRecord: one with a quote other
// than around a whole field that holds no line end and no "". It returns
// where it stopped (the start of that line) and its line number; plain is
// false if it stopped before the end.
//
// It finds separators, line ends and quotes 64 bytes at a time as a bit
// mask (maskBlocks) and then visits only those, so that the time taken
// goes with the bytes more than with the fields; a loop per field would pay
// a mispredicted branch at the end of every field.
func (b *batch) splitPlain(pos int, line uint32) (next int, nextLine uint32, plain bool) {
	p := b.plan
	text, want, sep, last := b.text, p.want, p.sep, p.last
	n := len(text)
	base := b.addRow(pos, line)
	offs := b.offs[base : base+p.stride]
	k, start := 0, pos
	quoted := false // inside a quoted field
	trim := 0       // 1 when the current field was quoted: its end loses the closing quote
	var masks [maskGroup]uint64
	for group := pos; group < n; group += 64 * maskGroup {
		quotes, high := p.fillMasks(masks[:], text, group)
		if high {
			b.ascii = false
		}
		end := min(group+64*maskGroup, n)
		if !quoted && trim == 0 && !quotes {
			// No quotes: a special is a separator or a line end, and
			// the loop keeps no quoting state.
			for block := group; block < end; block += 64 {
				for m := masks[(block-group)/64]; m != 0; m &= m - 1 {
					i := block + bits.TrailingZeros64(m)
					if text[i] == sep {
						keepField(offs, want, last, k, start, i)
						k, start = k+1, i+1
						continue
					}
					if k+1 == p.ncols && i > start && text[i-1] != '\r' { // a whole row, as most are
						keepField(offs, want, last, k, start, i)
						base = b.addRow(i+1, line+1)
					} else {
						base = b.lineEnd(offs, base, k, start, i, 0, line)
					}
					offs = b.offs[base : base+p.stride]
					line++
					k, start = 0, i+1
				}
			}
			continue
		}
		for block := group; block < end; block += 64 {
			for m := masks[(block-group)/64]; m != 0; m &= m - 1 {
				i := block + bits.TrailingZeros64(m)
				switch c := text[i]; {
				case quoted && c != '"':
					if c == '\n' {
						return b.leave(base, line) // a quoted line end
					}
				case c == sep:
					keepField(offs, want, last, k, start, i-trim)
					k, start, trim = k+1, i+1, 0
				case c == '\n':
					base = b.lineEnd(offs, base, k, start, i, trim, line)
					offs = b.offs[base : base+p.stride]
					line++
					k, start, trim = 0, i+1, 0
				case !quoted: // an opening quote
					if i != start {
						return b.leave(base, line) // a bare quote
					}
					quoted, start = true, i+1
				default: // a closing quote
					if !closesField(text, i+1, sep) {
						return b.leave(base, line) // "" or text after the quote
					}
					quoted, trim = false, 1
				}
			}
		}
	}
	if quoted {
		return b.leave(base, line) // not closed
	}
	e := n
	if e > start && text[e-1] == '\r' {
		e-- // encoding/csv drops a \r before the end of the file
	}
	if k == 0 && trim == 0 && e == start {
		b.rows, b.offs = b.rows[:len(b.rows)-1], b.offs[:base]
	} else if !b.endRow(offs, k, start, e-trim) {
		b.failLast(k+1, line)
	}
	return n, line, true
}

// lineEnd ends the row whose spans start at base, k fields before its last,
// which ends at the line end text[i] (trim as in splitPlain), and opens
// the next row, whose first span it returns. A blank line is skipped, as
// encoding/csv does.
func (b *batch) lineEnd(offs []uint64, base, k, start, i, trim int, line uint32) int {
	e := i
	if e > start && b.text[e-1] == '\r' {
		e-- // \r\n reads as \n
	}
	if k == 0 && trim == 0 && e == start {
		b.rows[len(b.rows)-1] = rowInfo{start: uint32(i + 1), line: line + 1}
		return base
	}
	if !b.endRow(offs, k, start, e-trim) {
		b.failLast(k+1, line)
	}
	return b.addRow(i+1, line+1)
}

// leave drops the open row, whose spans start at base, for splitRecord to
// split, and returns where it starts.
func (b *batch) leave(base int, line uint32) (next int, nextLine uint32, plain bool) {
	r := b.rows[len(b.rows)-1]
	b.rows, b.offs = b.rows[:len(b.rows)-1], b.offs[:base]
	return int(r.start), line, false
}

// closesField reports whether a quote before text[j] closes a quoted field
// as it stands: it is followed by a separator or the end of the line, and
// is not the first of "".
func closesField(text []byte, j int, sep byte) bool {
	if j == len(text) {
		return true
	}
	switch text[j] {
	case sep, '\n':
		return true
	case '\r':
		return j+1 == len(text) || text[j+1] == '\n'
	}
	return false
}

// endRow ends the row with spans offs, k fields before its last,
// text[start:end], and reports whether it has the number of fields of the
// header.
func (b *batch) endRow(offs []uint64, k, start, end int) bool {
	keepField(offs, b.plan.want, b.plan.last, k, start, end)
	return k+1 == b.plan.ncols
}

// keepField stores text[start:end] as field k of a row whose spans are
// offs, if that field was asked for (want and last as in plan).
func keepField(offs []uint64, want []int32, last, k, start, end int) {
	if k <= last {
		if s := want[k]; s >= 0 {
			offs[s] = textSpan(start, end)
		}
	}
}

// failLast records that the last row has the wrong number of fields.
func (b *batch) failLast(fields int, line uint32) {
	b.fail(len(b.offs)-b.plan.stride, b.ragged(fields, line))
}

// addRow appends a row starting at text[start] and returns the index of
// its first span.
func (b *batch) addRow(start int, line uint32) int {
	b.rows = append(b.rows, rowInfo{start: uint32(start), line: line})
	base, stride := len(b.offs), b.plan.stride
	if cap(b.offs)-base < stride {
		b.offs = append(b.offs[:cap(b.offs)], make([]uint64, cap(b.offs)+stride)...)
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
			offs[slot] = scratchSpan(from, len(b.scratch))
		} else {
			offs[slot] = textSpan(s.start, s.end)
		}
	}
	return next
}

// fail records the error of the row whose spans start at base; they are
// cleared so that a caller who reads the row anyway gets empty text.
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

// maskGroup is how many blocks of 64 bytes are masked in one call, and
// looked at for quotes at once.
const maskGroup = 32

// fillMasks fills masks with the masks of the blocks of 64 bytes from
// text[at] on, as far as text goes, the last perhaps short, and reports
// whether there are quotes among them and whether any byte is not ASCII.
func (p *plan) fillMasks(masks []uint64, text []byte, at int) (quotes, high bool) {
	full := min(len(masks), (len(text)-at)/64)
	quotes, high = maskBlocks(masks[:full], text[at:], p.sep)
	if full == len(masks) {
		return quotes, high
	}
	var last [64]byte // the short last block, padded with zeros: never special, as 0 is no separator (it means detect)
	copy(last[:], text[at+64*full:])
	q, h := maskBlocks(masks[full:full+1], last[:], p.sep)
	return quotes || q, high || h
}
