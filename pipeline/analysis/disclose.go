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

// Disclose applies disclosure control with the plan's minimum cell size
// (0 turns it off) to a copy of r:
//
//   - an effect row where an arm has fewer than MinCell persons at risk
//     loses its counts and estimates ("n<5");
//   - an effect row where fewer than MinCell persons in an arm have a
//     non-zero value (or, for a binary outcome, a zero value) loses its
//     estimates ("count<5");
//   - subgroup rows follow the same rules per cell (their levels were
//     pooled, and their tests made over published cells only, when they
//     were computed);
//   - a Kaplan–Meier week is blanked when an arm has fewer than MinCell
//     persons at risk or between 1 and MinCell−1 who have reached the
//     outcome;
//   - a blanked row loses its band and randomisation p-value too, and its
//     hypothesis in the multiplicity family its p-values; the weeks from
//     which intervals stay above zero are found again among the rows left;
//   - the balance table was made safe when it was computed (BalanceTable:
//     its pooled levels feed its tests, so it cannot be done later).
func Disclose(r *Results) *Disclosed {
	d := &Disclosed{r: *r}
	d.r.Effects = slices.Clone(r.Effects)
	discloseEffects(d.r.Effects, r.Plan.MinCell)
	d.r.Family = slices.Clone(r.Family)
	for i := range d.r.Family {
		f := &d.r.Family[i]
		if !d.r.Effects[f.effect].Estimated {
			f.PValue, f.Holm, f.WestfallYoung, f.QValue = nan, nan, nan, nan
		}
	}
	d.r.Cohort = slices.Clone(r.Cohort)
	discloseEffects(d.r.Cohort, r.Plan.MinCell)
	d.r.Subgroups = slices.Clone(r.Subgroups)
	for i := range d.r.Subgroups {
		discloseEffect(&d.r.Subgroups[i].Effect, r.Plan.MinCell)
	}
	if r.Ratio != nil {
		rr := *r.Ratio
		discloseRatio(&rr, r.Plan.MinCell)
		d.r.Ratio = &rr
	}
	d.r.KM = slices.Clone(r.KM)
	discloseKM(d.r.KM, r.Plan.MinCell)
	d.r.Attrition = slices.Clone(r.Attrition)
	discloseAttrition(d.r.Attrition, [2]int{r.Trial.Control, r.Trial.Treatment}, r.Plan.MinCell)
	d.r.Criteria = judge(r.Plan.Criteria, d.r.Effects, d.r.Ratio, r.rho0())
	d.r.Bands = slices.Clone(r.Bands)
	for i := range d.r.Bands {
		b := &d.r.Bands[i]
		rows := d.OutcomeEffects(b.Outcome)
		b.FirstWeekCIAbove = firstAbove(rows, func(r *Effect) float64 { return r.CILow })
		b.FirstWeekBandAbove = firstAbove(rows, func(r *Effect) float64 { return r.BandLow })
	}
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
		return
	case r.NTreatment < minCell || r.NControl < minCell:
		r.Suppressed = fmt.Sprintf("n<%d", minCell)
		r.Estimate = stats.Estimate{}
		r.Estimated, r.HideCounts = false, true
	case r.smallestCount > 0 && r.smallestCount < minCell:
		r.Suppressed = fmt.Sprintf("count<%d", minCell)
		r.Estimate = stats.Estimate{NTreatment: r.NTreatment, NControl: r.NControl}
		r.Estimated = false
	default:
		return
	}
	r.BandLow, r.BandHigh, r.RIPValue, r.RIMCSE = nan, nan, nan, nan
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
