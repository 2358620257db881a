package analysis

import (
	"fmt"

	"rcteval/stats"
)

// Plan is what to estimate: the analysis part of the spec, with flags
// applied.
type Plan struct {
	// Level is the confidence level of the intervals, e.g. 0.95.
	Level float64
	// FromWeek and ToWeek bound the weeks since randomisation estimated
	// (inclusive); ToWeek < 0 means every week the data allow.
	FromWeek, ToWeek int
	// MinCell is the smallest count of persons published (0: no disclosure
	// control).
	MinCell int
	// BalanceOnly skips the effects (for the balance command);
	// EffectsOnly skips the balance and attrition tables (for the effects
	// command, which writes neither).
	BalanceOnly, EffectsOnly bool

	// Estimator is Plain, Blocked or Lin; "": Blocked when the panel has a
	// stratum, else Plain.
	Estimator string
	// Adjust names the covariates of Lin's adjustment; nil: the stratum and
	// every covariate.
	Adjust []string
	// Variance is Lin's robust variance (HC0 … HC3; 0: HC2); a cluster
	// column makes it CR2.
	Variance stats.VarianceType

	// BandDraws and Seed drive the simulation of the sup-t band's
	// critical value.
	BandDraws int
	Seed      uint64
	// RIDraws is the number of re-drawn assignments of randomisation
	// inference (0: none); the design's every assignment when it has no
	// more. RIStudentized makes its statistic τ̂/SE, else τ̂.
	RIDraws       int
	RIStudentized bool
	// RIDefault marks RIDraws as the default rather than asked for: then
	// randomisation inference is skipped, with a note, when it would take
	// more than a few minutes (national-scale panels).
	RIDefault bool

	// Cohort is the week K of the fixed cohort, the persons followed to
	// week K, whose effects are estimated beside the staggered ones for
	// weeks up to K; 0: the last landmark the panel follows; −1: none.
	Cohort int

	// RatioFrom and RatioTo are the window (inclusive) of the ratio of mean
	// hours; RatioTo 0: from week 26 to the last landmark the panel
	// follows. Rho0 is the ratio tested one-sidedly (0: 2, "at least
	// double").
	RatioFrom, RatioTo int
	Rho0               float64

	// Landmarks are the weeks of the summary tables and subgroups. The
	// multiplicity family is every primary outcome (every outcome when none
	// is primary) at FamilyWeeks, or at the landmarks when that is nil.
	Primary     []string
	Landmarks   []int
	FamilyWeeks []int

	// Criteria are the trial's success criteria, each judged against its
	// estimate.
	Criteria []Criterion

	// HoursWeek is the week of the distribution of positive hours by band
	// (Figure 7); DefaultPlan sets DefaultHoursWeek. Beyond the follow-up,
	// the last week followed is used.
	HoursWeek int
}

// DefaultPlan estimates every week at 95 % with cells of at least 5, a
// sup-t band from 10 000 draws and randomisation inference from 2 000, and
// the distribution of hours at week 35.
func DefaultPlan() Plan {
	return Plan{Level: 0.95, ToWeek: -1, MinCell: 5, BandDraws: stats.SupTDraws, Seed: stats.SupTSeed,
		RIDraws: 2000, RIStudentized: true, RIDefault: true, Landmarks: []int{13, 26, 35, 44}, HoursWeek: DefaultHoursWeek}
}

// check reports a plan that cannot be carried out.
func (p Plan) check() error {
	switch {
	case !(p.Level > 0 && p.Level < 1):
		return fmt.Errorf("confidence level %g: expected a level between 0 and 1, such as 0.95", p.Level)
	case p.MinCell < 0:
		return fmt.Errorf("min cell %d: expected 0 or more", p.MinCell)
	case p.FromWeek < 0 || (p.ToWeek >= 0 && p.ToWeek < p.FromWeek):
		return fmt.Errorf("weeks %d:%d: expected 0 ≤ from ≤ to", p.FromWeek, p.ToWeek)
	case p.BandDraws < 1:
		return fmt.Errorf("band draws %d: expected at least 1", p.BandDraws)
	case p.RIDraws < 0:
		return fmt.Errorf("randomisation inference draws %d: expected 0 (none) or more", p.RIDraws)
	case p.HoursWeek < 0:
		return fmt.Errorf("week of the hours distribution %d: expected 0 or more", p.HoursWeek)
	}
	return nil
}

// weeks is the range of weeks estimated in a panel with follow-up weeks
// 0 … n-1: [from, to).
func (p Plan) weeks(n int) (from, to int) {
	to = n
	if p.ToWeek >= 0 {
		to = min(n, p.ToWeek+1)
	}
	return min(p.FromWeek, to), to
}
