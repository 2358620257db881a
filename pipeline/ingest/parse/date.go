package parse

import (
	"fmt"
	"strings"
)

// MinYear and MaxYear bound every year the parsers accept: registers such as
// DREAM start in 1991, and a bound keeps a typo from stretching a dense
// person × week store over centuries.
const (
	MinYear = 1900
	MaxYear = 2199
)

// DateFormat is the text form of a calendar date. The zero value is no format
// (not set), so that an unset spec field cannot silently mean one of them.
type DateFormat uint8

// The accepted date forms. Day and month always have two digits and the year
// four; a date may be followed by an exactly zero time, " 00:00:00" or
// "T00:00:00", because Excel exports dates as datetimes.
const (
	// DateISO is YYYY-MM-DD, e.g. "2016-03-14".
	DateISO DateFormat = iota + 1
	// DateDMYDash is DD-MM-YYYY, e.g. "14-03-2016".
	DateDMYDash
	// DateDMYDot is DD.MM.YYYY, e.g. "14.03.2016".
	DateDMYDot
	// DateDMYSlash is DD/MM/YYYY, e.g. "14/03/2016". The US order MM/DD/YYYY
	// is not accepted.
	DateDMYSlash
	// DateCompact is YYYYMMDD, e.g. "20160314".
	DateCompact
	// DateSAS is SAS's DATE9, DDMONYYYY with the month's English or Danish
	// three-letter abbreviation in any case, e.g. "14MAR2016", "01maj2016";
	// SAS's DATETIME ("14MAR2016:00:00:00") is accepted at midnight.
	DateSAS
)

// dateFormats lists the formats in the order detection and messages use.
var dateFormats = [...]DateFormat{DateISO, DateDMYDash, DateDMYDot, DateDMYSlash, DateCompact, DateSAS}

// dateLayout places the fields of a format: the total length, the offsets of
// the year (4 digits), month and day (2 digits each), and the separator and
// its two offsets (sep 0 for none).
type dateLayout struct {
	name, example, padded string
	n, y, m, d            int
	sep                   byte
	s1, s2                int
}

var dateLayouts = [...]dateLayout{
	DateISO:      {"YYYY-MM-DD", "2016-03-14", "2016-03-01", 10, 0, 5, 8, '-', 4, 7},
	DateDMYDash:  {"DD-MM-YYYY", "14-03-2016", "01-03-2016", 10, 6, 3, 0, '-', 2, 5},
	DateDMYDot:   {"DD.MM.YYYY", "14.03.2016", "01.03.2016", 10, 6, 3, 0, '.', 2, 5},
	DateDMYSlash: {"DD/MM/YYYY", "14/03/2016", "01/03/2016", 10, 6, 3, 0, '/', 2, 5},
	DateCompact:  {"YYYYMMDD", "20160314", "20160301", 8, 0, 4, 6, 0, 0, 0},
	DateSAS:      {"DDMONYYYY", "14MAR2016", "01MAR2016", 9, 5, 2, 0, 0, 0, 0},
}

func (f DateFormat) valid() bool { return f >= DateISO && f <= DateSAS }

// monthAbbrev maps SAS's (English) and Danish month abbreviations, upper
// case, to the month.
var monthAbbrev = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "MAJ": 5, "JUN": 6,
	"JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "OKT": 10, "NOV": 11, "DEC": 12}

// dayFirst reports whether the format starts with the day, the forms a
// US-style month-first date can be mistaken for.
func (f DateFormat) dayFirst() bool { return f == DateDMYDash || f == DateDMYDot || f == DateDMYSlash }

// String returns the spec name of the format, e.g. "YYYY-MM-DD".
func (f DateFormat) String() string {
	if !f.valid() {
		return fmt.Sprintf("DateFormat(%d)", uint8(f))
	}
	return dateLayouts[f].name
}

// Example returns a date in the format, e.g. "2016-03-14" for DateISO.
func (f DateFormat) Example() string {
	if !f.valid() {
		return ""
	}
	return dateLayouts[f].example
}

// ParseDateFormat returns the format of a spec name: "YYYY-MM-DD",
// "DD-MM-YYYY", "DD.MM.YYYY", "DD/MM/YYYY" or "YYYYMMDD" (exactly so).
func ParseDateFormat(name string) (DateFormat, error) {
	for _, f := range dateFormats {
		if name == f.String() {
			return f, nil
		}
	}
	return 0, fmt.Errorf("unknown date format %q; accepted: %s", name, dateNames())
}

func dateNames() string {
	names := make([]string, len(dateFormats))
	for i, f := range dateFormats {
		names[i] = f.String()
	}
	return strings.Join(names, ", ")
}

// ParseDate parses a date in format f: two-digit day and month, four-digit
// year from MinYear to MaxYear, a real calendar date (29 February only in leap
// years), optionally followed by " 00:00:00" or "T00:00:00". Any other time
// is an error, as are signs, spaces and one-digit days or months.
func ParseDate(b []byte, f DateFormat) (year, month, day int, err error) {
	y, m, d, fl := scanDate(b, f)
	if fl != flawNone {
		return 0, 0, 0, dateError(b, f, y, m, d, fl)
	}
	return y, m, d, nil
}

// scanDate does ParseDate's work without building errors. On a range flaw
// y, m and d hold the fields read, for the message.
func scanDate(b []byte, f DateFormat) (y, m, d int, fl flaw) {
	if !f.valid() {
		return 0, 0, 0, flawFormat
	}
	l := &dateLayouts[f]
	date, clock := b, []byte(nil)
	if len(b) > l.n {
		date, clock = b[:l.n], b[l.n:]
	}
	y, m, d, ok := l.fields(date)
	if !ok {
		return 0, 0, 0, flawSyntax
	}
	zero := true
	if clock != nil {
		if (clock[0] != ' ' && clock[0] != 'T' && !(f == DateSAS && clock[0] == ':')) || !timeLike(clock) {
			return 0, 0, 0, flawSyntax
		}
		zero = len(clock) == 9 && string(clock[1:]) == "00:00:00"
	}
	if fl := checkDate(y, m, d); fl != flawNone {
		return y, m, d, fl
	}
	if !zero {
		return y, m, d, flawTime
	}
	return y, m, d, flawNone
}

// fields reads year, month and day at the layout's offsets.
func (l *dateLayout) fields(b []byte) (y, m, d int, ok bool) {
	if len(b) != l.n || (l.sep != 0 && (b[l.s1] != l.sep || b[l.s2] != l.sep)) {
		return 0, 0, 0, false
	}
	if l == &dateLayouts[DateSAS] {
		var mon [3]byte
		for i, c := range b[2:5] {
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			mon[i] = c
		}
		m, okm := monthAbbrev[string(mon[:])]
		y, oky := digits4(b[l.y:])
		d, okd := digits2(b[l.d:])
		return y, m, d, oky && okm && okd
	}
	y, oky := digits4(b[l.y:])
	m, okm := digits2(b[l.m:])
	d, okd := digits2(b[l.d:])
	return y, m, d, oky && okm && okd
}

// cutClock splits a value at the first ' ' or 'T', where a datetime's time
// starts; clock is nil if there is none.
func cutClock(b []byte) (date, clock []byte) {
	for i, c := range b {
		if c == ' ' || c == 'T' {
			return b[:i], b[i:]
		}
	}
	return b, nil
}

// timeLike reports whether what follows a date looks like a time, so that a
// datetime gets a message about its time rather than about its shape.
func timeLike(clock []byte) bool {
	return len(clock) > 1 && clock[1]-'0' <= 9
}

func checkDate(y, m, d int) flaw {
	switch {
	case y < MinYear || y > MaxYear:
		return flawYear
	case m < 1 || m > 12:
		return flawMonth
	case d < 1:
		return flawDayZero
	case d > daysIn(y, m):
		return flawDay
	}
	return flawNone
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// daysIn returns the length of month m (1..12) of year y.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

var monthNames = [...]string{"", "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"}

// monthFirst reports whether fields read day-first look like a US-style
// month-first date: the "month" cannot be one but the "day" could.
func monthFirst(f DateFormat, m, d int) bool {
	return f.dayFirst() && m >= 13 && m <= 31 && d >= 1 && d <= 12
}

// usName is the month-first counterpart of a day-first format, e.g. MM/DD/YYYY.
func usName(f DateFormat) string {
	s := string(dateLayouts[f].sep)
	return "MM" + s + "DD" + s + "YYYY"
}

func dateError(b []byte, f DateFormat, y, m, d int, fl flaw) error {
	if !f.valid() {
		return fail(b, "cannot read a date in unknown %s", f)
	}
	l := &dateLayouts[f]
	switch fl {
	case flawYear:
		return fail(b, "year %d is outside the accepted years %d to %d", y, MinYear, MaxYear)
	case flawMonth:
		if monthFirst(f, m, d) {
			return fail(b, "month %02d does not exist; this looks like a US-style %s date, which is not accepted: expected %s such as %s",
				m, usName(f), l.name, l.example)
		}
		return fail(b, "month %02d does not exist; expected %s such as %s", m, l.name, l.example)
	case flawDayZero:
		return fail(b, "day 00 does not exist; expected %s such as %s", l.name, l.example)
	case flawDay:
		if m == 2 && d == 29 {
			return fail(b, "%d is not a leap year, so February has only 28 days", y)
		}
		return fail(b, "%s %d has only %d days", monthNames[m], y, daysIn(y, m))
	case flawTime:
		return fail(b, "expected a date such as %s (%s), not a date and time; a time is accepted only if it is exactly 00:00:00",
			l.example, l.name)
	}
	date, _ := cutClock(b)
	if shortDateFields(date, f) {
		order := "month and day"
		if f.dayFirst() {
			order = "day and month"
		}
		return fail(b, "expected %s with two-digit %s, such as %s", l.name, order, l.padded)
	}
	return fail(b, "expected a date such as %s (%s)", l.example, l.name)
}

// shortDateFields reports whether a value would be a date in f if its one-digit
// day or month had a leading zero, e.g. "1-3-2016" for DD-MM-YYYY.
func shortDateFields(b []byte, f DateFormat) bool {
	l := &dateLayouts[f]
	if l.sep == 0 {
		return false
	}
	parts := strings.Split(string(b), string(l.sep))
	if len(parts) != 3 {
		return false
	}
	want := [3]int{2, 2, 4} // day, month, year
	if f == DateISO {
		want = [3]int{4, 2, 2}
	}
	short := false
	for i, p := range parts {
		if _, ok := num([]byte(p)); !ok {
			return false
		}
		switch {
		case len(p) == want[i]:
		case want[i] == 2 && len(p) == 1:
			short = true
		default:
			return false
		}
	}
	return short
}

// DaysSinceEpoch returns the number of days from 1970-01-01 to a valid date,
// negative before it: the value of an Arrow or Parquet date32. It is the
// proleptic Gregorian calendar (H. Hinnant's days_from_civil), exact for any
// date a parser accepts.
func DaysSinceEpoch(year, month, day int) int32 {
	y := year
	if month <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = floorDiv(y, 400)
	}
	yoe := y - era*400            // 0..399
	mp := (month + 9) % 12        // March is 0, so leap days come last
	doy := (153*mp+2)/5 + day - 1 // 0..365
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// DateFromDays is the inverse of DaysSinceEpoch.
func DateFromDays(days int32) (year, month, day int) {
	z := int(days) + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = doy - (153*mp+2)/5 + 1
	month = mp + 3
	if month > 12 {
		month -= 12
	}
	year = yoe + era*400
	if month <= 2 {
		year++
	}
	return year, month, day
}

// ISOWeek is the ISO 8601 year and week of a valid date, as
// time.Time.ISOWeek but by arithmetic on DaysSinceEpoch: a week belongs to
// the year of its Thursday, and weeks start on Monday.
func ISOWeek(year, month, day int) (isoYear, week int) {
	days := int(DaysSinceEpoch(year, month, day))
	monday := days - (days + 3 - 7*floorDiv(days+3, 7)) // 1970-01-01 was a Thursday
	isoYear, _, _ = DateFromDays(int32(monday + 3))
	return isoYear, (monday+3-int(DaysSinceEpoch(isoYear, 1, 1)))/7 + 1
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
