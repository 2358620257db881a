package parse

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseWeekAccepts(t *testing.T) {
	tests := []struct {
		in         string
		f          WeekFormat
		df         DateFormat
		year, week int
	}{
		{"2016-W10", WeekISO, 0, 2016, 10},
		{"2016-w10", WeekISO, 0, 2016, 10},
		{"2016-W01", WeekISO, 0, 2016, 1},
		{"2015-W53", WeekISO, 0, 2015, 53},
		{"2020-W53", WeekISO, 0, 2020, 53},
		{"1900-W01", WeekISO, 0, 1900, 1},
		{"2199-W52", WeekISO, 0, 2199, 52},
		{"2016W10", WeekISOCompact, 0, 2016, 10},
		{"2016w52", WeekISOCompact, 0, 2016, 52},
		{"201610", WeekYYYYWW, 0, 2016, 10},
		{"201553", WeekYYYYWW, 0, 2015, 53},
		{"2016-10", WeekDash, 0, 2016, 10},
		{"2016:10", WeekColon, 0, 2016, 10},
		{"2016-03-14", WeekDate, DateISO, 2016, 11},
		{"14-03-2016", WeekDate, DateDMYDash, 2016, 11},
		{"14.03.2016", WeekDate, DateDMYDot, 2016, 11},
		{"14/03/2016", WeekDate, DateDMYSlash, 2016, 11},
		{"20160314", WeekDate, DateCompact, 2016, 11},
		{"2016-03-14 00:00:00", WeekDate, DateISO, 2016, 11},
		// The ISO year differs from the calendar year at the edges.
		{"2016-01-03", WeekDate, DateISO, 2015, 53},
		{"2016-01-04", WeekDate, DateISO, 2016, 1},
		{"2018-12-31", WeekDate, DateISO, 2019, 1},
		{"2010-01-03", WeekDate, DateISO, 2009, 53},
	}
	for _, tt := range tests {
		t.Run(tt.f.String()+"/"+tt.in, func(t *testing.T) {
			y, w, err := ParseWeek([]byte(tt.in), tt.f, tt.df)
			require.NoError(t, err)
			assert.Equal(t, [2]int{tt.year, tt.week}, [2]int{y, w})
		})
	}
}

func TestParseWeekRejects(t *testing.T) {
	tests := []struct {
		in   string
		f    WeekFormat
		want []string // substrings of the message besides the quoted value
	}{
		{"201613x", WeekYYYYWW, []string{"expected a week such as 201610 (YYYYWW)"}},
		{"2016-W54", WeekISO, []string{"2016 has only 52 ISO weeks"}},
		{"2015-W54", WeekISO, []string{"2015 has only 53 ISO weeks"}},
		{"2016-W53", WeekISO, []string{"2016 has only 52 ISO weeks"}},
		{"201653", WeekYYYYWW, []string{"2016 has only 52 ISO weeks"}},
		{"2016-W99", WeekISO, []string{"2016 has only 52 ISO weeks"}},
		{"2016-W00", WeekISO, []string{"week 00 does not exist", "2016-W03"}},
		{"2016:00", WeekColon, []string{"week 00 does not exist", "2016:03"}},
		{"1899-W10", WeekISO, []string{"year 1899", "1900 to 2199"}},
		{"2200-W10", WeekISO, []string{"year 2200", "1900 to 2199"}},
		{"220010", WeekYYYYWW, []string{"year 2200"}},
		{"2016-W3", WeekISO, []string{"expected YYYY-Www with a two-digit week, such as 2016-W03"}},
		{"2016W3", WeekISOCompact, []string{"two-digit week, such as 2016W03"}},
		{"2016-3", WeekDash, []string{"two-digit week, such as 2016-03"}},
		{"2016:3", WeekColon, []string{"two-digit week, such as 2016:03"}},
		{"20163", WeekYYYYWW, []string{"two-digit week, such as 201603"}},
		{"2016-W010", WeekISO, []string{"expected a week such as 2016-W10 (YYYY-Www)"}},
		{"16-W10", WeekISO, []string{"expected a week such as 2016-W10 (YYYY-Www)"}},
		{"+2016-W10", WeekISO, []string{"expected a week such as 2016-W10"}},
		{"2016-W+1", WeekISO, []string{"expected a week such as 2016-W10"}},
		{"2016-W-1", WeekISO, []string{"expected a week such as 2016-W10"}},
		{"2016 -W10", WeekISO, []string{"expected a week such as 2016-W10"}},
		{" 2016-W10", WeekISO, []string{"expected a week such as 2016-W10"}},
		{"2016-W10 ", WeekISO, []string{"expected a week such as 2016-W10"}},
		{"2016-X10", WeekISO, []string{"expected a week such as 2016-W10"}},
		{"2016W10", WeekISO, []string{"expected a week such as 2016-W10"}},
		{"2016-W10", WeekISOCompact, []string{"expected a week such as 2016W10 (YYYYWww)"}},
		{"2016-10", WeekColon, []string{"expected a week such as 2016:10 (YYYY:WW)"}},
		{"2016:10", WeekDash, []string{"expected a week such as 2016-10 (YYYY-WW)"}},
		{"+20161", WeekYYYYWW, []string{"expected a week such as 201610"}},
		{"2016 1", WeekYYYYWW, []string{"expected a week such as 201610"}},
		{"", WeekISO, []string{"expected a week such as 2016-W10"}},
		{"２016-W10", WeekISO, []string{"expected a week such as 2016-W10"}},
	}
	for _, tt := range tests {
		t.Run(tt.f.String()+"/"+tt.in, func(t *testing.T) {
			y, w, err := ParseWeek([]byte(tt.in), tt.f, 0)
			require.Error(t, err)
			assert.Zero(t, y)
			assert.Zero(t, w)
			assert.Contains(t, err.Error(), strconv.Quote(tt.in))
			for _, s := range tt.want {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

func TestParseWeekMessagesExact(t *testing.T) {
	_, _, err := ParseWeek([]byte("2016-W54"), WeekISO, 0)
	assert.EqualError(t, err, `"2016-W54": 2016 has only 52 ISO weeks`)
	_, _, err = ParseWeek([]byte("201613x"), WeekYYYYWW, 0)
	assert.EqualError(t, err, `"201613x": expected a week such as 201610 (YYYYWW)`)
}

func TestParseWeekDateErrors(t *testing.T) {
	_, _, err := ParseWeek([]byte("2016-02-30"), WeekDate, DateISO)
	assert.EqualError(t, err, `"2016-02-30": February 2016 has only 29 days`)
	_, _, err = ParseWeek([]byte("2016-03-14"), WeekDate, DateDMYDash)
	assert.EqualError(t, err, `"2016-03-14": expected a date such as 14-03-2016 (DD-MM-YYYY)`)
	_, _, err = ParseWeek([]byte("2016-03-14"), WeekDate, 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"2016-03-14"`)
}

// Weeks whose ISO year leaves MinYear..MaxYear although the date is inside.
func TestParseWeekDateYearBounds(t *testing.T) {
	for _, d := range []string{"1900-01-01", "2199-12-31"} {
		tm, _ := time.Parse(time.DateOnly, d)
		wy, ww := tm.ISOWeek()
		y, w, err := ParseWeek([]byte(d), WeekDate, DateISO)
		if wy < MinYear || wy > MaxYear {
			require.Error(t, err, d)
			assert.Contains(t, err.Error(), "outside the accepted years")
			continue
		}
		require.NoError(t, err, d)
		assert.Equal(t, [2]int{wy, ww}, [2]int{y, w}, d)
	}
}

func TestParseWeekUnknownFormat(t *testing.T) {
	for _, f := range []WeekFormat{0, WeekDate + 1, 255} {
		_, _, err := ParseWeek([]byte("2016-W10"), f, DateISO)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `"2016-W10"`)
		assert.Contains(t, err.Error(), "unknown")
	}
}

// WeeksInYear and the ISO week of every accepted date agree with the time
// package.
func TestISOWeekMatchesTime(t *testing.T) {
	for y := 1; y <= 9999; y++ {
		_, w := time.Date(y, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
		require.Equal(t, w, WeeksInYear(y), "year %d", y)
	}
	assert.Equal(t, 53, WeeksInYear(2015))
	assert.Equal(t, 52, WeeksInYear(2016))
	for d := time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= MaxYear; d = d.AddDate(0, 0, 1) {
		wy, ww := d.ISOWeek()
		y, w := isoWeek(d.Year(), int(d.Month()), d.Day())
		require.Equal(t, [2]int{wy, ww}, [2]int{y, w}, "%s", d.Format(time.DateOnly))
	}
}

func TestWeekFormatNames(t *testing.T) {
	want := map[WeekFormat][2]string{
		WeekISO:        {"YYYY-Www", "2016-W10"},
		WeekISOCompact: {"YYYYWww", "2016W10"},
		WeekYYYYWW:     {"YYYYWW", "201610"},
		WeekDash:       {"YYYY-WW", "2016-10"},
		WeekColon:      {"YYYY:WW", "2016:10"},
		WeekDate:       {"date", "2016-03-14"},
	}
	for f, w := range want {
		assert.Equal(t, w[0], f.String())
		assert.Equal(t, w[1], f.Example())
		got, err := ParseWeekFormat(w[0])
		require.NoError(t, err)
		assert.Equal(t, f, got)
		if f != WeekDate {
			y, wk, err := ParseWeek([]byte(f.Example()), f, 0)
			require.NoError(t, err, "example of %s", f)
			assert.Equal(t, [2]int{2016, 10}, [2]int{y, wk})
		}
	}
	assert.Equal(t, "WeekFormat(0)", WeekFormat(0).String())
	assert.Empty(t, WeekFormat(0).Example())
	_, err := ParseWeekFormat("yyyy-www")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"yyyy-www"`)
	assert.Contains(t, err.Error(), "YYYY-Www, YYYYWww, YYYYWW, YYYY-WW, YYYY:WW, date")
}
