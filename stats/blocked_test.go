package stats

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The golden "hand" case worked by hand. Block 1 (4 of 10): treated 1, 3
// (mean 2, variance 2), control 2, 6 (mean 4, variance 8): d₁ = −2,
// V₁ = 2/2 + 8/2 = 5. Block 2 (6 of 10): treated 10, 0, 4 (mean 14/3,
// variance 76/3), control 8, 5, 7 (mean 20/3, variance 7/3): d₂ = −2,
// V₂ = 76/9 + 7/9 = 83/9. τ̂ = 0.4·(−2) + 0.6·(−2) = −2,
// SE² = 0.16·5 + 0.36·83/9 = 4.12, df = 10 − 2·2 = 6.
func TestBlockedDifferenceInMeansByHand(t *testing.T) {
	y := []float64{1, 3, 2, 6, 10, 0, 4, 8, 5, 7}
	z := []bool{true, true, false, false, true, true, true, false, false, false}
	b := []int{1, 1, 1, 1, 2, 2, 2, 2, 2, 2}
	psi := make([]float64, len(y))
	e, err := BlockedDifferenceInMeans(y, z, b, 0.95, psi)
	require.NoError(t, err)
	assert.InDelta(t, -2, e.Estimate.Estimate, 1e-14)
	assert.InDelta(t, 4.12, e.SE*e.SE, 1e-13)
	assert.Equal(t, 6.0, e.DF)
	assert.Equal(t, 2, e.Blocks)
	assert.False(t, e.PairMatched)
	assert.Equal(t, 5, e.NTreatment)
	assert.Equal(t, 5, e.NControl)
	// Block-weighted means: 0.4·2 + 0.6·14/3 = 3.6 and 0.4·4 + 0.6·20/3 = 5.6.
	assert.InDelta(t, 3.6, e.MeanTreatment, 1e-14)
	assert.InDelta(t, 5.6, e.MeanControl, 1e-14)
	// ψ of the first person: 0.4·(1 − 2)/√(2·1).
	assert.InDelta(t, -0.4/math.Sqrt(2), psi[0], 1e-15)
	assert.InDelta(t, 4.12, sumSquares(psi, nil), 1e-13)
	// The block labels are only labels.
	e2, err := BlockedDifferenceInMeans(y, z, []int{9, 9, 9, 9, -3, -3, -3, -3, -3, -3}, 0.95, nil)
	require.NoError(t, err)
	assert.Equal(t, e.Estimate, e2.Estimate)
}

// Three pairs (treated, control): (5, 3), (2, 2), (7, 4): differences 2, 0,
// 3, τ̂ = 5/3, SE² = ((1/3)² + (5/3)² + (4/3)²)/(3·2) = 7/9, df = 2.
func TestBlockedDifferenceInMeansPairsByHand(t *testing.T) {
	y := []float64{5, 3, 2, 2, 4, 7}
	z := []bool{true, false, true, false, false, true}
	b := []int{1, 1, 2, 2, 3, 3}
	psi := make([]float64, len(y))
	e, err := BlockedDifferenceInMeans(y, z, b, 0.95, psi)
	require.NoError(t, err)
	assert.True(t, e.PairMatched)
	assert.InDelta(t, 5.0/3, e.Estimate.Estimate, 1e-14)
	assert.InDelta(t, 7.0/9, e.SE*e.SE, 1e-14)
	assert.Equal(t, 2.0, e.DF)
	// The pair sums of ψ are (dⱼ − τ̂)/√6.
	assert.InDelta(t, (2-5.0/3)/math.Sqrt(6), psi[0]+psi[1], 1e-15)
	assert.InDelta(t, 7.0/9, sumSquares(psi, b), 1e-14)
}

// ψ is linear in y in the blocked design: Σψ₁ψ₂ is the covariance of two
// estimates on the same persons, SE²(y₁+y₂) = SE²₁ + SE²₂ + 2Σψ₁ψ₂.
func TestBlockedInfluenceCovariance(t *testing.T) {
	y1 := []float64{1, 3, 2, 6, 10, 0, 4, 8, 5, 7, 3, 3}
	y2 := []float64{0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1}
	z := []bool{true, true, false, false, true, true, true, false, false, false, true, false}
	b := []int{1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 2}
	sum := make([]float64, len(y1))
	for i := range sum {
		sum[i] = y1[i] + y2[i]
	}
	p1, p2, ps := make([]float64, len(y1)), make([]float64, len(y1)), make([]float64, len(y1))
	_, err := BlockedDifferenceInMeans(y1, z, b, 0.95, p1)
	require.NoError(t, err)
	_, err = BlockedDifferenceInMeans(y2, z, b, 0.95, p2)
	require.NoError(t, err)
	es, err := BlockedDifferenceInMeans(sum, z, b, 0.95, ps)
	require.NoError(t, err)
	cov := 0.0
	for i := range p1 {
		assert.InDelta(t, p1[i]+p2[i], ps[i], 1e-14)
		cov += p1[i] * p2[i]
	}
	assert.InDelta(t, es.SE*es.SE, sumSquares(p1, nil)+sumSquares(p2, nil)+2*cov, 1e-13)
}

func TestBlockedDifferenceInMeansErrors(t *testing.T) {
	var be *BlockError
	// An arm empty in all blocks.
	_, err := BlockedDifferenceInMeans([]float64{1, 2, 3, 4}, []bool{true, true, true, true}, []int{1, 1, 2, 2}, 0.95, nil)
	assert.ErrorIs(t, err, ErrTooFew)
	_, err = BlockedDifferenceInMeans(nil, nil, nil, 0.95, nil)
	assert.ErrorIs(t, err, ErrTooFew)
	// A block of one unit (estimatr: "All `blocks` must have multiple units").
	_, err = BlockedDifferenceInMeans([]float64{1, 2, 3, 4, 5}, []bool{true, false, true, false, true}, []int{1, 1, 2, 2, 3}, 0.95, nil)
	require.True(t, errors.As(err, &be), err)
	assert.Equal(t, []int{3}, be.Blocks)
	// Blocks with units in one arm only, named in order.
	_, err = BlockedDifferenceInMeans([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
		[]bool{true, true, true, false, false, false, true, true, false, false, true, true},
		[]int{7, 7, 7, 5, 5, 5, 1, 1, 1, 1, 2, 2}, 0.95, nil)
	require.True(t, errors.As(err, &be), err)
	assert.Equal(t, []int{2, 5, 7}, be.Blocks)
	assert.Contains(t, err.Error(), "block 2, 5, 7")
	// A single treated unit in a block of 3 when no block is a pair.
	_, err = BlockedDifferenceInMeans([]float64{1, 2, 3, 4, 5, 6, 7}, []bool{true, false, false, true, true, false, false},
		[]int{1, 1, 1, 2, 2, 2, 2}, 0.95, nil)
	require.True(t, errors.As(err, &be), err)
	assert.Equal(t, []int{1}, be.Blocks)
	// … which the matched-pairs variance allows when another block is a pair.
	e, err := BlockedDifferenceInMeans([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9}, []bool{true, false, false, true, true, false, false, true, false},
		[]int{1, 1, 1, 2, 2, 2, 2, 3, 3}, 0.95, nil)
	require.NoError(t, err)
	assert.True(t, e.PairMatched)
	assert.Equal(t, 2.0, e.DF)
	// One pair only.
	_, err = BlockedDifferenceInMeans([]float64{1, 2}, []bool{true, false}, []int{1, 1}, 0.95, nil)
	assert.Error(t, err)
	// NaN.
	_, err = BlockedDifferenceInMeans([]float64{1, math.NaN(), 3, 4}, []bool{true, false, true, false}, []int{1, 1, 1, 1}, 0.95, nil)
	assert.Error(t, err)
	// Programmer errors.
	assert.Panics(t, func() { BlockedDifferenceInMeans([]float64{1}, []bool{true}, nil, 0.95, nil) })
	assert.Panics(t, func() { BlockedDifferenceInMeans([]float64{1}, nil, []int{1}, 0.95, nil) })
	assert.Panics(t, func() { BlockedDifferenceInMeans([]float64{1}, []bool{true}, []int{1}, 0, nil) })
	assert.Panics(t, func() { BlockedDifferenceInMeans([]float64{1}, []bool{true}, []int{1}, 0.95, []float64{}) })
}

// SE 0 follows estimatr: all y equal gives estimate 0, SE 0, interval
// [0, 0], p NaN; y constant within each block's arms but not across them
// gives p 0 (golden cases "constant" and "zero_se").
func TestBlockedDifferenceInMeansZeroSE(t *testing.T) {
	e, err := BlockedDifferenceInMeans([]float64{3, 3, 3, 3, 3, 3, 3, 3}, []bool{true, false, true, false, true, true, false, false},
		[]int{1, 1, 1, 1, 2, 2, 2, 2}, 0.95, nil)
	require.NoError(t, err)
	assert.Zero(t, e.Estimate.Estimate)
	assert.Zero(t, e.SE)
	assert.Equal(t, 4.0, e.DF)
	assert.Zero(t, e.CILow)
	assert.Zero(t, e.CIHigh)
	assert.True(t, math.IsNaN(e.PValue))
}

// BlockedNeyman equals BlockedDifferenceInMeans on the blocks it keeps, and
// leaves out (counting them) the blocks with fewer than two units in an arm.
func TestBlockedNeymanDropsThinBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	n := 400
	y, z, b := make([]float64, n), make([]bool, n), make([]int, n)
	for i := range n {
		b[i] = rng.IntN(6)
		z[i] = rng.IntN(2) == 0
		y[i] = rng.ExpFloat64() * float64(1+b[i])
	}
	// Block 6: one treated, three controls; block 7: empty.
	for _, tr := range []bool{true, false, false, false} {
		y, z, b = append(y, rng.ExpFloat64()), append(z, tr), append(b, 6)
	}
	infl := make([]float64, len(y))
	got, err := BlockedNeyman(y, z, b, 8, 0.95, infl)
	require.NoError(t, err)
	assert.Equal(t, 6, got.Blocks)
	assert.Equal(t, 1, got.DroppedBlocks)
	want, err := BlockedDifferenceInMeans(y[:n], z[:n], b[:n], 0.95, nil)
	require.NoError(t, err)
	for _, pair := range [][2]float64{{want.Estimate.Estimate, got.Estimate.Estimate}, {want.SE, got.SE}, {want.DF, got.DF},
		{want.CILow, got.CILow}, {want.PValue, got.PValue}, {want.MeanTreatment, got.MeanTreatment}} {
		assert.InDelta(t, pair[0], pair[1], 1e-12*max(1, math.Abs(pair[0])))
	}
	ss := 0.0
	for _, v := range infl {
		ss += v * v
	}
	assert.InDelta(t, got.SE*got.SE, ss, 1e-12)
	assert.Equal(t, []float64{0, 0, 0, 0}, infl[n:])
	_, err = BlockedNeyman([]float64{1, 2}, []bool{true, false}, []int{0, 0}, 1, 0.95, nil)
	assert.ErrorIs(t, err, ErrTooFew)
}
