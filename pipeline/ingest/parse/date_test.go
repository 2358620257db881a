package parse

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDateAccepts(t *testing.T) {
	tests := []struct {
		in      string
		f       DateFormat
		y, m, d int
	}{
		{"2016-03-14", DateISO, 2016, 3, 14},
		{"14-03-2016", DateDMYDash, 2016, 3, 14},
		{"14.03.2016", DateDMYDot, 2016, 3, 14},
		{"14/03/2016", DateDMYSlash, 2016, 3, 14},
		{"20160314", DateCompact, 2016, 3, 14},
		{"2016-02-29", DateISO, 2016, 2, 29},
		{"2000-02-29", DateISO, 2000, 2, 29},
		{"1900-01-01", DateISO, 1900, 1, 1},
		{"2199-12-31", DateISO, 2199, 12, 31},
		{"31.12.2199", DateDMYDot, 2199, 12, 31},
		// Excel writes dates as datetimes at midnight.
		{"2016-03-14 00:00:00", DateISO, 2016, 3, 14},
		{"2016-03-14T00:00:00", DateISO, 2016, 3, 14},
		{"14.03.2016 00:00:00", DateDMYDot, 2016, 3, 14},
		{"20160314T00:00:00", DateCompact, 2016, 3, 14},
	}
	for _, tt := range tests {
		t.Run(tt.f.String()+"/"+tt.in, func(t *testing.T) {
			y, m, d, err := ParseDate([]byte(tt.in), tt.f)
			require.NoError(t, err)
			assert.Equal(t, [3]int{tt.y, tt.m, tt.d}, [3]int{y, m, d})
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	tests := []struct {
		in   string
		f    DateFormat
		want []string
	}{
		{"1-3-2016", DateDMYDash, []string{"expected DD-MM-YYYY with two-digit day and month, such as 01-03-2016"}},
		{"14-3-2016", DateDMYDash, []string{"two-digit day and month, such as 01-03-2016"}},
		{"1.3.2016", DateDMYDot, []string{"expected DD.MM.YYYY with two-digit day and month, such as 01.03.2016"}},
		{"1/03/2016", DateDMYSlash, []string{"expected DD/MM/YYYY with two-digit day and month, such as 01/03/2016"}},
		{"2016-3-1", DateISO, []string{"expected YYYY-MM-DD with two-digit month and day, such as 2016-03-01"}},
		{"1-3-2016 00:00:00", DateDMYDash, []string{"two-digit day and month"}},
		{"2016-13-01", DateISO, []string{"month 13 does not exist", "YYYY-MM-DD"}},
		{"2016-00-01", DateISO, []string{"month 00 does not exist"}},
		{"2016-01-00", DateISO, []string{"day 00 does not exist"}},
		{"2015-02-29", DateISO, []string{"2015 is not a leap year, so February has only 28 days"}},
		{"1900-02-29", DateISO, []string{"1900 is not a leap year"}},
		{"2016-02-30", DateISO, []string{"February 2016 has only 29 days"}},
		{"2016-04-31", DateISO, []string{"April 2016 has only 30 days"}},
		{"2016-01-32", DateISO, []string{"January 2016 has only 31 days"}},
		{"1899-12-31", DateISO, []string{"year 1899 is outside the accepted years 1900 to 2199"}},
		{"01.01.2200", DateDMYDot, []string{"year 2200 is outside"}},
		{"03/14/2016", DateDMYSlash, []string{"month 14 does not exist", "US-style MM/DD/YYYY", "expected DD/MM/YYYY"}},
		{"03-14-2016", DateDMYDash, []string{"US-style MM-DD-YYYY"}},
		{"2016-03-14 08:30:00", DateISO, []string{"not a date and time", "00:00:00", "2016-03-14 (YYYY-MM-DD)"}},
		{"2016-03-14T00:00:01", DateISO, []string{"not a date and time"}},
		{"2016-03-14 00:00:00.000", DateISO, []string{"not a date and time"}},
		{"2016-03-14 00:00", DateISO, []string{"not a date and time"}},
		{"2016-03-14 ", DateISO, []string{"expected a date such as 2016-03-14 (YYYY-MM-DD)"}},
		{"2016-03-14T", DateISO, []string{"expected a date such as 2016-03-14"}},
		{"2016-03-14 midnight", DateISO, []string{"expected a date such as 2016-03-14"}},
		{"2016-03-14x", DateISO, []string{"expected a date such as 2016-03-14"}},
		{" 2016-03-14", DateISO, []string{"expected a date such as 2016-03-14"}},
		{"+016-03-14", DateISO, []string{"expected a date such as 2016-03-14"}},
		{"2016-+3-14", DateISO, []string{"expected a date such as 2016-03-14"}},
		{"2016-03--1", DateISO, []string{"expected a date such as 2016-03-14"}},
		{"2016/03/14", DateISO, []string{"expected a date such as 2016-03-14 (YYYY-MM-DD)"}},
		{"16-03-14", DateISO, []string{"expected a date such as 2016-03-14"}},
		{"14-03-16", DateDMYDash, []string{"expected a date such as 14-03-2016 (DD-MM-YYYY)"}},
		{"2016-03-14", DateDMYDash, []string{"expected a date such as 14-03-2016 (DD-MM-YYYY)"}},
		{"14.03.2016", DateDMYSlash, []string{"expected a date such as 14/03/2016 (DD/MM/YYYY)"}},
		{"2016314", DateCompact, []string{"expected a date such as 20160314 (YYYYMMDD)"}},
		{"2016-03-14", DateCompact, []string{"expected a date such as 20160314 (YYYYMMDD)"}},
		{"14MAR2016", DateCompact, []string{"expected a date such as 20160314"}},
		{"", DateISO, []string{"expected a date such as 2016-03-14"}},
	}
	for _, tt := range tests {
		t.Run(tt.f.String()+"/"+tt.in, func(t *testing.T) {
			y, m, d, err := ParseDate([]byte(tt.in), tt.f)
			require.Error(t, err)
			assert.Equal(t, [3]int{}, [3]int{y, m, d})
			assert.Contains(t, err.Error(), strconv.Quote(tt.in))
			for _, s := range tt.want {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

func TestParseDateMessagesExact(t *testing.T) {
	_, _, _, err := ParseDate([]byte("1-3-2016"), DateDMYDash)
	assert.EqualError(t, err, `"1-3-2016": expected DD-MM-YYYY with two-digit day and month, such as 01-03-2016`)
	_, _, _, err = ParseDate([]byte("2015-02-29"), DateISO)
	assert.EqualError(t, err, `"2015-02-29": 2015 is not a leap year, so February has only 28 days`)
}

func TestParseDateUnknownFormat(t *testing.T) {
	for _, f := range []DateFormat{0, DateSAS + 1, 255} {
		_, _, _, err := ParseDate([]byte("2016-03-14"), f)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `"2016-03-14"`)
		assert.Contains(t, err.Error(), "unknown")
	}
}

// A huge value is quoted only in part.
func TestErrorQuotesLongValueShortly(t *testing.T) {
	long := make([]byte, 10000)
	for i := range long {
		long[i] = '9'
	}
	_, _, _, err := ParseDate(long, DateISO)
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 200)
	assert.Contains(t, err.Error(), "…")
}

func TestDaysSinceEpoch(t *testing.T) {
	assert.Equal(t, int32(0), DaysSinceEpoch(1970, 1, 1))
	assert.Equal(t, int32(-1), DaysSinceEpoch(1969, 12, 31))
	assert.Equal(t, int32(16874), DaysSinceEpoch(2016, 3, 14))
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() <= MaxYear; d = d.AddDate(0, 0, 1) {
		days := DaysSinceEpoch(d.Year(), int(d.Month()), d.Day())
		require.Equal(t, int32(d.Sub(epoch).Hours()/24), days, "%s", d.Format(time.DateOnly))
		y, m, dd := DateFromDays(days)
		require.Equal(t, [3]int{d.Year(), int(d.Month()), d.Day()}, [3]int{y, m, dd})
	}
	// Far outside the accepted years it stays exact.
	for _, days := range []int32{-1 << 30, -719468, 1 << 30} {
		y, m, d := DateFromDays(days)
		assert.Equal(t, days, DaysSinceEpoch(y, m, d))
	}
}

func TestDateFormatNames(t *testing.T) {
	want := map[DateFormat][2]string{
		DateISO:      {"YYYY-MM-DD", "2016-03-14"},
		DateDMYDash:  {"DD-MM-YYYY", "14-03-2016"},
		DateDMYDot:   {"DD.MM.YYYY", "14.03.2016"},
		DateDMYSlash: {"DD/MM/YYYY", "14/03/2016"},
		DateCompact:  {"YYYYMMDD", "20160314"},
	}
	for f, w := range want {
		assert.Equal(t, w[0], f.String())
		assert.Equal(t, w[1], f.Example())
		got, err := ParseDateFormat(w[0])
		require.NoError(t, err)
		assert.Equal(t, f, got)
		y, m, d, err := ParseDate([]byte(f.Example()), f)
		require.NoError(t, err)
		assert.Equal(t, [3]int{2016, 3, 14}, [3]int{y, m, d})
	}
	assert.Equal(t, "DateFormat(0)", DateFormat(0).String())
	assert.Empty(t, DateFormat(0).Example())
	_, err := ParseDateFormat("MM/DD/YYYY")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"MM/DD/YYYY"`)
	assert.Contains(t, err.Error(), "YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY, DD/MM/YYYY, YYYYMMDD")
}

// ISOWeek agrees with time.Time.ISOWeek on every day the parsers accept.
func TestISOWeek(t *testing.T) {
	for day := time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() <= MaxYear; day = day.AddDate(0, 0, 1) {
		wantYear, wantWeek := day.ISOWeek()
		y, w := ISOWeek(day.Year(), int(day.Month()), day.Day())
		if y != wantYear || w != wantWeek {
			t.Fatalf("%s: ISOWeek = %d-W%02d, want %d-W%02d", day.Format(time.DateOnly), y, w, wantYear, wantWeek)
		}
	}
}
