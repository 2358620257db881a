package stats

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

// ratioTol is the tolerance against R's explicit formulas
// (testdata/golden/make_ratio.R), relative to max(1, |want|).
const ratioTol = 1e-10

func TestRatioOfMeansGolden(t *testing.T) {
	xs := map[string][]float64{}
	ys := map[string][]float64{}
	for _, r := range readGolden(t, "ratio_data.csv") {
		if r["arm"] == "x" {
			xs[r["case"]] = append(xs[r["case"]], num(t, r["value"]))
		} else {
			ys[r["case"]] = append(ys[r["case"]], num(t, r["value"]))
		}
	}
	expected := readGolden(t, "ratio_expected.csv")
	require.Len(t, expected, 9)
	worst, worstWhat := 0.0, ""
	check := func(t *testing.T, c, col string, want, got float64) {
		t.Helper()
		if math.IsNaN(want) {
			assert.True(t, math.IsNaN(got), "%s %s: want NaN, got %v", c, col, got)
			return
		}
		d := math.Abs(got-want) / math.Max(1, math.Abs(want))
		if d > worst {
			worst, worstWhat = d, c+" "+col
		}
		assert.LessOrEqual(t, d, ratioTol, "%s %s: want %v, got %v", c, col, want, got)
	}
	kinds := map[FiellerKind]bool{}
	for _, want := range expected {
		c := want["case"]
		t.Run(c, func(t *testing.T) {
			x, y := xs[c], ys[c]
			level := num(t, want["level"])
			infl := make([]float64, len(x)+len(y))
			got, err := RatioOfMeans(x, y, level, infl)
			require.NoError(t, err)
			assert.Equal(t, want["n_x"], strconv.Itoa(got.NTreatment))
			assert.Equal(t, want["n_y"], strconv.Itoa(got.NControl))
			assert.Equal(t, want["fieller_kind"], got.Fieller.Kind.String())
			kinds[got.Fieller.Kind] = true
			tt, p, err := RatioTest(x, y, num(t, want["rho0"]))
			require.NoError(t, err)
			for _, f := range []struct {
				col string
				got float64
			}{
				{"mean_x", got.MeanTreatment}, {"mean_y", got.MeanControl},
				{"estimate", got.Estimate}, {"se", got.SE}, {"ci_low", got.CILow}, {"ci_high", got.CIHigh},
				{"se_log", got.SELog}, {"log_ci_low", got.LogCILow}, {"log_ci_high", got.LogCIHigh},
				{"fieller_low", got.Fieller.Low}, {"fieller_high", got.Fieller.High}, {"fieller_g", got.Fieller.G},
				{"t", tt}, {"p_value", p},
			} {
				check(t, c, f.col, num(t, want[f.col]), f.got)
			}
			// Σψ² is the delta-method variance, Σψ = 0.
			ss, s := 0.0, 0.0
			for _, v := range infl {
				ss += v * v
				s += v
			}
			assert.InDelta(t, got.SE*got.SE, ss, 1e-12*math.Max(1, got.SE*got.SE))
			assert.InDelta(t, 0, s, 1e-12*math.Max(1, got.SE))
			// The set is the ρ whose two-sided pivot test is not rejected.
			z := distuv.UnitNormal.Quantile(0.5 + level/2)
			for _, rho := range []float64{-1e6, -50, -3, -1.5, -0.2, 0, 0.3, 1, 1.7, 2, 2.5, 4, 9, 60, 1e6} {
				tr, _, _ := RatioTest(x, y, rho)
				assert.Equal(t, math.Abs(tr) <= z, got.Fieller.Contains(rho), "%s: ρ = %v, T = %v", c, rho, tr)
			}
		})
	}
	assert.True(t, kinds[FiellerBounded] && kinds[FiellerComplement] && kinds[FiellerEverything])
	t.Logf("largest relative deviation from R: %.3g (%s)", worst, worstWhat)
}

// The hand-worked case of the RatioOfMeans documentation: x = 2, 4, 6 and
// y = 1, 2, 3, means 4 and 2, variances 4 and 1, vₓ = 4/3, vᵧ = 1/3.
func TestRatioOfMeansByHand(t *testing.T) {
	x, y := []float64{2, 4, 6}, []float64{1, 2, 3}
	r, err := RatioOfMeans(x, y, 0.95, nil)
	require.NoError(t, err)
	z := distuv.UnitNormal.Quantile(0.975)
	assert.Equal(t, 2.0, r.Estimate)
	// SE = √(vₓ + R²vᵧ)/ȳ = √(4/3 + 4/3)/2 = √(2/3).
	assert.InDelta(t, math.Sqrt(2.0/3), r.SE, 1e-15)
	// SE(log R) = √(vₓ/x̄² + vᵧ/ȳ²) = √(1/12 + 1/12).
	assert.InDelta(t, math.Sqrt(1.0/6), r.SELog, 1e-15)
	assert.InDelta(t, 2*math.Exp(-z*math.Sqrt(1.0/6)), r.LogCILow, 1e-14)
	// A = 4 − z²/3, B = 8, C = 16 − 4z²/3; B² − AC = (4z²/9)(24 − z²), so
	// the roots are (8 ∓ (2z/3)√(24 − z²))/(4 − z²/3) ≈ 0.7845 and 5.099.
	a, h := 4-z*z/3, 2*z/3*math.Sqrt(24-z*z)
	assert.Equal(t, FiellerBounded, r.Fieller.Kind)
	assert.InDelta(t, (8-h)/a, r.Fieller.Low, 1e-14)
	assert.InDelta(t, (8+h)/a, r.Fieller.High, 1e-14)
	assert.Equal(t, "[0.7845, 5.099]", r.Fieller.String())
	// ρ₀ = 1: T = 2/√(5/3) = 2√(3/5); ρ₀ = 2 = R: T = 0, p = ½.
	tt, p, err := RatioTest(x, y, 1)
	require.NoError(t, err)
	assert.InDelta(t, 2*math.Sqrt(0.6), tt, 1e-15)
	assert.InDelta(t, 0.0606676, p, 1e-7)
	tt, p, err = RatioTest(x, y, 2)
	require.NoError(t, err)
	assert.Equal(t, 0.0, tt)
	assert.Equal(t, 0.5, p)
}

func TestRatioOfMeansEdgeCases(t *testing.T) {
	// A zero control mean: no ratio, but the Fieller set.
	r, err := RatioOfMeans([]float64{5, 6, 7}, []float64{-1, 0, 1}, 0.95, nil)
	assert.ErrorIs(t, err, ErrZeroDenominator)
	assert.True(t, math.IsNaN(r.Estimate) && math.IsNaN(r.SE) && math.IsNaN(r.CILow) && math.IsNaN(r.LogCIHigh))
	assert.Equal(t, 6.0, r.MeanTreatment)
	assert.Equal(t, FiellerComplement, r.Fieller.Kind)
	assert.True(t, math.IsInf(r.Fieller.G, 1))
	// (6 − 0ρ)² ≤ z²(1/3 + ρ²/3): |ρ| ≥ √(108/z² − 1).
	z := distuv.UnitNormal.Quantile(0.975)
	b := math.Sqrt(108/(z*z) - 1)
	assert.InDelta(t, -b, r.Fieller.Low, 1e-13)
	assert.InDelta(t, b, r.Fieller.High, 1e-13)
	assert.Equal(t, "(−∞, -5.207] ∪ [5.207, ∞)", r.Fieller.String())

	r, err = RatioOfMeans([]float64{-1, 0, 2}, []float64{-1, 0, 1}, 0.95, nil)
	assert.ErrorIs(t, err, ErrZeroDenominator)
	assert.Equal(t, FiellerEverything, r.Fieller.Kind)
	assert.Equal(t, "(−∞, ∞)", r.Fieller.String())
	assert.True(t, math.IsNaN(r.Fieller.Low) && math.IsNaN(r.Fieller.High))

	// A control arm of zeros (nobody worked): no ratio is consistent with a
	// treatment mean that is significantly positive, every ratio with one
	// that is not.
	r, err = RatioOfMeans([]float64{5, 6, 7}, []float64{0, 0, 0, 0}, 0.95, nil)
	assert.ErrorIs(t, err, ErrZeroDenominator)
	assert.Equal(t, FiellerEmpty, r.Fieller.Kind)
	assert.Equal(t, "∅", r.Fieller.String())
	assert.False(t, r.Fieller.Contains(2))
	assert.True(t, math.IsNaN(r.Fieller.G))
	r, err = RatioOfMeans([]float64{0, 0, 3}, []float64{0, 0, 0, 0}, 0.95, nil)
	assert.ErrorIs(t, err, ErrZeroDenominator)
	assert.Equal(t, FiellerEverything, r.Fieller.Kind)
	// The test is still defined there: T = 6/√(1/3) against any ρ₀.
	tt, p, err := RatioTest([]float64{5, 6, 7}, []float64{0, 0, 0, 0}, 2)
	require.NoError(t, err)
	assert.InDelta(t, 6*math.Sqrt(3), tt, 1e-13)
	assert.Less(t, p, 1e-20)

	// Zero variances: everything collapses on R.
	infl := make([]float64, 5)
	r, err = RatioOfMeans([]float64{3, 3}, []float64{2, 2, 2}, 0.95, infl)
	require.NoError(t, err)
	assert.Equal(t, 1.5, r.Estimate)
	assert.Equal(t, 0.0, r.SE)
	assert.Equal(t, [4]float64{1.5, 1.5, 1.5, 1.5}, [4]float64{r.CILow, r.CIHigh, r.LogCILow, r.LogCIHigh})
	assert.Equal(t, FiellerSet{Kind: FiellerBounded, Low: 1.5, High: 1.5, G: 0}, r.Fieller)
	assert.Equal(t, make([]float64, 5), infl)
	for rho0, want := range map[float64][2]float64{1: {math.Inf(1), 0}, 2: {math.Inf(-1), 1}} {
		tt, p, err := RatioTest([]float64{3, 3}, []float64{2, 2, 2}, rho0)
		require.NoError(t, err)
		assert.Equal(t, want, [2]float64{tt, p}, "ρ₀ = %v", rho0)
	}
	tt, p, err = RatioTest([]float64{3, 3}, []float64{2, 2, 2}, 1.5)
	require.NoError(t, err)
	assert.True(t, math.IsNaN(tt) && math.IsNaN(p))

	// A negative ratio has no log-scale interval.
	r, err = RatioOfMeans([]float64{1, 2, 3}, []float64{-4, -5, -6}, 0.95, nil)
	require.NoError(t, err)
	assert.Equal(t, -0.4, r.Estimate)
	assert.True(t, math.IsNaN(r.SELog) && math.IsNaN(r.LogCILow) && math.IsNaN(r.LogCIHigh))
	assert.Equal(t, FiellerBounded, r.Fieller.Kind)
	assert.True(t, r.Fieller.Low < -0.4 && -0.4 < r.Fieller.High && r.Fieller.High < 0)

	// Data problems are errors; programming errors panic.
	_, err = RatioOfMeans([]float64{1}, []float64{1, 2}, 0.95, nil)
	assert.ErrorIs(t, err, ErrTooFew)
	_, err = RatioOfMeans(nil, nil, 0.95, nil)
	assert.ErrorIs(t, err, ErrTooFew)
	_, _, err = RatioTest([]float64{1, 2}, []float64{3}, 2)
	assert.ErrorIs(t, err, ErrTooFew)
	_, err = RatioOfMeans([]float64{1, 2}, []float64{1, math.NaN()}, 0.95, nil)
	assert.ErrorContains(t, err, "y has a NaN")
	_, err = RatioOfMeans(nil, []float64{math.Inf(1)}, 0.95, nil)
	assert.ErrorContains(t, err, "y has a NaN or infinite")
	_, _, err = RatioTest([]float64{math.NaN(), 1}, []float64{1, 2}, 2)
	assert.ErrorContains(t, err, "x has a NaN")
	assert.Panics(t, func() { RatioOfMeans([]float64{1, 2}, []float64{1, 2}, 1, nil) })
	assert.Panics(t, func() { RatioOfMeans([]float64{1, 2}, []float64{1, 2}, 0.95, make([]float64, 3)) })
	assert.Panics(t, func() { RatioTest([]float64{1, 2}, []float64{1, 2}, math.NaN()) })
}

// The boundary A = ȳ² − z²vᵧ = 0, reached exactly with ȳ = 2, vᵧ = 1, z = 2:
// the inequality (x̄ − 2ρ)² ≤ 4(vₓ + ρ²) is linear in ρ.
func TestFiellerHalfLines(t *testing.T) {
	// x̄ = 3, vₓ = 1: 9 − 12ρ ≤ 4, ρ ≥ 5/12.
	s := fieller(3, 2, 1, 1, 2)
	assert.Equal(t, FiellerAtLeast, s.Kind)
	assert.InDelta(t, 5.0/12, s.Low, 1e-15)
	assert.True(t, math.IsNaN(s.High))
	assert.Equal(t, "[0.4167, ∞)", s.String())
	assert.True(t, s.Contains(1e9) && !s.Contains(0.4))
	// x̄ = −3: 9 + 12ρ ≤ 4, ρ ≤ −5/12.
	s = fieller(-3, 2, 1, 1, 2)
	assert.Equal(t, FiellerAtMost, s.Kind)
	assert.InDelta(t, -5.0/12, s.High, 1e-15)
	assert.Equal(t, "(−∞, -0.4167]", s.String())
	assert.True(t, s.Contains(-1e9) && !s.Contains(0))
	assert.Equal(t, "FiellerKind(9)", FiellerKind(9).String())
}

// Monte Carlo: 2000 trials of 40 persons per arm, outcome normal with means
// 10 and 5 (ratio 2). The Fieller and log-scale sets should cover 2 about
// 95 % of the time and the one-sided test at ρ₀ = 2 reject about 5 % of the
// time (normal quantiles with 40 per arm: slightly more). Runs in ~10 ms.
func TestRatioMonteCarlo(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const reps, n = 2000, 40
	x, y := make([]float64, n), make([]float64, n)
	var fieller, logCI, delta, reject int
	for range reps {
		for i := range n {
			x[i] = 10 + 3*rng.NormFloat64()
			y[i] = 5 + 2*rng.NormFloat64()
		}
		r, err := RatioOfMeans(x, y, 0.95, nil)
		require.NoError(t, err)
		if r.Fieller.Contains(2) {
			fieller++
		}
		if r.LogCILow <= 2 && 2 <= r.LogCIHigh {
			logCI++
		}
		if r.CILow <= 2 && 2 <= r.CIHigh {
			delta++
		}
		_, p, err := RatioTest(x, y, 2)
		require.NoError(t, err)
		if p < 0.05 {
			reject++
		}
	}
	// With 2000 draws the binomial SE of a coverage near 95 % is 0.5 %.
	for what, c := range map[string]int{"Fieller": fieller, "log": logCI, "delta": delta} {
		cov := float64(c) / reps
		assert.True(t, cov > 0.925 && cov < 0.97, "%s coverage %.3f", what, cov)
	}
	size := float64(reject) / reps
	assert.True(t, size > 0.03 && size < 0.075, "size %.3f", size)
	t.Logf("coverage: Fieller %.3f, log %.3f, delta %.3f; size at ρ₀ = 2: %.3f",
		float64(fieller)/reps, float64(logCI)/reps, float64(delta)/reps, size)
}
