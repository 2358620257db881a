package parse

import (
	"bytes"
	"math"
	"strconv"
)

// pow10 holds the powers of ten that are exact in a float64.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// maxFastDigits keeps the mantissa below 2^53, so that it is exact in a
// float64 and one multiplication or division by an exact power of ten is
// correctly rounded (Clinger's fast path).
const maxFastDigits = 15

// decimal is a number as scanned. When nd ≤ 19, mant holds all significant
// digits and the value is ±mant × 10^exp; longer mantissas go to strconv.
type decimal struct {
	neg  bool
	mant uint64
	nd   int // significant digits, including any not held in mant
	exp  int
}

// ParseDecimal parses a decimal number: an optional sign, digits with an
// optional decimal separator ('.', or ',' when comma is true; "7." and ".5"
// are accepted), and an optional exponent of 1 to 3 digits ("1E-5", as SAS
// writes). Everything else is an error with a hint: thousands separators,
// the other decimal separator, spaces, underscores, hex, Inf and NaN, the
// empty value. The result equals strconv.ParseFloat of the same text with a
// '.' separator; values beyond the float64 range are errors.
func ParseDecimal(b []byte, comma bool) (float64, error) {
	sep := byte('.')
	if comma {
		sep = ','
	}
	d, ok := scanDecimal(b, sep)
	if !ok {
		return 0, decimalError(b, comma)
	}
	if d.mant == 0 {
		if d.neg {
			return math.Copysign(0, -1), nil
		}
		return 0, nil
	}
	if d.nd <= maxFastDigits && d.exp >= -22 && d.exp <= 22 {
		f := float64(d.mant)
		if d.exp >= 0 {
			f *= pow10[d.exp]
		} else {
			f /= pow10[-d.exp]
		}
		if d.neg {
			f = -f
		}
		return f, nil
	}
	return parseSlow(b, sep)
}

// scanDecimal checks the syntax and collects the digits for the fast path.
func scanDecimal(b []byte, sep byte) (d decimal, ok bool) {
	i := 0
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		d.neg = b[i] == '-'
		i++
	}
	digits := 0
	for ; i < len(b) && b[i]-'0' <= 9; i++ {
		digits++
		d.addDigit(b[i] - '0')
	}
	if i < len(b) && b[i] == sep {
		for i++; i < len(b) && b[i]-'0' <= 9; i++ {
			digits++
			d.addDigit(b[i] - '0')
			d.exp--
		}
	}
	if digits == 0 {
		return d, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		e, n, ok := scanExponent(b[i+1:])
		if !ok {
			return d, false
		}
		d.exp += e
		i += 1 + n
	}
	return d, i == len(b)
}

// addDigit appends a mantissa digit; leading zeros are not significant.
func (d *decimal) addDigit(c byte) {
	if d.mant == 0 && c == 0 {
		return
	}
	if d.nd < 19 {
		d.mant = d.mant*10 + uint64(c)
	}
	d.nd++
}

// scanExponent reads an optional sign and 1 to 3 digits at the start of b,
// returning the exponent and the bytes used.
func scanExponent(b []byte) (e, n int, ok bool) {
	neg := false
	if n < len(b) && (b[n] == '+' || b[n] == '-') {
		neg = b[n] == '-'
		n++
	}
	start := n
	for ; n < len(b) && b[n]-'0' <= 9; n++ {
		e = e*10 + int(b[n]-'0')
		if n-start >= 3 {
			return 0, n, false
		}
	}
	if n == start {
		return 0, n, false
	}
	if neg {
		e = -e
	}
	return e, n, true
}

// slowBuf fits any number of sensible length on the stack.
const slowBuf = 64

// parseSlow hands a syntactically checked number that the fast path cannot
// round exactly to strconv, with ',' turned into '.'.
func parseSlow(b []byte, sep byte) (float64, error) {
	var buf [slowBuf]byte
	s := buf[:0]
	if len(b) > slowBuf {
		s = make([]byte, 0, len(b)) // only for absurdly long numbers
	}
	for _, c := range b {
		if c == sep {
			c = '.'
		}
		s = append(s, c)
	}
	f, err := strconv.ParseFloat(string(s), 64)
	if err != nil {
		if math.IsInf(f, 0) {
			return 0, fail(b, "too large: numbers must lie within ±%g", math.MaxFloat64)
		}
		return 0, fail(b, "expected a number such as %s", example(sep == ','))
	}
	return f, nil
}

func example(comma bool) string {
	if comma {
		return "7,5"
	}
	return "7.5"
}

// decimalError explains why b is not a number, hinting at the usual causes:
// the other decimal separator, thousands separators, spaces, Inf and NaN.
func decimalError(b []byte, comma bool) error {
	point, other := byte('.'), byte(',')
	if comma {
		point, other = ',', '.'
	}
	ex := example(comma)
	nOther := bytes.Count(b, []byte{other})
	_, otherOK := scanDecimal(b, other)
	switch {
	case len(b) == 0:
		return fail(b, "expected a number such as %s, got an empty value", ex)
	case nOther == 1 && bytes.IndexByte(b, point) < 0 && otherOK && comma:
		return fail(b, "decimal point in a file read with decimal comma; expected a number such as %s", ex)
	case nOther == 1 && bytes.IndexByte(b, point) < 0 && otherOK:
		return fail(b, "expected a number with a decimal point such as %s; decimal comma? set decimal: comma in the spec", ex)
	case grouped(b, other) && bytes.IndexByte(b, other) >= 0 && bytes.IndexByte(b, point) >= 0:
		return fail(b, "thousands separators are not accepted; expected a number such as %s; %s",
			groupedExample(comma), separatorHint(comma))
	case grouped(b, other) || grouped(b, point):
		return fail(b, "thousands separators are not accepted; expected a number such as %s", groupedExample(comma))
	case longExponent(b, point):
		return fail(b, "an exponent has at most 3 digits, such as 1E-5; expected a number such as %s", ex)
	case bytes.IndexByte(b, ' ') >= 0:
		return fail(b, "spaces are not accepted inside a number; expected a number such as %s", ex)
	case nonFinite(b):
		return fail(b, "expected a finite number such as %s; infinity and NaN are not accepted", ex)
	case len(b) == 1 && b[0] == '.':
		return fail(b, `expected a number such as %s; "." is how SAS writes a missing value`, ex)
	}
	return fail(b, "expected a number such as %s or 1E-5", ex)
}

func groupedExample(comma bool) string {
	if comma {
		return "1234,5"
	}
	return "1234.5"
}

// grouped reports whether b is a number written with thousands separators
// and dec as its decimal separator, e.g. "1,234.5" for '.' or "1.234,5" for
// ','. Without a decimal separator, it takes two group separators
// ("1.234.567"), since "1,234" may as well be a decimal comma.
func grouped(b []byte, dec byte) bool {
	return groupedBy(b, byte('.')+','-dec, dec)
}

// separatorHint says which decimal separator the file is read with, for a
// number whose decimal separator is the other one.
func separatorHint(comma bool) string {
	if comma {
		return "decimal point in a file read with decimal comma"
	}
	return "decimal comma? set decimal: comma in the spec"
}

// longExponent reports whether b would be a number but for an exponent of
// more than 3 digits.
func longExponent(b []byte, sep byte) bool {
	i := bytes.IndexAny(b, "eE")
	if i < 0 {
		return false
	}
	if _, ok := scanDecimal(b[:i], sep); !ok {
		return false
	}
	e := b[i+1:]
	if len(e) > 0 && (e[0] == '+' || e[0] == '-') {
		e = e[1:]
	}
	for _, c := range e {
		if c-'0' > 9 {
			return false
		}
	}
	return len(e) > 3
}

func groupedBy(b []byte, g, dec byte) bool {
	var buf [slowBuf]byte
	s := buf[:0]
	seps := 0
	for i, c := range b {
		if c != g {
			s = append(s, c)
			continue
		}
		if i == 0 || b[i-1]-'0' > 9 || !threeDigits(b[i+1:]) {
			return false
		}
		seps++
	}
	if seps == 0 || (seps == 1 && bytes.IndexByte(b, dec) < 0) {
		return false
	}
	_, ok := scanDecimal(s, dec)
	return ok
}

// threeDigits reports whether b starts with exactly three digits.
func threeDigits(b []byte) bool {
	n := 0
	for n < len(b) && b[n]-'0' <= 9 {
		n++
	}
	return n == 3
}

// nonFinite reports whether b spells infinity or NaN in any case.
func nonFinite(b []byte) bool {
	s := bytes.TrimLeft(b, "+-")
	for _, w := range []string{"inf", "infinity", "nan"} {
		if bytes.EqualFold(s, []byte(w)) {
			return true
		}
	}
	return false
}

// ParseInt parses a whole number: an optional sign and digits only, within
// the int64 range. Decimals, exponents, spaces and separators are errors.
func ParseInt(b []byte) (int64, error) {
	i := 0
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	if i == len(b) {
		return 0, intError(b)
	}
	digits := b[i:]
	var u uint64
	for _, c := range digits {
		if c-'0' > 9 {
			return 0, intError(b)
		}
		u = u*10 + uint64(c-'0')
	}
	// 19 digits can exceed int64 (and 20 wrap a uint64): check those slowly.
	over := len(digits) >= 19 && !fitsInt64(digits, neg)
	switch {
	case over:
		return 0, fail(b, "too large: whole numbers must lie within ±%d", int64(math.MaxInt64))
	case neg:
		return -int64(u-1) - 1, nil
	}
	return int64(u), nil
}

// fitsInt64 reports whether the digits, with the sign, lie within int64.
func fitsInt64(digits []byte, neg bool) bool {
	for len(digits) > 1 && digits[0] == '0' {
		digits = digits[1:]
	}
	max := "9223372036854775807"
	if neg {
		max = "9223372036854775808"
	}
	// Equal lengths of digit strings compare as numbers.
	return len(digits) < len(max) || (len(digits) == len(max) && string(digits) <= max)
}

func intError(b []byte) error {
	if len(b) == 0 {
		return fail(b, "expected a whole number such as 42, got an empty value")
	}
	return fail(b, "expected a whole number such as 42 (digits with an optional sign; no decimals, spaces or separators)")
}
