// Package table is the seam between physical file formats (delimited text,
// Parquet, Arrow IPC) and the readers that give their columns a meaning
// (assignment, long weekly extracts, DREAM wide). A format streams the
// requested columns in batches; it knows nothing of persons, weeks or arms,
// and a reader knows nothing of bytes on disk, so a new format touches
// neither alignment nor outcomes.
package table

import (
	"encoding/binary"
	"fmt"
)

// Kind is how a column's values are held.
type Kind uint8

const (
	// Text values are raw text still to be parsed (every CSV column, and
	// string or dictionary columns of columnar files).
	Text Kind = iota
	// Int values are integers (int8 … int64, uint8 … uint32).
	Int
	// Float values are floating point (float32, float64, decimals).
	Float
	// Date values are days since 1970-01-01 (date32, date64, timestamps).
	Date
)

func (k Kind) String() string {
	switch k {
	case Text:
		return "text"
	case Int:
		return "integer"
	case Float:
		return "floating point"
	case Date:
		return "date"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Column is one column of a batch. Only the accessor of its Kind may be
// called; Null may be called on any kind (a CSV field is never null: an empty
// field is the empty text).
type Column interface {
	Kind() Kind
	Null(i int) bool
	// Bytes is the text of value i, valid only while the batch is; it is
	// UTF-8 whatever the file's encoding, without enclosing quotes.
	Bytes(i int) []byte
	Int(i int) int64
	Float(i int) float64
	Date(i int) int32
}

// Batch is a run of consecutive rows of the requested columns. A batch is
// valid only during the callback that receives it.
type Batch interface {
	// Seq numbers batches 0, 1, 2, … in file order, so that batches handled
	// concurrently can be applied in order.
	Seq() int
	Len() int
	// Col returns the j-th requested column.
	Col(j int) Column
	// Line is where row i is: the line it starts on in a text file (1-based;
	// the header is line 1), the row number (1-based, data rows) in a
	// columnar file. It is cheap: readers call it for every row.
	Line(i int) int
	// Pos is where the value of row i in the j-th requested column is, for
	// messages: for text files the line (1-based; the header is line 1) and
	// the 1-based byte column where the field starts; for columnar files the
	// row number (1-based, data rows) and 0. It may be slow: it is meant for
	// messages.
	Pos(i, j int) (line, column int)
	// RowErr is non-nil when row i could not be split into fields (a ragged
	// row, a stray quote); its other columns must not be read.
	RowErr(i int) *Error
}

// Ranges is implemented by batches of text (CSV) whose values are ranges
// of one buffer. A reader that parses every value of a large batch may read
// them directly rather than through Column, a call per value.
type Ranges interface {
	// Ranges returns the j-th requested column as ranges; ok is false when
	// some value is not a plain range of the text (a quoted field that
	// needed unescaping) or some row could not be split. The caller then
	// reads the batch through Col, as ever.
	Ranges(j int) (c RangeColumn, ok bool)
}

// RangeColumn is a text column whose value i is the range of Text at
// Spans[i*Stride+At]: start in the low 32 bits, end in the high 32.
type RangeColumn struct {
	Text       []byte
	Spans      []uint64
	Stride, At int
}

// Value is the text of row i, as Column.Bytes gives it.
func (c *RangeColumn) Value(i int) []byte {
	v := c.Spans[i*c.Stride+c.At]
	s, e := uint32(v), uint32(v>>32)
	return c.Text[s:e:e]
}

// Word is the text of row i as a word: its bytes in little-endian order,
// zero past its length n. ok is false when it has more than 8 bytes, or
// lies too near the end of Text to be loaded as one word (Word reads the
// bytes after a value, which Text holds).
func (c *RangeColumn) Word(i int) (w uint64, n int, ok bool) {
	v := c.Spans[i*c.Stride+c.At]
	s, e := int(uint32(v)), int(uint32(v>>32))
	n = e - s
	if n > 8 || s+8 > len(c.Text) {
		return 0, n, false
	}
	return binary.LittleEndian.Uint64(c.Text[s:]) & (1<<(8*n) - 1), n, true
}

// Table is an open input file with a header of column names.
type Table interface {
	// Name is the file name used in messages.
	Name() string
	// Columns are the column names as in the file (surrounding spaces removed).
	Columns() []string
	// Describe says in a few words how the file is read, e.g.
	// "CSV, ';'-separated, decimal comma, Windows-1252" or "Parquet, 3 row groups".
	Describe() string
	// Positions is the unit of Batch.Pos lines in messages: "line" or "row".
	Positions() string
	// Scan reads the columns at the given indices (into Columns) in batches.
	// fn may be called from up to workers goroutines at once (workers ≤ 1:
	// one at a time, in order). Scan stops at the first error fn returns and
	// returns it; a problem with the file itself (truncated, corrupt, invalid
	// encoding) is returned as an *Error. Scan may be called once.
	Scan(cols []int, workers int, fn func(Batch) error) error
	Close() error
}

// Progress is implemented by tables that can say how far a scan has come,
// for progress bars on long reads.
type Progress interface {
	// Progress returns the work done and the whole of it, in bytes of the
	// file or in rows; total is 0 when unknown. It may be called from any
	// goroutine while Scan runs.
	Progress() (done, total int64)
}

// RowsHint is implemented by tables that can guess, from the first batch
// of a scan, how many rows they hold, so that a reader can make room for
// them at once.
type RowsHint interface {
	RowsHint(first Batch) int
}

// Error is a problem with the file itself or with one row of it. Line and
// Column follow Batch.Pos (zero when unknown); Err is the cause if any.
type Error struct {
	Line, Column int
	Msg          string
	Err          error
}

func (e *Error) Error() string {
	if e.Err != nil && e.Msg == "" {
		return e.Err.Error()
	}
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }
