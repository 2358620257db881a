package ingest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline"
)

// today fixes "today" so that tests do not age.
var today = pipeline.ISOWeek{Year: 2026, Week: 48}

// config is the default configuration over in-memory CSV files.
func config(assignment, weeks string) Config {
	cfg := Default()
	cfg.Today = today
	cfg.Workers = 2
	cfg.Assignment = BytesInput("assignment.csv", []byte(assignment))
	cfg.Weeks = []Input{BytesInput("weeks.csv", []byte(weeks))}
	return cfg
}

func load(t *testing.T, cfg Config) *pipeline.Dataset {
	t.Helper()
	ds, err := Load(cfg)
	require.NoError(t, err)
	require.True(t, ds.Accounting.Balanced(), "%+v", ds.Accounting.Sources)
	return ds
}

func week(t *testing.T, ds *pipeline.Dataset, name string, k int) []float64 {
	t.Helper()
	for _, o := range ds.Outcomes {
		if o.Def.Name == name {
			return o.Week(k, nil)
		}
	}
	t.Fatalf("no outcome %q", name)
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

// handConfig reads the hand-worked trial; its one unknown id is a third of
// the persons, far beyond the default max_missing.
func handConfig() Config {
	cfg := config(handAssignment, handWeeks)
	cfg.MaxMissing = 1
	return cfg
}

func TestAlignmentAndCensoring(t *testing.T) {
	ds := load(t, handConfig())
	s := ds.Store
	assert.Equal(t, pipeline.ISOWeek{Year: 2016, Week: 14}, s.ExtractEnd)
	assert.Equal(t, 5, s.Weeks)
	assert.Equal(t, 2, s.Pre) // a's row in 2016-W08 is week -2
	assert.Equal(t, []int{0, 1, 2}, s.Person)
	assert.Equal(t, []int{5, 4, 1}, s.FollowUp)
	assert.Equal(t, []float64{0, 2.25, 1}, week(t, ds, "hours", 0))
	assert.Equal(t, []float64{0, 0}, week(t, ds, "hours", 1)) // at risk without a row: 0 hours
	assert.Equal(t, []float64{7.5, 0}, week(t, ds, "hours", 2))
	assert.Equal(t, []float64{0, 10}, week(t, ds, "hours", 3))
	assert.Equal(t, []float64{0}, week(t, ds, "hours", 4))
	assert.Equal(t, []float64{1, 0, 0}, week(t, ds, "praktik", 0))
	assert.Equal(t, []float64{0, 1, 0}, week(t, ds, "wage_subsidy", 0))
	assert.Equal(t, []float64{0, 1, 1}, week(t, ds, "employed", 0))
	assert.Equal(t, []float64{1, 0}, week(t, ds, "employed", 2))
	assert.Equal(t, 3.0, s.HoursAt(-2).At(0))
	assert.Equal(t, pipeline.StatusBenefit, s.StatusAt(-2)[0])

	acc := ds.Accounting
	require.Len(t, acc.Sources, 1)
	assert.Equal(t, pipeline.SourceAccounting{Source: "weeks.csv", Unit: "rows", Read: 8, FollowUp: 5, PrePeriod: 1, Rejected: 2}, *acc.Sources[0])
	assert.Equal(t, []pipeline.ReasonCount{{Reason: pipeline.RejectDuplicate, Rows: 1}, {Reason: pipeline.RejectUnknownPerson, Rows: 1}}, acc.Rejected())
	assert.Equal(t, []pipeline.Reject{
		{Source: "weeks.csv", Line: 8, Reason: pipeline.RejectUnknownPerson},
		{Source: "weeks.csv", Line: 9, Reason: pipeline.RejectDuplicate, Value: "2016-W14"},
	}, acc.Rejects())
	assert.Equal(t, 1, acc.UnknownIDs)
	assert.Equal(t, [2]int{}, acc.NoRows)

	a := ds.Assignment
	require.Len(t, a.Covariates, 2)
	assert.True(t, a.Covariates[0].Numeric)
	assert.True(t, a.Covariates[0].Missing(2))
	assert.Equal(t, []string{"f", "m"}, a.Covariates[1].Levels)
	assert.Equal(t, []string{"north", "south"}, a.Stratum.Levels)
}

func TestExplicitExtractEnd(t *testing.T) {
	// End at 2016-W12: b's and c's later rows are after the end; c is never at risk.
	cfg := handConfig()
	cfg.ExtractEnd = pipeline.ISOWeek{Year: 2016, Week: 12}
	ds := load(t, cfg)
	s := ds.Store
	assert.Equal(t, 3, s.Weeks)
	assert.Equal(t, []int{3, 2, 0}, s.FollowUp)
	assert.Equal(t, [2]int{0, 1}, ds.Accounting.NeverAtRisk)
	assert.Equal(t, []pipeline.ReasonCount{{Reason: pipeline.RejectAfterEnd, Rows: 3}, {Reason: pipeline.RejectUnknownPerson, Rows: 1}}, ds.Accounting.Rejected())
	assert.Equal(t, 0, s.AtRisk(3))
}

func TestPreWeeksLimit(t *testing.T) {
	cfg := handConfig()
	cfg.PreWeeks = 1
	ds := load(t, cfg)
	assert.Equal(t, 0, ds.Store.Pre, "the only pre-period row, week -2, is beyond the limit")
	assert.Contains(t, ds.Accounting.Rejected(), pipeline.ReasonCount{Reason: pipeline.RejectBeforePrePeriod, Rows: 1})
}

// pre_weeks: 0 keeps no week before randomisation.
func TestNoPreWeeks(t *testing.T) {
	cfg := handConfig()
	cfg.PreWeeks = NoPreWeeks
	ds := load(t, cfg)
	assert.Equal(t, 0, ds.Store.Pre)
	assert.Contains(t, ds.Accounting.Rejected(), pipeline.ReasonCount{Reason: pipeline.RejectBeforePrePeriod, Rows: 1})
}
