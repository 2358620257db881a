package analysis

import (
	"fmt"
	"math"
	"slices"

	"rcteval/pipeline"
	"rcteval/stats"
)

// RIInfo says how randomisation inference was done.
type RIInfo struct {
	// Draws is the number of assignments evaluated; Exact is set when they
	// are every assignment the design allows (p-values are then exact, with
	// no Monte Carlo error).
	Draws int
	Exact bool
	Seed  uint64
	// Statistic is "studentized" (τ̂/SE) or "difference" (τ̂), of the
	// blocked difference in means when Blocked, else of the plain one.
	Statistic string
	Blocked   bool
	// Clustered is set when whole clusters were re-drawn.
	Clustered bool
	// Skipped says why randomisation inference was not run, if it was not.
	Skipped string
}

// riBudget bounds the work of randomisation inference run by default:
// draws × person-weeks × outcomes. At about a nanosecond each on a core,
// 1e11 is a minute or two on a laptop; beyond it the default is skipped.
const riBudget = 1e11

// FamilyRow is one hypothesis of the multiplicity family: a primary outcome
// at a landmark week.
type FamilyRow struct {
	Outcome string
	Week    int
	PValue  float64 // the estimator's two-sided p-value
	// Holm is Holm's adjusted p-value and QValue the sharpened q-value of
	// Benjamini, Krieger & Yekutieli, both from PValue;
	// WestfallYoung is the step-down adjusted p-value from the
	// randomisation-inference draws (NaN without them).
	Holm, WestfallYoung, QValue float64
	// effect is the row's index among the effects, for disclosure.
	effect int
}

// runRI re-draws the assignment as the design did and evaluates every
// outcome and week under the same draws, writing each effect's RI p-value.
// With Lin's estimator the statistic is the unadjusted (blocked when there
// are strata) difference in means: a valid test of the sharp null whatever
// the statistic, at a fraction of the cost of refitting the regression for
// every draw.
func runRI(ds *pipeline.Dataset, plan Plan, d *design, rows []Effect) (*riResult, *RIInfo) {
	s := ds.Store
	from, to := plan.weeks(s.Weeks)
	blocked := s.Stratum != nil && d.estimator != Plain
	cells := 0
	for j := range s.N {
		cells += max(0, min(s.FollowUp[j], to)-from)
	}
	if work := float64(plan.RIDraws) * float64(cells) * float64(len(ds.Outcomes)); plan.RIDefault && work > riBudget {
		return nil, &RIInfo{Seed: plan.Seed, Skipped: fmt.Sprintf("randomisation inference skipped: %d draws over %d person-weeks and %d outcomes would take many minutes; ask for it with ri_draws in the spec or --ri-draws",
			plan.RIDraws, cells, len(ds.Outcomes))}
	}
	p := newRIPanel(s, ds.Outcomes, from, to, blocked, plan.RIStudentized)
	res := randomisationInference(s, &d.assignment, p, plan.RIDraws, plan.Seed)
	info := &RIInfo{Draws: len(res.draws), Exact: res.exact, Seed: plan.Seed, Statistic: "difference", Blocked: blocked, Clustered: s.Cluster != nil}
	if plan.RIStudentized {
		info.Statistic = "studentized"
	}
	for i := range rows {
		if rows[i].Estimated {
			rows[i].RIPValue, rows[i].RIMCSE = res.pValue(i)
		}
	}
	return &res, info
}

// family is the multiplicity family with its adjusted p-values: every
// primary outcome (every outcome when none is primary) at every family week
// (the landmarks unless the plan names others) with an estimate.
func family(rows []Effect, plan Plan, ri *riResult) []FamilyRow {
	weeks := plan.FamilyWeeks
	if weeks == nil {
		weeks = plan.Landmarks
	}
	var fam []FamilyRow
	for i, r := range rows {
		primary := len(plan.Primary) == 0 || slices.Contains(plan.Primary, r.Outcome)
		if primary && slices.Contains(weeks, r.Week) && r.Estimated && !math.IsNaN(r.PValue) {
			fam = append(fam, FamilyRow{Outcome: r.Outcome, Week: r.Week, PValue: r.PValue, WestfallYoung: math.NaN(), effect: i})
		}
	}
	p := make([]float64, len(fam))
	for j, f := range fam {
		p[j] = f.PValue
	}
	holm, q := stats.Holm(p), stats.SharpenedQValues(p)
	for j := range fam {
		fam[j].Holm, fam[j].QValue = holm[j], q[j]
	}
	if ri != nil && len(fam) > 0 {
		observed := make([]float64, len(fam))
		for j, f := range fam {
			observed[j] = ri.observed[f.effect]
		}
		draws := make([][]float64, len(ri.draws))
		for r, d := range ri.draws {
			draws[r] = make([]float64, len(fam))
			for j, f := range fam {
				draws[r][j] = d[f.effect]
			}
		}
		for j, v := range stats.WestfallYoung(observed, draws, ri.exact) {
			fam[j].WestfallYoung = v
		}
	}
	return fam
}
