package parse

import "testing"

// Parsers run once per cell of extracts with millions of rows: they should
// take tens of nanoseconds and never allocate on success.

func BenchmarkParseWeekISO(b *testing.B) {
	v := []byte("2016-W10")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseWeek(v, WeekISO, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseWeekDate(b *testing.B) {
	v := []byte("14.03.2016")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseWeek(v, WeekDate, DateDMYDot); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDateISO(b *testing.B) {
	v := []byte("2016-03-14")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := ParseDate(v, DateISO); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDecimal(b *testing.B) {
	for _, tt := range []struct {
		name, v string
		comma   bool
	}{
		{"7.5", "7.5", false},
		{"7,5", "7,5", true},
		{"17digits", "0.12345678901234567", false},
	} {
		v := []byte(tt.v)
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseDecimal(v, tt.comma); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseInt(b *testing.B) {
	v := []byte("1234567")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseInt(v); err != nil {
			b.Fatal(err)
		}
	}
}
