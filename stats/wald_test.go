package stats

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The joint Wald test of x1 and x2 beside stratum dummies equals
// estimatr::lm_robust with each HC type and the Wald F computed from its
// variance in R.
func TestRobustWaldTestGolden(t *testing.T) {
	data := readGolden(t, "ftest_within_data.csv")
	n := len(data)
	y := make([]float64, n)
	x := [][]float64{make([]float64, n), make([]float64, n), make([]float64, n)} // intercept, x1, x2
	strata := map[string]int{}
	for _, r := range data {
		if _, ok := strata[r["stratum"]]; !ok && r["stratum"] != "s1" { // s1 is R's reference level
			strata[r["stratum"]] = len(x)
			x = append(x, make([]float64, n))
		}
	}
	for i, r := range data {
		y[i] = num(t, r["z"])
		x[0][i], x[1][i], x[2][i] = 1, num(t, r["x1"]), num(t, r["x2"])
		if j, ok := strata[r["stratum"]]; ok {
			x[j][i] = 1
		}
	}
	for _, want := range readGolden(t, "wald_expected.csv") {
		typ, err := ParseVarianceType(want["se_type"])
		require.NoError(t, err)
		f, err := RobustWaldTest(y, x, []int{1, 2}, typ)
		require.NoError(t, err)
		assert.InDelta(t, num(t, want["statistic"]), f.Statistic, 1e-10, want["se_type"])
		assert.Equal(t, num(t, want["df2"]), f.DF2)
		assert.InDelta(t, num(t, want["p_value"]), f.PValue, 1e-10, want["se_type"])
	}
	// Collinear regressors are an error, not a panic.
	_, err := RobustWaldTest(y, [][]float64{x[0], x[1], x[1]}, []int{1}, HC2)
	assert.Error(t, err)
}
