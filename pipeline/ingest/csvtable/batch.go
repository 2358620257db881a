package csvtable

import (
	"fmt"
	"slices"

	"rcteval/pipeline/ingest/table"
)

// plan is what Scan was asked for, shared by all its batches.
type plan struct {
	sep       byte
	ncols     int     // fields per record, as in the header
	want      []int32 // field index → slot, -1 when not requested
	slotField []int   // slot → field index
	colSlot   []int   // requested column j → slot (a field asked for twice has one slot)
	last      int     // the highest requested field index, -1 if none
	stride    int     // spans per row: one per slot
}

// newPlan maps the requested columns onto slots.
func newPlan(sep byte, ncols int, cols []int) *plan {
	p := &plan{sep: sep, ncols: ncols, want: make([]int32, ncols), colSlot: make([]int, len(cols)), last: -1}
	for k := range p.want {
		p.want[k] = -1
	}
	for j, k := range cols {
		if p.want[k] < 0 {
			p.want[k] = int32(len(p.slotField))
			p.slotField = append(p.slotField, k)
		}
		p.colSlot[j] = int(p.want[k])
		p.last = max(p.last, k)
	}
	p.stride = len(p.slotField)
	return p
}

// inScratch marks a span in batch.scratch rather than batch.text; it is
// why a chunk may not reach 2 GiB.
const inScratch = 1 << 31

// textSpan packs a field's start and end offsets into one word, so that
// storing and loading it is one operation.
func textSpan(start, end int) uint64 { return uint64(start) | uint64(end)<<32 }

// scratchSpan is textSpan for a span of batch.scratch.
func scratchSpan(start, end int) uint64 { return textSpan(start, end) | inScratch }

// rowInfo is where a row starts: its offset in the text and its line,
// counted from the batch's first line.
type rowInfo struct {
	start, line uint32
}

// batch is the rows of one chunk. Field values are offsets into the chunk's
// text, or into scratch for quoted fields that needed unescaping, so that
// splitting allocates nothing per field.
type batch struct {
	plan    *plan
	seq     int
	line    int    // the line text starts on
	text    []byte // UTF-8
	ascii   bool   // split saw every byte of text, and none above 0x7f
	scratch []byte
	rows    []rowInfo
	offs    []uint64 // field spans, plan.stride per row
	errRows []int    // rows with errors, ascending
	errs    []*table.Error
	cols    []column
	spans   []span // reused by splitRecord
}

// reset readies b, perhaps used before, for a new chunk.
func (b *batch) reset(p *plan, seq, line int, text []byte) {
	b.plan, b.seq, b.line, b.text = p, seq, line, text
	b.scratch, b.rows, b.offs = b.scratch[:0], b.rows[:0], b.offs[:0]
	b.errRows, b.errs = b.errRows[:0], b.errs[:0]
	if len(b.cols) != len(p.colSlot) {
		b.cols = make([]column, len(p.colSlot))
	}
}

// publish points the columns at the batch's buffers once it is split, so
// that Bytes, called for every value, needs no further lookups.
func (b *batch) publish() {
	for j := range b.cols {
		b.cols[j] = column{offs: b.offs, text: b.text, scratch: b.scratch, stride: b.plan.stride, at: b.plan.colSlot[j]}
	}
}

// Seq numbers the batch in file order.
func (b *batch) Seq() int { return b.seq }

// Len is the number of rows, including rows with errors.
func (b *batch) Len() int { return len(b.rows) }

// Col returns the j-th requested column.
func (b *batch) Col(j int) table.Column { return &b.cols[j] }

// Line is the line row i starts on.
func (b *batch) Line(i int) int { return b.line + int(b.rows[i].line) }

// Pos is the line of row i and the byte column where its field for the
// j-th requested column starts (0 if the row has no such field). It splits
// the row again, since positions are wanted only for messages.
func (b *batch) Pos(i, j int) (line, column int) {
	r := b.rows[i]
	line = b.line + int(r.line)
	k := b.plan.slotField[b.plan.colSlot[j]]
	spans, _, _ := parseRecord(b.text, int(r.start), b.plan.sep, nil)
	if k >= len(spans) {
		return line, 0
	}
	return locate(b.text, int(r.start), line, spans[k].fieldStart())
}

// Ranges gives the j-th requested column as ranges of the text, as
// table.Ranges says: unless a quoted field needed unescaping (its value is
// in scratch) or a row could not be split.
func (b *batch) Ranges(j int) (table.RangeColumn, bool) {
	if len(b.scratch) > 0 || len(b.errRows) > 0 {
		return table.RangeColumn{}, false
	}
	return table.RangeColumn{Text: b.text, Spans: b.offs, Stride: b.plan.stride, At: b.plan.colSlot[j]}, true
}

// RowErr is why row i could not be split, nil if it could.
func (b *batch) RowErr(i int) *table.Error {
	if len(b.errRows) == 0 {
		return nil
	}
	if k, ok := slices.BinarySearch(b.errRows, i); ok {
		return b.errs[k]
	}
	return nil
}

// column is one requested column of a batch: a view of its spans.
type column struct {
	offs          []uint64
	text, scratch []byte
	stride, at    int // row i's span is offs[i*stride+at]
}

// Kind is always text: a CSV field is text until its reader parses it.
func (c *column) Kind() table.Kind { return table.Text }

// Null is always false: an empty field is the empty text.
func (c *column) Null(int) bool { return false }

// Bytes is the text of row i, valid while the batch is.
func (c *column) Bytes(i int) []byte {
	v := c.offs[i*c.stride+c.at]
	s, e := uint32(v), uint32(v>>32)
	if s&inScratch != 0 {
		s &^= inScratch
		return c.scratch[s:e:e]
	}
	return c.text[s:e:e]
}

// Int panics: a text column has no integers.
func (c *column) Int(int) int64 { panic(wrongKind("Int")) }

// Float panics: a text column has no floats.
func (c *column) Float(int) float64 { panic(wrongKind("Float")) }

// Date panics: a text column has no dates.
func (c *column) Date(int) int32 { panic(wrongKind("Date")) }

// wrongKind is the message of a programmer's error.
func wrongKind(accessor string) string {
	return fmt.Sprintf("csvtable: %s called on a text column", accessor)
}
