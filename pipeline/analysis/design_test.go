package analysis

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"rcteval/pipeline"
)

// Hand-worked: sex has levels f, m (f is the reference); group has a, b, c
// and a missing value, and c is held only by the fifth person, who is not
// among the first four; age has one missing value (mean of 30, 40, 50 = 40).
func TestBuildDesignByHand(t *testing.T) {
	covs := []pipeline.Covariate{
		numericOf("age", []float64{30, math.NaN(), 40, 50, 60}),
		categoricalOf("sex", []string{"m", "f", "f", "m", "m"}),
		categoricalOf("group", []string{"b", "a", "", "b", "c"}),
		numericOf("one", []float64{7, 7, 7, 7, 8}),
	}
	d := BuildDesign(covs, 4)
	assert.Equal(t, []string{"age", "age (missing)", "sex:m", "group:b", "group:(missing)"}, d.Names)
	assert.Equal(t, [][]float64{
		{30, 40, 40, 50},
		{0, 1, 0, 0},
		{1, 0, 0, 1},
		{1, 0, 0, 1},
		{0, 0, 1, 0},
	}, d.Columns)

	// All five: c appears, "one" varies; no missing value of age left out.
	d = BuildDesign(covs, 5)
	assert.Equal(t, []string{"age", "age (missing)", "sex:m", "group:b", "group:c", "group:(missing)", "one"}, d.Names)
	assert.InDelta(t, 45.0, d.Columns[0][1], 1e-12) // mean of 30, 40, 50, 60
}
