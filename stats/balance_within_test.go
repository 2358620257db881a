package stats

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// The joint balance test within strata equals R's
// anova(lm(z ~ factor(s)), lm(z ~ factor(s) + x1 + x2)).
func TestRegressionFTestWithinGolden(t *testing.T) {
	data := readGolden(t, "ftest_within_data.csv")
	want := readGolden(t, "ftest_within_expected.csv")[0]
	n := len(data)
	x := mat.NewDense(n, 2, nil)
	z := make([]float64, n)
	strata := make([]int, n)
	for i, r := range data {
		z[i] = num(t, r["z"])
		x.Set(i, 0, num(t, r["x1"]))
		x.Set(i, 1, num(t, r["x2"]))
		strata[i] = int(r["stratum"][1] - '0')
	}
	f, err := RegressionFTestWithin(x, z, strata)
	require.NoError(t, err)
	assert.InDelta(t, num(t, want["statistic"]), f.Statistic, 1e-10)
	assert.Equal(t, num(t, want["df1"]), f.DF1)
	assert.Equal(t, num(t, want["df2"]), f.DF2)
	assert.InDelta(t, num(t, want["p_value"]), f.PValue, 1e-10)
}
