package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestSupTCriticalKnownCases(t *testing.T) {
	z := func(p float64) float64 { return distuv.UnitNormal.Quantile(p) }
	// One estimate: the pointwise normal quantile.
	c, err := SupTCritical(mat.NewSymDense(1, []float64{4}), 0.95, 40000, 1)
	require.NoError(t, err)
	assert.InDelta(t, z(0.975), c, 0.03)

	// Ten independent estimates with different variances: Šidák.
	k := 10
	diag := mat.NewSymDense(k, nil)
	for i := range k {
		diag.SetSym(i, i, float64(i+1))
	}
	c, err = SupTCritical(diag, 0.95, 40000, 2)
	require.NoError(t, err)
	assert.InDelta(t, z((1+math.Pow(0.95, 1/float64(k)))/2), c, 0.03)

	// Perfectly correlated estimates are one: the pointwise quantile. The
	// matrix is singular (rank 1), so this goes through the eigen root.
	ones := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			ones.SetSym(i, j, 2)
		}
	}
	c, err = SupTCritical(ones, 0.95, 40000, 3)
	require.NoError(t, err)
	assert.InDelta(t, z(0.975), c, 0.03)

	// A zero variance is left out; all zero: no band.
	withZero := mat.NewSymDense(2, []float64{1, 0, 0, 0})
	c, err = SupTCritical(withZero, 0.95, 40000, 4)
	require.NoError(t, err)
	assert.InDelta(t, z(0.975), c, 0.03)
	_, err = SupTCritical(mat.NewSymDense(2, nil), 0.95, 100, 5)
	assert.ErrorIs(t, err, ErrNoBand)
}

// Strongly correlated weeks (AR(1), ρ = 0.9, as weekly outcomes are): the
// value lies between the pointwise and the Bonferroni value, and the same
// seed gives the same value.
func TestSupTCriticalCorrelated(t *testing.T) {
	k := 40
	cov := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			cov.SetSym(i, j, math.Pow(0.9, float64(j-i)))
		}
	}
	c, err := SupTCritical(cov, 0.95, SupTDraws, SupTSeed)
	require.NoError(t, err)
	assert.Greater(t, c, distuv.UnitNormal.Quantile(0.975)+0.2)
	assert.Less(t, c, distuv.UnitNormal.Quantile(1-0.05/(2*float64(k))))
	again, _ := SupTCritical(cov, 0.95, SupTDraws, SupTSeed)
	assert.Equal(t, c, again)
}

// BenchmarkSupTCritical: 10 000 draws over 104 weeks whose estimates are
// correlated as a staggered trial's are (AR(1), ρ = 0.9).
func BenchmarkSupTCritical(b *testing.B) {
	const m = 104
	cov := mat.NewSymDense(m, nil)
	for i := range m {
		for j := i; j < m; j++ {
			cov.SetSym(i, j, math.Pow(0.9, float64(j-i)))
		}
	}
	for b.Loop() {
		if _, err := SupTCritical(cov, 0.95, 10_000, 1); err != nil {
			b.Fatal(err)
		}
	}
}
