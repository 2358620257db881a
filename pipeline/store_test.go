package pipeline

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadStrings(t *testing.T, assignment, weeks string, opt Options) *Dataset {
	t.Helper()
	a, err := ReadAssignmentFrom("assignment.csv", strings.NewReader(assignment))
	require.NoError(t, err)
	src, err := WeeksFrom("weeks.csv", strings.NewReader(weeks))
	require.NoError(t, err)
	ds, err := Load(a, src, opt, DefaultOutcomes())
	require.NoError(t, err)
	return ds
}

func outcome(ds *Dataset, name string) *Outcome {
	for _, o := range ds.Outcomes {
		if o.Def.Name == name {
			return o
		}
	}
	return nil
}

// Three persons, hand-worked. Extract end 2016-W14.
//
//	a: randomised Wed 2016-03-09 → week 0 = 2016-W10, followed W10…W14 = 5 weeks.
//	b: randomised Sun 2016-03-20 → week 0 = 2016-W11, 4 weeks.
//	c: randomised Mon 2016-04-04 → week 0 = 2016-W14, 1 week.
const handAssignment = `person_id,arm,randomised_on,stratum,age,sex
a,treatment,2016-03-09,north,34,f
b,control,2016-03-20,south,51,m
c,treatment,2016-04-04,north,,m
`

const handWeeks = `person_id,week,hours,status
a,2016-W08,3,benefit
a,2016-W10,0,praktik
a,2016-W12,7.5,
b,2016-W11,2.25,wage_subsidy
b,2016-W14,10,benefit
c,2016-W14,1,
x,2016-W12,4,
b,2016-W14,99,
`

func TestAlignmentAndCensoring(t *testing.T) {
	ds := loadStrings(t, handAssignment, handWeeks, Options{})
	s := ds.Store
	assert.Equal(t, ISOWeek{2016, 14}, s.ExtractEnd)
	assert.Equal(t, 5, s.Weeks)
	assert.Equal(t, 2, s.Pre) // a's row in 2016-W08 is week -2
	// Store order: longest follow-up first.
	assert.Equal(t, []int{0, 1, 2}, s.Person)
	assert.Equal(t, []int{5, 4, 1}, s.FollowUp)
	assert.Equal(t, []bool{true, false, true}, s.Treated)
	for k, want := range []int{3, 2, 2, 2, 1, 0} {
		assert.Equal(t, want, s.AtRisk(k), "at risk in week %d", k)
	}
	hours := outcome(ds, "hours")
	assert.Equal(t, []float64{0, 2.25, 1}, hours.Week(0))
	assert.Equal(t, []float64{0, 0}, hours.Week(1)) // at risk without a row: 0 hours
	assert.Equal(t, []float64{7.5, 0}, hours.Week(2))
	assert.Equal(t, []float64{0, 10}, hours.Week(3))
	assert.Equal(t, []float64{0}, hours.Week(4))
	assert.True(t, math.IsNaN(hours.Values[1*s.N+2]), "c is censored after week 0")
	assert.Equal(t, []float64{1, 0, 0}, outcome(ds, "praktik").Week(0))
	assert.Equal(t, []float64{0, 1, 0}, outcome(ds, "wage_subsidy").Week(0))
	assert.Equal(t, []float64{0, 1, 1}, outcome(ds, "employed").Week(0))
	assert.Equal(t, []float64{1, 0}, outcome(ds, "employed").Week(2))
	// Pre-period is kept, not part of the outcomes.
	assert.Equal(t, 3.0, s.HoursAt(-2)[0])
	assert.Equal(t, StatusBenefit, s.StatusAt(-2)[0])

	acc := ds.Accounting
	assert.Equal(t, 8, acc.Read)
	assert.Equal(t, 5, acc.FollowUp)
	assert.Equal(t, 1, acc.PrePeriod)
	assert.Equal(t, []ReasonCount{{RejectDuplicate, 1}, {RejectUnknownPerson, 1}}, acc.Rejected())
	assert.Equal(t, []Reject{{"weeks.csv", 8, RejectUnknownPerson}, {"weeks.csv", 9, RejectDuplicate}}, acc.Rejects)
	assert.True(t, acc.Balanced())

	// Covariates: age numeric with a missing value, sex categorical, stratum separate.
	a := ds.Assignment
	require.Len(t, a.Covariates, 2)
	assert.True(t, a.Covariates[0].Numeric)
	assert.True(t, a.Covariates[0].Missing(2))
	assert.Equal(t, []string{"f", "m"}, a.Covariates[1].Levels)
	assert.Equal(t, []string{"north", "south"}, a.Stratum.Levels)
}

func TestExplicitExtractEnd(t *testing.T) {
	// End at 2016-W12: b's and c's later rows are after the end; c is never at risk.
	ds := loadStrings(t, handAssignment, handWeeks, Options{ExtractEnd: ISOWeek{2016, 12}})
	s := ds.Store
	assert.Equal(t, 3, s.Weeks)
	assert.Equal(t, []int{3, 2, 0}, s.FollowUp)
	assert.Equal(t, 1, ds.Accounting.NeverAtRisk)
	assert.Equal(t, []ReasonCount{{RejectAfterEnd, 3}, {RejectUnknownPerson, 1}}, ds.Accounting.Rejected())
	assert.True(t, ds.Accounting.Balanced())
	assert.Equal(t, 0, s.AtRisk(3))
}

func TestPreWeeksLimit(t *testing.T) {
	ds := loadStrings(t, handAssignment, handWeeks, Options{PreWeeks: 1})
	assert.Equal(t, 1, ds.Store.Pre)
	assert.Contains(t, ds.Accounting.Rejected(), ReasonCount{RejectBeforePrePeriod, 1})
}
