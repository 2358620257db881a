package parse

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sameFloat compares bit patterns, so that -0 and 0 differ.
func sameFloat(t *testing.T, want, got float64, msg string) {
	t.Helper()
	assert.Equal(t, math.Float64bits(want), math.Float64bits(got), "%s: want %v, got %v", msg, want, got)
}

func TestParseDecimalAccepts(t *testing.T) {
	tests := []struct {
		in    string
		comma bool
		want  float64
	}{
		{"7.5", false, 7.5},
		{"7,5", true, 7.5},
		{"-7.5", false, -7.5},
		{"+7.5", false, 7.5},
		{"7", false, 7},
		{"7.", false, 7},
		{".5", false, 0.5},
		{",5", true, 0.5},
		{"-.5", false, -0.5},
		{"007.50", false, 7.5},
		{"0", false, 0},
		{"-0", false, math.Copysign(0, -1)},
		{"-0.0e7", false, math.Copysign(0, -1)},
		{"0e999", false, 0},
		{"1E-5", false, 1e-5},
		{"1e5", false, 1e5},
		{"1e+5", false, 1e5},
		{"2.5E+003", false, 2500},
		{"7.e1", false, 70},
		{"0.1", false, 0.1},
		{"0.3", false, 0.3},
		{"123456789012345", false, 123456789012345},
		{"1234567890123456789", false, 1234567890123456789},
		{"0.12345678901234567", false, 0.12345678901234567},
		{"1e308", false, 1e308},
		{"1.7976931348623157e308", false, math.MaxFloat64},
		{"4.9e-324", false, 5e-324},
		{"1e-400", false, 0}, // underflow rounds to zero, as in strconv
		{"9007199254740993", false, 9007199254740992},
		{"3,14159265358979323846", true, math.Pi},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDecimal([]byte(tt.in), tt.comma)
			require.NoError(t, err)
			sameFloat(t, tt.want, got, tt.in)
		})
	}
}

func TestParseDecimalRejects(t *testing.T) {
	tests := []struct {
		in    string
		comma bool
		want  []string
	}{
		{"1,5", false, []string{"decimal comma? set decimal: comma in the spec"}},
		{"1.5", true, []string{"decimal point in a file read with decimal comma", "7,5"}},
		{"1.234,5", true, []string{"thousands separators", "1234,5"}},
		{"1.234,5", false, []string{"thousands separators", "decimal comma? set decimal: comma in the spec"}},
		{"1,234.5", false, []string{"thousands separators", "1234.5"}},
		{"1,234.5", true, []string{"thousands separators", "1234,5", "decimal point in a file read with decimal comma"}},
		{"1,234,567", false, []string{"thousands separators"}},
		{"1.234.567", true, []string{"thousands separators"}},
		{"1.234.567", false, []string{"thousands separators"}},
		{"", false, []string{"expected a number such as 7.5, got an empty value"}},
		{"0x1p3", false, []string{"expected a number such as 7.5"}},
		{"0x10", false, []string{"expected a number"}},
		{"1_000", false, []string{"expected a number"}},
		{"Inf", false, []string{"finite number", "infinity and NaN are not accepted"}},
		{"-Infinity", false, []string{"finite number"}},
		{"+inf", false, []string{"finite number"}},
		{"NaN", false, []string{"finite number"}},
		{"nan", true, []string{"finite number", "7,5"}},
		{"1 000", false, []string{"spaces are not accepted"}},
		{" 7.5", false, []string{"spaces are not accepted"}},
		{"7.5 ", false, []string{"spaces are not accepted"}},
		{"- 7.5", false, []string{"spaces are not accepted"}},
		{".", false, []string{"SAS writes a missing value"}},
		{"-", false, []string{"expected a number"}},
		{"+.", false, []string{"expected a number"}},
		{"e5", false, []string{"expected a number"}},
		{".e5", false, []string{"expected a number"}},
		{"1e", false, []string{"expected a number"}},
		{"1e+", false, []string{"expected a number"}},
		{"1e1.5", false, []string{"expected a number"}},
		{"1e5e5", false, []string{"expected a number"}},
		{"1e1000", false, []string{"at most 3 digits"}},
		{"1e-0001", false, []string{"at most 3 digits"}},
		{"--1", false, []string{"expected a number"}},
		{"+-1", false, []string{"expected a number"}},
		{"1..5", false, []string{"expected a number such as 7.5"}},
		{"1.2.3", false, []string{"expected a number"}},
		{"7.5kr", false, []string{"expected a number"}},
		{"1e400", false, []string{"too large"}},
		{"-1e400", false, []string{"too large"}},
		{"1" + strings.Repeat("0", 400), false, []string{"too large"}},
		{"١٢", false, []string{"expected a number"}}, // Arabic-Indic digits
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDecimal([]byte(tt.in), tt.comma)
			require.Error(t, err)
			assert.Zero(t, got)
			assert.Contains(t, err.Error(), quote([]byte(tt.in)))
			for _, s := range tt.want {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

// randomDecimal writes a number in ParseDecimal's grammar with '.', covering
// the fast path, long mantissas, and exponents up to the float64 limits.
func randomDecimal(r *rand.Rand) string {
	var sb strings.Builder
	switch r.IntN(3) {
	case 0:
		sb.WriteByte('-')
	case 1:
		if r.IntN(4) == 0 {
			sb.WriteByte('+')
		}
	}
	digits := func(n int) {
		for range n {
			sb.WriteByte(byte('0' + r.IntN(10)))
		}
	}
	intDigits, fracDigits := r.IntN(20), r.IntN(20)
	if r.IntN(3) == 0 { // short numbers such as hours worked
		intDigits, fracDigits = r.IntN(3), r.IntN(3)
	}
	if intDigits+fracDigits == 0 {
		intDigits = 1
	}
	digits(intDigits)
	if fracDigits > 0 || r.IntN(8) == 0 {
		sb.WriteByte('.')
		digits(fracDigits)
	}
	if r.IntN(3) == 0 {
		sb.WriteByte("eE"[r.IntN(2)])
		if s := r.IntN(3); s < 2 {
			sb.WriteByte("+-"[s])
		}
		sb.WriteString(strconv.Itoa(r.IntN([]int{10, 30, 330}[r.IntN(3)])))
	}
	return sb.String()
}

func TestParseDecimalMatchesStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		s := randomDecimal(r)
		want, werr := strconv.ParseFloat(s, 64)
		got, err := ParseDecimal([]byte(s), false)
		if werr != nil {
			require.Error(t, err, s)
			continue
		}
		require.NoError(t, err, s)
		sameFloat(t, want, got, s)
		got, err = ParseDecimal([]byte(strings.Replace(s, ".", ",", 1)), true)
		require.NoError(t, err, s)
		sameFloat(t, want, got, s+" with decimal comma")
	}
}

// Every float64 printed shortest or with 17 digits reads back exactly.
func TestParseDecimalRoundTripsFloats(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 50000 {
		f := math.Float64frombits(r.Uint64())
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		for _, s := range []string{strconv.FormatFloat(f, 'g', -1, 64), strconv.FormatFloat(f, 'e', 16, 64),
			strconv.FormatFloat(r.Float64()*100, 'f', r.IntN(6), 64)} {
			want, _ := strconv.ParseFloat(s, 64)
			got, err := ParseDecimal([]byte(s), false)
			require.NoError(t, err, s)
			sameFloat(t, want, got, s)
		}
	}
}

func TestParseInt(t *testing.T) {
	good := map[string]int64{
		"0": 0, "-0": 0, "+7": 7, "42": 42, "-42": -42, "007": 7,
		"9223372036854775807":     math.MaxInt64,
		"-9223372036854775808":    math.MinInt64,
		"00000000000000000000042": 42,
	}
	for in, want := range good {
		got, err := ParseInt([]byte(in))
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	bad := map[string]string{
		"":                      "got an empty value",
		"-":                     "expected a whole number such as 42",
		"+":                     "expected a whole number",
		"1.5":                   "expected a whole number",
		"1,000":                 "expected a whole number",
		"1e3":                   "expected a whole number",
		" 1":                    "expected a whole number",
		"1 ":                    "expected a whole number",
		"--1":                   "expected a whole number",
		"0x10":                  "expected a whole number",
		"1_000":                 "expected a whole number",
		"9223372036854775808":   "too large",
		"-9223372036854775809":  "too large",
		"99999999999999999999":  "too large",
		"99999999999999999999x": "expected a whole number",
	}
	for in, want := range bad {
		got, err := ParseInt([]byte(in))
		require.Error(t, err, in)
		assert.Zero(t, got)
		assert.Contains(t, err.Error(), strconv.Quote(in))
		assert.Contains(t, err.Error(), want)
	}
}

// Successful parses must not allocate: they run once per cell.
func TestNoAllocations(t *testing.T) {
	week, date := []byte("2016-W10"), []byte("2016-03-14 00:00:00")
	dmy := []byte("14.03.2016")
	short, long := []byte("7.5"), []byte("-0.12345678901234567e-105")
	comma := []byte("0,12345678901234567")
	i := []byte("-1234567890")
	allocs := testing.AllocsPerRun(100, func() {
		_, _, _ = ParseWeek(week, WeekISO, 0)
		_, _, _ = ParseWeek(date, WeekDate, DateISO)
		_, _, _, _ = ParseDate(date, DateISO)
		_, _, _, _ = ParseDate(dmy, DateDMYDot)
		_, _ = ParseDecimal(short, false)
		_, _ = ParseDecimal(long, false)
		_, _ = ParseDecimal(comma, true)
		_, _ = ParseInt(i)
	})
	assert.Zero(t, allocs)
}
