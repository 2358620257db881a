package parse

import (
	"fmt"
	"math/bits"
	"strings"
)

// detector picks the one candidate format that every non-empty sample fits.
// Candidates are numbered 0..n-1 (n ≤ 16) so that the formats a sample fits
// are a bit set.
type detector struct {
	what    string // "week" or "date", for messages
	setting string // the spec key that settles ambiguity
	n       int
	fits    func(b []byte, i int) bool
	name    func(i int) string
	forms   string // the accepted forms with examples
	// hint explains a near miss such as a one-digit day, or returns "".
	hint func(b []byte) string
}

// mask returns the set of candidates sample b fits.
func (d *detector) mask(b []byte) uint16 {
	var m uint16
	for i := 0; i < d.n; i++ {
		if d.fits(b, i) {
			m |= 1 << i
		}
	}
	return m
}

func (d *detector) names(m uint16) string {
	var names []string
	for i := 0; i < d.n; i++ {
		if m&(1<<i) != 0 {
			names = append(names, d.name(i))
		}
	}
	return strings.Join(names, " or ")
}

func (d *detector) hintFor(b []byte) string {
	if d.hint == nil {
		return ""
	}
	if h := d.hint(b); h != "" {
		return " (" + h + ")"
	}
	return ""
}

// detect returns the candidate all samples fit. A sample fitting nothing is
// reported before a mix of formats, since it names a concrete bad value.
func (d *detector) detect(samples [][]byte) (int, error) {
	first := -1
	for i, s := range samples {
		if len(s) == 0 {
			continue
		}
		if d.mask(s) == 0 {
			return -1, fail(s, "not a %s in any accepted form%s: %s", d.what, d.hintFor(s), d.forms)
		}
		if first < 0 {
			first = i
		}
	}
	if first < 0 {
		return -1, fmt.Errorf("no values to detect a %s format from", d.what)
	}
	all := uint16(1)<<d.n - 1
	for _, s := range samples[first:] {
		if len(s) == 0 {
			continue
		}
		m := d.mask(s)
		if all&m == 0 {
			return -1, fmt.Errorf("samples mix %s formats: %s is %s but %s is %s; a column must use one format",
				d.what, quote(samples[first]), d.names(all), quote(s), d.names(m))
		}
		all &= m
	}
	if bits.OnesCount16(all) > 1 {
		return -1, fmt.Errorf("samples fit several %s formats (%s); set %s in the spec",
			d.what, strings.ReplaceAll(d.names(all), " or ", ", "), d.setting)
	}
	return bits.TrailingZeros16(all), nil
}

var dateDetector = detector{
	what:    "date",
	setting: "date_format",
	n:       len(dateFormats),
	fits: func(b []byte, i int) bool {
		_, _, _, fl := scanDate(b, dateFormats[i])
		return !fl.syntactic()
	},
	name:  func(i int) string { return dateFormats[i].String() },
	forms: dateForms(),
	hint:  shortDateHint,
}

// shortDateHint names the date form a value would have with two-digit day
// and month.
func shortDateHint(b []byte) string {
	date, _ := cutClock(b)
	for _, f := range dateFormats {
		if shortDateFields(date, f) {
			return "a " + f.String() + " date needs a two-digit day and month, such as " + dateLayouts[f].padded
		}
	}
	return ""
}

// dateForms lists the date forms with examples, e.g. "YYYY-MM-DD (2016-03-14)".
func dateForms() string {
	forms := make([]string, len(dateFormats))
	for i, f := range dateFormats {
		forms[i] = f.String() + " (" + f.Example() + ")"
	}
	return strings.Join(forms, ", ")
}

// DetectDate returns the one DateFormat that every non-empty sample has the
// shape of (YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY, DD/MM/YYYY or YYYYMMDD).
// Only syntax decides: out-of-range values such as 30 February are left for
// ParseDate to report per row. It is an error if all samples are empty, if a
// sample fits no form, if samples mix forms, if several forms fit, or if
// day-first samples look like US-style month-first dates ("03/14/2016").
func DetectDate(samples [][]byte) (DateFormat, error) {
	i, err := dateDetector.detect(samples)
	if err != nil {
		return 0, err
	}
	f := dateFormats[i]
	if err := checkDayFirst(samples, f); err != nil {
		return 0, err
	}
	return f, nil
}

// checkDayFirst rejects samples of a day-first format whose "month" cannot be
// a month but whose "day" could: they were written month first, and reading
// the rest day first would silently swap day and month.
func checkDayFirst(samples [][]byte, f DateFormat) error {
	if !f.dayFirst() {
		return nil
	}
	var dayFirst, usStyle []byte
	for _, s := range samples {
		_, m, d, fl := scanDate(s, f)
		if len(s) == 0 || fl.syntactic() {
			continue
		}
		if dayFirst == nil && d > 12 && m >= 1 && m <= 12 {
			dayFirst = s
		}
		if usStyle == nil && monthFirst(f, m, d) {
			usStyle = s
		}
	}
	switch {
	case usStyle == nil:
		return nil
	case dayFirst != nil:
		return fmt.Errorf("samples mix day-first and month-first dates: %s is %s but %s is month first (%s); a column must use one order",
			quote(dayFirst), f, quote(usStyle), usName(f))
	}
	return fmt.Errorf("samples look like US-style %s dates, which are not accepted: %s has no month %02d; expected %s such as %s",
		usName(f), quote(usStyle), monthOf(usStyle, f), f, f.Example())
}

func monthOf(b []byte, f DateFormat) int {
	_, m, _, _ := scanDate(b, f)
	return m
}

// weekCandidate is a week format and, for WeekDate, the date's format.
type weekCandidate struct {
	wf WeekFormat
	df DateFormat
}

// weekCandidates are the numeric week forms, then WeekDate in every date form.
var weekCandidates = func() []weekCandidate {
	var c []weekCandidate
	for _, f := range weekFormats {
		if f != WeekDate {
			c = append(c, weekCandidate{wf: f})
		}
	}
	for _, df := range dateFormats {
		c = append(c, weekCandidate{wf: WeekDate, df: df})
	}
	return c
}()

var weekDetector = detector{
	what:    "week",
	setting: "week_format",
	n:       len(weekCandidates),
	fits: func(b []byte, i int) bool {
		c := weekCandidates[i]
		_, _, fl := scanWeek(b, c.wf, c.df)
		return !fl.syntactic()
	},
	name: func(i int) string {
		if c := weekCandidates[i]; c.wf == WeekDate {
			return "date " + c.df.String()
		}
		return weekCandidates[i].wf.String()
	},
	forms: weekForms(),
	hint:  shortWeekHint,
}

// shortWeekHint names the week or date form a value would have with two-digit
// fields.
func shortWeekHint(b []byte) string {
	for _, f := range weekFormats {
		if f != WeekDate && shortWeek(b, f) {
			return "a " + f.String() + " week needs a two-digit week, such as " + weekLayouts[f].padded
		}
	}
	return shortDateHint(b)
}

// weekForms lists the week forms with examples, e.g. "YYYY-Www (2016-W10)".
func weekForms() string {
	var forms []string
	for _, f := range weekFormats {
		if f != WeekDate {
			forms = append(forms, f.String()+" ("+f.Example()+")")
		}
	}
	return strings.Join(forms, ", ") + ", or a date: " + dateForms()
}

// DetectWeek returns the one week format every non-empty sample has the shape
// of: YYYY-Www, YYYYWww, YYYYWW, YYYY-WW, YYYY:WW, or a date (WeekDate, with
// the date's format as the DateFormat; otherwise the DateFormat is 0). Only
// syntax decides: week 53 in a 52-week year still counts and is reported by
// ParseWeek per row. Errors are as for DetectDate.
func DetectWeek(samples [][]byte) (WeekFormat, DateFormat, error) {
	i, err := weekDetector.detect(samples)
	if err != nil {
		return 0, 0, err
	}
	c := weekCandidates[i]
	if c.wf == WeekDate {
		if err := checkDayFirst(samples, c.df); err != nil {
			return 0, 0, err
		}
	}
	return c.wf, c.df, nil
}
