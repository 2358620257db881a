package stats

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// SupTDraws and SupTSeed are the defaults of the simulation behind sup-t
// bands: enough draws that the Monte Carlo error of a 95 % critical value
// is about ±0.01, and a fixed seed, so that the same estimates always give
// the same band.
const (
	SupTDraws = 10000
	SupTSeed  = 20161231
)

// ErrNoBand is returned by SupTCritical when no estimate has a positive
// variance.
var ErrNoBand = errors.New("stats: no estimate with a positive variance: no band")

// SupTCritical returns the critical value c of a simultaneous (sup-t)
// confidence band over K estimates θ̂ₖ with covariance matrix cov: the
// band θ̂ₖ ± c·seₖ, seₖ = √covₖₖ, covers all K true values at once with
// probability level. c is the level quantile of max_k |Zₖ| for Z normal
// with mean 0 and the correlation matrix of cov,
//
//	P(max_k |Zₖ| ≤ c) = level,
//
// estimated from draws draws of Z made with a PCG generator seeded with
// seed (Montiel Olea & Plagborg-Møller 2019, "Simultaneous confidence
// bands", J. Appl. Econometrics 34(1), sec. 3; the normal approximation
// holds when each estimate's degrees of freedom are large). Estimates with
// zero variance are left out of the maximum (their band is the point).
// A covariance that is not positive definite, as an estimate from
// influence functions can be by rounding, is used through its
// eigendecomposition with negative eigenvalues set to zero.
//
// For K = 1 c is the normal quantile z₍₁₊level₎⸝₂; for independent
// estimates it is z₍₁₊level^{1/K}₎⸝₂ (Šidák); it is never below the first and
// never above the Bonferroni value z₍₁₋(1−level)/(2K)₎.
//
// It returns ErrNoBand when every variance is zero or NaN, and panics when
// level is not in (0, 1) or draws < 1.
func SupTCritical(cov mat.Symmetric, level float64, draws int, seed uint64) (float64, error) {
	checkLevel(level)
	if draws < 1 {
		panic("stats: SupTCritical: draws < 1")
	}
	var keep []int
	for k := range cov.SymmetricDim() {
		if v := cov.At(k, k); v > 0 && !math.IsInf(v, 0) {
			keep = append(keep, k)
		}
	}
	if len(keep) == 0 {
		return math.NaN(), ErrNoBand
	}
	m := len(keep)
	corr := mat.NewSymDense(m, nil)
	for a, i := range keep {
		for b := a; b < m; b++ {
			j := keep[b]
			corr.SetSym(a, b, cov.At(i, j)/math.Sqrt(cov.At(i, i)*cov.At(j, j)))
		}
	}
	root := rootOf(corr)
	rng := rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))
	maxima := make([]float64, draws)
	e, z := blas64.Vector{N: m, Inc: 1, Data: make([]float64, m)}, blas64.Vector{N: m, Inc: 1, Data: make([]float64, m)}
	for d := range draws {
		for i := range e.Data {
			e.Data[i] = rng.NormFloat64()
		}
		// z = root·e, by the BLAS calls mat's MulVec makes, without its
		// allocations.
		switch r := root.(type) {
		case *mat.TriDense:
			copy(z.Data, e.Data)
			blas64.Trmv(blas.NoTrans, r.RawTriangular(), z)
		case *mat.Dense:
			blas64.Gemv(blas.NoTrans, 1, r.RawMatrix(), e, 0, z)
		default:
			panic("stats: rootOf returned an unexpected matrix type")
		}
		mx := 0.0
		for _, v := range z.Data {
			mx = max(mx, math.Abs(v))
		}
		maxima[d] = mx
	}
	slices.Sort(maxima)
	// The level quantile: the smallest maximum with at least level·draws
	// draws at or below it.
	idx := int(math.Ceil(level*float64(draws))) - 1
	return maxima[max(0, min(idx, draws-1))], nil
}

// rootOf returns L with L·Lᵀ = s: the Cholesky factor (a *mat.TriDense),
// or, when s is not positive definite, V·√Λ₊ from its eigendecomposition
// (a *mat.Dense).
func rootOf(s *mat.SymDense) mat.Matrix {
	var chol mat.Cholesky
	if chol.Factorize(s) {
		var l mat.TriDense
		chol.LTo(&l)
		return &l
	}
	var eig mat.EigenSym
	if !eig.Factorize(s, true) {
		panic("stats: eigendecomposition failed") // does not happen for a finite symmetric matrix
	}
	var v mat.Dense
	eig.VectorsTo(&v)
	vals := eig.Values(nil)
	for j, l := range vals {
		r := math.Sqrt(max(l, 0))
		for i := range vals {
			v.Set(i, j, v.At(i, j)*r)
		}
	}
	return &v
}
