package stats

import (
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

// Golden values from testdata/golden/make_survival.R (R survival::survfit).

const kmTol = 1e-10

// kmDev tracks the largest deviation from R, |got − want|/max(1, |want|),
// over the golden tests (reported with -v).
var kmDev struct {
	max  float64
	what string
}

// kmClose asserts |got − want| ≤ kmTol·max(1, |want|); NaN must match NaN
// and ±Inf the same infinity.
func kmClose(t *testing.T, want, got float64, what string) {
	t.Helper()
	switch {
	case math.IsNaN(want):
		assert.True(t, math.IsNaN(got), "%s: want NaN, got %v", what, got)
		return
	case math.IsInf(want, 0):
		assert.Equal(t, want, got, what)
		return
	}
	d := math.Abs(got-want) / math.Max(1, math.Abs(want))
	if d > kmDev.max {
		kmDev.max, kmDev.what = d, t.Name()+" "+what
	}
	assert.InDelta(t, want, got, kmTol*math.Max(1, math.Abs(want)), what)
}

func kmConf(t *testing.T, s string) KMConfType {
	for _, c := range []KMConfType{KMConfLog, KMConfLogLog, KMConfPlain} {
		if c.String() == s {
			return c
		}
	}
	t.Fatalf("unknown conf type %q", s)
	return 0
}

// kmData reads km_data.csv: time and event by case and arm ("case/arm").
func kmData(t *testing.T) (map[string][]float64, map[string][]bool) {
	times, events := map[string][]float64{}, map[string][]bool{}
	for _, r := range readGolden(t, "km_data.csv") {
		k := r["case"] + "/" + r["arm"]
		times[k] = append(times[k], num(t, r["time"]))
		events[k] = append(events[k], r["event"] == "1")
	}
	return times, events
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	v, err := strconv.Atoi(s)
	require.NoError(t, err, s)
	return v
}

func TestKaplanMeierGolden(t *testing.T) {
	times, events := kmData(t)
	rows := map[string][]map[string]string{}
	var keys []string
	for _, r := range readGolden(t, "km_expected.csv") {
		k := r["case"] + "/" + r["arm"] + "/" + r["conf_type"] + "/" + r["level"]
		if rows[k] == nil {
			keys = append(keys, k)
		}
		rows[k] = append(rows[k], r)
	}
	require.Len(t, keys, 36) // 5 cases × 2 arms × 3 conf types, trial at 2 levels
	for _, k := range keys {
		want := rows[k]
		t.Run(k, func(t *testing.T) {
			arm := want[0]["case"] + "/" + want[0]["arm"]
			c, err := KaplanMeierConf(times[arm], events[arm], num(t, want[0]["level"]), kmConf(t, want[0]["conf_type"]))
			require.NoError(t, err)
			assert.Equal(t, len(times[arm]), c.N)
			require.Len(t, c.Time, len(want))
			for i, w := range want {
				assert.Equal(t, num(t, w["time"]), c.Time[i], "time")
				assert.Equal(t, atoi(t, w["n_risk"]), c.NRisk[i], "n.risk")
				assert.Equal(t, atoi(t, w["n_event"]), c.NEvent[i], "n.event")
				assert.Equal(t, atoi(t, w["n_censor"]), c.NCensor[i], "n.censor")
				kmClose(t, num(t, w["surv"]), c.Surv[i], "surv")
				kmClose(t, num(t, w["std_err"]), c.SELog[i], "std.err")
				kmClose(t, num(t, w["surv"])*num(t, w["std_err"]), c.SE[i], "surv·std.err")
				kmClose(t, num(t, w["lower"]), c.Lower[i], "lower")
				kmClose(t, num(t, w["upper"]), c.Upper[i], "upper")
			}
		})
	}
	t.Logf("largest deviation from R so far: %.3g (%s)", kmDev.max, kmDev.what)
}

func TestKMAtGolden(t *testing.T) {
	times, events := kmData(t)
	curves := map[string]KMCurve{}
	for _, w := range readGolden(t, "km_at_expected.csv") {
		k := w["case"] + "/" + w["arm"] + "/" + w["conf_type"] + "/" + w["level"]
		c, ok := curves[k]
		if !ok {
			arm := w["case"] + "/" + w["arm"]
			var err error
			c, err = KaplanMeierConf(times[arm], events[arm], num(t, w["level"]), kmConf(t, w["conf_type"]))
			require.NoError(t, err)
			curves[k] = c
		}
		at := num(t, w["t"])
		what := k + " t=" + w["t"]
		s, se, lo, hi, nr := c.At(at)
		assert.Equal(t, atoi(t, w["n_risk"]), nr, what+" n.risk")
		kmClose(t, num(t, w["surv"]), s, what+" surv")
		kmClose(t, num(t, w["std_err"]), se, what+" std.err")
		kmClose(t, num(t, w["lower"]), lo, what+" lower")
		kmClose(t, num(t, w["upper"]), hi, what+" upper")
		f, fse, flo, fhi, fnr := c.IncidenceAt(at)
		assert.Equal(t, nr, fnr)
		kmClose(t, 1-num(t, w["surv"]), f, what+" incidence")
		kmClose(t, num(t, w["std_err"]), fse, what+" incidence se")
		kmClose(t, 1-num(t, w["upper"]), flo, what+" incidence lower")
		kmClose(t, 1-num(t, w["lower"]), fhi, what+" incidence upper")
	}
	assert.Len(t, curves, 36)
	t.Logf("largest deviation from R so far: %.3g (%s)", kmDev.max, kmDev.what)
}

func TestKMDifferenceGolden(t *testing.T) {
	times, events := kmData(t)
	curve := func(arm string) KMCurve {
		c, err := KaplanMeier(times[arm], events[arm], 0.95)
		require.NoError(t, err)
		return c
	}
	want := readGolden(t, "km_diff_expected.csv")
	require.Len(t, want, 40)
	for _, w := range want {
		what := w["case"] + " t=" + w["t"] + " level=" + w["level"]
		a, b := curve(w["case"]+"/1"), curve(w["case"]+"/0")
		got, err := KMDifference(a, b, num(t, w["t"]), num(t, w["level"]))
		assert.Equal(t, a.N, got.NTreatment, what)
		assert.Equal(t, b.N, got.NControl, what)
		assert.Equal(t, num(t, w["t"]), got.Time, what)
		switch w["status"] {
		case "beyond":
			assert.ErrorIs(t, err, ErrKMNotObservable, what)
			continue
		case "undefined":
			assert.ErrorIs(t, err, ErrKMUndefinedVariance, what)
		default:
			require.NoError(t, err, what)
			assert.Equal(t, math.Inf(1), got.DF)
		}
		for _, f := range []struct {
			col string
			got float64
		}{
			{"incidence_1", got.MeanTreatment}, {"incidence_0", got.MeanControl},
			{"se_1", got.SETreatment}, {"se_0", got.SEControl},
			{"estimate", got.Estimate.Estimate}, {"se", got.SE},
			{"ci_low", got.CILow}, {"ci_high", got.CIHigh}, {"p_value", got.PValue},
		} {
			kmClose(t, num(t, w[f.col]), f.got, what+" "+f.col)
		}
	}
	t.Logf("largest deviation from R so far: %.3g (%s)", kmDev.max, kmDev.what)
}

// A hand-worked case of six persons (E event, C censored):
//
//	a: 1E 2E 2C 3C 4E 6C
//
//	time  n  d  c   Ŝ                 σ² = Σ d/(n(n−d))
//	1     6  1  0   5/6               1/30
//	2     5  1  1   5/6·4/5 = 2/3     1/30 + 1/20 = 1/12
//	3     3  0  1   2/3               1/12
//	4     2  1  0   2/3·1/2 = 1/3     1/12 + 1/2 = 7/12
//	6     1  0  1   1/3               7/12
//
// At week 2 the event and the censoring tie: the censored person is at risk
// for the event (n = 5). Var Ŝ(2) = (2/3)²/12 = 1/27, Var Ŝ(4) = (1/9)(7/12)
// = 7/108. The control arm
//
//	b: 1C 2E 3E 3C 6E 6E
//
// has Ŝ = 1 at 1 (n = 6), 4/5 at 2 (n = 5, σ² = 1/20), 3/5 at 3 (n = 4,
// σ² = 1/20 + 1/12 = 2/15), and 0 at 6 (n = 2 = d, σ² = ∞). At week 4 the
// difference in cumulative incidence is (1 − 1/3) − (1 − 3/5) = 4/15 with
// SE² = 7/108 + (9/25)(2/15) = 7/108 + 6/125 = 1523/13500.
func TestKaplanMeierByHand(t *testing.T) {
	a, err := KaplanMeier([]float64{4, 2, 1, 6, 3, 2}, []bool{true, false, true, false, false, true}, 0.95)
	require.NoError(t, err)
	assert.Equal(t, []float64{1, 2, 3, 4, 6}, a.Time)
	assert.Equal(t, []int{6, 5, 3, 2, 1}, a.NRisk)
	assert.Equal(t, []int{1, 1, 0, 1, 0}, a.NEvent)
	assert.Equal(t, []int{0, 1, 1, 0, 1}, a.NCensor)
	const eps = 1e-15
	for i, w := range []struct{ s, v float64 }{{5.0 / 6, 1.0 / 30}, {2.0 / 3, 1.0 / 12}, {2.0 / 3, 1.0 / 12}, {1.0 / 3, 7.0 / 12}, {1.0 / 3, 7.0 / 12}} {
		assert.InDelta(t, w.s, a.Surv[i], eps)
		assert.InDelta(t, math.Sqrt(w.v), a.SELog[i], eps)
		assert.InDelta(t, w.s*math.Sqrt(w.v), a.SE[i], eps)
	}
	z := distuv.UnitNormal.Quantile(0.975)
	assert.InDelta(t, 2.0/3*math.Exp(-z/math.Sqrt(12)), a.Lower[1], eps)
	assert.Equal(t, 1.0, a.Upper[1]) // 2/3·exp(1.96/√12) > 1: cut at 1

	s, se, lo, hi, nr := a.At(2.5)
	assert.InDelta(t, 2.0/3, s, eps)
	assert.InDelta(t, 1/math.Sqrt(27), se, eps)
	assert.Equal(t, a.Lower[1], lo)
	assert.Equal(t, 1.0, hi)
	assert.Equal(t, 3, nr) // 3C, 4E, 6C
	s, se, lo, hi, nr = a.At(0.5)
	assert.Equal(t, []float64{1, 0, 1, 1}, []float64{s, se, lo, hi})
	assert.Equal(t, 6, nr)
	_, _, _, _, nr = a.At(7)
	assert.Equal(t, 0, nr)

	b, err := KaplanMeier([]float64{1, 2, 3, 3, 6, 6}, []bool{false, true, true, false, true, true}, 0.95)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{1, 0.8, 0.6, 0}, b.Surv, eps)
	assert.True(t, math.IsInf(b.SELog[3], 1))
	assert.True(t, math.IsNaN(b.SE[3]) && math.IsNaN(b.Lower[3]) && math.IsNaN(b.Upper[3]))

	d, err := KMDifference(a, b, 4, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, 4.0/15, d.Estimate.Estimate, eps)
	assert.InDelta(t, 2.0/3, d.MeanTreatment, eps)
	assert.InDelta(t, 2.0/5, d.MeanControl, eps)
	assert.InDelta(t, math.Sqrt(1523.0/13500), d.SE, eps)
	assert.InDelta(t, 4.0/15-z*math.Sqrt(1523.0/13500), d.CILow, eps)
	assert.InDelta(t, 2*distuv.UnitNormal.CDF(-4.0/15/math.Sqrt(1523.0/13500)), d.PValue, eps)
	assert.Equal(t, 2, d.NRiskTreatment) // 4E, 6C
	assert.Equal(t, 2, d.NRiskControl)   // 6E, 6E

	// S_b reached 0 at 6: the estimate, but no SE.
	d, err = KMDifference(a, b, 6, 0.95)
	assert.ErrorIs(t, err, ErrKMUndefinedVariance)
	assert.InDelta(t, 2.0/3-1, d.Estimate.Estimate, eps)
	assert.True(t, math.IsNaN(d.SE) && math.IsNaN(d.CILow) && math.IsNaN(d.PValue))
	_, err = KMDifference(a, b, 6.5, 0.95)
	assert.ErrorIs(t, err, ErrKMNotObservable)
	_, err = KMDifference(a, b, math.NaN(), 0.95)
	assert.ErrorIs(t, err, ErrKMNotObservable)
}

func TestKaplanMeierEdgeCases(t *testing.T) {
	_, err := KaplanMeier(nil, nil, 0.95)
	assert.Error(t, err)
	for _, bad := range []float64{math.NaN(), -1, math.Inf(1)} {
		_, err = KaplanMeier([]float64{1, bad}, []bool{true, false}, 0.95)
		assert.Error(t, err, bad)
	}
	assert.Panics(t, func() { KaplanMeier([]float64{1}, nil, 0.95) })
	assert.Panics(t, func() { KaplanMeier([]float64{1}, []bool{true}, 1) })
	assert.Panics(t, func() { KaplanMeier([]float64{1}, []bool{true}, 0) })
	assert.Panics(t, func() { KaplanMeierConf([]float64{1}, []bool{true}, 0.95, KMConfType(7)) })

	// No events: S = 1 and SE 0 throughout; log-log has no interval at S = 1.
	none, err := KaplanMeierConf([]float64{3, 1, 3}, []bool{false, false, false}, 0.95, KMConfLogLog)
	require.NoError(t, err)
	assert.Equal(t, []float64{1, 1}, none.Surv)
	assert.Equal(t, []float64{0, 0}, none.SE)
	assert.Equal(t, []int{1, 2}, none.NCensor)
	assert.True(t, math.IsNaN(none.Lower[0]) && math.IsNaN(none.Upper[1]))
	none, err = KaplanMeier([]float64{3, 1, 3}, []bool{false, false, false}, 0.95)
	require.NoError(t, err)
	assert.Equal(t, []float64{1, 1}, none.Lower)
	assert.Equal(t, []float64{1, 1}, none.Upper)

	// All censored at time 0: one row; observable at 0 only.
	zero, err := KaplanMeier([]float64{0, 0, 0}, []bool{false, false, false}, 0.95)
	require.NoError(t, err)
	assert.Equal(t, []float64{0}, zero.Time)
	assert.Equal(t, []int{3}, zero.NRisk)
	assert.Equal(t, []int{3}, zero.NCensor)
	assert.Equal(t, []float64{1}, zero.Surv)
	d, err := KMDifference(zero, none, 0, 0.95)
	require.NoError(t, err)
	assert.Equal(t, 0.0, d.Estimate.Estimate)
	assert.Equal(t, 0.0, d.SE)
	assert.Equal(t, []float64{0, 0}, []float64{d.CILow, d.CIHigh})
	assert.True(t, math.IsNaN(d.PValue))
	_, err = KMDifference(zero, none, 1, 0.95)
	assert.ErrorIs(t, err, ErrKMNotObservable)
	_, err = KMDifference(none, zero, 1, 0.95)
	assert.ErrorIs(t, err, ErrKMNotObservable)

	assert.Panics(t, func() { zero.At(math.NaN()) })
	assert.Panics(t, func() { KMCurve{}.At(1) })
	assert.Panics(t, func() { KMDifference(zero, none, 0, 1.5) })
	assert.Panics(t, func() { KMDifference(KMCurve{}, none, 0, 0.95) })
	assert.Equal(t, "log-log", KMConfLogLog.String())
}
