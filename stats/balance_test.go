package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// alternating returns the treatment indicator 1, 0, 1, 0, … of n persons.
func alternating(n int) []float64 {
	z := make([]float64, n)
	for i := range z {
		z[i] = float64(1 - i%2)
	}
	return z
}

// An ordinary covariate: ages 30–60 that do not line up with the arm.
func ages(n int) []float64 {
	a := make([]float64, n)
	for i := range a {
		a[i] = float64(30 + (i*7)%31)
	}
	return a
}

func columns(cols ...[]float64) *mat.Dense {
	x := mat.NewDense(len(cols[0]), len(cols), nil)
	for j, c := range cols {
		for i, v := range c {
			x.Set(i, j, v)
		}
	}
	return x
}

// Before ErrPerfectFit, regressing the indicator on a copy of itself left an
// RSS of rounding noise, and what came out depended on n and the column
// order. For "copy" (ages, then z): p ≈ 3e-8 at n = 4, p = 1.1e-16 at n = 6,
// 100 and 3000, and at n = 10, 20, 57, 300 and 1000 a negative RSS made the F
// distribution panic ("cephes: parameter out of bounds"). "categorical copy"
// and "affine copy" panicked at other sizes (4, 6, 57, 300, 3000 and 6, 100,
// 300, 1000, 3000) and gave NaN where the RSS came out exactly 0.
func TestRegressionFTestPerfectFit(t *testing.T) {
	for _, n := range []int{4, 6, 10, 20, 57, 100, 300, 1000, 3000} {
		z := alternating(n)
		gruppeK := make([]float64, n) // the dummy of level "K" of a column gruppe = D/K
		affine := make([]float64, n)
		for i, v := range z {
			gruppeK[i] = 1 - v
			affine[i] = 3 + 2*v
		}
		for name, x := range map[string]*mat.Dense{
			"copy":             columns(ages(n), z),
			"categorical copy": columns(gruppeK, ages(n)),
			"affine copy":      columns(affine),
		} {
			var f FTest
			var err error
			require.NotPanics(t, func() { f, err = RegressionFTest(x, z) }, "n=%d %s", n, name)
			assert.ErrorIs(t, err, ErrPerfectFit, "n=%d %s", n, name)
			assert.True(t, math.IsNaN(f.PValue), "n=%d %s: p %v", n, name, f.PValue)
			assert.True(t, math.IsInf(f.Statistic, 1))
		}
	}
}

// Hand-worked: z = 1, 1, 0, 0 and x = 1, 0, 0, 0. Centred, x has
// Sxx = 0.75 and Sxz = 0.5, so ESS = Sxz²/Sxx = 1/3 of TSS = 1 and RSS = 2/3;
// F = (1/3)/1 / ((2/3)/2) = 1 on (1, 2) df. F(1, 2) is T² with 2 df, and
// P(|T₂| > 1) = 1 − 1/√(1 + 2) = 1 − 1/√3.
func TestRegressionFTestByHand(t *testing.T) {
	f, err := RegressionFTest(columns([]float64{1, 0, 0, 0}), []float64{1, 1, 0, 0})
	require.NoError(t, err)
	assert.InDelta(t, 1, f.Statistic, 1e-12)
	assert.Equal(t, 1.0, f.DF1)
	assert.Equal(t, 2.0, f.DF2)
	assert.InDelta(t, 1-1/math.Sqrt(3), f.PValue, 1e-12)

	// A near-copy is not a perfect fit: x = z except for one person in 1000
	// leaves RSS ≈ 1e-3·TSS, a huge but finite F and a p-value of about 0.
	n := 1000
	z := alternating(n)
	x := append([]float64(nil), z...)
	x[0] = 0
	f, err = RegressionFTest(columns(x), z)
	require.NoError(t, err)
	assert.Greater(t, f.Statistic, 1e5)
	assert.False(t, math.IsInf(f.Statistic, 0))
	assert.GreaterOrEqual(t, f.PValue, 0.0)
	assert.Less(t, f.PValue, 1e-12)
}

// Data the F test cannot use gives an error, never a panic.
func TestRegressionFTestErrors(t *testing.T) {
	z := []float64{1, 0, 1, 0, 1}
	x := []float64{1, 2, 3, 4, 6}
	for name, c := range map[string]struct {
		x *mat.Dense
		y []float64
	}{
		"no rows or columns": {&mat.Dense{}, nil},
		"NaN covariate":      {columns([]float64{1, math.NaN(), 3, 4, 6}), z},
		"Inf covariate":      {columns([]float64{1, math.Inf(1), 3, 4, 6}), z},
		"NaN response":       {columns(x), []float64{1, 0, math.NaN(), 0, 1}},
		"constant response":  {columns(x), []float64{0.1, 0.1, 0.1, 0.1, 0.1}},
		"constant covariate": {columns([]float64{2, 2, 2, 2, 2}), z},
		"no residual df":     {columns(x[:2], []float64{3, 1}), z[:2]},
		"saturated":          {columns([]float64{1, 2, 3}, []float64{1, 4, 9}), []float64{1, 0, 1}},
	} {
		var err error
		require.NotPanics(t, func() { _, err = RegressionFTest(c.x, c.y) }, name)
		assert.Error(t, err, name)
		assert.NotErrorIs(t, err, ErrPerfectFit, name)
	}
	assert.Panics(t, func() { RegressionFTest(columns(x), z[:3]) })
}

// Hand-worked: a 2×2 table split perfectly by the arm, 10 and 10. Every
// expected count is 5, so X² = 4·5²/5 = 20 on 1 df, and
// P(χ²₁ > 20) = erfc(√10).
func TestChiSquarePerfectSplitByHand(t *testing.T) {
	c, err := ChiSquareIndependence([][]float64{{10, 0}, {0, 10}})
	require.NoError(t, err)
	assert.InDelta(t, 20, c.Statistic, 1e-12)
	assert.Equal(t, 1.0, c.DF)
	assert.InDelta(t, math.Erfc(math.Sqrt(10)), c.PValue, 1e-15)
}

// Cells that are not counts give an error, never a panic; empty rows and
// columns (zero expected counts) are left out.
func TestChiSquareGuards(t *testing.T) {
	for name, table := range map[string][][]float64{
		"NaN":      {{1, math.NaN()}, {3, 4}},
		"Inf":      {{1, math.Inf(1)}, {3, 4}},
		"negative": {{1, -2}, {3, 4}},
		"one row":  {{1, 2}},
		"empty":    {},
	} {
		var err error
		require.NotPanics(t, func() { _, err = ChiSquareIndependence(table) }, name)
		assert.Error(t, err, name)
	}
	a, err := ChiSquareIndependence([][]float64{{3, 0, 4}, {5, 0, 2}, {0, 0, 0}})
	require.NoError(t, err)
	b, err := ChiSquareIndependence([][]float64{{3, 4}, {5, 2}})
	require.NoError(t, err)
	assert.Equal(t, b, a)
}

// The Welch path never panics: NaN or infinite values and zero variances give
// NaN p-values.
func TestWelchGuards(t *testing.T) {
	for name, xy := range map[string][2][]float64{
		"NaN":           {{1, math.NaN(), 3}, {1, 2, 3}},
		"Inf":           {{1, math.Inf(1), 3}, {1, 2, 3}},
		"zero variance": {{1, 1, 1}, {0, 0, 0}},
		"copy of arm":   {{1, 1, 1, 1}, {0, 0, 0}},
	} {
		var e Estimate
		var err error
		require.NotPanics(t, func() { e, err = WelchTest(xy[0], xy[1], 0.95) }, name)
		require.NoError(t, err, name)
		assert.True(t, math.IsNaN(e.PValue), "%s: p %v", name, e.PValue)
	}
}
