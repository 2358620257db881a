package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"rcteval/pipeline"
	"rcteval/pipeline/ingest"
	"rcteval/stats"
)

func dataset(t *testing.T, assignment, weeks string) *pipeline.Dataset {
	t.Helper()
	cfg := ingest.Default()
	cfg.Assignment = ingest.BytesInput("assignment.csv", []byte(assignment))
	cfg.Weeks = []ingest.Input{ingest.BytesInput("weeks.csv", []byte(weeks))}
	cfg.MaxMissing = 1 // the hand-made trials are tiny
	ds, err := ingest.Load(cfg)
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
	rows := effectsTable(t, ds)
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
	rows := effectsTable(t, ds)
	discloseEffects(rows, 4)
	// Three treated persons at risk: fewer than 4, so counts and estimates go.
	for _, r := range rows {
		assert.Equal(t, "n<4", r.Suppressed)
		assert.True(t, r.HideCounts)
		assert.False(t, r.Estimated)
		assert.Equal(t, stats.Estimate{}, r.Estimate)
	}

	rows = effectsTable(t, ds)
	discloseEffects(rows, 2)
	// Week 0: 2 of 3 treated and 2 of 4 controls have hours: no small cell for
	// hours, but for the binary employed the one treated person without hours is.
	// Week 1: nobody has hours: counts of 0 are allowed.
	// Week 2: one treated and no control has hours: a count of 1 < 2 is suppressed.
	byKey := map[string]Effect{}
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

	rows = effectsTable(t, ds)
	discloseEffects(rows, 0) // off
	for _, r := range rows {
		assert.Equal(t, "", r.Suppressed)
	}
}

func TestBalanceTableByHand(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	b := BalanceTable(ds.Store, 0)
	rows := b.Rows
	assert.Empty(t, b.Notes)
	assert.Equal(t, []string{"age//welch_t", "age/(missing)/", "sex/f/", "sex/m/", "sex//chi_squared", "follow_up_weeks//welch_t", "joint//ols_f"}, rowKeys(rows))
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
	follow := rows[5] // t1–t3, c1–c3 followed 3 weeks, c4 1 week
	assert.InDelta(t, 3, follow.MeanTreatment, 1e-12)
	assert.InDelta(t, 10.0/4, follow.MeanControl, 1e-12)
	assert.False(t, math.IsNaN(rows[6].PValue))

	// With a minimum cell of 3: age's missing share rests on 1 control, so
	// it is suppressed. Sex f is held by 2 treated and 2 controls, m by 1 and
	// 2: both levels are small and pooled into (other), which is then the
	// only level: no level is shown.
	b = BalanceTable(ds.Store, 3)
	rows = b.Rows
	assert.Equal(t, []string{"age//welch_t", "age/(missing)/", "sex//", "follow_up_weeks//welch_t", "joint//ols_f"}, rowKeys(rows))
	assert.Equal(t, "", rows[0].Suppressed) // 3 treated and 3 controls have an age
	assert.Equal(t, "count<3", rows[1].Suppressed)
	assert.True(t, math.IsNaN(rows[1].MeanControl))
	assert.Equal(t, "count<3", rows[2].Suppressed)
	assert.True(t, math.IsNaN(rows[2].MeanTreatment))
	assert.Equal(t, []BalanceNote{{Kind: NoteAllPooled, Covariate: "sex", MinCell: 3}}, b.Notes)
	// The joint test is then on age alone.
	x := mat.NewDense(6, 1, []float64{30, 40, 50, 35, 45, 55})
	want, err := stats.RegressionFTest(x, []float64{1, 1, 1, 0, 0, 0})
	require.NoError(t, err)
	assert.InDelta(t, want.PValue, rows[4].PValue, 1e-12)
}

func rowKeys(rows []BalanceRow) []string {
	var got []string
	for _, r := range rows {
		got = append(got, r.Covariate+"/"+r.Level+"/"+r.Test)
	}
	return got
}

// storeOf builds a panel's per-person columns directly: treated[i] is
// person i's arm.
func storeOf(treated []bool, covs ...pipeline.Covariate) *pipeline.Store {
	return &pipeline.Store{N: len(treated), Treated: treated, Covariates: covs}
}

// effectsOf is the effects of every outcome and week at 95 %, undisclosed.
func effectsTable(t *testing.T, ds *pipeline.Dataset) []Effect {
	t.Helper()
	plan := DefaultPlan()
	plan.MinCell = 0
	r, err := Run(ds, plan)
	require.NoError(t, err)
	return r.Effects
}

// categoricalOf is a categorical covariate; "" is missing.
func categoricalOf(name string, values []string) pipeline.Covariate {
	c := pipeline.Covariate{Name: name}
	seen := map[string]bool{}
	for _, v := range values {
		if v != "" && !seen[v] {
			seen[v] = true
			c.Levels = append(c.Levels, v)
		}
	}
	sort.Strings(c.Levels)
	for _, v := range values {
		c.Codes = append(c.Codes, slices.Index(c.Levels, v)) // -1 for ""
	}
	return c
}

func numericOf(name string, values []float64) pipeline.Covariate {
	return pipeline.Covariate{Name: name, Numeric: true, Values: values}
}

// treatedN is n persons alternating treatment, control, treatment, …
func treatedN(n int) []bool {
	z := make([]bool, n)
	for i := range z {
		z[i] = i%2 == 0
	}
	return z
}

func agesN(n int) []float64 {
	a := make([]float64, n)
	for i := range a {
		a[i] = float64(30 + (i*7)%31)
	}
	return a
}

// Exports often carry a group column (gruppe = D/K) beside the arm, or
// strata that line up with the arm. Before the fix, the joint test of such a
// table panicked ("cephes: parameter out of bounds") at n = 10, 20, 57, 300
// and 1000 and gave p = 1.1e-16 at n = 6, 100 and 3000 (3e-8 at n = 4), for
// the categorical and for the 0/1 numeric copy alike. Now the copy is left
// out of the joint test with a note, and the joint test is of age alone.
func TestBalanceCopyOfTheArm(t *testing.T) {
	for _, n := range []int{4, 6, 10, 20, 57, 100, 300, 1000, 3000} {
		treated := treatedN(n)
		gruppe := make([]string, n)
		z := make([]float64, n)
		for i, tr := range treated {
			gruppe[i], z[i] = "K", 0
			if tr {
				gruppe[i], z[i] = "D", 1
			}
		}
		age := numericOf("age", agesN(n))
		x := mat.NewDense(n, 1, agesN(n))
		ageOnly, err := stats.RegressionFTest(x, z)
		require.NoError(t, err)
		for name, a := range map[string]*pipeline.Store{
			"gruppe":  storeOf(treated, age, categoricalOf("gruppe", gruppe)),
			"z":       storeOf(treated, age, numericOf("z", z)),
			"stratum": storeOf(treated, age),
		} {
			if name == "stratum" {
				s := categoricalOf("stratum", gruppe)
				a.Stratum = &s
			}
			var b Balance
			require.NotPanics(t, func() { b = BalanceTable(a, 0) }, "n=%d %s", n, name)
			require.Len(t, b.Notes, 1, "n=%d %s", n, name)
			assert.Equal(t, BalanceNote{Kind: NotePerfectlyPredicted, Covariate: name}, b.Notes[0])
			joint := b.Rows[len(b.Rows)-1]
			assert.InDelta(t, ageOnly.PValue, joint.PValue, 1e-12, "n=%d %s", n, name)
		}
	}
	a := storeOf(treatedN(10), categoricalOf("gruppe", []string{"D", "K", "D", "K", "D", "K", "D", "K", "D", "K"}))
	b := BalanceTable(a, 0)
	assert.Equal(t, []string{"gruppe/D/", "gruppe/K/", "gruppe//chi_squared", "joint//ols_f"}, rowKeys(b.Rows))
	// The group column's own χ² test is still shown: 5 D treated, 5 K controls,
	// X² = 10 on 1 df by hand (every expected count 2.5).
	assert.InDelta(t, math.Erfc(math.Sqrt(5)), b.Rows[2].PValue, 1e-15)
	assert.True(t, math.IsNaN(b.Rows[3].PValue)) // no covariate left
}

// Not perfectly predicted: a level in both arms, a numeric covariate with
// more than one value in an arm (even if every value is unique), and a
// covariate with values in one arm only.
func TestBalanceNotPerfectlyPredicted(t *testing.T) {
	treated := treatedN(8)
	for name, c := range map[string]pipeline.Covariate{
		"one level in both arms": categoricalOf("c", []string{"a", "b", "a", "b", "a", "b", "c", "c"}),
		"unique values":          numericOf("x", []float64{1, 2, 3, 4, 5, 6, 7, 8}),
		"three values":           numericOf("x", []float64{1, 0, 1, 2, 1, 0, 1, 2}),
		"missing in controls":    numericOf("x", []float64{1, nan, 1, nan, 1, nan, 1, nan}),
	} {
		b := BalanceTable(storeOf(treated, c), 0)
		assert.Empty(t, b.Notes, name)
	}
}

// Hand-worked: neither a nor b predicts the arm alone, but z = a + b exactly
// ((a, b) = (no, no) for the 2 controls, (yes, no) and (no, yes) for 2
// treated each), so the joint regression fits perfectly: no p-value, a note.
func TestBalanceJointPerfectFit(t *testing.T) {
	treated := []bool{false, false, true, true, true, true}
	a := categoricalOf("a", []string{"no", "no", "yes", "yes", "no", "no"})
	bb := categoricalOf("b", []string{"no", "no", "no", "no", "yes", "yes"})
	var b Balance
	require.NotPanics(t, func() { b = BalanceTable(storeOf(treated, a, bb), 0) })
	assert.Equal(t, []BalanceNote{{Kind: NoteJointPerfectFit}}, b.Notes)
	joint := b.Rows[len(b.Rows)-1]
	assert.Equal(t, "joint", joint.Covariate)
	assert.True(t, math.IsNaN(joint.PValue))
	assert.False(t, math.IsNaN(b.Rows[2].PValue)) // a's own χ² test
}

// Hand-worked pooling with a minimum cell of 3. Counts (treated, control):
// A (5, 4), B (3, 3), C (1, 0), D (0, 2), missing (1, 1). C, D and (missing)
// are small and pooled into (other) = (2, 3); that is small in the treated
// arm, so the smallest remaining level, B (6 persons; A has 9), joins it:
// (other) = (5, 6). Shown: A 5/10 vs 4/10 and (other) 5/10 vs 6/10.
func TestBalancePoolingByHand(t *testing.T) {
	var treated []bool
	var region []string
	add := func(level string, nt, nc int) {
		for range nt {
			treated, region = append(treated, true), append(region, level)
		}
		for range nc {
			treated, region = append(treated, false), append(region, level)
		}
	}
	add("A", 5, 4)
	add("B", 3, 3)
	add("C", 1, 0)
	add("D", 0, 2)
	add("", 1, 1)
	a := storeOf(treated, categoricalOf("region", region))
	b := BalanceTable(a, 3)
	assert.Empty(t, b.Notes)
	assert.Equal(t, []string{"region/A/", "region/(other)/", "region//chi_squared", "joint//ols_f"}, rowKeys(b.Rows))
	// Sample variances of the indicator: 0.25·10/9 and 0.24·10/9; pooled SD √(49/180).
	want := []BalanceRow{
		{Covariate: "region", Level: "A", MeanTreatment: 0.5, MeanControl: 0.4, Difference: 0.1, SMD: 0.1 / math.Sqrt(49.0/180)},
		{Covariate: "region", Level: "(other)", MeanTreatment: 0.5, MeanControl: 0.6, Difference: -0.1, SMD: -0.1 / math.Sqrt(49.0/180)},
	}
	for i, w := range want {
		got := b.Rows[i]
		assert.Equal(t, w.Level, got.Level)
		assert.Equal(t, "", got.Suppressed)
		assert.InDelta(t, w.MeanTreatment, got.MeanTreatment, 1e-12)
		assert.InDelta(t, w.MeanControl, got.MeanControl, 1e-12)
		assert.InDelta(t, w.Difference, got.Difference, 1e-12)
		assert.InDelta(t, w.SMD, got.SMD, 1e-12)
	}
	// χ² on the pooled table: expected 4.5 (A) and 5.5 ((other)) in each arm,
	// X² = 2·0.25/4.5 + 2·0.25/5.5 = 1/9 + 1/11 = 20/99 on 1 df.
	assert.InDelta(t, math.Erfc(math.Sqrt(10.0/99)), b.Rows[2].PValue, 1e-12)
	// The joint test uses the pooled dummy: (other) = 1 for 11 of 20 persons.
	x := mat.NewDense(len(treated), 1, nil)
	z := make([]float64, len(treated))
	for i := range treated {
		z[i] = float64(b2i(treated[i]))
		x.Set(i, 0, float64(b2i(region[i] != "A")))
	}
	f, err := stats.RegressionFTest(x, z)
	require.NoError(t, err)
	assert.InDelta(t, f.PValue, b.Rows[3].PValue, 1e-12)

	// Without disclosure control every level is shown.
	b = BalanceTable(a, 0)
	assert.Equal(t, []string{"region/A/", "region/B/", "region/C/", "region/D/", "region/(missing)/", "region//chi_squared", "joint//ols_f"}, rowKeys(b.Rows))
}

// Pooling goes on until (other) is not small or is all that is left.
// minCell 3, counts (treated, control): X (1, 1), Y (3, 3), Z (4, 0).
// X is small: (other) = (1, 1), small; Z (4 persons) joins: (5, 1), still
// small; Y joins: nothing else is left. A level named "(other)" in the data
// joins the pool.
func TestBalancePoolingToNothing(t *testing.T) {
	treated := []bool{true, false, true, true, true, false, false, false, true, true, true, true}
	c := categoricalOf("c", []string{"X", "X", "Y", "Y", "Y", "Y", "Y", "Y", "Z", "Z", "Z", "Z"})
	b := BalanceTable(storeOf(treated, c), 3)
	assert.Equal(t, []string{"c//", "joint//ols_f"}, rowKeys(b.Rows))
	assert.Equal(t, "count<3", b.Rows[0].Suppressed)
	assert.Equal(t, []BalanceNote{{Kind: NoteAllPooled, Covariate: "c", MinCell: 3}}, b.Notes)

	// (other) in the data, (3, 3), joins the pooled X: (4, 4) is enough.
	c = categoricalOf("c", []string{"X", "X", "(other)", "(other)", "(other)", "(other)", "(other)", "(other)", "Z", "Z", "Z", "Z"})
	b = BalanceTable(storeOf(treated, c), 3)
	assert.Equal(t, []string{"c/Z/", "c/(other)/", "c//chi_squared", "joint//ols_f"}, rowKeys(b.Rows))
	assert.InDelta(t, 4.0/8, b.Rows[1].MeanTreatment, 1e-12)
	assert.InDelta(t, 4.0/4, b.Rows[1].MeanControl, 1e-12)
}

// A CPR-like id column is never published level by level: every level is
// one person, so all are pooled away, and no row names an id.
func TestBalanceIDColumn(t *testing.T) {
	n := 40
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%06d-%04d", 10190+i, 1234+i)
	}
	a := storeOf(treatedN(n), numericOf("age", agesN(n)), categoricalOf("cpr", ids))
	b := BalanceTable(a, 5)
	assert.Equal(t, []string{"age//welch_t", "cpr//", "joint//ols_f"}, rowKeys(b.Rows))
	assert.Equal(t, []BalanceNote{{Kind: NoteAllPooled, Covariate: "cpr", MinCell: 5}}, b.Notes)
	assert.False(t, math.IsNaN(b.Rows[2].PValue)) // age alone
	for _, r := range b.Rows {
		assert.NotContains(t, r.Level, "-12")
	}
	assert.Equal(t, "count<5", b.Rows[1].Suppressed)
	assert.Equal(t, "", b.Rows[1].Level)

	// Without disclosure control each id is its own level, which the arm
	// predicts perfectly: it is left out of the joint test.
	b = BalanceTable(a, 0)
	assert.Equal(t, []BalanceNote{{Kind: NotePerfectlyPredicted, Covariate: "cpr"}}, b.Notes)
}

// A numeric covariate's missing share follows the same rule with the two
// levels "has a value" and "missing"; its means are suppressed, and it is
// left out of the joint test, when few persons in an arm have a value.
func TestBalanceNumericMissing(t *testing.T) {
	treated := treatedN(20) // 10 and 10
	with := func(missingT, missingC int) []float64 {
		v := agesN(20)
		for i := range v {
			if treated[i] && missingT > 0 {
				v[i], missingT = nan, missingT-1
			} else if !treated[i] && missingC > 0 {
				v[i], missingC = nan, missingC-1
			}
		}
		return v
	}
	for _, c := range []struct {
		missingT, missingC     int
		meansShown, shareShown bool
	}{
		{0, 0, true, true},   // no (missing) row at all
		{3, 0, true, true},   // 3 and 0 missing, 7 and 10 with a value
		{1, 0, true, false},  // 1 missing treated
		{4, 3, true, true},   //
		{8, 0, false, false}, // 2 treated with a value
		{10, 0, true, true},  // no treated with a value: 0 is fine (Welch has too few)
	} {
		b := BalanceTable(storeOf(treated, numericOf("age", with(c.missingT, c.missingC))), 3)
		what := fmt.Sprintf("missing %d/%d", c.missingT, c.missingC)
		mean := b.Rows[0]
		assert.Equal(t, !c.meansShown, mean.Suppressed != "", what)
		if c.meansShown {
			assert.Empty(t, b.Notes, what)
		} else {
			// Left out of the joint test, which would rest on the 2 treated
			// persons with a value: no covariate is left.
			assert.Equal(t, []BalanceNote{{Kind: NoteFewValues, Covariate: "age", MinCell: 3}}, b.Notes, what)
			assert.True(t, math.IsNaN(b.Rows[len(b.Rows)-1].PValue), what)
			assert.True(t, math.IsNaN(mean.MeanTreatment) && math.IsNaN(mean.PValue), what)
		}
		if c.missingT+c.missingC == 0 {
			assert.Equal(t, []string{"age//welch_t", "joint//ols_f"}, rowKeys(b.Rows), what)
			continue
		}
		share := b.Rows[1]
		assert.Equal(t, MissingLevel, share.Level, what)
		assert.Equal(t, !c.shareShown, share.Suppressed == "count<3", what)
		if c.shareShown {
			assert.InDelta(t, float64(c.missingT)/10, share.MeanTreatment, 1e-12, what)
			assert.InDelta(t, float64(c.missingC)/10, share.MeanControl, 1e-12, what)
		} else {
			assert.True(t, math.IsNaN(share.MeanTreatment), what)
		}
	}
}

// In a stratified trial the joint test conditions on the strata (they are
// balanced by design) instead of testing them, and the panel's own
// baseline measures are shown: follow-up, and hours and benefit weeks in
// the year before randomisation (here: 2 pre-period weeks with data).
func TestBalanceStratifiedAndPrePeriod(t *testing.T) {
	assignment := `person_id,arm,randomised_on,stratum,age
t1,treatment,2016-03-07,A,30
t2,treatment,2016-03-07,A,41
c1,control,2016-03-07,A,35
c2,control,2016-03-07,A,47
t3,treatment,2016-03-07,B,52
t4,treatment,2016-03-07,B,38
c3,control,2016-03-07,B,60
c4,control,2016-03-07,B,33
`
	weeks := `person_id,week,hours,status
t1,2016-W08,10,benefit
t1,2016-W09,6,benefit
c1,2016-W09,4,
c2,2016-W08,,benefit
t1,2016-W10,1,
t2,2016-W10,1,
t3,2016-W10,1,
t4,2016-W10,1,
c1,2016-W10,1,
c2,2016-W10,1,
c3,2016-W10,1,
c4,2016-W10,1,
`
	ds := dataset(t, assignment, weeks)
	b := BalanceTable(ds.Store, 0)
	byKey := map[string]BalanceRow{}
	for _, r := range b.Rows {
		byKey[r.Covariate+"/"+r.Level] = r
	}
	joint := b.Rows[len(b.Rows)-1]
	assert.Equal(t, TestJointWithin, joint.Test)
	s := ds.Store
	x := mat.NewDense(s.N, 1, nil)
	z := make([]float64, s.N)
	for j := range s.N {
		x.Set(j, 0, s.Covariates[0].Values[j])
		z[j] = float64(b2i(s.Treated[j]))
	}
	want, err := stats.RegressionFTestWithin(x, z, codes(s.Stratum))
	require.NoError(t, err)
	assert.InDelta(t, want.PValue, joint.PValue, 1e-12)
	assert.Equal(t, 5.0, want.DF2) // 8 persons − 1 covariate − 2 strata
	// Its HC2 counterpart: z on an intercept, age and the stratum B dummy.
	one, age, inB := make([]float64, s.N), make([]float64, s.N), make([]float64, s.N)
	for j := range s.N {
		one[j], age[j] = 1, s.Covariates[0].Values[j]
		if s.Stratum.Levels[s.Stratum.Codes[j]] == "B" {
			inB[j] = 1
		}
	}
	wald, err := stats.RobustWaldTest(z, [][]float64{one, age, inB}, []int{1}, stats.HC2)
	require.NoError(t, err)
	assert.InDelta(t, wald.PValue, joint.PValueHC2, 1e-12)
	// A numeric covariate's HC2 p-value: the Neyman SE with df n − 2.
	ageRow := byKey["age/"]
	dm, err := stats.DifferenceInMeans(age, s.Treated, 0.95)
	require.NoError(t, err)
	tt := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(s.N - 2)}
	assert.InDelta(t, 2*tt.Survival(math.Abs(dm.Estimate/dm.SE)), ageRow.PValueHC2, 1e-12)

	// Pre-period: the mean over the 2 weeks kept (pre_weeks defaults to
	// 104; the data start in W08): t1 (10 + 6)/2 = 8, c1 2; benefit weeks t1
	// 2, c2 1.
	require.Equal(t, 2, s.Pre)
	hours := byKey["pre_mean_hours_52w/"]
	assert.InDelta(t, 8.0/4, hours.MeanTreatment, 1e-12)
	assert.InDelta(t, 2.0/4, hours.MeanControl, 1e-12)
	benefit := byKey["pre_benefit_weeks_52w/"]
	assert.InDelta(t, 2.0/4, benefit.MeanTreatment, 1e-12)
	assert.InDelta(t, 1.0/4, benefit.MeanControl, 1e-12)
}

// Week 0 all seven persons are followed; from week 1 c4 (randomised two
// weeks later) is not: 3/3 treated and 3/4 controls.
func TestAttritionByHand(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	rows := attrition(ds.Store, DefaultPlan())
	require.Len(t, rows, 3)
	assert.Equal(t, [2]int{3, 4}, [2]int{rows[0].AtRiskTreatment, rows[0].AtRiskControl})
	assert.Equal(t, 0.0, rows[0].Difference)
	assert.True(t, math.IsNaN(rows[0].PValue), "nobody has left: no test")
	assert.Equal(t, 3, rows[1].AtRiskControl)
	assert.InDelta(t, 0.25, rows[1].Difference, 1e-15)
	chi, err := stats.ChiSquareIndependence([][]float64{{3, 1}, {3, 0}})
	require.NoError(t, err)
	assert.InDelta(t, chi.PValue, rows[1].PValue, 1e-15)
	// One control has left: a cell of 1 < 3 would be the difference of
	// weeks 0 and 1, so week 1 is suppressed, and week 2 (compared with
	// week 0, the last published) too.
	plan := DefaultPlan()
	plan.MinCell, plan.RIDraws = 3, 0
	r, err := Run(ds, plan)
	require.NoError(t, err)
	rows = Disclose(r).Attrition()
	assert.Equal(t, "", rows[0].Suppressed)
	assert.Equal(t, "diff<3", rows[1].Suppressed)
	assert.Equal(t, 0, rows[1].AtRiskControl)
	assert.Equal(t, "diff<3", rows[2].Suppressed)
	// Fewer than 3 at risk in an arm is "n<3" on its own.
	rows = attrition(ds.Store, DefaultPlan())
	discloseAttrition(rows, 4)
	assert.Equal(t, []string{"n<4", "n<4", "n<4"}, []string{rows[0].Suppressed, rows[1].Suppressed, rows[2].Suppressed})
}

// Subgroups by stratum: each level's row is the difference in means among
// its persons, and the test is Cochran's Q over the levels; a level too
// small to publish is pooled into (other).
func TestSubgroupsByStratum(t *testing.T) {
	ds := coverageTrial(rand.New(rand.NewPCG(9, 9)), 400, 20, func(int) float64 { return 1 })
	s := ds.Store
	// Make one stratum tiny: its 3 persons join (other) with min cell 5.
	tiny := 0
	for j := range s.N {
		if s.Stratum.Codes[j] == 3 && tiny < 3 {
			tiny++
		} else if s.Stratum.Codes[j] == 3 {
			s.Stratum.Codes[j] = 2
		}
	}
	plan := DefaultPlan()
	plan.Landmarks, plan.RIDraws = []int{5, 15}, 0
	r, err := Run(ds, plan)
	require.NoError(t, err)
	var levels []string
	for _, row := range r.Subgroups {
		if row.Week == 5 {
			levels = append(levels, row.Level)
		}
	}
	// s3 (3 persons) is pooled; (other) is then still small, so the smallest
	// level left, s0, joins it.
	assert.Equal(t, []string{"s1", "s2", "(other)"}, levels)
	require.Len(t, r.SubgroupTests, 2)
	y := ds.Outcomes[0].Week(15, nil)
	var est, se []float64
	for g, in := range []func(c int) bool{func(c int) bool { return c == 1 }, func(c int) bool { return c == 2 }, func(c int) bool { return c == 0 || c == 3 }} {
		var yg []float64
		var tg []bool
		for j := range y {
			if in(s.Stratum.Codes[j]) {
				yg, tg = append(yg, y[j]), append(tg, s.Treated[j])
			}
		}
		e, err := stats.DifferenceInMeans(yg, tg, 0.95)
		require.NoError(t, err)
		got := r.Subgroups[3+g]
		assert.Equal(t, 15, got.Week)
		assert.InDelta(t, e.Estimate, got.Estimate.Estimate, 1e-12)
		assert.InDelta(t, e.SE, got.SE, 1e-12)
		est, se = append(est, e.Estimate), append(se, e.SE)
	}
	q, err := stats.EqualEffects(est, se)
	require.NoError(t, err)
	assert.InDelta(t, q.Statistic, r.SubgroupTests[1].Statistic, 1e-10)
	assert.Equal(t, 3, r.SubgroupTests[1].Subgroups)
}

// Kaplan–Meier on a sustained outcome: a person's time is the week the rule
// is first met, else the last week followed (censored). Here the rule is
// one week of internship: t1 meets it in week 2, c1 in week 0; the others
// are censored at their last week (c4 at week 0).
func TestKaplanMeierFromPanel(t *testing.T) {
	weeks := `person_id,week,hours,status
t1,2016-W12,0,praktik
c1,2016-W10,0,praktik
t2,2016-W10,1,
`
	ds := dataset(t, smallAssignment, weeks)
	ds.Outcomes = nil
	require.NoError(t, ds.Derive([]pipeline.OutcomeDef{{Name: "first_praktik", Kind: pipeline.KindSustained,
		Statuses: []pipeline.Status{pipeline.StatusPraktik}, Run: 1, MaxGap: 0}}))
	rows, err := survival(ds, DefaultPlan())
	require.NoError(t, err)
	require.Len(t, rows, 3)
	tr, err := stats.KaplanMeier([]float64{2, 2, 2}, []bool{true, false, false}, 0.95)
	require.NoError(t, err)
	co, err := stats.KaplanMeier([]float64{0, 2, 2, 0}, []bool{true, false, false, false}, 0.95)
	require.NoError(t, err)
	for _, r := range rows {
		ft, _, _, _, nt := tr.IncidenceAt(float64(r.Week))
		fc, _, _, _, nc := co.IncidenceAt(float64(r.Week))
		assert.InDelta(t, ft, r.IncidenceTreatment, 1e-15, "week %d", r.Week)
		assert.InDelta(t, fc, r.IncidenceControl, 1e-15, "week %d", r.Week)
		assert.Equal(t, [2]int{nt, nc}, [2]int{r.NRiskTreatment, r.NRiskControl})
	}
	assert.InDelta(t, 1.0/3, rows[2].IncidenceTreatment, 1e-15)
	assert.InDelta(t, 0.25, rows[2].IncidenceControl, 1e-15)
}

// The ratio of mean weekly hours over weeks 26–44 (to the last landmark)
// among those followed through week 44, and the test that it exceeds 2; a
// window beyond the follow-up is "not observable".
func TestRatioOfHours(t *testing.T) {
	ds := coverageTrial(rand.New(rand.NewPCG(3, 3)), 300, 40, func(k int) float64 { return 5 })
	plan := DefaultPlan()
	r := ratio(ds, plan)
	require.NotNil(t, r)
	assert.Equal(t, [2]int{26, 44}, [2]int{r.FromWeek, r.ToWeek})
	s := ds.Store
	n := s.AtRisk(44)
	var x, c []float64
	for j := range n {
		sum := 0.0
		for k := 26; k <= 44; k++ {
			sum += s.HoursAt(k).At(j)
		}
		if s.Treated[j] {
			x = append(x, sum/19)
		} else {
			c = append(c, sum/19)
		}
	}
	want, err := stats.RatioOfMeans(x, c, 0.95, nil)
	require.NoError(t, err)
	assert.InDelta(t, want.Estimate, r.Estimate, 1e-12)
	assert.Equal(t, want.Fieller, r.Fieller)
	_, p, err := stats.RatioTest(x, c, 2)
	require.NoError(t, err)
	assert.InDelta(t, p, r.PAtLeast, 1e-12)

	plan.RatioFrom, plan.RatioTo = 40, 80
	r = ratio(ds, plan)
	assert.Contains(t, r.Note, "not observable")
}

// The fixed cohort rests on the same persons in every week (those followed
// to its week), and meets the staggered estimate in its last week.
func TestFixedCohort(t *testing.T) {
	ds := coverageTrial(rand.New(rand.NewPCG(5, 5)), 300, 10, func(k int) float64 { return 1 })
	plan := DefaultPlan()
	plan.Cohort, plan.RIDraws = 25, 0
	r, err := Run(ds, plan)
	require.NoError(t, err)
	require.Equal(t, 25, r.CohortWeek)
	require.Len(t, r.Cohort, 26)
	n := ds.Store.AtRisk(25)
	for _, e := range r.Cohort {
		assert.Equal(t, n, e.NTreatment+e.NControl, "week %d", e.Week)
	}
	assert.Equal(t, r.Effects[25].Estimate, r.Cohort[25].Estimate)
	assert.Greater(t, r.Effects[0].NTreatment+r.Effects[0].NControl, n)
	plan.Cohort = -1
	r, err = Run(ds, plan)
	require.NoError(t, err)
	assert.Equal(t, -1, r.CohortWeek)
	assert.Empty(t, r.Cohort)
}

// Randomisation inference asked for by default is skipped, with a note,
// when it would take many minutes; asked for explicitly, it runs.
func TestRIDefaultSkippedWhenHuge(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	plan := DefaultPlan()
	plan.RIDraws = 5_000_000_000 // × 21 person-weeks × 5 outcomes > 1e11
	r, err := Run(ds, plan)
	require.NoError(t, err)
	require.NotNil(t, r.RI)
	assert.Contains(t, r.RI.Skipped, "randomisation inference skipped")
	assert.True(t, math.IsNaN(r.Effects[0].RIPValue))
	plan.RIDraws, plan.RIDefault = 100, false
	r, err = Run(ds, plan)
	require.NoError(t, err)
	assert.Equal(t, "", r.RI.Skipped)
	assert.True(t, r.RI.Exact) // C(7, 3) = 35 assignments ≤ 100
}

// The results do not depend on the number of cores: bands, randomisation
// inference and everything else are the same with one core as with four.
func TestResultsIndependentOfCores(t *testing.T) {
	ds := coverageTrial(rand.New(rand.NewPCG(6, 6)), 300, 15, func(int) float64 { return 0.5 })
	plan := DefaultPlan()
	plan.RIDraws, plan.BandDraws = 200, 500
	runWith := func(procs int) *Results {
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		r, err := Run(ds, plan)
		require.NoError(t, err)
		return r
	}
	one, four := runWith(1), runWith(4)
	same := func(what string, a, b any) { // %v prints NaN alike; == on NaN would not
		assert.True(t, fmt.Sprintf("%v", a) == fmt.Sprintf("%v", b), "%s differ", what)
	}
	same("effects", one.Effects, four.Effects)
	same("bands", one.Bands, four.Bands)
	same("family", one.Family, four.Family)
	same("cohort", one.Cohort, four.Cohort)
	assert.False(t, math.IsNaN(one.Bands[0].Critical))
}

// Designs an export can bring, run through every estimator: no panic, and
// either results or a clear error.
func TestDegenerateDesignsDoNotPanic(t *testing.T) {
	weeks := `person_id,week,hours,status
t1,2016-W10,10,
t2,2016-W11,20,praktik
c1,2016-W10,6,benefit
c2,2016-W12,0,
`
	cases := map[string]string{
		"a stratum in one arm only":          "person_id,arm,randomised_on,stratum,age\nt1,treatment,2016-03-07,A,30\nt2,treatment,2016-03-07,A,40\nc1,control,2016-03-07,B,35\nc2,control,2016-03-07,B,45\n",
		"one stratum":                        "person_id,arm,randomised_on,stratum\nt1,treatment,2016-03-07,A\nt2,treatment,2016-03-07,A\nc1,control,2016-03-07,A\nc2,control,2016-03-07,A\n",
		"missing strata":                     "person_id,arm,randomised_on,stratum\nt1,treatment,2016-03-07,\nt2,treatment,2016-03-07,A\nc1,control,2016-03-07,\nc2,control,2016-03-07,A\n",
		"one person per cluster":             "person_id,arm,randomised_on,cluster\nt1,treatment,2016-03-07,k1\nt2,treatment,2016-03-07,k2\nc1,control,2016-03-07,k3\nc2,control,2016-03-07,k4\n",
		"missing clusters":                   "person_id,arm,randomised_on,cluster\nt1,treatment,2016-03-07,\nt2,treatment,2016-03-07,k2\nc1,control,2016-03-07,\nc2,control,2016-03-07,k4\n",
		"a covariate all missing":            "person_id,arm,randomised_on,age,sex\nt1,treatment,2016-03-07,,f\nt2,treatment,2016-03-07,,m\nc1,control,2016-03-07,,f\nc2,control,2016-03-07,,m\n",
		"more covariate levels than persons": "person_id,arm,randomised_on,group\nt1,treatment,2016-03-07,a\nt2,treatment,2016-03-07,b\nc1,control,2016-03-07,c\nc2,control,2016-03-07,d\n",
	}
	for name, assignment := range cases {
		for _, est := range []string{"", Plain, Blocked, Lin} {
			t.Run(name+"/"+est, func(t *testing.T) {
				ds := dataset(t, assignment, weeks)
				for _, minCell := range []int{0, 5} {
					plan := DefaultPlan()
					plan.Estimator, plan.MinCell, plan.RIDraws = est, minCell, 50
					var r *Results
					var err error
					require.NotPanics(t, func() { r, err = Run(ds, plan) })
					if err != nil {
						assert.NotEmpty(t, err.Error())
						continue
					}
					require.NotPanics(t, func() { Disclose(r) })
				}
			})
		}
	}
}
