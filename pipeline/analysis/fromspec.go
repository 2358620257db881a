package analysis

import (
	"rcteval/pipeline/spec"
	"rcteval/stats"
)

// FromSpec is the plan a spec states: its confidence, min_cell, weeks,
// landmarks, primary outcomes and analysis section. Command-line flags are
// applied by the caller on top of it.
func FromSpec(s *spec.Spec) Plan {
	p := DefaultPlan()
	a := s.Analysis
	p.Level, p.MinCell = s.Confidence, s.MinCell
	if !s.Weeks.All {
		p.FromWeek, p.ToWeek = s.Weeks.From, s.Weeks.To
	}
	p.Estimator, p.Adjust = a.Estimator, a.Adjust
	if v, err := stats.ParseVarianceType(a.Variance); err == nil { // the spec parser checked it
		p.Variance = v
	}
	p.BandDraws, p.Seed = a.BandDraws, a.Seed
	p.RIDraws, p.RIStudentized, p.RIDefault = a.RIDraws, a.RIStatistic != spec.RIDifference, !s.Set("analysis.ri_draws")
	p.Landmarks, p.FamilyWeeks = s.Landmarks, a.FamilyWeeks
	p.Cohort, p.Rho0 = a.Cohort, a.RatioAtLeast
	if !a.RatioWeeks.All {
		p.RatioFrom, p.RatioTo = a.RatioWeeks.From, a.RatioWeeks.To
	}
	for _, c := range s.Report.Criteria {
		p.Criteria = append(p.Criteria, Criterion{Kind: c.Kind, Outcome: c.Outcome, Week: c.Week, AtLeast: c.AtLeast, Label: c.Label})
	}
	for _, out := range s.Outcomes {
		if out.Primary {
			p.Primary = append(p.Primary, out.Name)
		}
	}
	return p
}
