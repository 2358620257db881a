package analysis

import (
	"math"

	"rcteval/pipeline"
)

// Results is everything estimated from a trial, before disclosure control:
// plain data, no person-level values.
type Results struct {
	Plan    Plan
	Trial   Trial
	Effects []Effect // outcome by outcome, week by week
	Bands   []Band   // one per outcome
	// Cohort are the effects in the fixed cohort of the persons followed
	// to week CohortWeek (−1: none), for weeks up to it, with their own
	// band.
	Cohort     []Effect
	CohortWeek int
	// Estimator and Variance name the estimator and variance used.
	Estimator, Variance string
	// RI says how randomisation inference was done; nil without it.
	RI      *RIInfo
	Family  []FamilyRow // the multiplicity family, in effect order
	Balance Balance
	// Attrition is the at-risk share by arm, week by week.
	Attrition []AttritionRow
	// Subgroups are the effects within subgroups at the landmark weeks and
	// SubgroupTests the tests of equal effects.
	Subgroups     []SubgroupEffect
	SubgroupTests []SubgroupTest
	// KM is the Kaplan–Meier cumulative incidence of the sustained
	// outcomes by arm, week by week.
	KM []KMRow
	// Ratio is the ratio of mean hours over a window; nil without an hours
	// outcome.
	Ratio *RatioRow
	// Criteria are the plan's success criteria with their verdicts.
	Criteria []CriterionResult
	// Hours is the distribution of positive hours by band and arm in the
	// plan's HoursWeek; nil without an hours outcome.
	Hours *HoursDistribution
	// Accounting is the row accounting of the inputs (counts and rejected
	// rows by file and line; never a person id).
	Accounting *pipeline.Accounting
	// DataNotes are the notes on the data: columns not used as covariates,
	// extract-end findings, unmapped codes.
	DataNotes []string
	// atRisk counts the persons at risk in every week of the panel by arm
	// (control, treatment): the nested sets disclosure control keeps from
	// being differenced.
	atRisk [][2]int
}

// Trial summarises the randomisation and follow-up.
type Trial struct {
	Treatment, Control int
	// FirstRandomised and LastRandomised are the weeks of the first and last
	// randomisation; ExtractEnd the last week of data.
	FirstRandomised, LastRandomised, ExtractEnd pipeline.ISOWeek
	FollowUpWeeks                               int // the longest follow-up
	Outcomes                                    []OutcomeInfo
}

// OutcomeInfo describes an outcome estimated.
type OutcomeInfo struct {
	Name   string
	Binary bool
	Unit   string // share, hours, hours_total or weeks
}

// Run estimates everything the plan asks for on ds.
func Run(ds *pipeline.Dataset, plan Plan) (*Results, error) {
	if err := plan.check(); err != nil {
		return nil, err
	}
	s := ds.Store
	r := &Results{Plan: plan, Accounting: ds.Accounting, Trial: trialOf(ds), CohortWeek: -1}
	r.DataNotes = append(append(r.DataNotes, ds.Assignment.Notes...), ds.Accounting.Notes...)
	for _, o := range ds.Outcomes {
		r.Trial.Outcomes = append(r.Trial.Outcomes, OutcomeInfo{Name: o.Def.Name, Binary: o.Def.Binary(), Unit: o.Def.Unit()})
	}
	wait := r.startBalance(s, plan)
	err := r.estimate(ds, plan)
	wait()
	if err != nil {
		return nil, err
	}
	return r, nil
}

// estimate fills in everything but the balance: the effects and what rests
// on them (none for a balance-only plan).
func (r *Results) estimate(ds *pipeline.Dataset, plan Plan) error {
	if plan.BalanceOnly {
		return nil
	}
	s := ds.Store
	d, err := resolve(s, plan)
	if err != nil {
		return err
	}
	r.Estimator, r.Variance = d.estimator, d.variance
	if r.Effects, r.Bands, err = effects(ds, plan, d, -1); err != nil {
		return err
	}
	if r.CohortWeek = cohortWeek(s, plan); r.CohortWeek >= 0 {
		if r.Cohort, _, err = effects(ds, plan, d, r.CohortWeek); err != nil {
			return err
		}
	}
	var ri *riResult
	if plan.RIDraws > 0 {
		ri, r.RI = runRI(ds, plan, d, r.Effects)
	}
	r.Family = family(r.Effects, plan, ri)
	r.Subgroups, r.SubgroupTests = subgroups(ds, plan, d)
	if r.KM, err = survival(ds, plan); err != nil {
		return err
	}
	r.Ratio = ratio(ds, plan)
	r.Criteria = judge(plan.Criteria, r.Effects, r.Ratio, r.rho0())
	r.Hours = hoursDistribution(ds, plan)
	return nil
}

// startBalance computes the balance, attrition and persons at risk (which
// read only the store) on a goroutine of their own, beside the estimates:
// they run on one core, and the estimates leave a core idle at times. The
// returned function waits for them, raising a panic of theirs again on the
// caller, where the command's recover turns it into one clean line.
func (r *Results) startBalance(s *pipeline.Store, plan Plan) (wait func()) {
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		if !plan.EffectsOnly {
			r.Balance = BalanceTable(s, plan.MinCell)
			r.Attrition = attrition(s, plan)
		}
		r.atRisk = atRiskByWeek(s)
	}()
	return func() {
		if crash := <-done; crash != nil {
			panic(crash)
		}
	}
}

// cohortWeek is the plan's fixed-cohort week: as asked, or the last
// landmark the panel follows; −1 for none.
func cohortWeek(s *pipeline.Store, plan Plan) int {
	switch {
	case plan.Cohort < 0:
		return -1
	case plan.Cohort > 0:
		if plan.Cohort >= s.Weeks {
			return -1
		}
		return plan.Cohort
	}
	k := -1
	for _, l := range plan.Landmarks {
		if l < s.Weeks {
			k = max(k, l)
		}
	}
	return k
}

func trialOf(ds *pipeline.Dataset) Trial {
	a, s := ds.Assignment, ds.Store
	t := Trial{ExtractEnd: s.ExtractEnd, FollowUpWeeks: s.Weeks}
	t.Treatment, t.Control = a.Count()
	first, last := math.MaxInt, math.MinInt
	for _, w := range a.Week {
		first, last = min(first, w), max(last, w)
	}
	if a.Len() > 0 {
		t.FirstRandomised, t.LastRandomised = pipeline.WeekFromIndex(first), pipeline.WeekFromIndex(last)
	}
	return t
}

// rho0 is the ratio of hours tested: the plan's, or 2 ("at least double").
func (r *Results) rho0() float64 {
	if r.Ratio != nil {
		return r.Ratio.Rho0
	}
	if r.Plan.Rho0 > 0 {
		return r.Plan.Rho0
	}
	return 2
}

// atRiskByWeek counts the persons at risk by arm (control, treatment) in
// every week of the panel.
func atRiskByWeek(s *pipeline.Store) [][2]int {
	n := make([][2]int, s.Weeks)
	var at [2]int
	prev := 0
	for k := s.Weeks - 1; k >= 0; k-- { // the at-risk sets are prefixes, growing backwards
		for _, t := range s.Treated[prev:s.AtRisk(k)] {
			at[b2i(t)]++
		}
		prev, n[k] = s.AtRisk(k), at
	}
	return n
}
