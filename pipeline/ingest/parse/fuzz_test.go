package parse

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"
)

// formatWeek writes a week in a numeric format, the inverse of ParseWeek.
func formatWeek(y, w int, f WeekFormat) string {
	return fmt.Sprintf("%04d%s%02d", y, weekLayouts[f].mid, w)
}

func FuzzParseWeek(f *testing.F) {
	for _, s := range []string{"2016-W10", "2016-w53", "2015-W53", "2016W10", "201610", "2016-10", "2016:10",
		"2016-W00", "2016-W54", "1899-W10", "2016-W3", "+016-W10", "2016-03-14", "14.03.2016 00:00:00",
		"20160103", "31/12/2018", "", "\xff\xfe", "2016-W1\x00"} {
		for _, wf := range weekFormats {
			f.Add([]byte(s), uint8(wf), uint8(DateISO))
		}
	}
	f.Add([]byte("14/03/2016"), uint8(WeekDate), uint8(DateDMYSlash))
	f.Add([]byte("20160314"), uint8(WeekDate), uint8(DateCompact))
	f.Add([]byte("2016-W10"), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, b []byte, wf, df uint8) {
		in := bytes.Clone(b)
		y, w, err := ParseWeek(b, WeekFormat(wf), DateFormat(df))
		if !bytes.Equal(in, b) {
			t.Fatalf("ParseWeek modified its input")
		}
		if err != nil {
			if !bytes.Contains([]byte(err.Error()), []byte(quote(b))) {
				t.Fatalf("error %q does not quote the value", err)
			}
			return
		}
		if y < MinYear || y > MaxYear || w < 1 || w > WeeksInYear(y) {
			t.Fatalf("%q: accepted out-of-range week %d-W%02d", b, y, w)
		}
		f := WeekFormat(wf)
		if f == WeekDate {
			// The date lies in the week found, and the week reads back.
			yy, mm, dd, err := ParseDate(b, DateFormat(df))
			if err != nil {
				t.Fatalf("%q: week accepted but date rejected: %v", b, err)
			}
			iy, iw := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC).ISOWeek()
			if iy != y || iw != w {
				t.Fatalf("%q: got %d-W%02d, time says %d-W%02d", b, y, w, iy, iw)
			}
			f = WeekISO
		} else if got := formatWeek(y, w, f); !bytes.EqualFold([]byte(got), b) {
			t.Fatalf("%q: formats back as %q", b, got)
		}
		y2, w2, err := ParseWeek([]byte(formatWeek(y, w, f)), f, 0)
		if err != nil || y2 != y || w2 != w {
			t.Fatalf("%q: round trip gave %d-W%02d, %v", b, y2, w2, err)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2016-03-14", "14-03-2016", "14.03.2016", "14/03/2016", "20160314",
		"2016-02-29", "2015-02-29", "2016-13-01", "03/14/2016", "1-3-2016", "2016-03-14 00:00:00",
		"2016-03-14T00:00:00", "2016-03-14 08:00:00", "1899-12-31", "2200-01-01", "", "2016-03-1\xff"} {
		for _, df := range dateFormats {
			f.Add([]byte(s), uint8(df))
		}
	}
	f.Add([]byte("2016-03-14"), uint8(0))
	f.Fuzz(func(t *testing.T, b []byte, df uint8) {
		y, m, d, err := ParseDate(b, DateFormat(df))
		if err != nil {
			if !bytes.Contains([]byte(err.Error()), []byte(quote(b))) {
				t.Fatalf("error %q does not quote the value", err)
			}
			return
		}
		tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if tm.Year() != y || int(tm.Month()) != m || tm.Day() != d || y < MinYear || y > MaxYear {
			t.Fatalf("%q: accepted invalid date %d-%d-%d", b, y, m, d)
		}
		if y2, m2, d2 := DateFromDays(DaysSinceEpoch(y, m, d)); y2 != y || m2 != m || d2 != d {
			t.Fatalf("%q: days round trip gave %d-%d-%d", b, y2, m2, d2)
		}
		// The value is the date in its format, plus at most a zero time.
		l := &dateLayouts[df]
		got := tm.Format(map[DateFormat]string{DateISO: "2006-01-02", DateDMYDash: "02-01-2006",
			DateDMYDot: "02.01.2006", DateDMYSlash: "02/01/2006", DateCompact: "20060102"}[DateFormat(df)])
		if !bytes.HasPrefix(b, []byte(got)) || (len(b) != l.n && len(b) != l.n+9) {
			t.Fatalf("%q: accepted, but the date is %q", b, got)
		}
	})
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"7.5", "7,5", "-7.5", "+.5", "7.", "1E-5", "1e308", "1e309", "-0", "0e999",
		"1,5", "1.234,5", "0x1p3", "1_000", "Inf", "NaN", "infinity", " 1", "", ".", "1e1000",
		"0.12345678901234567", "123456789012345678901234567890", "4.9e-324", "9223372036854775808", "-42"} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, b []byte, comma bool) {
		v, err := ParseDecimal(b, comma)
		if err == nil {
			sep := "."
			if comma {
				sep = ","
				if bytes.IndexByte(b, '.') >= 0 {
					t.Fatalf("%q: accepted a point with decimal comma", b)
				}
			} else if bytes.IndexByte(b, ',') >= 0 {
				t.Fatalf("%q: accepted a comma with decimal point", b)
			}
			s := string(bytes.Replace(b, []byte(sep), []byte("."), 1))
			want, werr := strconv.ParseFloat(s, 64)
			if werr != nil || math.Float64bits(want) != math.Float64bits(v) {
				t.Fatalf("%q: got %v, strconv gives %v (%v)", b, v, want, werr)
			}
			for _, c := range b {
				if c != '+' && c != '-' && c != 'e' && c != 'E' && c != sep[0] && c-'0' > 9 {
					t.Fatalf("%q: accepted byte %q", b, c)
				}
			}
		} else if !bytes.Contains([]byte(err.Error()), []byte(quote(b))) {
			t.Fatalf("error %q does not quote the value", err)
		}
		n, err := ParseInt(b)
		want, werr := strconv.ParseInt(string(b), 10, 64)
		if (err == nil) != (werr == nil) || (err == nil && n != want) {
			t.Fatalf("%q: ParseInt gave %d, %v; strconv %d, %v", b, n, err, want, werr)
		}
	})
}
