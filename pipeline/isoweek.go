package pipeline

import (
	"fmt"
	"strconv"
	"time"
)

// ISOWeek is a week of the ISO 8601 week-numbering calendar: weeks start on
// Monday and week 1 is the week holding the year's first Thursday.
type ISOWeek struct {
	Year int
	Week int
}

// The years rcteval accepts: registers such as DREAM start in 1991, and a
// bound keeps a typo from stretching the dense store over centuries.
const (
	MinYear = 1900
	MaxYear = 2199
)

// epochMonday is the Monday used to number weeks consecutively across years.
var epochMonday = time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC)

// ParseISOWeek parses "YYYY-Www" (e.g. "2016-W10").
func ParseISOWeek(s string) (ISOWeek, error) {
	bad := fmt.Errorf("expected an ISO week YYYY-Www such as 2016-W10, got %q", s)
	if len(s) != 8 || s[4] != '-' || (s[5] != 'W' && s[5] != 'w') {
		return ISOWeek{}, bad
	}
	year, err1 := strconv.Atoi(s[:4])
	week, err2 := strconv.Atoi(s[6:])
	if err1 != nil || err2 != nil || week < 1 {
		return ISOWeek{}, bad
	}
	if year < MinYear || year > MaxYear {
		return ISOWeek{}, fmt.Errorf("expected an ISO week YYYY-Www with a year from %d to %d, got %q", MinYear, MaxYear, s)
	}
	if n := WeeksInYear(year); week > n {
		return ISOWeek{}, fmt.Errorf("expected an ISO week YYYY-Www, got %q: %d has only %d ISO weeks", s, year, n)
	}
	return ISOWeek{Year: year, Week: week}, nil
}

// WeeksInYear returns 52 or 53: the ISO week number of 28 December.
func WeeksInYear(year int) int {
	_, w := time.Date(year, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// WeekOf returns the ISO week containing the date t.
func WeekOf(t time.Time) ISOWeek {
	y, w := t.ISOWeek()
	return ISOWeek{Year: y, Week: w}
}

// Monday returns the first day of the week.
func (w ISOWeek) Monday() time.Time {
	jan4 := time.Date(w.Year, 1, 4, 0, 0, 0, 0, time.UTC)
	offset := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	return jan4.AddDate(0, 0, -offset+7*(w.Week-1))
}

// Index numbers weeks consecutively, so that the difference of two indices is
// the number of weeks between them (1970-W02 is 0).
func (w ISOWeek) Index() int {
	if w.Year >= MinYear && w.Year <= MaxYear && w.Week >= 1 && w.Week <= 53 {
		return yearStart[w.Year-MinYear] + w.Week - 1
	}
	return int((w.Monday().Unix() - epochMonday.Unix()) / (7 * 24 * 3600))
}

// WeekIndex is ISOWeek{year, week}.Index() without building the value: a
// table lookup, for the hot path of reading extracts.
func WeekIndex(year, week int) int { return ISOWeek{year, week}.Index() }

// yearStart[y-MinYear] is the index of week 1 of ISO year y.
var yearStart = func() []int {
	t := make([]int, MaxYear-MinYear+1)
	for y := MinYear; y <= MaxYear; y++ {
		jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
		monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
		t[y-MinYear] = int(monday.Sub(epochMonday).Hours()) / (7 * 24)
	}
	return t
}()

// Today is the ISO week of the current date: weeks after it cannot be in an extract.
func Today() ISOWeek { return WeekOf(time.Now()) }

// WeekFromIndex is the inverse of Index.
func WeekFromIndex(i int) ISOWeek {
	return WeekOf(epochMonday.AddDate(0, 0, 7*i))
}

func (w ISOWeek) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Week) }
