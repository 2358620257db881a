package ingest

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"rcteval/pipeline"
	"rcteval/pipeline/ingest/parse"
	"rcteval/pipeline/ingest/table"
)

// MaxHours is the most hours a week has (7 × 24).
const MaxHours = 168

// text returns value i of a column as text: the trimmed bytes of a text
// column, integers in decimal, anything else formatted; buf is scratch.
func text(c table.Column, i int, buf []byte) []byte {
	if c.Null(i) {
		return nil
	}
	switch c.Kind() {
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
func (w *weekReader) read(c table.Column, i int) (int, string) {
	var y, wk int
	switch c.Kind() {
	case table.Date:
		yy, m, d := parse.DateFromDays(c.Date(i))
		y, wk = isoWeekOfDate(yy, m, d)
	case table.Int:
		// Integer weeks are YYYYWW, as SAS and Stata keep them.
		v := c.Int(i)
		var buf [24]byte
		var err error
		if y, wk, err = parse.ParseWeek(strconv.AppendInt(buf[:0], v, 10), parse.WeekYYYYWW, 0); err != nil {
			return 0, err.Error()
		}
	case table.Text:
		b := trim(c.Bytes(i))
		if len(b) == 0 {
			return 0, fmt.Sprintf("empty; expected a week such as %s", w.format.Example())
		}
		var err error
		if y, wk, err = parse.ParseWeek(b, w.format, w.date); err != nil {
			return 0, err.Error()
		}
	default:
		return 0, fmt.Sprintf("a %s column; expected weeks as text, integers (YYYYWW) or dates", c.Kind())
	}
	cal := pipeline.WeekIndex(y, wk)
	if cal > w.today {
		return 0, fmt.Sprintf("week %s is after today (%s); expected a week of the extract", pipeline.ISOWeek{Year: y, Week: wk}, pipeline.WeekFromIndex(w.today))
	}
	return cal, ""
}

// weekCache remembers the calendar index of recently read week texts of up
// to 8 bytes (2016-W10, 201610; a date such as 2016-03-07 is longer and is
// parsed every time): an extract repeats the same hundred or so week texts
// millions of times, and a lookup is far cheaper than parsing. One per
// goroutine.
type weekCache struct {
	text [1024]uint64 // the text's bytes
	size [1024]uint8  // its length; 0 for an empty slot
	cal  [1024]int32
}

// read is weekReader.read through the cache; only values read without
// error are cached.
func (c *weekCache) read(w *weekReader, col table.Column, i int) (int, string) {
	if col.Kind() != table.Text {
		return w.read(col, i)
	}
	b := col.Bytes(i)
	if len(b) == 0 || len(b) > 8 {
		return w.read(col, i)
	}
	var k uint64
	for j, x := range b {
		k |= uint64(x) << (8 * j)
	}
	h := (k * 0x9E3779B97F4A7C15) >> 54 // Fibonacci hashing onto 1024 slots
	if c.text[h] == k && int(c.size[h]) == len(b) {
		return int(c.cal[h]), ""
	}
	cal, msg := w.read(col, i)
	if msg == "" {
		c.text[h], c.size[h], c.cal[h] = k, uint8(len(b)), int32(cal)
	}
	return cal, msg
}

func isoWeekOfDate(y, m, d int) (int, int) {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).ISOWeek()
}

// readHours reads an hours value: empty is 0; negative, above MaxHours,
// NaN and infinite values are errors.
func readHours(c table.Column, i int, comma bool) (float64, string) {
	var v float64
	switch {
	case c.Null(i):
		return 0, ""
	case c.Kind() == table.Float:
		v = c.Float(i)
	case c.Kind() == table.Int:
		v = float64(c.Int(i))
	case c.Kind() == table.Text:
		b := trim(c.Bytes(i))
		if len(b) == 0 || (len(b) == 1 && b[0] == '0') { // most weeks have no hours
			return 0, ""
		}
		var err error
		if v, err = parse.ParseDecimal(b, comma); err != nil {
			return 0, err.Error()
		}
	default:
		return 0, fmt.Sprintf("a %s column; expected hours as numbers", c.Kind())
	}
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
