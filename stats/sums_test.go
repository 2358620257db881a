package stats

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One block: the plain difference in means and its Neyman SE, also from
// values shifted by a constant.
func TestBlockedFromSumsOneBlock(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	y := make([]float64, 61)
	z := make([]bool, len(y))
	for i := range y {
		y[i], z[i] = rng.ExpFloat64()*30, rng.IntN(3) == 0
	}
	want, err := DifferenceInMeans(y, z, 0.95)
	require.NoError(t, err)
	for _, shift := range []float64{0, 27.5} {
		var tr, co ArmSums
		for i, v := range y {
			if z[i] {
				tr.Add(v - shift)
			} else {
				co.Add(v - shift)
			}
		}
		est, se, used := BlockedFromSums([]ArmSums{tr}, []ArmSums{co})
		assert.Equal(t, 1, used)
		assert.InDelta(t, want.Estimate, est, 1e-12)
		assert.InDelta(t, want.SE, se, 1e-12)
	}
}

// Hand-worked two blocks; a third with one treated unit is left out.
// Block A: t = {1, 3}, c = {0, 2, 4}: τ = 2 − 2 = 0, V = 2/2 + 4/3.
// Block B: t = {5, 7, 9}, c = {1, 3}: τ = 7 − 2 = 5, V = 4/3 + 2/2.
// N = 10, weights 1/2 each: τ̂ = 2.5, SE² = (1/4)(7/3) + (1/4)(7/3) = 7/6.
func TestBlockedFromSumsByHand(t *testing.T) {
	sums := func(v ...float64) ArmSums {
		var s ArmSums
		for _, x := range v {
			s.Add(x)
		}
		return s
	}
	tr := []ArmSums{sums(1, 3), sums(5, 7, 9), sums(4)}
	co := []ArmSums{sums(0, 2, 4), sums(1, 3), sums(1, 2, 3)}
	est, se, used := BlockedFromSums(tr, co)
	assert.Equal(t, 2, used)
	assert.InDelta(t, 2.5, est, 1e-14)
	assert.InDelta(t, 7.0/6, se*se, 1e-14)
}
