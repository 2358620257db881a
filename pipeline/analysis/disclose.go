package analysis

import (
	"fmt"
	"slices"

	"rcteval/pipeline"
	"rcteval/stats"
)

// Disclosed is Results after disclosure control: the only form in which
// reports receive them. It can be made only by Disclose, and its parts are
// read through methods, so that no output can publish an undisclosed cell.
type Disclosed struct {
	r Results
}

// Disclose applies disclosure control with the plan's minimum cell size m
// (MinCell; 0 turns it off) to a copy of r. docs/disclosure.md states the
// rules for evaluators and output checkers; each blanked cell names its
// rule in Suppressed, and Suppressions counts them. First each cell on its
// own:
//
//   - "n<5": an effect row (staggered, fixed cohort, subgroup) where an arm
//     has fewer than m persons at risk loses its counts and estimates; so
//     does a Kaplan–Meier or attrition week, or the ratio;
//   - "count<5": an effect row where 1 to m−1 persons in an arm have a
//     non-zero value (or, for a binary outcome, a zero value) loses its
//     estimates; a Kaplan–Meier week where 1 to m−1 have reached the
//     outcome, or the ratio where 1 to m−1 have hours, is blanked;
//   - the distribution of hours by band follows discloseHoursDistribution;
//   - the balance table was made safe when it was computed (BalanceTable:
//     its pooled levels feed its tests, so it cannot be done later).
//
// Then "diff<5", so that no published numbers can be subtracted from one
// another to give a cell of 1 to m−1 persons (differencing.go): the
// at-risk weeks, the fixed cohort against the staggered weeks, cumulative
// outcomes in adjacent weeks, subgroups against the whole and across
// landmarks, and the Kaplan–Meier weeks.
//
// A blanked row loses its band and randomisation p-value too, and its
// hypothesis in the multiplicity family its p-values; the weeks from which
// intervals stay above zero, and the tests of equal subgroup effects, are
// found again among the rows left.
func Disclose(r *Results) *Disclosed { return disclose(r, true) }

// disclose is Disclose, with the differencing rules or without them (to
// show, in tests, the attacks they block).
func disclose(r *Results, differencing bool) *Disclosed {
	m := r.Plan.MinCell
	d := &Disclosed{r: *r}
	d.r.Effects = slices.Clone(r.Effects)
	discloseEffects(d.r.Effects, m)
	d.r.Cohort = slices.Clone(r.Cohort)
	discloseEffects(d.r.Cohort, m)
	d.r.Subgroups = slices.Clone(r.Subgroups)
	for i := range d.r.Subgroups {
		discloseEffect(&d.r.Subgroups[i].Effect, m)
	}
	if r.Ratio != nil {
		rr := *r.Ratio
		discloseRatio(&rr, m)
		d.r.Ratio = &rr
	}
	d.r.KM = slices.Clone(r.KM)
	discloseKM(d.r.KM, m)
	d.r.Attrition = slices.Clone(r.Attrition)
	discloseAttrition(d.r.Attrition, m)
	if differencing && m > 0 {
		preventDifferencing(&d.r, r)
	}

	d.r.Family = slices.Clone(r.Family)
	for i := range d.r.Family {
		f := &d.r.Family[i]
		if !d.r.Effects[f.effect].Estimated {
			f.PValue, f.Holm, f.WestfallYoung, f.QValue = nan, nan, nan, nan
		}
	}
	d.r.Hours = discloseHoursDistribution(r.Hours, m)
	blankHoursAfterDifferencing(d.r.Hours, d.r.Effects)
	d.r.Criteria = judge(r.Plan.Criteria, d.r.Effects, d.r.Ratio, r.rho0())
	d.r.Bands = slices.Clone(r.Bands)
	for i := range d.r.Bands {
		b := &d.r.Bands[i]
		rows := d.OutcomeEffects(b.Outcome)
		b.FirstWeekCIAbove = firstAbove(rows, func(r *Effect) float64 { return r.CILow })
		b.FirstWeekBandAbove = firstAbove(rows, func(r *Effect) float64 { return r.BandLow })
	}
	d.r.SubgroupTests = subgroupTests(r.SubgroupTests, d.r.Subgroups)
	return d
}

func discloseEffects(rows []Effect, minCell int) {
	for i := range rows {
		discloseEffect(&rows[i], minCell)
	}
}

func discloseEffect(r *Effect, minCell int) {
	switch {
	case minCell <= 0:
	case r.NTreatment < minCell || r.NControl < minCell:
		blankEffect(r, fmt.Sprintf("n<%d", minCell), true)
	case small(r.smallestCount(), minCell):
		blankEffect(r, fmt.Sprintf("count<%d", minCell), false)
	}
}

// blankEffect blanks an effect row's estimates under a disclosure rule, and
// its counts too when hideCounts. A row already blanked keeps its first
// rule, and gains hidden counts if asked.
func blankEffect(r *Effect, rule string, hideCounts bool) {
	if r.Suppressed == "" || (hideCounts && !r.HideCounts) {
		r.Suppressed = rule
	}
	r.Estimate = stats.Estimate{NTreatment: r.NTreatment, NControl: r.NControl}
	if hideCounts || r.HideCounts {
		r.Estimate = stats.Estimate{}
		r.HideCounts = true
	}
	r.Estimated = false
	r.BandLow, r.BandHigh, r.RIPValue, r.RIMCSE = nan, nan, nan, nan
}

// subgroupTests are the tests of equal subgroup effects made again over
// the subgroups still published: a test over a blanked subgroup would
// publish something of it.
func subgroupTests(tests []SubgroupTest, rows []SubgroupEffect) []SubgroupTest {
	out := slices.Clone(tests)
	for i := range out {
		t := &out[i]
		var est, se []float64
		for _, r := range rows {
			if r.Variable == t.Variable && r.Outcome == t.Outcome && r.Week == t.Week && r.Estimated && r.SE > 0 {
				est, se = append(est, r.Estimate.Estimate), append(se, r.SE)
			}
		}
		t.Subgroups = len(est)
		t.ChiSquare = stats.ChiSquare{Statistic: nan, DF: nan, PValue: nan}
		if q, err := stats.EqualEffects(est, se); err == nil {
			t.ChiSquare = q
		}
	}
	return out
}

// SuppressionCount is how many cells of a table one disclosure rule
// blanked: a cell is a row (an outcome's week, a subgroup's week, a
// balance level).
type SuppressionCount struct {
	Table string // effects, cohort_effects, subgroups, km, attrition, ratio or balance
	Rule  string // as in the suppressed column: "n<5", "count<5", "diff<5"
	Cells int
}

// Suppressions counts the suppressed cells by table and rule, tables in
// the order above, rules by name: what a report says about how many
// numbers were withheld and why.
func (d *Disclosed) Suppressions() []SuppressionCount {
	var out []SuppressionCount
	add := func(table string, rules []string) {
		counts := map[string]int{}
		for _, r := range rules {
			if r != "" {
				counts[r]++
			}
		}
		names := make([]string, 0, len(counts))
		for r := range counts {
			names = append(names, r)
		}
		slices.Sort(names)
		for _, r := range names {
			out = append(out, SuppressionCount{Table: table, Rule: r, Cells: counts[r]})
		}
	}
	effectRules := func(rows []Effect) []string {
		var s []string
		for _, r := range rows {
			s = append(s, r.Suppressed)
		}
		return s
	}
	add("effects", effectRules(d.r.Effects))
	add("cohort_effects", effectRules(d.r.Cohort))
	var s []string
	for _, r := range d.r.Subgroups {
		s = append(s, r.Suppressed)
	}
	add("subgroups", s)
	s = nil
	for _, r := range d.r.KM {
		s = append(s, r.Suppressed)
	}
	add("km", s)
	s = nil
	for _, r := range d.r.Attrition {
		s = append(s, r.Suppressed)
	}
	add("attrition", s)
	s = nil
	if d.r.Ratio != nil {
		s = append(s, d.r.Ratio.Suppressed)
	}
	add("ratio", s)
	s = nil
	for _, r := range d.r.Balance.Rows {
		s = append(s, r.Suppressed)
	}
	add("balance", s)
	return out
}

// Plan is the plan the results were estimated under.
func (d *Disclosed) Plan() Plan { return d.r.Plan }

// Trial is the trial's summary.
func (d *Disclosed) Trial() Trial { return d.r.Trial }

// Effects are the effect rows, outcome by outcome, week by week.
func (d *Disclosed) Effects() []Effect { return d.r.Effects }

// OutcomeEffects are the effect rows of one outcome.
func (d *Disclosed) OutcomeEffects(outcome string) []Effect {
	var rows []Effect
	for _, e := range d.r.Effects {
		if e.Outcome == outcome {
			rows = append(rows, e)
		}
	}
	return rows
}

// Bands are the outcomes' simultaneous bands.
func (d *Disclosed) Bands() []Band { return d.r.Bands }

// Estimator and Variance name the estimator and variance of the effects.
func (d *Disclosed) Estimator() (estimator, variance string) { return d.r.Estimator, d.r.Variance }

// RI says how randomisation inference was done; nil without it.
func (d *Disclosed) RI() *RIInfo { return d.r.RI }

// Family is the multiplicity family with its adjusted p-values.
func (d *Disclosed) Family() []FamilyRow { return d.r.Family }

// Cohort are the effects in the fixed cohort of the persons followed to
// week CohortWeek (−1: none), for weeks up to it.
func (d *Disclosed) Cohort() (week int, rows []Effect) { return d.r.CohortWeek, d.r.Cohort }

// Subgroups are the subgroup effects and SubgroupTests the tests of equal
// effects across each variable's subgroups.
func (d *Disclosed) Subgroups() []SubgroupEffect { return d.r.Subgroups }

// SubgroupTests are the tests of equal effects across each variable's subgroups.
func (d *Disclosed) SubgroupTests() []SubgroupTest { return d.r.SubgroupTests }

// Ratio is the ratio of mean hours over a window; nil without an hours
// outcome.
func (d *Disclosed) Ratio() *RatioRow { return d.r.Ratio }

// Criteria are the success criteria with their estimates and verdicts,
// judged on the published estimates.
func (d *Disclosed) Criteria() []CriterionResult { return d.r.Criteria }

// HoursDistribution is the distribution of positive hours by band and arm
// (Figure 7); nil without an hours outcome.
func (d *Disclosed) HoursDistribution() *HoursDistribution { return d.r.Hours }

// KM is the Kaplan–Meier cumulative incidence of the sustained outcomes.
func (d *Disclosed) KM() []KMRow { return d.r.KM }

// Attrition is the at-risk share by arm, week by week.
func (d *Disclosed) Attrition() []AttritionRow { return d.r.Attrition }

// Balance is the balance table.
func (d *Disclosed) Balance() Balance { return d.r.Balance }

// Accounting is the row accounting of the inputs.
func (d *Disclosed) Accounting() *pipeline.Accounting { return d.r.Accounting }

// DataNotes are the notes on the data.
func (d *Disclosed) DataNotes() []string { return d.r.DataNotes }
