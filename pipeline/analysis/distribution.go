package analysis

import (
	"fmt"
	"math"
	"strings"

	"rcteval/pipeline"
)

// DefaultHoursWeek is the week of the distribution of hours when the plan
// names none: week 35, as in Figure 7 of the JobFirst midterm report.
const DefaultHoursWeek = 35

// HoursBandBounds are the lower bounds of the bands of positive ordinary
// hours (Figure 7): [0, 5), [5, 10), [10, 15), [15, 20), [20, 30), [30, 37)
// and [37, ∞), the first without 0 itself: 37 hours, a Danish full-time
// week, falls in the last band.
var HoursBandBounds = []float64{0, 5, 10, 15, 20, 30, 37}

// HoursBand is one band of positive hours: how many persons of each arm
// had hours in [Lower, Upper) in the distribution's week.
type HoursBand struct {
	Lower, Upper       float64 // Upper is +Inf for the last band
	Treatment, Control int
	// SuppressedTreatment and SuppressedControl name the disclosure rule
	// that blanked the arm's count (then 0), if any.
	SuppressedTreatment, SuppressedControl string
}

// HoursDistribution is the distribution of positive ordinary hours by arm
// in one week since randomisation, among the persons at risk then: the
// data of the midterm's Figure 7 (the extra jobs were mostly 5–10 hours a
// week or full time).
type HoursDistribution struct {
	Outcome string // the hours outcome it is drawn from
	// Week is the week shown; AskedWeek the plan's. They differ when the
	// follow-up ends before the week asked: then the last week followed is
	// shown.
	Week, AskedWeek                int
	AtRiskTreatment, AtRiskControl int
	// WithHoursTreatment and WithHoursControl count the persons with
	// positive hours; MeanTreatment and MeanControl are their mean hours
	// (NaN when suppressed or none).
	WithHoursTreatment, WithHoursControl int
	MeanTreatment, MeanControl           float64
	Bands                                []HoursBand
	// SuppressedTreatment and SuppressedControl name the rule that
	// blanked an arm's total and mean, if any.
	SuppressedTreatment, SuppressedControl string
}

// hoursDistribution counts the positive hours of the plan's week (or the
// last week the panel follows, if that is earlier) by arm and band; nil
// without an hours outcome or a week followed.
func hoursDistribution(ds *pipeline.Dataset, plan Plan) *HoursDistribution {
	var hours *pipeline.Outcome
	for _, o := range ds.Outcomes {
		if o.Def.Kind == pipeline.KindHours {
			hours = o
			break
		}
	}
	from, to := plan.weeks(ds.Store.Weeks)
	if hours == nil || to <= from {
		return nil
	}
	asked := plan.HoursWeek
	k := min(max(asked, from), to-1)
	h := &HoursDistribution{Outcome: hours.Def.Name, Week: k, AskedWeek: asked}
	for i, lo := range HoursBandBounds {
		up := math.Inf(1)
		if i+1 < len(HoursBandBounds) {
			up = HoursBandBounds[i+1]
		}
		h.Bands = append(h.Bands, HoursBand{Lower: lo, Upper: up})
	}
	var sum [2]float64
	y := hours.Week(k, nil)
	for j, v := range y {
		t := ds.Store.Treated[j]
		if t {
			h.AtRiskTreatment++
		} else {
			h.AtRiskControl++
		}
		if !(v > 0) {
			continue
		}
		b := &h.Bands[bandOf(v)]
		if t {
			h.WithHoursTreatment++
			b.Treatment++
		} else {
			h.WithHoursControl++
			b.Control++
		}
		sum[b2i(t)] += v
	}
	h.MeanTreatment, h.MeanControl = sum[1]/float64(h.WithHoursTreatment), sum[0]/float64(h.WithHoursControl)
	if h.WithHoursTreatment == 0 {
		h.MeanTreatment = math.NaN()
	}
	if h.WithHoursControl == 0 {
		h.MeanControl = math.NaN()
	}
	return h
}

// bandOf is the index of the band of positive hours v.
func bandOf(v float64) int {
	i := len(HoursBandBounds) - 1
	for i > 0 && v < HoursBandBounds[i] {
		i--
	}
	return i
}

// discloseHoursDistribution applies disclosure control to a copy of h, arm
// by arm:
//
//   - when between 1 and minCell−1 persons of the arm are at risk or have
//     hours, the arm's total, mean and every band are suppressed ("n<5");
//   - a band held by between 1 and minCell−1 persons is suppressed
//     ("count<5"); a count of 0 discloses nobody and is shown;
//   - since the arm's total with hours is published (it is also the
//     employment share's numerator), one suppressed band would be the total
//     minus the others: further bands are suppressed ("secondary"), the
//     smallest published non-zero band first (the first on a tie), until
//     at least two are and the suppressed bands together hold 0 or at least
//     minCell persons, or no band is left.
//
// So every published count is 0 or at least minCell, and what can be
// recovered by subtraction, the sum of the suppressed bands, is too.
func discloseHoursDistribution(h *HoursDistribution, minCell int) *HoursDistribution {
	if h == nil {
		return nil
	}
	c := *h
	c.Bands = append([]HoursBand(nil), h.Bands...)
	if minCell <= 0 {
		return &c
	}
	type arm struct {
		atRisk, withHours *int
		mean              *float64
		suppressed        *string
		count             func(b *HoursBand) (*int, *string)
	}
	arms := []arm{
		{&c.AtRiskTreatment, &c.WithHoursTreatment, &c.MeanTreatment, &c.SuppressedTreatment,
			func(b *HoursBand) (*int, *string) { return &b.Treatment, &b.SuppressedTreatment }},
		{&c.AtRiskControl, &c.WithHoursControl, &c.MeanControl, &c.SuppressedControl,
			func(b *HoursBand) (*int, *string) { return &b.Control, &b.SuppressedControl }},
	}
	for _, a := range arms {
		if small(*a.atRisk, minCell) || small(*a.withHours, minCell) {
			rule := fmt.Sprintf("n<%d", minCell)
			*a.suppressed, *a.withHours, *a.mean = rule, 0, math.NaN()
			if small(*a.atRisk, minCell) {
				*a.atRisk = 0
			}
			for i := range c.Bands {
				n, s := a.count(&c.Bands[i])
				*n, *s = 0, rule
			}
			continue
		}
		suppressed, hidden := 0, 0
		for i := range c.Bands {
			n, s := a.count(&c.Bands[i])
			if small(*n, minCell) {
				suppressed, hidden = suppressed+1, hidden+*n
				*n, *s = 0, fmt.Sprintf("count<%d", minCell)
			}
		}
		for suppressed > 0 && (suppressed < 2 || small(hidden, minCell)) {
			next := -1
			for i := range c.Bands {
				n, s := a.count(&c.Bands[i])
				if *s == "" && *n > 0 && (next < 0 || *n < c.Bands[next].countOf(a.count)) {
					next = i
				}
			}
			if next < 0 {
				break
			}
			n, s := a.count(&c.Bands[next])
			suppressed, hidden = suppressed+1, hidden+*n
			*n, *s = 0, fmt.Sprintf("count<%d, secondary", minCell)
		}
	}
	return &c
}

// countOf is the band's count through an arm's accessor.
func (b *HoursBand) countOf(count func(*HoursBand) (*int, *string)) int {
	n, _ := count(b)
	return *n
}

// blankHoursAfterDifferencing blanks the whole distribution when an effect
// row of its week was blanked by a differencing rule ("diff<5"), or its
// hours row lost its counts: the arm totals with hours are the employment
// share's numerators, and the bands add up to them, so publishing them
// would undo that rule.
func blankHoursAfterDifferencing(h *HoursDistribution, effects []Effect) {
	if h == nil {
		return
	}
	rule := ""
	for _, e := range effects {
		if e.Week == h.Week && (strings.HasPrefix(e.Suppressed, "diff") || (e.Outcome == h.Outcome && e.HideCounts)) {
			rule = e.Suppressed
			break
		}
	}
	if rule == "" {
		return
	}
	h.SuppressedTreatment, h.SuppressedControl = rule, rule
	h.WithHoursTreatment, h.WithHoursControl, h.MeanTreatment, h.MeanControl = 0, 0, math.NaN(), math.NaN()
	h.AtRiskTreatment, h.AtRiskControl = 0, 0
	for i := range h.Bands {
		b := &h.Bands[i]
		b.Treatment, b.Control, b.SuppressedTreatment, b.SuppressedControl = 0, 0, rule, rule
	}
}
