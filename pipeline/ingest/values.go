package ingest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"rcteval/pipeline"
	"rcteval/pipeline/ingest/parse"
	"rcteval/pipeline/ingest/table"
)

// MaxHours is the most hours a week has (7 × 24).
const MaxHours = 168

// column is a batch's column with its kind asked once: readers call its
// methods for every value.
type column struct {
	table.Column
	kind table.Kind
}

func columnOf(c table.Column) column { return column{c, c.Kind()} }

// text returns value i of a column as text: the trimmed bytes of a text
// column, integers in decimal, anything else formatted; buf is scratch.
func (c column) text(i int, buf []byte) []byte {
	if c.Null(i) {
		return nil
	}
	switch c.kind {
	case table.Text:
		return trim(c.Bytes(i))
	case table.Int:
		return strconv.AppendInt(buf[:0], c.Int(i), 10)
	case table.Float:
		return strconv.AppendFloat(buf[:0], c.Float(i), 'g', -1, 64)
	case table.Date:
		y, m, d := parse.DateFromDays(c.Date(i))
		return fmt.Appendf(buf[:0], "%04d-%02d-%02d", y, m, d)
	}
	return nil
}

// trim removes surrounding white space, cheaply when there is none.
func trim(b []byte) []byte {
	if len(b) == 0 || (b[0] > ' ' && b[len(b)-1] > ' ') {
		return b
	}
	return bytes.TrimSpace(b)
}

// weekReader reads a week column in whatever form the file holds it.
type weekReader struct {
	format parse.WeekFormat
	date   parse.DateFormat
	today  int // calendar index of the current week
}

// read returns the calendar index of value i, or an error message.
func (w *weekReader) read(c column, i int) (int, string) {
	var y, wk int
	switch c.kind {
	case table.Date:
		yy, m, d := parse.DateFromDays(c.Date(i))
		y, wk = parse.ISOWeek(yy, m, d)
	case table.Int:
		// Integer weeks are YYYYWW, as SAS and Stata keep them.
		v := c.Int(i)
		var buf [24]byte
		var err error
		if y, wk, err = parse.ParseWeek(strconv.AppendInt(buf[:0], v, 10), parse.WeekYYYYWW, 0); err != nil {
			return 0, err.Error()
		}
	case table.Text:
		return w.readText(c.Bytes(i))
	default:
		return 0, fmt.Sprintf("a %s column; expected weeks as text, integers (YYYYWW) or dates", c.kind)
	}
	return w.index(y, wk)
}

// readText returns the calendar index of a week written as text, or an
// error message.
func (w *weekReader) readText(b []byte) (int, string) {
	b = trim(b)
	if len(b) == 0 {
		return 0, fmt.Sprintf("empty; expected a week such as %s", w.format.Example())
	}
	y, wk, err := parse.ParseWeek(b, w.format, w.date)
	if err != nil {
		return 0, err.Error()
	}
	return w.index(y, wk)
}

// index is the calendar index of a week of the extract, or an error message
// for a week after today.
func (w *weekReader) index(y, wk int) (int, string) {
	cal := pipeline.WeekIndex(y, wk)
	if cal > w.today {
		return 0, fmt.Sprintf("week %s is after today (%s); expected a week of the extract", pipeline.ISOWeek{Year: y, Week: wk}, pipeline.WeekFromIndex(w.today))
	}
	return cal, ""
}

// shortTexts maps texts of up to 8 bytes (and numbers, see key) to
// what they were read as: an extract repeats the same hundred or so week
// texts (2016-W10, 201610) and codes millions of times, and a lookup is far
// cheaper than parsing. It is direct-mapped: a slot holds the last text
// that hashed to it. One per goroutine.
type shortTexts struct {
	text [1024]uint64 // the text's bytes
	size [1024]uint8  // its length; 0 for an empty slot
	val  [1024]int32
}

// A longKey is a text of 1 to 16 bytes as two words (its first and its last
// eight bytes, which overlap when it is shorter than 16) and its length:
// equal keys are equal texts.
type longKey struct {
	first, last uint64
	size        int
}

// longKeyOf is the key of b; ok is false when b is empty or longer than 16.
func longKeyOf(b []byte) (k longKey, ok bool) {
	n := len(b)
	switch {
	case n == 0 || n > 16:
		return k, false
	case n >= 8:
		k.first, k.last = binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[n-8:])
	default:
		for j, x := range b {
			k.first |= uint64(x) << (8 * j)
		}
	}
	k.size = n
	return k, true
}

// recentTexts remembers a value for each of up to 2^bits texts by their
// longKey, a text displacing another in its slot: a column's few distinct
// values (dates, a covariate's levels) are then found without hashing the
// text for a map. (shortTexts is its one-word twin for the weekly file's
// hot path, where a week is one 8-byte load and the arrays are fixed.)
type recentTexts struct {
	key  []longKey
	val  []int32
	bits int
}

func newRecentTexts(bits int) *recentTexts {
	return &recentTexts{key: make([]longKey, 1<<bits), val: make([]int32, 1<<bits), bits: bits}
}

func (c *recentTexts) slot(k longKey) int {
	return fibonacciSlot(k.first^bits.RotateLeft64(k.last, 29)^uint64(k.size), c.bits)
}

// get returns the value kept for k.
func (c *recentTexts) get(k longKey) (int32, bool) {
	s := c.slot(k)
	return c.val[s], c.key[s] == k && k.size > 0
}

// put keeps v for k.
func (c *recentTexts) put(k longKey, v int32) {
	s := c.slot(k)
	c.key[s], c.val[s] = k, v
}

// A key is what shortTexts keeps a value under: the bytes of a text of up
// to 8 bytes as a word with its length, or a number as its 8 bytes with a
// size no text has (9 plus its column's kind).
type key struct {
	word uint64
	size uint8
}

// textKey is the key of b; ok is false for texts too long (or empty) to
// keep.
func textKey(b []byte) (k key, ok bool) {
	switch {
	case len(b) == 8: // 2016-W10: one load
		k.word = binary.LittleEndian.Uint64(b)
	case len(b) == 0 || len(b) > 8:
		return k, false
	default:
		for j, x := range b {
			k.word |= uint64(x) << (8 * j)
		}
	}
	return key{k.word, uint8(len(b))}, true
}

func numberKey(kind table.Kind, v int64) key { return key{uint64(v), uint8(9 + int(kind))} }

// slot is where k belongs among 1024 slots.
func (k key) slot() int { return fibonacciSlot(k.word, 10) }

// fibonacciSlot hashes w onto 2^bits slots (Fibonacci hashing: the top bits
// of w times 2^64 over the golden ratio).
func fibonacciSlot(w uint64, bits int) int { return int((w * 0x9E3779B97F4A7C15) >> (64 - bits)) }

// lookup returns the value kept under k.
func (c *shortTexts) lookup(k key) (int32, bool) {
	h := k.slot()
	if c.text[h] == k.word && c.size[h] == k.size {
		return c.val[h], true
	}
	return 0, false
}

// keep keeps v under k.
func (c *shortTexts) keep(k key, v int32) {
	h := k.slot()
	c.text[h], c.size[h], c.val[h] = k.word, k.size, v
}

// readCached is read through a cache of the week texts and numbers read
// without error: a Parquet extract's integer weeks, like a CSV's texts,
// repeat a hundred or so values millions of times.
func (w *weekReader) readCached(cache *shortTexts, c column, i int) (int, string) {
	var v int64
	switch c.kind {
	case table.Text:
		return w.readTextCached(cache, c.Bytes(i))
	case table.Int:
		v = c.Int(i)
	case table.Date:
		v = int64(c.Date(i))
	default:
		return w.read(c, i)
	}
	k := numberKey(c.kind, v)
	if cal, ok := cache.lookup(k); ok {
		return int(cal), ""
	}
	cal, msg := w.read(c, i)
	if msg == "" {
		cache.keep(k, int32(cal))
	}
	return cal, msg
}

// readTextCached reads a week written as text through a cache of the texts
// read without error.
func (w *weekReader) readTextCached(cache *shortTexts, b []byte) (int, string) {
	k, short := textKey(b)
	if short {
		if cal, ok := cache.lookup(k); ok {
			return int(cal), ""
		}
	}
	cal, msg := w.readText(b)
	if short && msg == "" {
		cache.keep(k, int32(cal))
	}
	return cal, msg
}

// hours reads an hours value: empty is 0; negative, above MaxHours,
// NaN and infinite values are errors.
func (c column) hours(i int, comma bool) (float64, string) {
	var v float64
	switch {
	case c.Null(i):
		return 0, ""
	case c.kind == table.Float:
		v = c.Float(i)
	case c.kind == table.Int:
		v = float64(c.Int(i))
	case c.kind == table.Text:
		return hoursText(c.Bytes(i), comma)
	default:
		return 0, fmt.Sprintf("a %s column; expected hours as numbers", c.kind)
	}
	return checkHours(v)
}

// hoursText reads hours written as text, as column.hours does.
func hoursText(b []byte, comma bool) (float64, string) {
	b = trim(b)
	if len(b) == 0 || (len(b) == 1 && b[0] == '0') { // most weeks have no hours
		return 0, ""
	}
	v, err := parse.ParseDecimal(b, comma)
	if err != nil {
		return 0, err.Error()
	}
	return checkHours(v)
}

// checkHours returns v, or an error message for a value no week can have.
func checkHours(v float64) (float64, string) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, fmt.Sprintf("%v; expected hours as a number from 0 to %d", v, MaxHours)
	case v < 0:
		return 0, fmt.Sprintf("negative hours %v; expected 0 to %d", v, MaxHours)
	case v > MaxHours:
		return 0, fmt.Sprintf("%v hours in one week; a week has at most %d", v, MaxHours)
	}
	return v, ""
}

// The kinds of column each role can be read from.
var (
	idKinds    = []table.Kind{table.Text, table.Int}
	codeKinds  = []table.Kind{table.Text, table.Int}
	weekKinds  = []table.Kind{table.Text, table.Int, table.Date}
	dateKinds  = []table.Kind{table.Text, table.Int, table.Date}
	hoursKinds = []table.Kind{table.Text, table.Int, table.Float}
)

// checkKinds stops on a column whose kind cannot hold its role's values: one
// error for the column rather than one per row.
func checkKinds(b table.Batch, file string, names []string, accept [][]table.Kind) error {
	for j, kinds := range accept {
		if k := b.Col(j).Kind(); !slices.Contains(kinds, k) {
			want := make([]string, len(kinds))
			for i, x := range kinds {
				want[i] = x.String()
			}
			return &pipeline.InputError{File: file, Msg: fmt.Sprintf("column %q is a %s column; expected %s", names[j], k, strings.Join(want, ", "))}
		}
	}
	return nil
}
