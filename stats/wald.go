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
	// X'X and X'y.
	xtx := mat.NewSymDense(k, nil)
	xty := make([]float64, k)
	for a := range k {
		for b := a; b < k; b++ {
			s := 0.0
			for i := range n {
				s += x[a][i] * x[b][i]
			}
			xtx.SetSym(a, b, s)
		}
		for i := range n {
			xty[a] += x[a][i] * y[i]
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
	// Meat: Σ ωᵢ xᵢxᵢ' with ωᵢ = eᵢ²·c(hᵢᵢ).
	meat := mat.NewSymDense(k, nil)
	xi := make([]float64, k)
	ax := mat.NewVecDense(k, nil)
	for i := range n {
		fit := 0.0
		for a := range k {
			xi[a] = x[a][i]
			fit += xi[a] * beta.AtVec(a)
		}
		e := y[i] - fit
		w := e * e
		if t == HC2 || t == HC3 {
			ax.MulVec(&inv, mat.NewVecDense(k, xi))
			h := mat.Dot(ax, mat.NewVecDense(k, xi))
			if 1-h <= 1e-10 {
				return FTest{}, errors.New("stats: Wald test: an observation has leverage 1")
			}
			if t == HC2 {
				w /= 1 - h
			} else {
				w /= (1 - h) * (1 - h)
			}
		}
		meat.SymRankOne(meat, w, mat.NewVecDense(k, xi))
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
