package pipeline

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sustained runs the 13-week rule on one person whose weeks from week 0 on
// are given by pattern: P praktik, W wage subsidy, h hours > 0, b benefit,
// . nothing. pre is the same for the weeks before randomisation.
// Follow-up ends with the pattern. It returns the outcome per week.
func sustained(t *testing.T, pre, pattern string) []float64 {
	t.Helper()
	ds := onePerson(t, pre, pattern)
	o := outcome(ds, "sustained13")
	out := make([]float64, len(pattern))
	for k := range pattern {
		out[k] = o.Week(k, nil)[0]
	}
	return out
}

// onePerson builds a store of one treated person from week patterns.
func onePerson(t *testing.T, pre, pattern string) *Dataset {
	t.Helper()
	start := ISOWeek{2016, 30}
	a := NewAssignment("hand")
	a.Add("p", Treatment, start.Index(), 2)
	b := NewBuilder(a, WeekFromIndex(start.Index()+len(pattern)-1), 104, CanonicalCategories)
	set := func(k int, c byte) {
		st, h := map[byte]Status{'P': StatusPraktik, 'W': StatusWageSubsidy, 'h': StatusBenefit, 'b': StatusBenefit}[c], 0.0
		if c == 'h' {
			h = 4.5
		}
		if c != '.' {
			require.True(t, b.Set(int32(0), k, h, true, st, true, DupReject))
		}
	}
	for j := range len(pre) {
		set(j-len(pre), pre[j])
	}
	for k := range len(pattern) {
		set(k, pattern[k])
	}
	s, err := b.Finish(WeekFromIndex(start.Index() + len(pattern) - 1))
	require.NoError(t, err)
	ds := &Dataset{Assignment: a, Store: s}
	require.NoError(t, ds.Derive(DefaultOutcomes()))
	return ds
}

func outcome(ds *Dataset, name string) *Outcome {
	for _, o := range ds.Outcomes {
		if o.Def.Name == name {
			return o
		}
	}
	return nil
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

// The other outcome kinds, on one person: hours 0 4.5 0 4.5 …, statuses as
// in the pattern.
func TestOutcomeKinds(t *testing.T) {
	ds := onePerson(t, "", "PhbW.h")
	s := ds.Store
	benefit, _ := s.Category("benefit")
	defs := []OutcomeDef{
		{Name: "hours", Kind: KindHours},
		{Name: "above4", Kind: KindHoursAbove, Threshold: 4},
		{Name: "above5", Kind: KindHoursAbove, Threshold: 5},
		{Name: "self", Kind: KindSelfSupporting},
		{Name: "cum", Kind: KindCumulativeHours},
		{Name: "bweeks", Kind: KindBenefitWeeks, Statuses: []Status{StatusPraktik, StatusWageSubsidy, benefit}},
		{Name: "onlybenefit", Kind: KindBenefitWeeks, Statuses: []Status{benefit}},
	}
	want := map[string][]float64{
		"hours":       {0, 4.5, 0, 0, 0, 4.5},
		"above4":      {0, 1, 0, 0, 0, 1},
		"above5":      {0, 0, 0, 0, 0, 0},
		"self":        {0, 0, 0, 0, 1, 0},
		"cum":         {0, 4.5, 4.5, 4.5, 4.5, 9},
		"bweeks":      {1, 2, 3, 4, 4, 5},
		"onlybenefit": {0, 1, 2, 2, 2, 3},
	}
	for _, d := range defs {
		o, err := Derive(s, d)
		require.NoError(t, err)
		got := make([]float64, 6)
		for k := range got {
			got[k] = o.Week(k, nil)[0]
		}
		assert.Equal(t, want[d.Name], got, d.Name)
		// Asked out of order, a cumulative outcome starts over and agrees.
		assert.Equal(t, want[d.Name][2], o.Week(2, nil)[0], d.Name)
		assert.Equal(t, d.Kind != KindHours && d.Kind != KindCumulativeHours && d.Kind != KindBenefitWeeks, d.Binary(), d.Name)
	}
}

// Many persons randomised in different weeks, each with a random history:
// the sustained outcome of each (computed by ranges of persons on every
// core) is the one the same history gives alone.
func TestSustainedManyPersons(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, end = 301, 60
	start := ISOWeek{2016, 1}.Index()
	a := NewAssignment("many")
	patterns := make([]string, n)
	for p := range n {
		a.Add(fmt.Sprint(p), Treatment, start+rng.IntN(40), p+2)
		weeks := start + end - a.Week[p]
		b := make([]byte, weeks)
		for k := range b {
			b[k] = "PPPWh.bb"[rng.IntN(8)]
		}
		patterns[p] = string(b)
	}
	b := NewBuilder(a, WeekFromIndex(start+end-1), 0, CanonicalCategories)
	for p, pattern := range patterns {
		for k := range len(pattern) {
			c := pattern[k]
			st := map[byte]Status{'P': StatusPraktik, 'W': StatusWageSubsidy, 'h': StatusBenefit, 'b': StatusBenefit}[c]
			if c != '.' {
				require.True(t, b.Set(int32(p), k, map[bool]float64{true: 4.5}[c == 'h'], true, st, true, DupReject))
			}
		}
	}
	s, err := b.Finish(WeekFromIndex(start + end - 1))
	require.NoError(t, err)
	ds := &Dataset{Assignment: a, Store: s}
	require.NoError(t, ds.Derive(DefaultOutcomes()))
	o := outcome(ds, "sustained13")
	for j, p := range s.Person {
		alone := reachedAt(sustained(t, "", patterns[p]))
		got := -1
		for k := range s.FollowUp[j] {
			if o.Week(k, nil)[j] == 1 {
				got = k
				break
			}
		}
		require.Equal(t, alone, got, "person %d (store position %d)", p, j)
	}
}

// The sustained rule as its definition reads, one person at a time: the
// first week ending a run of Run qualifying weeks with gaps of at most
// MaxGap weeks between them, or -1.
func naiveSustained(qualifying []bool, run, maxGap int) int {
	count, gap := 0, 0
	for k, q := range qualifying {
		if q {
			count, gap = count+1, 0
			if count >= run {
				return k
			}
			continue
		}
		if gap++; gap > maxGap {
			count = 0
		}
	}
	return -1
}

// The rule, over persons with random histories stored with hours in
// hundredths and (in weeks where some hours are not whole hundredths) as
// float64, with other runs and gaps, and a rule without hours, agrees with
// naiveSustained.
func TestSustainedNaively(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, end = 700, 70
	start := ISOWeek{2016, 1}.Index()
	a := NewAssignment("naive")
	for p := range n {
		a.Add(fmt.Sprint(p), Arm(p%2), start+rng.IntN(50), p+2)
	}
	b := NewBuilder(a, WeekFromIndex(start+end-1), 0, CanonicalCategories)
	status := make([][]Status, n)
	hours := make([][]float64, n)
	for p := range n {
		weeks := start + end - a.Week[p]
		status[p], hours[p] = make([]Status, weeks), make([]float64, weeks)
		for k := range weeks {
			switch rng.IntN(6) {
			case 0, 1:
				status[p][k] = StatusPraktik
			case 2:
				status[p][k] = StatusWageSubsidy
			case 3:
				status[p][k] = StatusBenefit
			}
			if rng.IntN(4) == 0 {
				hours[p][k] = 4.5
				if a.Week[p]+k == start+30 && rng.IntN(2) == 0 {
					hours[p][k] = 1.0 / 3 // no hundredths: the week is stored as float64
				}
			}
			if rng.IntN(5) > 0 {
				require.True(t, b.Set(int32(p), k, hours[p][k], true, status[p][k], true, DupReject))
			} else {
				status[p][k], hours[p][k] = StatusNone, 0 // no row
			}
		}
	}
	s, err := b.Finish(WeekFromIndex(start + end - 1))
	require.NoError(t, err)
	ds := &Dataset{Assignment: a, Store: s}
	defs := []OutcomeDef{
		{Name: "sustained13", Kind: KindSustained, Statuses: []Status{StatusPraktik, StatusWageSubsidy}, CountHours: true, Run: 13, MaxGap: 4},
		{Name: "praktik4", Kind: KindSustained, Statuses: []Status{StatusPraktik}, Run: 4, MaxGap: 0},
		{Name: "any2", Kind: KindSustained, Statuses: []Status{StatusWageSubsidy}, CountHours: true, Run: 2, MaxGap: 1},
	}
	require.NoError(t, ds.Derive(defs))
	for _, d := range defs {
		o := outcome(ds, d.Name)
		for j, p := range s.Person {
			q := make([]bool, len(status[p]))
			for k := range q {
				q[k] = slices.Contains(d.Statuses, status[p][k]) || d.CountHours && hours[p][k] > 0
			}
			want := naiveSustained(q, d.Run, d.MaxGap)
			got := -1
			for k := range s.FollowUp[j] {
				if o.Week(k, nil)[j] == 1 {
					got = k
					break
				}
			}
			require.Equal(t, want, got, "%s: person %d", d.Name, p)
		}
	}
}
