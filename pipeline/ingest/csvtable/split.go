package csvtable

import (
	"bytes"
	"unicode/utf8"

	"rcteval/pipeline/ingest/table"
)

// split cuts b.text into rows. Lines without quotes, nearly all of them,
// take a fast path that only looks for separators; a line with a quote is
// split by parseRecord, which may read on over quoted line ends.
func (b *batch) split() {
	text := b.text
	n := len(text)
	line := uint32(0)
	for pos := 0; pos < n; {
		e, next := n, n
		if i := bytes.IndexByte(text[pos:], '\n'); i >= 0 {
			e, next = pos+i, pos+i+1
		}
		ce := e
		if ce > pos && text[ce-1] == '\r' {
			ce--
		}
		switch {
		case ce == pos: // a blank line, skipped as encoding/csv does
		case bytes.IndexByte(text[pos:ce], '"') < 0:
			b.splitLine(pos, ce, line)
		default:
			next = b.splitRecord(pos, line)
			line += uint32(bytes.Count(text[pos:next], []byte{'\n'}))
			pos = next
			continue
		}
		pos = next
		line++
	}
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

// splitLine splits text[start:end], a line without quotes, at separators.
// Past the last requested field it only counts them.
func (b *batch) splitLine(start, end int, line uint32) {
	base := b.addRow(start, line)
	p := b.plan
	offs, want, sep := b.offs[base:base+p.stride], p.want, p.sep
	text := b.text[:end]
	k := 0
	for at := start; ; {
		i := bytes.IndexByte(text[at:], sep)
		f := end
		if i >= 0 {
			f = at + i
		}
		if k < len(want) {
			if s := want[k]; s >= 0 {
				offs[2*s], offs[2*s+1] = uint32(at), uint32(f)
			}
		}
		k++
		if i < 0 {
			break
		}
		at = f + 1
		if k > p.last {
			k += bytes.Count(text[at:], []byte{sep}) + 1
			break
		}
	}
	if k != p.ncols {
		b.fail(base, b.ragged(k, line))
	}
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
