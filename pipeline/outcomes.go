package pipeline

import (
	"fmt"
	"math"
	"slices"
)

// OutcomeKind says how an outcome is derived from hours and status.
type OutcomeKind int

const (
	// KindHours is ordinary hours in the week, zeros included.
	KindHours OutcomeKind = iota
	// KindEmployed is 1 when hours > 0.
	KindEmployed
	// KindStatus is 1 when the week's status is one of Statuses.
	KindStatus
	// KindSustained is 1 from the week in which the person has accumulated
	// Run qualifying weeks in one run (status in Statuses, or hours > 0 when
	// CountHours). Up to MaxGap non-qualifying weeks in a row do not break
	// the run but do not count; a longer gap starts the count again. Once
	// reached it stays 1. Only weeks ≥ 0 count.
	KindSustained
)

// OutcomeDef defines an outcome as data, so a spec can add or tune outcomes.
type OutcomeDef struct {
	Name       string
	Kind       OutcomeKind
	Statuses   []Status
	CountHours bool
	Run        int
	MaxGap     int
}

// Binary reports whether the outcome takes only the values 0 and 1.
func (d OutcomeDef) Binary() bool { return d.Kind != KindHours }

// DefaultOutcomes are the outcomes of the JobFirst midterm evaluation.
func DefaultOutcomes() []OutcomeDef {
	return []OutcomeDef{
		{Name: "hours", Kind: KindHours},
		{Name: "employed", Kind: KindEmployed},
		{Name: "praktik", Kind: KindStatus, Statuses: []Status{StatusPraktik}},
		{Name: "wage_subsidy", Kind: KindStatus, Statuses: []Status{StatusWageSubsidy}},
		{Name: "sustained13", Kind: KindSustained, Statuses: []Status{StatusPraktik, StatusWageSubsidy},
			CountHours: true, Run: 13, MaxGap: 4},
	}
}

// Outcome is a derived outcome: a value per person and follow-up week,
// week-major in store order like Store. Cells where a person is no longer
// at risk are NaN.
type Outcome struct {
	Def    OutcomeDef
	N      int
	Values []float64
	store  *Store
}

// Week returns the outcome in week k for the persons at risk, in store order;
// it pairs with Store.Treated[:len(result)].
func (o *Outcome) Week(k int) []float64 {
	return o.Values[k*o.N : k*o.N+o.store.AtRisk(k)]
}

// Derive computes an outcome for every person and follow-up week.
func Derive(s *Store, d OutcomeDef) (*Outcome, error) {
	if d.Kind == KindSustained && (d.Run < 1 || d.MaxGap < 0) {
		return nil, fmt.Errorf("outcome %q: a sustained outcome needs run ≥ 1 and max gap ≥ 0 (got %d, %d)", d.Name, d.Run, d.MaxGap)
	}
	o := &Outcome{Def: d, N: s.N, Values: make([]float64, s.Weeks*s.N), store: s}
	qualifies := func(k, i int) bool {
		c := s.cell(k, i)
		return slices.Contains(d.Statuses, s.Status[c]) || (d.CountHours && s.Hours[c] > 0)
	}
	for i := range s.N {
		count, gap, reached := 0, 0, false
		for k := range s.Weeks {
			c := s.cell(k, i)
			var v float64
			switch {
			case k >= s.FollowUp[i]:
				v = math.NaN()
			case d.Kind == KindHours:
				v = s.Hours[c]
			case d.Kind == KindEmployed:
				v = b2f(s.Hours[c] > 0)
			case d.Kind == KindStatus:
				v = b2f(slices.Contains(d.Statuses, s.Status[c]))
			case d.Kind == KindSustained:
				if !reached {
					if qualifies(k, i) {
						count, gap = count+1, 0
						reached = count >= d.Run
					} else if gap++; gap > d.MaxGap {
						count = 0
					}
				}
				v = b2f(reached)
			}
			o.Values[k*s.N+i] = v
		}
	}
	return o, nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
