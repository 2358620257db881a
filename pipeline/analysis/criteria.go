package analysis

import (
	"math"

	"rcteval/stats"
)

// Criterion is a success criterion of the trial, judged in a final report.
type Criterion struct {
	// Kind is CriterionHoursRatio, CriterionEffect or CriterionNotInData.
	Kind string
	// Outcome, Week and AtLeast state an effect criterion: the effect on
	// Outcome at Week is at least AtLeast (a share as a fraction).
	Outcome string
	Week    int
	AtLeast float64
	// Label is language → the criterion in words; nil: reports word it.
	Label map[string]string
}

// The kinds of Criterion, as in the spec.
const (
	// CriterionHoursRatio: participants' mean weekly hours over the ratio
	// window are at least Plan.Rho0 times the control group's.
	CriterionHoursRatio = "hours_ratio"
	// CriterionEffect: the effect on an outcome at a week is at least a
	// target.
	CriterionEffect = "effect"
	// CriterionNotInData: a criterion the register data cannot show.
	CriterionNotInData = "not_in_data"
)

// The verdicts of a criterion.
const (
	// Met: the whole confidence interval is at or above the target.
	Met = "met"
	// NotMet: the whole confidence interval is below the target.
	NotMet = "not_met"
	// NotShown: the interval holds the target (the data cannot tell), or
	// there is no estimate; Reason says which.
	NotShown = "not_shown"
)

// The reasons a criterion is not shown.
const (
	ReasonInconclusive   = "inconclusive"     // the interval holds the target
	ReasonNotInData      = "not_in_data"      // the registers do not measure it
	ReasonBeyondFollowUp = "beyond_follow_up" // the week is not yet observed
	ReasonSuppressed     = "suppressed"       // disclosure control blanked the estimate
	ReasonNotEstimated   = "not_estimated"    // no estimate (no outcome, no variance)
)

// CriterionResult is a criterion with its estimate and verdict.
type CriterionResult struct {
	Criterion
	// Target is what the estimate is held against: the ratio or the effect.
	Target float64
	// FromWeek and ToWeek are the weeks the estimate covers: the ratio's
	// window, or the criterion's week twice.
	FromWeek, ToWeek int
	// Estimate and its interval [CILow, CIHigh] (for a ratio the Fieller
	// interval); NaN when there is none.
	Estimate, CILow, CIHigh float64
	Verdict, Reason         string
}

// judge holds each criterion against its estimate. The verdict is a
// statement about the interval, not the point estimate: met when the whole
// confidence interval is at or above the target, not met when the whole
// interval is below it, and not shown otherwise — an estimate of 1.8 times
// the hours with an interval reaching 2.5 is no evidence that the target
// was missed. The ratio uses Fieller's interval, which keeps its coverage
// when the control mean is small; when the Fieller set is unbounded the
// data cannot tell.
func judge(criteria []Criterion, rows []Effect, ratio *RatioRow, rho0 float64) []CriterionResult {
	var out []CriterionResult
	for _, c := range criteria {
		r := CriterionResult{Criterion: c, Estimate: nan, CILow: nan, CIHigh: nan}
		switch c.Kind {
		case CriterionNotInData:
			r.Verdict, r.Reason = NotShown, ReasonNotInData
		case CriterionHoursRatio:
			r.Target = rho0
			switch {
			case ratio == nil:
				r.Verdict, r.Reason = NotShown, ReasonNotEstimated
			case ratio.Suppressed != "":
				r.FromWeek, r.ToWeek = ratio.FromWeek, ratio.ToWeek
				r.Verdict, r.Reason = NotShown, ReasonSuppressed
			case ratio.Note != "": // no estimate: the window is not followed yet, or the ratio is undefined
				r.FromWeek, r.ToWeek = ratio.FromWeek, ratio.ToWeek
				r.Verdict, r.Reason = NotShown, ReasonNotEstimated
				if ratio.NTreatment+ratio.NControl == 0 {
					r.Reason = ReasonBeyondFollowUp
				}
			default:
				r.FromWeek, r.ToWeek, r.Estimate = ratio.FromWeek, ratio.ToWeek, ratio.Estimate
				if ratio.Fieller.Kind == stats.FiellerBounded {
					r.CILow, r.CIHigh = ratio.Fieller.Low, ratio.Fieller.High
				}
				r.Verdict, r.Reason = verdict(r.Estimate, r.CILow, r.CIHigh, r.Target)
			}
		case CriterionEffect:
			r.Target, r.FromWeek, r.ToWeek = c.AtLeast, c.Week, c.Week
			r.Verdict, r.Reason = NotShown, ReasonBeyondFollowUp
			for _, e := range rows {
				if e.Outcome != c.Outcome || e.Week != c.Week {
					continue
				}
				switch {
				case e.Suppressed != "":
					r.Reason = ReasonSuppressed
				case !e.Estimated:
					r.Reason = ReasonNotEstimated
				default:
					r.Estimate, r.CILow, r.CIHigh = e.Estimate.Estimate, e.CILow, e.CIHigh
					r.Verdict, r.Reason = verdict(r.Estimate, r.CILow, r.CIHigh, r.Target)
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// verdict is Met, NotMet or NotShown for an interval against a target.
func verdict(estimate, lo, hi, target float64) (verdict, reason string) {
	switch {
	case math.IsNaN(estimate) || math.IsNaN(lo) || math.IsNaN(hi):
		return NotShown, ReasonInconclusive
	case lo >= target:
		return Met, ""
	case hi < target:
		return NotMet, ""
	}
	return NotShown, ReasonInconclusive
}
