package stats

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// RobustWaldTest tests that the coefficients of the columns test (indices
// into x) are all zero in the ordinary least squares regression of y on the
// columns of x (which must hold the intercept if one is wanted), with a
// heteroskedasticity-robust variance V of type HC0 … HC3 (see RobustOLS):
//
//	W = b_Tᵀ V_TT⁻¹ b_T,  F = W/q  on (q, n − k) df,
//
// q = len(test). It equals the Wald test of those coefficients after R
// estimatr::lm_robust(y ~ x, se_type = "HC2"), that is
// car::linearHypothesis(fit, test = "F"), and it is the joint balance test
// that does not assume equal variances (the classical F assumes them).
// FTest holds F, its df and p-value.
//
// It returns an error, never a panic, for data it cannot test: NaN or
// infinite values, n ≤ k, a design whose columns are linearly dependent
// (within 1e-10; drop the aliased columns first), a leverage of 1 with
// HC2/HC3, or V_TT not positive definite. It panics if the columns differ
// in length from y, a test index is out of range, or the type is CR2 or
// not a type.
func RobustWaldTest(y []float64, x [][]float64, test []int, t VarianceType) (FTest, error) {
	n, k := len(y), len(x)
	for _, c := range x {
		if len(c) != n {
			panic("stats: RobustWaldTest: a column differs in length from y")
		}
	}
	for _, j := range test {
		if j < 0 || j >= k {
			panic("stats: RobustWaldTest: a test index is out of range")
		}
	}
	if t < HC0 || t > HC3 {
		panic("stats: RobustWaldTest: the variance must be HC0, HC1, HC2 or HC3")
	}
	if len(test) == 0 {
		return FTest{}, errors.New("stats: Wald test: no coefficient to test")
	}
	if n <= k {
		return FTest{}, ErrNoResidualDF
	}
	for i := range n {
		if math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
			return FTest{}, errors.New("stats: Wald test: the response has a NaN or infinite value")
		}
		for _, c := range x {
			if math.IsNaN(c[i]) || math.IsInf(c[i], 0) {
				return FTest{}, errors.New("stats: Wald test: a regressor has a NaN or infinite value")
			}
		}
	}
	// The sums below run over each row's non-zero regressors: balance
	// designs are mostly dummies (a jobcentre's among a hundred), so they
	// cost O(Σ nnzᵢ²), not O(n·k²). Skipping a zero term leaves a sum
	// exactly as it was.
	nzCols, nzVals := make([]int, 0, k), make([]float64, 0, k)
	row := func(i int) ([]int, []float64) {
		nzCols, nzVals = nzCols[:0], nzVals[:0]
		for a, c := range x {
			if c[i] != 0 {
				nzCols, nzVals = append(nzCols, a), append(nzVals, c[i])
			}
		}
		return nzCols, nzVals
	}
	// X'X and X'y.
	xtx := mat.NewSymDense(k, nil)
	xty := make([]float64, k)
	sums := xtx.RawSymmetric().Data // upper triangle, row a at a·k
	for i := range n {
		cols, vals := row(i)
		for p, a := range cols {
			for q := p; q < len(cols); q++ {
				sums[a*k+cols[q]] += vals[p] * vals[q]
			}
			xty[a] += vals[p] * y[i]
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(xtx) || chol.Cond() > 1e10 {
		return FTest{}, errors.New("stats: Wald test: the regressors are linearly dependent")
	}
	var inv mat.SymDense
	if err := chol.InverseTo(&inv); err != nil {
		return FTest{}, fmt.Errorf("stats: Wald test: %w", err)
	}
	beta := mat.NewVecDense(k, nil)
	beta.MulVec(&inv, mat.NewVecDense(k, xty))
	// Meat: Σ ωᵢ xᵢxᵢ' with ωᵢ = eᵢ²·c(hᵢᵢ), hᵢᵢ = xᵢ'(X'X)⁻¹xᵢ.
	meat := mat.NewSymDense(k, nil)
	meatSums := meat.RawSymmetric().Data
	for i := range n {
		cols, vals := row(i)
		fit := 0.0
		for p, a := range cols {
			fit += vals[p] * beta.AtVec(a)
		}
		e := y[i] - fit
		w := e * e
		if t == HC2 || t == HC3 {
			h := 0.0
			for p, a := range cols {
				s := 0.0
				for q, b := range cols {
					s += inv.At(a, b) * vals[q]
				}
				h += vals[p] * s
			}
			if 1-h <= 1e-10 {
				return FTest{}, errors.New("stats: Wald test: an observation has leverage 1")
			}
			if t == HC2 {
				w /= 1 - h
			} else {
				w /= (1 - h) * (1 - h)
			}
		}
		for p, a := range cols {
			wa := w * vals[p]
			for q := p; q < len(cols); q++ {
				meatSums[a*k+cols[q]] += wa * vals[q]
			}
		}
	}
	if t == HC1 {
		meat.ScaleSym(float64(n)/float64(n-k), meat)
	}
	var bread, v mat.Dense
	bread.Mul(&inv, meat)
	v.Mul(&bread, &inv)
	q := len(test)
	vtt := mat.NewSymDense(q, nil)
	bt := mat.NewVecDense(q, nil)
	for a, ja := range test {
		bt.SetVec(a, beta.AtVec(ja))
		for b := a; b < q; b++ {
			vtt.SetSym(a, b, v.At(ja, test[b]))
		}
	}
	var c2 mat.Cholesky
	if !c2.Factorize(vtt) {
		return FTest{}, errors.New("stats: Wald test: the variance of the tested coefficients is not positive definite")
	}
	sol := mat.NewVecDense(q, nil)
	if err := c2.SolveVecTo(sol, bt); err != nil {
		return FTest{}, fmt.Errorf("stats: Wald test: %w", err)
	}
	w := mat.Dot(bt, sol)
	df1, df2 := float64(q), float64(n-k)
	f := w / df1
	return FTest{Statistic: f, DF1: df1, DF2: df2, PValue: distuv.F{D1: df1, D2: df2}.Survival(f)}, nil
}
