package parse

import (
	"fmt"
	"strings"
)

// WeekFormat is the text form of a week of the ISO 8601 week-numbering
// calendar (weeks start on Monday; week 1 holds the year's first Thursday).
// The zero value is no format (not set).
type WeekFormat uint8

// The accepted week forms: a four-digit ISO week-numbering year and a
// two-digit week (leading zero required), or a date inside the week.
const (
	// WeekISO is YYYY-Www, e.g. "2016-W10" (a lowercase w is accepted).
	WeekISO WeekFormat = iota + 1
	// WeekISOCompact is YYYYWww, e.g. "2016W10" (a lowercase w is accepted).
	WeekISOCompact
	// WeekYYYYWW is YYYYWW, e.g. "201610".
	WeekYYYYWW
	// WeekDash is YYYY-WW, e.g. "2016-10".
	WeekDash
	// WeekColon is YYYY:WW, e.g. "2016:10".
	WeekColon
	// WeekDate is a date on any day of the week, in a DateFormat given
	// separately, e.g. "2016-03-14" for 2016-W11.
	WeekDate
)

// weekFormats lists the formats in the order detection and messages use.
var weekFormats = [...]WeekFormat{WeekISO, WeekISOCompact, WeekYYYYWW, WeekDash, WeekColon, WeekDate}

// weekLayout is a numeric week form: year, then mid, then the week.
type weekLayout struct {
	name, example, padded string
	mid                   string
}

var weekLayouts = [...]weekLayout{
	WeekISO:        {"YYYY-Www", "2016-W10", "2016-W03", "-W"},
	WeekISOCompact: {"YYYYWww", "2016W10", "2016W03", "W"},
	WeekYYYYWW:     {"YYYYWW", "201610", "201603", ""},
	WeekDash:       {"YYYY-WW", "2016-10", "2016-03", "-"},
	WeekColon:      {"YYYY:WW", "2016:10", "2016:03", ":"},
	WeekDate:       {"date", "2016-03-14", "", ""},
}

func (f WeekFormat) valid() bool { return f >= WeekISO && f <= WeekDate }

// String returns the spec name of the format: "YYYY-Www", "YYYYWww",
// "YYYYWW", "YYYY-WW", "YYYY:WW" or "date".
func (f WeekFormat) String() string {
	if !f.valid() {
		return fmt.Sprintf("WeekFormat(%d)", uint8(f))
	}
	return weekLayouts[f].name
}

// Example returns a week in the format, e.g. "2016-W10" for WeekISO; for
// WeekDate it is an ISO date, though the date's format is set separately.
func (f WeekFormat) Example() string {
	if !f.valid() {
		return ""
	}
	return weekLayouts[f].example
}

// ParseWeekFormat returns the format of a spec name: "YYYY-Www", "YYYYWww",
// "YYYYWW", "YYYY-WW", "YYYY:WW" or "date" (exactly so).
func ParseWeekFormat(name string) (WeekFormat, error) {
	for _, f := range weekFormats {
		if name == f.String() {
			return f, nil
		}
	}
	names := make([]string, len(weekFormats))
	for i, f := range weekFormats {
		names[i] = f.String()
	}
	return 0, fmt.Errorf("unknown week format %q; accepted: %s", name, strings.Join(names, ", "))
}

// ParseWeek parses a week in format f and returns its ISO week-numbering
// year and week. The numeric forms need a four-digit year from MinYear to
// MaxYear and a two-digit week from 01 to WeeksInYear(year); signs and spaces
// are errors. For WeekDate the value is a date in df (see ParseDate) and the
// result is the ISO week holding it; df is ignored for the other forms.
func ParseWeek(b []byte, f WeekFormat, df DateFormat) (year, week int, err error) {
	y, w, fl := scanWeek(b, f, df)
	if fl != flawNone {
		return 0, 0, weekError(b, f, df, y, w, fl)
	}
	return y, w, nil
}

// scanWeek does ParseWeek's work without building errors. On a range flaw
// y and w hold what was read, for the message.
func scanWeek(b []byte, f WeekFormat, df DateFormat) (y, w int, fl flaw) {
	switch {
	case f == WeekDate:
		return scanDateWeek(b, df)
	case !f.valid():
		return 0, 0, flawFormat
	}
	y, w, ok := weekLayouts[f].fields(b)
	if !ok {
		return 0, 0, flawSyntax
	}
	switch {
	case y < MinYear || y > MaxYear:
		return y, w, flawYear
	case w < 1:
		return y, w, flawWeekZero
	case w > 52 && w > WeeksInYear(y):
		return y, w, flawWeekMax
	}
	return y, w, flawNone
}

// fields reads year and week around the layout's middle part.
func (l *weekLayout) fields(b []byte) (y, w int, ok bool) {
	n := len(l.mid)
	if len(b) != 6+n {
		return 0, 0, false
	}
	for i := 0; i < n; i++ {
		c, want := b[4+i], l.mid[i]
		if c != want && !(want == 'W' && c == 'w') {
			return 0, 0, false
		}
	}
	y, oky := digits4(b)
	w, okw := digits2(b[4+n:])
	return y, w, oky && okw
}

// scanDateWeek reads a date and returns the ISO week holding it.
func scanDateWeek(b []byte, df DateFormat) (y, w int, fl flaw) {
	yy, mm, dd, fl := scanDate(b, df)
	if fl != flawNone {
		return 0, 0, fl
	}
	y, w = isoWeek(yy, mm, dd)
	if y < MinYear || y > MaxYear {
		return y, w, flawWeekYear
	}
	return y, w, flawNone
}

// daysBefore[m] is the number of days in a common year before month m.
var daysBefore = [...]int{0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}

// isoWeek returns the ISO week-numbering year and week of a valid date:
// counted from the Monday on or before 4 January, the week belongs to the
// year of its Thursday.
func isoWeek(year, month, day int) (y, w int) {
	ordinal := daysBefore[month] + day // 1-based day of the year
	if month > 2 && isLeap(year) {
		ordinal++
	}
	weekday := int((DaysSinceEpoch(year, month, day)%7+10)%7) + 1 // Monday 1 … Sunday 7; 1970-01-01 was a Thursday
	y, w = year, (ordinal-weekday+10)/7
	switch {
	case w < 1:
		y--
		w = WeeksInYear(y)
	case w > 52 && w > WeeksInYear(y):
		y++
		w = 1
	}
	return y, w
}

// WeeksInYear returns the number of ISO weeks of year (from 1 on), 52 or 53:
// a year has 53 when it starts on a Thursday, or is a leap year starting on a
// Wednesday; equally, 53 is the ISO week of its 28 December.
func WeeksInYear(year int) int {
	if dec31Weekday(year) == 4 || dec31Weekday(year-1) == 3 {
		return 53
	}
	return 52
}

// dec31Weekday returns the weekday of 31 December of year, 0 Sunday … 6
// Saturday (in the proleptic Gregorian calendar, for year ≥ 1).
func dec31Weekday(year int) int {
	return (year + year/4 - year/100 + year/400) % 7
}

func weekError(b []byte, f WeekFormat, df DateFormat, y, w int, fl flaw) error {
	if f == WeekDate {
		if fl == flawWeekYear {
			return fail(b, "falls in ISO week %04d-W%02d, outside the accepted years %d to %d", y, w, MinYear, MaxYear)
		}
		yy, mm, dd, _ := scanDate(b, df)
		return dateError(b, df, yy, mm, dd, fl)
	}
	if !f.valid() {
		return fail(b, "cannot read a week in unknown %s", f)
	}
	l := &weekLayouts[f]
	switch fl {
	case flawYear:
		return fail(b, "year %d is outside the accepted years %d to %d", y, MinYear, MaxYear)
	case flawWeekZero:
		return fail(b, "week 00 does not exist; ISO weeks are numbered from 01, such as %s", l.padded)
	case flawWeekMax:
		return fail(b, "%d has only %d ISO weeks", y, WeeksInYear(y))
	}
	if shortWeek(b, f) {
		return fail(b, "expected %s with a two-digit week, such as %s", l.name, l.padded)
	}
	return fail(b, "expected a week such as %s (%s)", l.example, l.name)
}

// shortWeek reports whether a value would be a week in f if its one-digit
// week had a leading zero, e.g. "2016-W3".
func shortWeek(b []byte, f WeekFormat) bool {
	n := len(b)
	if n < 5 || n > 8 || b[n-1]-'0' > 9 {
		return false
	}
	var buf [8]byte
	padded := append(append(append(buf[:0], b[:n-1]...), '0'), b[n-1])
	_, _, ok := weekLayouts[f].fields(padded)
	return ok
}
