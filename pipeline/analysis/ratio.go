package analysis

import (
	"errors"
	"fmt"
	"slices"

	"rcteval/pipeline"
	"rcteval/stats"
)

// RatioRow is the ratio of the arms' mean ordinary hours per week over a
// window of weeks since randomisation, among the persons followed through
// the whole window: the JobFirst trial's first success criterion asks that
// participants work at least twice the control group's hours after the
// programme.
type RatioRow struct {
	FromWeek, ToWeek int // inclusive
	// Ratio holds the arms' sizes and mean hours per week in the window, the
	// ratio with its delta-method and log-scale intervals and its Fieller
	// confidence set.
	stats.Ratio
	// Rho0 is the ratio tested and PAtLeast the one-sided p-value of the
	// null that the true ratio is at most Rho0: a small value is evidence
	// that participants work more than Rho0 times the control group's hours.
	Rho0, TAtLeast, PAtLeast float64
	// For disclosure control, by arm (control, treatment): the persons with
	// hours in the window; those with hours in it among the persons followed
	// into but not through it (leavers) and among the fixed cohort's persons
	// (cohort, when its week lies beyond the window); the outcome's name.
	withHours, leaversWithHours, cohortWithHours [2]int
	outcome                                      string
	Suppressed                                   string
	Note                                         string // why there is no estimate, if there is none
}

// DefaultRatioFrom is the first week of the default ratio window: after
// the programme's 13 weeks of short placements and 13 of company placement.
const DefaultRatioFrom = 26

// ratioWindow is the plan's window, or from week 26 to the last landmark
// the panel can follow; ok is false when there is none.
func ratioWindow(s *pipeline.Store, plan Plan) (from, to int, ok bool) {
	if plan.RatioTo > 0 {
		return plan.RatioFrom, plan.RatioTo, plan.RatioTo < s.Weeks
	}
	best := -1
	for _, k := range plan.Landmarks {
		if k > DefaultRatioFrom && k < s.Weeks {
			best = max(best, k)
		}
	}
	return DefaultRatioFrom, best, best > 0
}

// ratio estimates the ratio of mean hours over the window for the hours
// outcome (the first outcome of kind hours).
func ratio(ds *pipeline.Dataset, plan Plan) *RatioRow {
	s := ds.Store
	i := slices.IndexFunc(ds.Outcomes, func(o *pipeline.Outcome) bool { return o.Def.Kind == pipeline.KindHours })
	if i < 0 {
		return nil
	}
	from, to, ok := ratioWindow(s, plan)
	rho0 := plan.Rho0
	if rho0 == 0 {
		rho0 = 2
	}
	r := &RatioRow{FromWeek: from, ToWeek: to, Rho0: rho0, TAtLeast: nan, PAtLeast: nan}
	if !ok {
		r.Note = fmt.Sprintf("no one is followed to week %d yet: the window %d–%d is not observable", max(to, from), from, to)
		return r
	}
	r.outcome = ds.Outcomes[i].Def.Name
	n := s.AtRisk(to) // followed through the window
	sum := make([]float64, n)
	leaver := make([]bool, s.AtRisk(from))
	var y []float64
	for k := from; k <= to; k++ {
		y = ds.Outcomes[i].Week(k, y)
		for j := range n {
			sum[j] += y[j]
		}
		for j := n; j < len(y); j++ {
			leaver[j] = leaver[j] || y[j] != 0
		}
	}
	for j, l := range leaver {
		if l {
			r.leaversWithHours[b2i(s.Treated[j])]++
		}
	}
	if k := cohortWeek(s, plan); k > to {
		for j := range s.AtRisk(k) {
			if sum[j] > 0 {
				r.cohortWithHours[b2i(s.Treated[j])]++
			}
		}
	}
	var x, c []float64
	for j := range n {
		v := sum[j] / float64(to-from+1)
		if s.Treated[j] {
			x = append(x, v)
		} else {
			c = append(c, v)
		}
		if v > 0 {
			r.withHours[b2i(s.Treated[j])]++
		}
	}
	rt, err := stats.RatioOfMeans(x, c, plan.Level, nil)
	r.Ratio = rt
	r.NTreatment, r.NControl = len(x), len(c)
	if err != nil {
		switch {
		case errors.Is(err, stats.ErrTooFew):
			r.Note = "fewer than two persons in an arm are followed through the window"
		case errors.Is(err, stats.ErrZeroDenominator):
			r.Note = "no one in the control group has hours in the window: the ratio is not defined"
		default:
			r.Note = err.Error()
		}
		return r
	}
	if t, p, err := stats.RatioTest(x, c, rho0); err == nil {
		r.TAtLeast, r.PAtLeast = t, p
	}
	return r
}

// discloseRatio blanks the ratio when an arm has fewer than minCell
// persons, or between 1 and minCell−1 with hours in the window.
func discloseRatio(r *RatioRow, minCell int) {
	if r == nil || minCell <= 0 || (r.Note != "" && r.NTreatment+r.NControl == 0) {
		return // nothing estimated, nothing to disclose
	}
	if r.NTreatment < minCell || r.NControl < minCell || small(r.withHours[0], minCell) || small(r.withHours[1], minCell) {
		blankRatio(r, fmt.Sprintf("count<%d", minCell))
	}
}

// blankRatio blanks the ratio under a disclosure rule.
func blankRatio(r *RatioRow, rule string) {
	*r = RatioRow{FromWeek: r.FromWeek, ToWeek: r.ToWeek, Rho0: r.Rho0, TAtLeast: nan, PAtLeast: nan, Suppressed: rule, Note: r.Note,
		withHours: r.withHours, leaversWithHours: r.leaversWithHours, cohortWithHours: r.cohortWithHours, outcome: r.outcome}
}
