package parse

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func samples(s ...string) [][]byte {
	b := make([][]byte, len(s))
	for i, v := range s {
		b[i] = []byte(v)
	}
	return b
}

func TestDetectWeekEachFormat(t *testing.T) {
	tests := []struct {
		in []string
		f  WeekFormat
		df DateFormat
	}{
		{[]string{"2016-W10", "", "2016-w52"}, WeekISO, 0},
		{[]string{"2016W10", "2017W01"}, WeekISOCompact, 0},
		{[]string{"201610", "201701"}, WeekYYYYWW, 0},
		{[]string{"2016-10", "2017-01"}, WeekDash, 0},
		{[]string{"2016:10", "2017:01"}, WeekColon, 0},
		{[]string{"2016-03-14", "2016-03-15 00:00:00"}, WeekDate, DateISO},
		{[]string{"14-03-2016"}, WeekDate, DateDMYDash},
		{[]string{"14.03.2016"}, WeekDate, DateDMYDot},
		{[]string{"14/03/2016", "01/02/2016"}, WeekDate, DateDMYSlash},
		{[]string{"20160314"}, WeekDate, DateCompact},
		// Only syntax decides: out-of-range rows are reported when read.
		{[]string{"2016-W53", "2016-W00", "1899-W10"}, WeekISO, 0},
		{[]string{"2016-02-30"}, WeekDate, DateISO},
	}
	for _, tt := range tests {
		t.Run(tt.in[0], func(t *testing.T) {
			f, df, err := DetectWeek(samples(tt.in...))
			require.NoError(t, err)
			assert.Equal(t, tt.f, f)
			assert.Equal(t, tt.df, df)
		})
	}
}

func TestDetectWeekErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"empty", []string{"", ""}, []string{"no values to detect a week format from"}},
		{"none", nil, []string{"no values to detect a week format from"}},
		{"no fit", []string{"2016-W10", "2016/10"}, []string{`"2016/10"`, "not a week in any accepted form",
			"YYYY-Www (2016-W10)", "YYYYWW (201610)", "YYYY:WW (2016:10)", "DD.MM.YYYY (14.03.2016)"}},
		{"short week fits nothing", []string{"2016-W3"}, []string{`"2016-W3"`, "not a week"}},
		{"mixed", []string{"2016-W10", "", "201611"}, []string{"mix week formats", `"2016-W10" is YYYY-Www`,
			`"201611" is YYYYWW`}},
		{"mixed dates", []string{"2016-03-14", "14.03.2016"}, []string{"mix week formats",
			`"2016-03-14" is date YYYY-MM-DD`, `"14.03.2016" is date DD.MM.YYYY`}},
		{"us dates", []string{"01/02/2016", "03/14/2016"}, []string{"US-style MM/DD/YYYY", `"03/14/2016"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, df, err := DetectWeek(samples(tt.in...))
			require.Error(t, err)
			assert.Zero(t, f)
			assert.Zero(t, df)
			for _, s := range tt.want {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

func TestDetectDateEachFormat(t *testing.T) {
	for _, f := range dateFormats {
		got, err := DetectDate(samples(f.Example(), "", f.Example()))
		require.NoError(t, err, f.String())
		assert.Equal(t, f, got)
	}
	// Out-of-range values still count as the format.
	got, err := DetectDate(samples("2015-02-29", "2016-13-01", "2016-03-14 12:00:00"))
	require.NoError(t, err)
	assert.Equal(t, DateISO, got)
	// Day-first dates whose day is at most 12 are fine as long as none is
	// month first.
	got, err = DetectDate(samples("01/02/2016", "12/12/2016", "13/12/2016"))
	require.NoError(t, err)
	assert.Equal(t, DateDMYSlash, got)
}

func TestDetectDateErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"empty", []string{""}, []string{"no values to detect a date format from"}},
		{"no fit", []string{"2016-03-14", "14 March 2016"}, []string{`"14 March 2016"`, "not a date in any accepted form",
			"YYYY-MM-DD (2016-03-14)", "DD-MM-YYYY (14-03-2016)", "DD.MM.YYYY (14.03.2016)",
			"DD/MM/YYYY (14/03/2016)", "YYYYMMDD (20160314)"}},
		{"short fields", []string{"1-3-2016"}, []string{`"1-3-2016"`, "not a date"}},
		{"mixed", []string{"2016-03-14", "14-03-2016"}, []string{"mix date formats",
			`"2016-03-14" is YYYY-MM-DD`, `"14-03-2016" is DD-MM-YYYY`}},
		{"us", []string{"03/14/2016", "01/02/2016"}, []string{"US-style MM/DD/YYYY", "not accepted",
			`"03/14/2016"`, "expected DD/MM/YYYY"}},
		{"us dashes", []string{"12-31-2016"}, []string{"US-style MM-DD-YYYY"}},
		{"both orders", []string{"14/03/2016", "03/14/2016"}, []string{"mix day-first and month-first",
			`"14/03/2016" is DD/MM/YYYY`, `"03/14/2016" is month first`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := DetectDate(samples(tt.in...))
			require.Error(t, err)
			assert.Zero(t, f)
			for _, s := range tt.want {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

// The forms are told apart by length and separators, so no single value fits
// two of them; the ambiguity error exists for safety and is tested directly.
func TestDetectNoOverlap(t *testing.T) {
	for _, s := range []string{"2016-W10", "2016W10", "201610", "2016-10", "2016:10",
		"2016-03-14", "14-03-2016", "14.03.2016", "14/03/2016", "20160314", "2016-03-14 00:00:00"} {
		assert.Equal(t, 1, popcount(weekDetector.mask([]byte(s))), s)
	}
	d := detector{what: "week", setting: "week_format", n: 2,
		fits: func([]byte, int) bool { return true },
		name: func(i int) string { return []string{"A", "B"}[i] }}
	_, err := d.detect(samples("x"))
	require.Error(t, err)
	assert.Equal(t, "samples fit several week formats (A, B); set week_format in the spec", err.Error())
}

func popcount(m uint16) int {
	n := 0
	for ; m != 0; m &= m - 1 {
		n++
	}
	return n
}
