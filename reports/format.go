package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// numbers formats numbers for text in a language: a decimal comma and a
// thousands point in Danish; "–" for a missing value; never "-0.0".
type numbers struct{ lang Lang }

// dec swaps the decimal point and thousands comma of an English-formatted
// number into the language's, and sets its minus as a minus sign (−), not
// a hyphen.
func (n numbers) dec(s string) string {
	if n.lang == Danish {
		return strings.NewReplacer(".", ",", ",", ".", "-", "−").Replace(s)
	}
	return strings.ReplaceAll(s, "-", "−")
}

func (n numbers) int(v int) string { return thousands(n.lang, v) }

// fixed is v with d decimals.
func (n numbers) fixed(v float64, d int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return n.dec(unsigned(strconv.FormatFloat(v, 'f', d, 64)))
}

// pct is a share in per cent with one decimal: "12.0 %".
func (n numbers) pct(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return n.fixed(100*v, 1) + " %"
}

// value is a mean: a share in per cent, hours with two decimals.
func (n numbers) value(binary bool, v float64) string {
	if binary {
		return n.pct(v)
	}
	return n.fixed(v, 2)
}

// diff is an effect with its sign: percentage points with one decimal for
// a share, two decimals otherwise.
func (n numbers) diff(binary bool, v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if binary {
		return n.dec(signed("%+.1f", 100*v))
	}
	return n.dec(signed("%+.2f", v))
}

// ci is an interval in the decimals of diff.
func (n numbers) ci(binary bool, lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "–"
	}
	return "[" + n.diff(binary, lo) + "; " + n.diff(binary, hi) + "]"
}

// p is a p-value with three decimals, "< 0.001" below.
func (n numbers) p(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case v < 0.001:
		return n.dec("< 0.001")
	}
	return n.fixed(v, 3)
}

// level is a confidence level in per cent: "95".
func (n numbers) level(l float64) string {
	return n.dec(strconv.FormatFloat(100*l, 'f', -1, 64))
}

// signed formats v with a sign, but never "-0.0": a value that rounds to
// zero is shown unsigned.
func signed(format string, v float64) string {
	return unsigned(fmt.Sprintf(format, v))
}

// unsigned drops the sign of a formatted zero.
func unsigned(t string) string {
	if strings.Trim(t, "+-0.,") == "" {
		return strings.TrimLeft(t, "+-")
	}
	return t
}

// groupThousands writes n with a comma between thousands.
func groupThousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
