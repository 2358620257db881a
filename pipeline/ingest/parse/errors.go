package parse

import (
	"fmt"
	"strconv"
)

// flaw says why a value was rejected without building a message, so that
// detection can try every format on every sample cheaply and messages are
// only formatted for the value the user will see.
type flaw uint8

const (
	flawNone     flaw = iota
	flawSyntax        // not the shape of the format
	flawFormat        // the format itself is unknown
	flawYear          // year outside MinYear..MaxYear
	flawMonth         // month 00 or above 12
	flawDayZero       // day 00
	flawDay           // day beyond the month's length
	flawTime          // a time other than 00:00:00 after a date
	flawWeekZero      // week 00
	flawWeekMax       // week beyond the year's ISO weeks
	flawWeekYear      // a date whose ISO week-numbering year is out of range
)

// syntactic reports whether the flaw means the value is not in the format at
// all; range flaws keep the format a detection candidate.
func (f flaw) syntactic() bool { return f == flawSyntax || f == flawFormat }

// maxQuoted keeps a stray huge cell from flooding an error message.
const maxQuoted = 64

// quote renders a value for an error message.
func quote(b []byte) string {
	if len(b) > maxQuoted {
		return strconv.Quote(string(b[:maxQuoted])) + "…"
	}
	return strconv.Quote(string(b))
}

// fail builds the error for value b: the quoted value, then what was wrong.
func fail(b []byte, format string, args ...any) error {
	return fmt.Errorf("%s: %s", quote(b), fmt.Sprintf(format, args...))
}

// num reads a run of ASCII digits; ok is false for anything else or an empty
// run. It is for error hints, whose callers check the length themselves.
func num(b []byte) (n int, ok bool) {
	for _, c := range b {
		d := c - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int(d)
	}
	return n, len(b) > 0
}

// digits2 reads two ASCII digits at the start of b (len(b) ≥ 2).
func digits2(b []byte) (int, bool) {
	_ = b[1]
	x, y := b[0]-'0', b[1]-'0'
	return int(x)*10 + int(y), x <= 9 && y <= 9
}

// digits4 reads four ASCII digits at the start of b (len(b) ≥ 4).
func digits4(b []byte) (int, bool) {
	_ = b[3]
	hi, okh := digits2(b)
	lo, okl := digits2(b[2:])
	return hi*100 + lo, okh && okl
}
