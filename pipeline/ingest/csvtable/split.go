package csvtable

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unicode/utf8"

	"rcteval/pipeline/ingest/table"
)

// split cuts b.text into rows. Each line is read once, stopping only at
// separators and the line end (found eight bytes at a time, which beats a
// call to IndexByte per short field); a line with a quote is split again by
// splitRecord, which may read on over quoted line ends.
func (b *batch) split() {
	p := b.plan
	text := b.text
	n := len(text)
	line := uint32(0)
	for pos := 0; pos < n; {
		if blank, next := blankLine(text, pos); blank {
			pos = next
			line++
			continue
		}
		base := b.addRow(pos, line)
		k, end := b.splitLine(pos, base)
		if end < 0 { // a quote: undo and split the record the slow way
			b.rows, b.offs = b.rows[:len(b.rows)-1], b.offs[:base]
			next := b.splitRecord(pos, line)
			line += uint32(bytes.Count(text[pos:next], []byte{'\n'}))
			pos = next
			continue
		}
		if k != p.ncols {
			b.fail(base, b.ragged(k, line))
		}
		pos = end + 1
		line++
	}
}

// splitLine splits the line starting at text[start] at separators into the
// row whose offsets start at base. It returns the number of fields and the
// offset of the line end (len(text) at the end), or end -1 if the line has a
// quote.
func (b *batch) splitLine(start, base int) (k, end int) {
	p := b.plan
	text, want, sep := b.text, p.want, p.sep
	offs := b.offs[base : base+p.stride]
	i, n := start, len(text)
	for {
		if k > p.last {
			return countRest(text, start, sep, k)
		}
		i = p.nextSpecial(text, i)
		if i == n || text[i] != sep {
			break
		}
		if s := want[k]; s >= 0 {
			offs[2*s], offs[2*s+1] = uint32(start), uint32(i)
		}
		k++
		i++
		start = i
	}
	if i < n && text[i] == '"' {
		return 0, -1
	}
	e := i
	if e > start && text[e-1] == '\r' {
		e-- // \r\n reads as \n, and a \r before the end of the file is dropped
	}
	if s := want[k]; s >= 0 {
		offs[2*s], offs[2*s+1] = uint32(start), uint32(e)
	}
	return k + 1, i
}

// countRest finishes a line past its last requested field, which starts at
// text[start] and is field k: only the fields are counted, with calls that
// look at many bytes at once, which pays on wide lines.
func countRest(text []byte, start int, sep byte, k int) (fields, end int) {
	end = lineEnd(text, start)
	rest := text[start:end]
	if bytes.IndexByte(rest, '"') >= 0 {
		return 0, -1
	}
	return k + 1 + bytes.Count(rest, []byte{sep}), end
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

// Masks for finding bytes eight at a time.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// nextSpecial is the offset of the first separator, '\n' or '"' at or
// after i, or len(text). It tests eight bytes at a time: a byte equal to c
// is a zero byte of w^(c*ones), and (x-ones)&^x&highs marks the lowest zero
// byte of x exactly (bytes above it may be marked falsely, but the lowest
// mark of each of the three words is right, and so is the lowest of all).
func (p *plan) nextSpecial(text []byte, i int) int {
	for ; i+8 <= len(text); i += 8 {
		w := binary.LittleEndian.Uint64(text[i:])
		a, b, c := w^p.sepWord, w^('\n'*ones), w^('"'*ones)
		m := ((a - ones) &^ a) | ((b - ones) &^ b) | ((c - ones) &^ c)
		if m &= highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(text) && !p.special[text[i]]; i++ {
	}
	return i
}
