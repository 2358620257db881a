package analysis

import (
	"errors"
	"fmt"

	"rcteval/pipeline"
	"rcteval/stats"
)

// KMRow is the Kaplan–Meier cumulative incidence of a sustained outcome by
// arm in one week since randomisation, and their difference: the share who
// have reached it by that week, using every person for as long as they are
// followed (the weekly share in effects.csv uses only those followed to
// that week).
type KMRow struct {
	Outcome                       string
	Week                          int
	NRiskTreatment, NRiskControl  int
	IncidenceTreatment            float64
	LowTreatment, HighTreatment   float64 // log-scale (survfit's default) interval
	IncidenceControl              float64
	LowControl, HighControl       float64
	Difference, SE, CILow, CIHigh float64 // treatment − control, Greenwood SEs, normal interval
	PValue                        float64
	// events and censored count by arm (control, treatment) the persons
	// who reached the outcome, and who were censored, by the week: for
	// disclosure control.
	events, censored [2]int
	Suppressed       string
}

// survival estimates the Kaplan–Meier cumulative incidence of every
// sustained outcome by arm for the plan's weeks: a person's time is the
// week the rule is first met, or, censored, the last week followed.
func survival(ds *pipeline.Dataset, plan Plan) ([]KMRow, error) {
	s := ds.Store
	from, to := plan.weeks(s.Weeks)
	var rows []KMRow
	for _, o := range ds.Outcomes {
		reached := o.Reached()
		if reached == nil {
			continue
		}
		var time [2][]float64
		var event [2][]bool
		for j := range s.N {
			if s.FollowUp[j] == 0 {
				continue
			}
			a := b2i(s.Treated[j])
			if int(reached[j]) < s.FollowUp[j] {
				time[a], event[a] = append(time[a], float64(reached[j])), append(event[a], true)
			} else {
				time[a], event[a] = append(time[a], float64(s.FollowUp[j]-1)), append(event[a], false)
			}
		}
		if len(time[0]) == 0 || len(time[1]) == 0 {
			continue
		}
		var curve [2]stats.KMCurve
		for a := range 2 {
			c, err := stats.KaplanMeier(time[a], event[a], plan.Level)
			if err != nil {
				return nil, fmt.Errorf("outcome %s: %w", o.Def.Name, err)
			}
			curve[a] = c
		}
		for k := from; k < to; k++ {
			r := KMRow{Outcome: o.Def.Name, Week: k}
			var nRisk [2]int
			var f, lo, hi [2]float64
			for a := range 2 {
				f[a], _, lo[a], hi[a], nRisk[a] = curve[a].IncidenceAt(float64(k))
			}
			r.NRiskTreatment, r.NRiskControl = nRisk[1], nRisk[0]
			r.IncidenceTreatment, r.LowTreatment, r.HighTreatment = f[1], lo[1], hi[1]
			r.IncidenceControl, r.LowControl, r.HighControl = f[0], lo[0], hi[0]
			for a := range 2 {
				r.events[a], r.censored[a] = countsBy(curve[a], k)
			}
			d, err := stats.KMDifference(curve[1], curve[0], float64(k), plan.Level)
			switch {
			case err == nil:
				r.Difference, r.SE, r.CILow, r.CIHigh, r.PValue = d.Estimate.Estimate, d.SE, d.CILow, d.CIHigh, d.PValue
			case errors.Is(err, stats.ErrKMNotObservable):
				continue // beyond an arm's follow-up
			default:
				r.Difference, r.SE, r.CILow, r.CIHigh, r.PValue = d.Estimate.Estimate, nan, nan, nan, nan
			}
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// countsBy counts a curve's events and censored persons up to week k.
func countsBy(c stats.KMCurve, k int) (events, censored int) {
	for i, t := range c.Time {
		if t <= float64(k) {
			events += c.NEvent[i]
			censored += c.NCensor[i]
		}
	}
	return events, censored
}

// discloseKM blanks a week where an arm has fewer than minCell persons at
// risk ("n<5"), or between 1 and minCell−1 who have reached the outcome by
// then ("count<5": its incidence would disclose them).
func discloseKM(rows []KMRow, minCell int) {
	for i := range rows {
		r := &rows[i]
		switch {
		case minCell <= 0:
			return
		case r.NRiskTreatment < minCell || r.NRiskControl < minCell:
			blankKM(r, fmt.Sprintf("n<%d", minCell))
		case small(r.events[0], minCell) || small(r.events[1], minCell):
			blankKM(r, fmt.Sprintf("count<%d", minCell))
		}
	}
}

// blankKM blanks a Kaplan–Meier week under a disclosure rule.
func blankKM(r *KMRow, rule string) {
	*r = KMRow{Outcome: r.Outcome, Week: r.Week, IncidenceTreatment: nan, LowTreatment: nan, HighTreatment: nan,
		IncidenceControl: nan, LowControl: nan, HighControl: nan, Difference: nan, SE: nan, CILow: nan, CIHigh: nan, PValue: nan,
		events: r.events, censored: r.censored, Suppressed: rule}
}
