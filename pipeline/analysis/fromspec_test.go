package analysis

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/spec"
	"rcteval/stats"
)

func TestFromSpec(t *testing.T) {
	s, err := spec.Parse("plan.yaml", []byte(`confidence: 0.9
min_cell: 3
weeks: "0:30"
landmarks: [13, 26]
outcomes:
  - {name: hours, kind: mean_hours, primary: true}
  - {name: employed, kind: hours_above}
analysis:
  estimator: lin
  adjust: [age]
  variance: HC3
  ri_draws: 100
  ri_statistic: difference
  family_weeks: [26]
  cohort: none
  ratio_weeks: "13:26"
  ratio_at_least: 1.5
`))
	require.NoError(t, err)
	p := FromSpec(s)
	assert.Equal(t, Plan{Level: 0.9, FromWeek: 0, ToWeek: 30, MinCell: 3, Estimator: Lin, Adjust: []string{"age"}, Variance: stats.HC3,
		BandDraws: stats.SupTDraws, Seed: stats.SupTSeed, RIDraws: 100, RIStudentized: false, RIDefault: false,
		Cohort: -1, RatioFrom: 13, RatioTo: 26, Rho0: 1.5, Primary: []string{"hours"}, Landmarks: []int{13, 26}, FamilyWeeks: []int{26}, HoursWeek: DefaultHoursWeek}, p)

	// Without a spec file: the defaults, randomisation inference by default.
	d := FromSpec(spec.Default())
	assert.True(t, d.RIDefault)
	assert.Equal(t, 2000, d.RIDraws)
	assert.Equal(t, stats.HC2, d.Variance)
	assert.Equal(t, []string{"hours", "employed", "sustained13"}, d.Primary)
	assert.Equal(t, -1, d.ToWeek)
}
