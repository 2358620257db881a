package stats

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A hand-worked case: treated 1, 2, 6 (mean 3, n(n−1) = 6) and control 4, 8
// (mean 6, n(n−1) = 2).
func TestNeymanInfluenceByHand(t *testing.T) {
	y := []float64{1, 4, 2, 8, 6}
	treated := []bool{true, false, true, false, true}
	dst := make([]float64, len(y))
	e, err := DifferenceInMeans(y, treated, 0.95)
	require.NoError(t, err)
	NeymanInfluence(e, y, treated, dst)
	s6, s2 := math.Sqrt(6), math.Sqrt(2)
	want := []float64{-2 / s6, 2 / s2, -1 / s6, -2 / s2, 3 / s6}
	assert.InDeltaSlice(t, want, dst, 1e-15)

	// Σψ² is the Neyman variance: s²ₜ/nₜ + s²꜀/n꜀ = 7/3 + 8/2.
	ss := 0.0
	for _, v := range dst {
		ss += v * v
	}
	assert.InDelta(t, 7.0/3+4, ss, 1e-12)
	assert.InDelta(t, e.SE*e.SE, ss, 1e-12)
}

// BenchmarkDifferenceInMeans: one week's estimate and influence values for
// 80 000 persons at risk, half treated at random, a binary outcome.
func BenchmarkDifferenceInMeans(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	y, treated, dst := make([]float64, 80_000), make([]bool, 80_000), make([]float64, 80_000)
	for i := range y {
		treated[i] = rng.IntN(2) == 1
		if rng.Float64() < 0.1 {
			y[i] = 1
		}
	}
	for b.Loop() {
		e, _ := DifferenceInMeans(y, treated, 0.95)
		NeymanInfluence(e, y, treated, dst)
	}
}
