package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Lin's estimate is the difference of the arms' regression lines at the
// overall mean of x, x̄ = 2 here, and with the full interaction its HC2
// variance is the sum of the arms' HC2 variances of those predictions.
//
// Treated x = 0, 1, 2, y = 1, 3, 2: line 2 + (x−1)/2, residuals −½, 1, −½,
// leverages 5/6, 1/3, 5/6, prediction at 2 = 2.5 with weights −1/6, 1/3,
// 5/6: V = (1/36·¼)·6 + (1/9)·(3/2) + (25/36·¼)·6 = 5/4.
// Control x = 1, 3, 5, y = 0, 4, 2: line 2 + (x−3)/2, residuals −1, 2, −1,
// leverages 5/6, 1/3, 5/6, prediction at 2 = 1.5 with weights 7/12, 1/3,
// 1/12: V = (49/144)·6 + (4/9)·(3/2) + (1/144)·6 = 11/4.
// τ̂ = 2.5 − 1.5 = 1, SE² = 5/4 + 11/4 = 4, df = 6 − 4 = 2.
func TestLinByHand(t *testing.T) {
	y := []float64{1, 3, 2, 0, 4, 2}
	z := []bool{true, true, true, false, false, false}
	x := []float64{0, 1, 2, 1, 3, 5}
	psi := make([]float64, 6)
	e, err := Lin(y, z, [][]float64{x}, Variance{Type: HC2}, 0.95, psi)
	require.NoError(t, err)
	assert.InDelta(t, 1, e.Estimate, 1e-14)
	assert.InDelta(t, 2, e.SE, 1e-14)
	assert.Equal(t, 2.0, e.DF)
	assert.InDelta(t, 4, sumSquares(psi, nil), 1e-13)
	assert.Equal(t, 3, e.NTreatment)
	assert.Equal(t, 2.0, e.MeanTreatment)
	assert.Equal(t, 2.0, e.MeanControl)
	// The same as RobustOLS on the design Lin builds.
	zf, xc := indicator(z), make([]float64, 6)
	inter := make([]float64, 6)
	for i := range x {
		xc[i] = x[i] - 2
		inter[i] = zf[i] * xc[i]
	}
	r, err := RobustOLS(y, [][]float64{ones(6), zf, xc, inter}, 1, Variance{Type: HC2}, 0.95, nil)
	require.NoError(t, err)
	assert.InDelta(t, r.Estimate, e.Estimate, 1e-14)
	assert.InDelta(t, r.SE, e.SE, 1e-14)
	// Without covariates it is the difference in means with the Neyman SE.
	y7 := []float64{1, 2, 3, 4, 5, 6, 7}
	z7 := []bool{true, true, true, false, false, false, false}
	l, err := Lin(y7, z7, nil, Variance{Type: HC2}, 0.95, nil)
	require.NoError(t, err)
	assert.InDelta(t, -3.5, l.Estimate, 1e-14)
	assert.InDelta(t, math.Sqrt(0.75), l.SE, 1e-14)
}

func TestLinEdgeCases(t *testing.T) {
	y := []float64{1, 3, 2, 0, 4, 2}
	z := []bool{true, true, true, false, false, false}
	x := []float64{0, 1, 2, 1, 3, 5}
	hc2 := Variance{Type: HC2}
	// An arm empty.
	_, err := Lin(y, make([]bool, 6), [][]float64{x}, hc2, 0.95, nil)
	assert.ErrorIs(t, err, ErrTooFew)
	// n ≤ rank: 4 columns, 4 persons.
	_, err = Lin(y[1:5], z[1:5], [][]float64{x[1:5]}, hc2, 0.95, nil)
	assert.ErrorIs(t, err, ErrNoResidualDF)
	// A covariate that copies the treatment is aliased, as in lm, which
	// leaves the later columns out: the difference in means remains
	// (estimatr's pivoted QR keeps the covariate and reports NA for z).
	cp, err := Lin(y, z, [][]float64{indicator(z)}, hc2, 0.95, nil)
	require.NoError(t, err)
	dm, err := DifferenceInMeans(y, z, 0.95)
	require.NoError(t, err)
	assert.InDelta(t, dm.Estimate, cp.Estimate, 1e-14)
	assert.InDelta(t, dm.SE, cp.SE, 1e-14)
	// A constant covariate is left out.
	c, err := Lin(y, z, [][]float64{x, {7, 7, 7, 7, 7, 7}}, hc2, 0.95, nil)
	require.NoError(t, err)
	assert.InDelta(t, 2, c.SE, 1e-13)
	// NaN in y or a covariate.
	_, err = Lin([]float64{1, 3, math.NaN(), 0, 4, 2}, z, [][]float64{x}, hc2, 0.95, nil)
	assert.Error(t, err)
	_, err = Lin(y, z, [][]float64{{0, 1, math.NaN(), 1, 3, 5}}, hc2, 0.95, nil)
	assert.Error(t, err)
	// A constant y: estimate 0, SE 0, the interval [0, 0], no p-value (lm_lin).
	psi := []float64{9, 9, 9, 9, 9, 9}
	k, err := Lin([]float64{2, 2, 2, 2, 2, 2}, z, [][]float64{x}, hc2, 0.95, psi)
	require.NoError(t, err)
	assert.Zero(t, k.Estimate)
	assert.Zero(t, k.SE)
	assert.Equal(t, 2.0, k.DF)
	assert.True(t, k.CILow == 0 && k.CIHigh == 0 && math.IsNaN(k.PValue))
	assert.Equal(t, make([]float64, 6), psi)
	// CR2 needs clusters; HC types take none.
	_, err = Lin(y, z, [][]float64{x}, Variance{Type: CR2}, 0.95, nil)
	assert.Error(t, err)
	// Programmer errors.
	assert.Panics(t, func() { Lin(y, z[:5], nil, hc2, 0.95, nil) })
	assert.Panics(t, func() { Lin(y, z, [][]float64{x[:5]}, hc2, 0.95, nil) })
	assert.Panics(t, func() { Lin(y, z, nil, hc2, -1, nil) })
}

// Clusters of two; treated cluster means 2, 4, 4 (mean 10/3, variance 4/3),
// control cluster means 1, 6 (variance 12.5). With equal cluster sizes CR2
// is the Neyman variance of the cluster means, SE² = (4/3)/3 + 12.5/2 =
// 241/36, and the Bell–McCaffrey df is that of the unclustered case on
// cluster means, (1/3 + 1/2)² / (1/(3²·2) + 1/(2²·1)) = 25/11. The estimate
// is 10/3 − 7/2 = −1/6.
func TestClusteredDifferenceInMeansByHand(t *testing.T) {
	y := []float64{1, 3, 2, 6, 4, 4, 0, 2, 5, 7}
	z := []bool{true, true, true, true, true, true, false, false, false, false}
	cl := []int{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}
	psi := make([]float64, len(y))
	e, err := ClusteredDifferenceInMeans(y, z, cl, 0.95, psi)
	require.NoError(t, err)
	assert.InDelta(t, -1.0/6, e.Estimate, 1e-14)
	assert.InDelta(t, 241.0/36, e.SE*e.SE, 1e-13)
	assert.InDelta(t, 25.0/11, e.DF, 1e-12)
	assert.InDelta(t, 241.0/36, sumSquares(psi, cl), 1e-13)
	assert.Equal(t, 6, e.NTreatment)
	assert.Equal(t, 4, e.NControl)
}

func TestClusteredDifferenceInMeansEdgeCases(t *testing.T) {
	y := []float64{1, 3, 2, 6, 4, 4, 0, 2, 5, 7}
	z := []bool{true, true, true, true, true, true, false, false, false, false}
	// Treatment varies within cluster 3.
	_, err := ClusteredDifferenceInMeans(y, z, []int{1, 1, 2, 2, 3, 3, 3, 4, 5, 5}, 0.95, nil)
	assert.ErrorContains(t, err, "cluster 3")
	// One control cluster.
	_, err = ClusteredDifferenceInMeans(y, z, []int{1, 1, 2, 2, 3, 3, 4, 4, 4, 4}, 0.95, nil)
	assert.ErrorIs(t, err, ErrTooFew)
	// An arm empty.
	_, err = ClusteredDifferenceInMeans(y, make([]bool, 10), []int{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, 0.95, nil)
	assert.ErrorIs(t, err, ErrTooFew)
	// NaN.
	_, err = ClusteredDifferenceInMeans([]float64{math.NaN(), 3, 2, 6, 4, 4, 0, 2, 5, 7}, z, []int{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, 0.95, nil)
	assert.Error(t, err)
	// y constant within arms: SE 0, no interval.
	e, err := ClusteredDifferenceInMeans([]float64{1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, z, []int{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, 0.95, nil)
	require.NoError(t, err)
	assert.Equal(t, 1.0, e.Estimate)
	assert.Zero(t, e.SE)
	assert.True(t, math.IsNaN(e.PValue))
	// Programmer errors.
	assert.Panics(t, func() { ClusteredDifferenceInMeans(y, z, []int{1}, 0.95, nil) })
	assert.Panics(t, func() { ClusteredDifferenceInMeans(y, z, make([]int, 10), 0.95, make([]float64, 9)) })
}
