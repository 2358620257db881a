package reports

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"rcteval/pipeline"
	"rcteval/stats"
)

// BalanceRow is one row of balance.csv. A numeric covariate has one row with
// a Welch test; a categorical one has a row per level (shares) and a row with
// an empty level holding the χ² test; the last row, covariate "joint", holds
// the joint test of all covariates.
type BalanceRow struct {
	Covariate     string
	Level         string
	MeanTreatment float64 // NaN when not applicable
	MeanControl   float64
	Difference    float64
	SMD           float64
	PValue        float64
	Test          string
	Suppressed    string
}

// Names of the tests in balance.csv.
const (
	TestWelch = "welch_t"
	TestChi2  = "chi_squared"
	TestJoint = "ols_f"
	// MissingLevel is the level under which missing values are shown.
	MissingLevel = "(missing)"
)

var nan = math.NaN()

// BalanceTable compares the arms on the stratum and every baseline covariate
// of a. Shares of a level, or of missing values, held by fewer than minCell
// persons in an arm are suppressed (minCell 0 turns this off).
//
// The joint test regresses the treatment indicator on all covariates (numeric
// ones as they are, categorical ones as level dummies, missing as a level of
// its own) by OLS and reports the overall F test; persons with a missing
// numeric covariate are left out of it.
func BalanceTable(a *pipeline.Assignment, minCell int) []BalanceRow {
	covs := a.Covariates
	if a.Stratum != nil {
		covs = append([]pipeline.Covariate{*a.Stratum}, covs...)
	}
	treated := make([]bool, a.Len())
	for i, arm := range a.Arm {
		treated[i] = arm == pipeline.Treatment
	}
	var rows []BalanceRow
	var design [][]float64 // columns of the joint test
	complete := make([]bool, a.Len())
	for i := range complete {
		complete[i] = true
	}
	for ci := range covs {
		c := &covs[ci]
		if c.Numeric {
			var t, k []float64
			col := make([]float64, a.Len())
			for i, v := range c.Values {
				col[i] = v
				if math.IsNaN(v) {
					complete[i] = false
					continue
				}
				if treated[i] {
					t = append(t, v)
				} else {
					k = append(k, v)
				}
			}
			design = append(design, col)
			row := BalanceRow{Covariate: c.Name, Test: TestWelch, MeanTreatment: nan, MeanControl: nan, Difference: nan, SMD: nan, PValue: nan}
			if e, err := stats.WelchTest(t, k, 0.95); err == nil {
				_, vt := stat.MeanVariance(t, nil)
				_, vc := stat.MeanVariance(k, nil)
				row.MeanTreatment, row.MeanControl, row.Difference = e.MeanTreatment, e.MeanControl, e.Estimate
				row.SMD = stats.StandardizedMeanDifference(e.MeanTreatment, e.MeanControl, vt, vc)
				row.PValue = e.PValue
			}
			rows = append(rows, row)
			if missing := a.Len() - len(t) - len(k); missing > 0 {
				rows = append(rows, shareRow(c.Name, MissingLevel, treated, func(i int) bool { return c.Missing(i) }, minCell))
			}
			continue
		}
		levels := c.Levels
		code := func(i int) int { return c.Codes[i] }
		if hasMissing(c) {
			levels = append(append([]string{}, levels...), MissingLevel)
			code = func(i int) int {
				if c.Codes[i] < 0 {
					return len(c.Levels)
				}
				return c.Codes[i]
			}
		}
		table := [][]float64{make([]float64, len(levels)), make([]float64, len(levels))}
		for i := range a.Len() {
			table[b2i(treated[i])][code(i)]++
		}
		for l, name := range levels {
			rows = append(rows, shareRow(c.Name, name, treated, func(i int) bool { return code(i) == l }, minCell))
			if l > 0 { // the first level is the reference
				col := make([]float64, a.Len())
				for i := range col {
					col[i] = float64(b2i(code(i) == l))
				}
				design = append(design, col)
			}
		}
		row := BalanceRow{Covariate: c.Name, Test: TestChi2, MeanTreatment: nan, MeanControl: nan, Difference: nan, SMD: nan, PValue: nan}
		if chi, err := stats.ChiSquareIndependence(table); err == nil {
			row.PValue = chi.PValue
		}
		rows = append(rows, row)
	}
	rows = append(rows, jointRow(design, treated, complete))
	return rows
}

func jointRow(design [][]float64, treated, complete []bool) BalanceRow {
	row := BalanceRow{Covariate: "joint", Test: TestJoint, MeanTreatment: nan, MeanControl: nan, Difference: nan, SMD: nan, PValue: nan}
	var keep []int
	for i, ok := range complete {
		if ok {
			keep = append(keep, i)
		}
	}
	if len(design) == 0 || len(keep) == 0 {
		return row
	}
	x := mat.NewDense(len(keep), len(design), nil)
	z := make([]float64, len(keep))
	for r, i := range keep {
		z[r] = float64(b2i(treated[i]))
		for j, col := range design {
			x.Set(r, j, col[i])
		}
	}
	if f, err := stats.RegressionFTest(x, z); err == nil {
		row.PValue = f.PValue
	}
	return row
}

// shareRow compares the share of persons for whom in(i) holds.
func shareRow(cov, level string, treated []bool, in func(int) bool, minCell int) BalanceRow {
	var n, k [2]float64
	for i, t := range treated {
		n[b2i(t)]++
		if in(i) {
			k[b2i(t)]++
		}
	}
	pt, pc := k[1]/n[1], k[0]/n[0]
	// Sample variances of the 0/1 indicator (divisor n−1), as for numeric covariates.
	vt, vc := pt*(1-pt)*n[1]/(n[1]-1), pc*(1-pc)*n[0]/(n[0]-1)
	row := BalanceRow{Covariate: cov, Level: level, MeanTreatment: pt, MeanControl: pc, Difference: pt - pc,
		SMD: stats.StandardizedMeanDifference(pt, pc, vt, vc), PValue: nan}
	if minCell > 0 && ((k[1] > 0 && k[1] < float64(minCell)) || (k[0] > 0 && k[0] < float64(minCell))) {
		row.MeanTreatment, row.MeanControl, row.Difference, row.SMD = nan, nan, nan, nan
		row.Suppressed = fmt.Sprintf("count<%d", minCell)
	}
	return row
}

func hasMissing(c *pipeline.Covariate) bool {
	for _, v := range c.Codes {
		if v < 0 {
			return true
		}
	}
	return false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
