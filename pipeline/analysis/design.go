package analysis

import (
	"fmt"
	"math"

	"rcteval/pipeline"
)

// Design is a covariate design matrix over the first n persons of the
// panel (those at risk in a week): numeric columns as they are and
// categorical ones dummy-coded as R's model.matrix does with treatment
// contrasts (one 0/1 column per level but the first present). It has no
// intercept: estimators add what they need.
type Design struct {
	Names   []string    // one per column: "age", "sex:male", "age (missing)"
	Columns [][]float64 // each of length n
}

// BuildDesign codes covs for persons 0 … n-1. Levels no one among them
// holds get no column (they would be all zero, and late weeks lose levels
// as cohorts drop out). Missing values are kept in the design rather than
// dropping the person, so that every week's estimate rests on everyone at
// risk: a missing categorical value is a level of its own, "(missing)"; a
// missing numeric value is set to the mean of those observed and flagged by
// an extra 0/1 column "NAME (missing)" (the missing-indicator method, which
// keeps the estimate consistent in a randomised trial; see Lin 2013, sec. 6).
// A column constant over the n persons (a numeric covariate with one value,
// a categorical one with one level present) is left out: it is aliased with
// the intercept.
func BuildDesign(covs []pipeline.Covariate, n int) Design {
	var d Design
	for i := range covs {
		c := &covs[i]
		if c.Numeric {
			d.addNumeric(c, n)
		} else {
			d.addCategorical(c, n)
		}
	}
	return d
}

func (d *Design) addNumeric(c *pipeline.Covariate, n int) {
	var sum float64
	observed := 0
	for _, v := range c.Values[:n] {
		if !math.IsNaN(v) {
			sum += v
			observed++
		}
	}
	if observed == 0 {
		return
	}
	mean := sum / float64(observed)
	col := make([]float64, n)
	for j, v := range c.Values[:n] {
		col[j] = v
		if math.IsNaN(v) {
			col[j] = mean
		}
	}
	if !constant(col) {
		d.add(c.Name, col)
	}
	if observed < n {
		missing := make([]float64, n)
		for j, v := range c.Values[:n] {
			if math.IsNaN(v) {
				missing[j] = 1
			}
		}
		d.add(c.Name+" (missing)", missing)
	}
}

func (d *Design) addCategorical(c *pipeline.Covariate, n int) {
	// Level len(Levels) is "(missing)".
	counts := make([]int, len(c.Levels)+1)
	code := func(j int) int {
		if c.Codes[j] < 0 {
			return len(c.Levels)
		}
		return c.Codes[j]
	}
	for j := range n {
		counts[code(j)]++
	}
	first := true
	for l, count := range counts {
		if count == 0 || count == n {
			continue
		}
		if first { // the reference level
			first = false
			continue
		}
		name := "(missing)"
		if l < len(c.Levels) {
			name = c.Levels[l]
		}
		col := make([]float64, n)
		for j := range n {
			if code(j) == l {
				col[j] = 1
			}
		}
		d.add(fmt.Sprintf("%s:%s", c.Name, name), col)
	}
}

func (d *Design) add(name string, col []float64) {
	d.Names, d.Columns = append(d.Names, name), append(d.Columns, col)
}

func constant(v []float64) bool {
	for _, x := range v {
		if x != v[0] {
			return false
		}
	}
	return true
}
