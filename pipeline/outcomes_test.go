package pipeline

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// sustained runs the 13-week rule on one person whose weeks from week 0 on
// are given by pattern: P praktik, W wage subsidy, h hours > 0, b benefit,
// . nothing. pre is the same for the weeks before randomisation.
// Follow-up ends with the pattern. It returns the outcome per week.
func sustained(t *testing.T, pre, pattern string) []float64 {
	t.Helper()
	start := ISOWeek{2016, 30}.Index() // a Monday in 2016-W30
	var b strings.Builder
	b.WriteString("person_id,week,hours,status\n")
	row := func(k int, c byte) {
		w := WeekFromIndex(start + k)
		switch c {
		case 'P':
			fmt.Fprintf(&b, "p,%s,0,praktik\n", w)
		case 'W':
			fmt.Fprintf(&b, "p,%s,0,wage_subsidy\n", w)
		case 'h':
			fmt.Fprintf(&b, "p,%s,4.5,benefit\n", w)
		case 'b':
			fmt.Fprintf(&b, "p,%s,0,benefit\n", w)
		}
	}
	for j := range len(pre) {
		row(j-len(pre), pre[j])
	}
	for k := range len(pattern) {
		row(k, pattern[k])
	}
	end := WeekFromIndex(start + len(pattern) - 1)
	ds := loadStrings(t, "person_id,arm,randomised_on\np,treatment,2016-07-27\n", b.String(), Options{ExtractEnd: end})
	o := outcome(ds, "sustained13")
	out := make([]float64, len(pattern))
	for k := range pattern {
		out[k] = o.Week(k)[0]
	}
	return out
}

// reachedAt returns the first week with value 1, or -1.
func reachedAt(v []float64) int {
	for k, x := range v {
		if x == 1 {
			return k
		}
	}
	return -1
}

func TestSustained13(t *testing.T) {
	cases := []struct {
		name, pre, pattern string
		want               int
	}{
		{"13 in a row", "", "PPPPPPPPPPPPP" + "....", 12},
		{"mixed qualifying kinds", "", "PPPPWWWWhhhhh" + "..", 12},
		{"benefit week is a gap, not counted", "", "PPPPPPPPPPPPbPPPP", 13},
		{"gap of exactly 4 kept, not counted", "", "PPPPPP....PPPPPPP", 16},
		{"gap of 5 restarts", "", "PPPPPP.....PPPPPPP", -1},
		{"after restart, 13 more needed", "", "PPPPPP.....PPPPPPPPPPPPP", 23},
		{"two gaps of 4", "", "PPPP....PPPP....PPPPP", 20},
		{"run cut by extract end", "", "...PPPPPPPPPPPP", -1},
		{"pre-period weeks do not count", "PPPPP", "PPPPPPPP....", -1},
		{"never", "", "bbbbbbbbbbbbbbbbbbbb", -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := sustained(t, c.pre, c.pattern)
			at := reachedAt(v)
			assert.Equal(t, c.want, at)
			if at >= 0 {
				for k := at; k < len(v); k++ {
					assert.Equal(t, 1.0, v[k], "stays 1 in week %d", k)
				}
			}
		})
	}
}

func TestSustainedDefinitionChecked(t *testing.T) {
	_, err := Derive(&Store{}, OutcomeDef{Name: "x", Kind: KindSustained})
	assert.ErrorContains(t, err, "run ≥ 1")
}
