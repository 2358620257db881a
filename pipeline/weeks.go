package pipeline

import (
	"io"
	"math"
	"strconv"
)

// Status is a person's register status in a week, as a category; the
// register codes behind each category are configurable in later versions.
type Status uint8

const (
	StatusNone        Status = iota // no public benefit (self-supporting) or unknown
	StatusPraktik                   // company internship (virksomhedspraktik)
	StatusWageSubsidy               // wage subsidy (løntilskud)
	StatusBenefit                   // any other public benefit
)

var statusNames = [...]string{"", "praktik", "wage_subsidy", "benefit"}

func (s Status) String() string { return statusNames[s] }

// ParseStatus maps a status cell to its category.
func ParseStatus(s string) (Status, bool) {
	for i, n := range statusNames {
		if s == n {
			return Status(i), true
		}
	}
	return 0, false
}

// WeekRecord is one row of a weekly extract.
type WeekRecord struct {
	PersonID string
	Week     ISOWeek
	Hours    float64 // ordinary (unsubsidised) hours, ≥ 0
	Status   Status
	Line     int // where the row starts in its source, for rejects
}

// WeekSource yields weekly records one at a time. Next returns io.EOF after
// the last record and an *InputError for a malformed one. Every source format
// (long CSV now; Parquet, Arrow and DREAM wide later) implements it.
type WeekSource interface {
	Name() string
	Next() (WeekRecord, error)
	Close() error
}

// Columns of the long weekly file.
const (
	ColWeek   = "week"
	ColHours  = "hours"
	ColStatus = "status"
)

type csvWeeks struct {
	c                   *csvFile
	iID, iWeek, iH, iSt int
}

// OpenWeeks opens a long weekly CSV file (see docs/data-format.md).
func OpenWeeks(path string) (WeekSource, error) {
	c, err := openCSV(path)
	if err != nil {
		return nil, err
	}
	return newCSVWeeks(c)
}

// WeeksFrom reads long weekly CSV from r; name is used in messages and
// decides decompression (".gz").
func WeeksFrom(name string, r io.Reader) (WeekSource, error) {
	c, err := newCSV(name, r, nil)
	if err != nil {
		return nil, err
	}
	return newCSVWeeks(c)
}

func newCSVWeeks(c *csvFile) (WeekSource, error) {
	if err := c.require(ColPersonID, ColWeek, ColHours, ColStatus); err != nil {
		c.Close()
		return nil, err
	}
	return &csvWeeks{c: c, iID: c.col[ColPersonID], iWeek: c.col[ColWeek], iH: c.col[ColHours], iSt: c.col[ColStatus]}, nil
}

func (w *csvWeeks) Name() string { return w.c.name }
func (w *csvWeeks) Close() error { return w.c.Close() }

func (w *csvWeeks) Next() (WeekRecord, error) {
	c := w.c
	if err := c.next(); err != nil {
		return WeekRecord{}, err
	}
	rec := WeekRecord{PersonID: c.field(w.iID), Line: c.line()}
	if rec.PersonID == "" {
		return rec, c.errorAt(w.iID, "empty; expected a person id")
	}
	wk, err := ParseISOWeek(c.field(w.iWeek))
	if err != nil {
		return rec, c.errorAt(w.iWeek, "%v", err)
	}
	rec.Week = wk
	if h := c.field(w.iH); h != "" {
		v, err := strconv.ParseFloat(h, 64)
		if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return rec, c.errorAt(w.iH, "bad hours %q; expected a decimal number ≥ 0 with a point, such as 7.5", h)
		}
		rec.Hours = v
	}
	st, ok := ParseStatus(c.field(w.iSt))
	if !ok {
		return rec, c.errorAt(w.iSt, "unknown status %q; expected one of praktik, wage_subsidy, benefit or empty", c.field(w.iSt))
	}
	rec.Status = st
	return rec, nil
}
