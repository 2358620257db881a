package reports

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline"
	"rcteval/stats"
)

func dataset(t *testing.T, assignment, weeks string) *pipeline.Dataset {
	t.Helper()
	a, err := pipeline.ReadAssignmentFrom("assignment.csv", strings.NewReader(assignment))
	require.NoError(t, err)
	src, err := pipeline.WeeksFrom("weeks.csv", strings.NewReader(weeks))
	require.NoError(t, err)
	ds, err := pipeline.Load(a, src, pipeline.Options{}, pipeline.DefaultOutcomes())
	require.NoError(t, err)
	return ds
}

// Six persons randomised in 2016-W10 (three per arm), one in 2016-W12;
// extract end 2016-W12.
const smallAssignment = `person_id,arm,randomised_on,age,sex
t1,treatment,2016-03-07,30,f
t2,treatment,2016-03-08,40,m
t3,treatment,2016-03-09,50,f
c1,control,2016-03-07,35,m
c2,control,2016-03-08,45,m
c3,control,2016-03-09,,f
c4,control,2016-03-21,55,f
`

const smallWeeks = `person_id,week,hours,status
t1,2016-W10,10,
t2,2016-W10,20,
c1,2016-W10,6,
t1,2016-W12,5,
c4,2016-W12,1,
`

func TestEffectsTableByHand(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	rows := EffectsTable(ds, 0.95)
	require.Len(t, rows, 5*3) // 5 outcomes × weeks 0–2
	h0 := rows[0]
	assert.Equal(t, "hours", h0.Outcome)
	assert.Equal(t, 0, h0.Week)
	assert.True(t, h0.Estimated)
	// Week 0: treatment hours 10, 20, 0; control 6, 0, 0, 1 (c4's week 0 is 2016-W12).
	assert.Equal(t, 3, h0.NTreatment)
	assert.Equal(t, 4, h0.NControl)
	assert.InDelta(t, 10, h0.MeanTreatment, 1e-12)
	assert.InDelta(t, 7.0/4, h0.MeanControl, 1e-12)
	want, err := stats.DifferenceInMeans([]float64{10, 20, 0, 6, 0, 0, 1}, []bool{true, true, true, false, false, false, false}, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, want.SE, h0.SE, 1e-12)
	// Week 2: c4 is no longer followed.
	h2 := rows[2]
	assert.Equal(t, 3, h2.NTreatment)
	assert.Equal(t, 3, h2.NControl)
	assert.InDelta(t, 5.0/3, h2.MeanTreatment, 1e-12)
	// Without variance, no interval.
	s0 := rows[12] // sustained13 week 0: all zero
	assert.Equal(t, "sustained13", s0.Outcome)
	assert.Equal(t, 0.0, s0.SE)
	assert.True(t, math.IsNaN(s0.PValue))
}

func TestDiscloseEffects(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	rows := EffectsTable(ds, 0.95)
	DiscloseEffects(rows, 4)
	// Three treated persons at risk: fewer than 4, so counts and estimates go.
	for _, r := range rows {
		assert.Equal(t, "n<4", r.Suppressed)
		assert.True(t, r.HideCounts)
		assert.False(t, r.Estimated)
		assert.Equal(t, stats.Estimate{}, r.Estimate)
	}

	rows = EffectsTable(ds, 0.95)
	DiscloseEffects(rows, 2)
	// Week 0: 2 of 3 treated and 2 of 4 controls have hours: no small cell for
	// hours, but for the binary employed the one treated person without hours is.
	// Week 1: nobody has hours: counts of 0 are allowed.
	// Week 2: one treated and no control has hours: a count of 1 < 2 is suppressed.
	byKey := map[string]EffectRow{}
	for _, r := range rows {
		byKey[r.Outcome+string(rune('0'+r.Week))] = r
	}
	assert.Equal(t, "", byKey["hours0"].Suppressed)
	assert.Equal(t, "count<2", byKey["employed0"].Suppressed)
	assert.Equal(t, "", byKey["hours1"].Suppressed)
	assert.Equal(t, "count<2", byKey["hours2"].Suppressed)
	assert.False(t, byKey["hours2"].HideCounts)
	assert.Equal(t, 3, byKey["hours2"].NTreatment)
	assert.False(t, byKey["hours2"].Estimated)

	rows = EffectsTable(ds, 0.95)
	DiscloseEffects(rows, 0) // off
	for _, r := range rows {
		assert.Equal(t, "", r.Suppressed)
	}
}

func TestBalanceTableByHand(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	rows := BalanceTable(ds.Assignment, 0)
	var got []string
	for _, r := range rows {
		got = append(got, r.Covariate+"/"+r.Level+"/"+r.Test)
	}
	assert.Equal(t, []string{"age//welch_t", "age/(missing)/", "sex/f/", "sex/m/", "sex//chi_squared", "joint//ols_f"}, got)
	age := rows[0]
	assert.InDelta(t, 40, age.MeanTreatment, 1e-12) // 30, 40, 50
	assert.InDelta(t, 45, age.MeanControl, 1e-12)   // 35, 45, 55 (c3 missing)
	assert.InDelta(t, -5.0/10, age.SMD, 1e-12)      // both variances 100
	missing := rows[1]
	assert.InDelta(t, 0, missing.MeanTreatment, 1e-12)
	assert.InDelta(t, 0.25, missing.MeanControl, 1e-12)
	f := rows[2] // sex = f: 2/3 treated, 2/4 controls
	assert.InDelta(t, 2.0/3, f.MeanTreatment, 1e-12)
	assert.InDelta(t, 0.5, f.MeanControl, 1e-12)
	// SMD with sample variances of the indicator: (2/3)(1/3)(3/2) = 1/3 and (1/2)(1/2)(4/3) = 1/3.
	assert.InDelta(t, (2.0/3-0.5)/math.Sqrt(1.0/3), f.SMD, 1e-12)
	chi, err := stats.ChiSquareIndependence([][]float64{{1, 2}, {2, 2}}) // control row, treated row: levels f, m
	require.NoError(t, err)
	assert.InDelta(t, chi.PValue, rows[4].PValue, 1e-12)
	assert.False(t, math.IsNaN(rows[5].PValue))

	// With a minimum cell of 3, shares resting on 1 or 2 persons are suppressed.
	rows = BalanceTable(ds.Assignment, 3)
	assert.Equal(t, "count<3", rows[1].Suppressed)
	assert.True(t, math.IsNaN(rows[1].MeanControl))
	assert.Equal(t, "count<3", rows[2].Suppressed)
}

func TestChartAndReport(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	rows := EffectsTable(ds, 0.95)
	for _, lang := range []Lang{English, Danish} {
		c, err := EffectChart(lang, 0.95, "hours", rows[:3])
		require.NoError(t, err)
		assert.Equal(t, "\x89PNG", string(c.PNG[:4]))
		assert.Contains(t, string(c.SVG), "<svg")
	}
	c, err := EffectChart(English, 0.9, "hours", rows[:3])
	require.NoError(t, err)
	assert.Contains(t, string(c.SVG), "Weeks since randomisation")
	assert.Contains(t, string(c.SVG), "90 % confidence interval")
	assert.Equal(t, "Effekt med 97,5 %-konfidensinterval", TLevel(Danish, "effect_ci", 0.975))
	in := ReportInput{Lang: Danish, Level: 0.95, MinCell: 5, Assignment: ds.Assignment, Store: ds.Store,
		Accounting: ds.Accounting, Effects: rows, Balance: BalanceTable(ds.Assignment, 5), Charts: []Chart{c}}
	html, err := RenderReport(in)
	require.NoError(t, err)
	s := string(html)
	assert.Contains(t, s, "Balance ved lodtrækningen")
	assert.Contains(t, s, "data:image/png;base64,")
	assert.NotContains(t, s, "t1,") // no ids
}

func TestCatalogueComplete(t *testing.T) {
	for key, texts := range catalogue {
		assert.NotEmpty(t, texts[English], key)
		assert.NotEmpty(t, texts[Danish], key)
	}
	for _, d := range pipeline.DefaultOutcomes() {
		assert.NotEqual(t, d.Name, OutcomeTitle(English, d.Name), "outcome %s has a title", d.Name)
	}
}
