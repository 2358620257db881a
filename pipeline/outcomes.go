package pipeline

import (
	"fmt"
	"math"
	"slices"
	"sync"
)

// OutcomeKind says how an outcome is derived from hours and status.
type OutcomeKind int

const (
	// KindHours is ordinary hours in the week, zeros included.
	KindHours OutcomeKind = iota
	// KindHoursAbove is 1 when hours > Threshold (Threshold 0: employed).
	KindHoursAbove
	// KindStatus is 1 when the week's status is one of Statuses.
	KindStatus
	// KindSelfSupporting is 1 when the week has no benefit code.
	KindSelfSupporting
	// KindSustained is 1 from the week in which the person has accumulated
	// Run qualifying weeks in one run (status in Statuses, or hours > 0 when
	// CountHours). Up to MaxGap non-qualifying weeks in a row do not break
	// the run but do not count; a longer gap starts the count again. Once
	// reached it stays 1. Only weeks ≥ 0 count.
	KindSustained
	// KindCumulativeHours is hours summed over weeks 0 … k.
	KindCumulativeHours
	// KindBenefitWeeks is the number of weeks 0 … k with a status in
	// Statuses (for full-year persons: 52 weeks each).
	KindBenefitWeeks
)

// OutcomeDef defines an outcome as data, so a spec can add or tune outcomes.
type OutcomeDef struct {
	Name       string
	Kind       OutcomeKind
	Statuses   []Status
	Threshold  float64
	CountHours bool
	Run        int
	MaxGap     int
}

// Binary reports whether the outcome takes only the values 0 and 1.
func (d OutcomeDef) Binary() bool {
	switch d.Kind {
	case KindHours, KindCumulativeHours, KindBenefitWeeks:
		return false
	}
	return true
}

// Cumulative reports whether the outcome's value in a week is its value
// in the week before plus that week's increment (cumulative hours, benefit
// weeks, and a sustained outcome, which once reached stays reached), so
// that totals in two weeks can be differenced; disclosure control treats
// such outcomes apart.
func (d OutcomeDef) Cumulative() bool {
	switch d.Kind {
	case KindCumulativeHours, KindBenefitWeeks, KindSustained:
		return true
	}
	return false
}

// Unit is what the outcome's values measure, for axis labels: "share"
// (binary outcomes), "hours" (per week), "hours_total" (since week 0) or
// "weeks" (since week 0).
func (d OutcomeDef) Unit() string {
	switch d.Kind {
	case KindHours:
		return "hours"
	case KindCumulativeHours:
		return "hours_total"
	case KindBenefitWeeks:
		return "weeks"
	}
	return "share"
}

// NeedsHours and NeedsStatus say which data the outcome reads.
func (d OutcomeDef) NeedsHours() bool {
	switch d.Kind {
	case KindHours, KindHoursAbove, KindCumulativeHours:
		return true
	case KindSustained:
		return d.CountHours
	}
	return false
}

func (d OutcomeDef) NeedsStatus() bool {
	switch d.Kind {
	case KindStatus, KindSelfSupporting, KindBenefitWeeks:
		return true
	case KindSustained:
		return len(d.Statuses) > 0
	}
	return false
}

// DefaultOutcomes are the outcomes of the JobFirst midterm evaluation.
func DefaultOutcomes() []OutcomeDef {
	return []OutcomeDef{
		{Name: "hours", Kind: KindHours},
		{Name: "employed", Kind: KindHoursAbove},
		{Name: "praktik", Kind: KindStatus, Statuses: []Status{StatusPraktik}},
		{Name: "wage_subsidy", Kind: KindStatus, Statuses: []Status{StatusWageSubsidy}},
		{Name: "sustained13", Kind: KindSustained, Statuses: []Status{StatusPraktik, StatusWageSubsidy},
			CountHours: true, Run: 13, MaxGap: 4},
	}
}

// Outcome is a derived outcome, computed per week on demand from the store
// (a sustained outcome keeps one int32 per person: the week it is reached,
// found on first use, so that a command that needs no outcome, such as
// validate, does not pay for it).
// Week is not safe for concurrent use: cumulative outcomes keep a running
// sum so that weeks asked in increasing order cost one pass.
type Outcome struct {
	Def     OutcomeDef
	store   *Store
	reached func() []int32 // KindSustained: first week with value 1, MaxInt32 if never
	sum     []float64
	sumWeek int // the week sum holds, -1 for none
}

// Derive prepares an outcome of the store.
func Derive(s *Store, d OutcomeDef) (*Outcome, error) {
	if d.Kind == KindSustained && (d.Run < 1 || d.MaxGap < 0) {
		return nil, fmt.Errorf("outcome %q: a sustained outcome needs run ≥ 1 and max gap ≥ 0 (got %d, %d)", d.Name, d.Run, d.MaxGap)
	}
	o := &Outcome{Def: d, store: s, sumWeek: -1}
	if d.Kind == KindSustained {
		o.reached = sync.OnceValue(func() []int32 { return sustainedFrom(s, d) })
	}
	return o, nil
}

// Reached is, for a sustained outcome, the week each person (in store
// order) first meets the rule, math.MaxInt32 if never within follow-up; nil
// for other kinds. The slice must not be changed.
func (o *Outcome) Reached() []int32 {
	if o.reached == nil {
		return nil
	}
	return o.reached()
}

// Week returns the outcome in week k for the persons at risk, in store
// order, in dst (grown as needed); it pairs with Store.Treated[:len(result)].
func (o *Outcome) Week(k int, dst []float64) []float64 {
	s := o.store
	n := s.AtRisk(k)
	dst = slices.Grow(dst[:0], n)[:n]
	h, st := s.HoursAt(k), s.StatusAt(k)
	d := o.Def
	switch d.Kind {
	case KindHours:
		for j := range dst {
			dst[j] = h.At(j)
		}
	case KindHoursAbove:
		for j := range dst {
			dst[j] = b2f(h.At(j) > d.Threshold)
		}
	case KindStatus:
		var in [256]float64 // status → 1 for the outcome's categories: no search per person
		for _, c := range d.Statuses {
			in[c] = 1
		}
		for j := range dst {
			dst[j] = in[statusOf(st, j)]
		}
	case KindSelfSupporting:
		for j := range dst {
			dst[j] = b2f(statusOf(st, j) == StatusNone)
		}
	case KindSustained:
		reached := o.reached()
		for j := range dst {
			dst[j] = b2f(int(reached[j]) <= k)
		}
	case KindCumulativeHours, KindBenefitWeeks:
		o.advance(k)
		copy(dst, o.sum[:n])
	}
	return dst
}

// advance brings the running sum to week k, starting over when k is behind.
func (o *Outcome) advance(k int) {
	s := o.store
	if o.sum == nil || k < o.sumWeek {
		o.sum, o.sumWeek = make([]float64, s.N), -1
	}
	for ; o.sumWeek < k; o.sumWeek++ {
		w := o.sumWeek + 1
		n := s.AtRisk(w)
		h, st := s.HoursAt(w), s.StatusAt(w)
		for j := range n {
			if o.Def.Kind == KindCumulativeHours {
				o.sum[j] += h.At(j)
			} else if c := statusOf(st, j); c != StatusNone && slices.Contains(o.Def.Statuses, c) {
				o.sum[j]++
			}
		}
	}
}

// sustainedFrom finds, for every person, the first week the rule is met.
// Persons are independent, so each core takes a range of them. The rule
// is kept per person as a count of qualifying weeks and the gap since the
// last one, updated without a branch on the person's data: whether a week
// qualifies is as good as random, and a mispredicted branch per
// person-week cost more than the arithmetic.
func sustainedFrom(s *Store, d OutcomeDef) []int32 {
	reached := make([]int32, s.N)
	var qualifies [256]int32 // status → 1 for one of the rule's categories
	for _, c := range d.Statuses {
		qualifies[c] = 1
	}
	run, maxGap := int32(d.Run), int32(d.MaxGap)
	parallelRanges(s.N, func(lo, hi int) {
		count := make([]int32, hi-lo)
		gap := make([]int32, hi-lo)
		qualified := make([]int32, hi-lo) // this week: 1 if it qualifies
		reach := reached[lo:hi]
		for j := range reach {
			reach[j] = math.MaxInt32
		}
		for k := range s.Weeks {
			n := min(hi, s.AtRisk(k)) - lo
			if n <= 0 {
				continue
			}
			q := qualified[:n]
			clear(q)
			if st := s.StatusAt(k); st != nil {
				for j, c := range st[lo : lo+n] {
					q[j] = qualifies[c]
				}
			}
			if d.CountHours {
				s.HoursAt(k).markWorked(q, lo)
			}
			for j, qj := range q {
				g := (gap[j] + 1) * (1 - qj) // 0 in a qualifying week
				c := count[j] + qj
				if g > maxGap {
					c = 0
				}
				gap[j], count[j] = g, c
				at := int32(math.MaxInt32)
				if c >= run {
					at = int32(k)
				}
				reach[j] = min(reach[j], at)
			}
		}
	})
	return reached
}

func statusOf(col []Status, j int) Status {
	if col == nil {
		return StatusNone
	}
	return col[j]
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
