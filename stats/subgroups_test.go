package stats

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Cochran's Q from the subgroups' differences in means and Neyman SEs
// equals the HC2 Wald test of equal interactions in R.
func TestEqualEffectsGolden(t *testing.T) {
	data := readGolden(t, "subgroups_data.csv")
	want := readGolden(t, "subgroups_expected.csv")[0]
	ys, zs := map[string][]float64{}, map[string][]bool{}
	for _, r := range data {
		g := r["group"]
		ys[g], zs[g] = append(ys[g], num(t, r["y"])), append(zs[g], r["z"] == "1")
	}
	var est, se []float64
	for _, g := range []string{"a", "b", "c", "d"} {
		e, err := DifferenceInMeans(ys[g], zs[g], 0.95)
		require.NoError(t, err)
		est, se = append(est, e.Estimate), append(se, e.SE)
	}
	q, err := EqualEffects(est, se)
	require.NoError(t, err)
	assert.InDelta(t, num(t, want["statistic"]), q.Statistic, 1e-10)
	assert.Equal(t, num(t, want["df"]), q.DF)
	assert.InDelta(t, num(t, want["p_value"]), q.PValue, 1e-10)

	// By hand: estimates 1 and 3 with SEs 1: τ̄ = 2, Q = 1 + 1 = 2 on 1 df.
	q, err = EqualEffects([]float64{1, 3}, []float64{1, 1})
	require.NoError(t, err)
	assert.InDelta(t, 2, q.Statistic, 1e-15)
	_, err = EqualEffects([]float64{1}, []float64{1})
	assert.Error(t, err)
	_, err = EqualEffects([]float64{1, 2}, []float64{1, 0})
	assert.Error(t, err)
}
