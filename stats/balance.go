package stats

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// StandardizedMeanDifference is (ȳₜ − ȳ꜀) / √((s²ₜ + s²꜀)/2): the difference
// in means over the pooled standard deviation of the two arms, as used for
// covariate balance (Austin 2009, Stat Med 28:3083; Imbens & Rubin 2015,
// ch. 14). It is NaN when both variances are zero.
func StandardizedMeanDifference(meanT, meanC, varT, varC float64) float64 {
	sd := math.Sqrt((varT + varC) / 2)
	if sd == 0 {
		return math.NaN()
	}
	return (meanT - meanC) / sd
}

// ChiSquare is the result of a χ² test.
type ChiSquare struct {
	Statistic float64
	DF        float64
	PValue    float64
}

// ChiSquareIndependence is Pearson's χ² test of independence of the rows and
// columns of a contingency table of counts, without continuity correction:
//
//	X² = Σᵢⱼ (Oᵢⱼ − Eᵢⱼ)²/Eᵢⱼ,  Eᵢⱼ = rowᵢ·colⱼ/total,  df = (r−1)(c−1),
//
// with rows or columns whose total is zero left out, so that no expected
// count is zero. It equals R chisq.test(table, correct = FALSE). It returns an
// error when a cell is negative, NaN or infinite (not a count) or when fewer
// than two non-empty rows or columns remain; it panics on a ragged table.
func ChiSquareIndependence(table [][]float64) (ChiSquare, error) {
	var rows, cols []float64
	for i, r := range table {
		if len(r) != len(table[0]) {
			panic("stats: ChiSquareIndependence: ragged table")
		}
		for _, v := range r {
			if !(v >= 0) || math.IsInf(v, 1) {
				return ChiSquare{}, errors.New("stats: χ² test: a cell is not a count (negative, NaN or infinite)")
			}
		}
		rows = append(rows, 0)
		for j, v := range r {
			if i == 0 {
				cols = append(cols, 0)
			}
			rows[i] += v
			cols[j] += v
		}
	}
	var total float64
	nr, nc := 0, 0
	for _, r := range rows {
		total += r
		if r > 0 {
			nr++
		}
	}
	for _, c := range cols {
		if c > 0 {
			nc++
		}
	}
	if nr < 2 || nc < 2 {
		return ChiSquare{}, errors.New("stats: χ² test needs at least two non-empty rows and columns")
	}
	var x2 float64
	for i, r := range table {
		for j, o := range r {
			if rows[i] == 0 || cols[j] == 0 {
				continue
			}
			e := rows[i] * cols[j] / total
			x2 += (o - e) * (o - e) / e
		}
	}
	df := float64((nr - 1) * (nc - 1))
	return ChiSquare{Statistic: x2, DF: df, PValue: distuv.ChiSquared{K: df}.Survival(x2)}, nil
}

// FTest is the result of an F test.
type FTest struct {
	Statistic float64
	DF1, DF2  float64
	PValue    float64
}

// ErrPerfectFit is returned by RegressionFTest when the covariates predict the
// response exactly: the residual sum of squares is zero up to rounding, so the
// F statistic is infinite (or, computed, rounding noise) and its p-value
// meaningless. In a balance test it means some covariate, or a combination of
// them, is a copy of the assignment. R's summary.lm warns "essentially perfect
// fit: summary may be unreliable" in this case.
var ErrPerfectFit = errors.New("stats: F test: the covariates predict the response perfectly (residual sum of squares 0)")

// strataIndex numbers the strata 0 … groups−1 in order of appearance; nil
// strata are one stratum.
func strataIndex(strata []int, n int) (group []int, groups int) {
	group = make([]int, n)
	if strata == nil {
		return group, 1
	}
	index := map[int]int{}
	for i, s := range strata {
		g, ok := index[s]
		if !ok {
			g = len(index)
			index[s] = g
		}
		group[i] = g
	}
	return group, len(index)
}

// perfectFitTol is the residual sum of squares, relative to the total, at or
// below which a fit counts as perfect. Rounding leaves a residual of about
// 1e-16·TSS (it can even come out negative) when the fit is exact, and an F
// statistic built on that is noise: at some sample sizes it gave p ≈ 1e-16,
// at others a negative F that made the F distribution panic. 1e-10 is far
// above that noise and far below any residual a real, imperfect fit leaves
// (R² > 1 − 1e-10).
const perfectFitTol = 1e-10

// RegressionFTest is the overall F test of the ordinary least squares
// regression of y on an intercept and the columns of x: the null that all
// slopes are zero,
//
//	F = ((TSS − RSS)/k) / (RSS/(n − k − 1)),  on (k, n − k − 1) df,
//
// where k is the rank of the centred x (collinear columns add nothing). It
// equals summary(lm(y ~ x))$fstatistic in R. Used as the joint balance test,
// regressing the treatment indicator on all baseline covariates (Hansen &
// Bowers 2008 discuss it and alternatives).
//
// It returns an error, never a panic, for data it cannot test: no rows or no
// covariates, a NaN or infinite value, a constant y, no residual degrees of
// freedom, and ErrPerfectFit when RSS ≤ 1e-10·TSS (the F statistic would be
// infinite; the FTest returned with it has the degrees of freedom, Statistic
// +Inf and PValue NaN). It panics only if x and y differ in rows.
func RegressionFTest(x *mat.Dense, y []float64) (FTest, error) {
	return RegressionFTestWithin(x, y, nil)
}

// RegressionFTestWithin is RegressionFTest conditional on strata: the F test
// that the columns of x add nothing to the regression of y on stratum fixed
// effects (an intercept per stratum, not tested),
//
//	F = ((RSS₀ − RSS)/k) / (RSS/(n − k − J)),  on (k, n − k − J) df,
//
// computed by centring y and x within strata (Frisch–Waugh–Lovell). It
// equals anova(lm(y ~ factor(s)), lm(y ~ factor(s) + x)) in R. In a trial
// randomised within strata the strata are balanced by design, and testing
// them would only dilute the test of the covariates. strata nil is one
// stratum: RegressionFTest. Errors are RegressionFTest's (a response
// constant within every stratum is "constant"). It panics if x, y and
// strata differ in rows.
func RegressionFTestWithin(x *mat.Dense, y []float64, strata []int) (FTest, error) {
	n, k := x.Dims()
	if n != len(y) || (strata != nil && len(strata) != n) {
		panic("stats: RegressionFTest: x, y and strata differ in rows")
	}
	if k == 0 {
		return FTest{}, errors.New("stats: F test: no covariates")
	}
	if n == 0 {
		return FTest{}, errors.New("stats: F test: no observations")
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return FTest{}, errors.New("stats: F test: the response has a NaN or infinite value")
		}
		for j := range k {
			if w := x.At(i, j); math.IsNaN(w) || math.IsInf(w, 0) {
				return FTest{}, errors.New("stats: F test: a covariate has a NaN or infinite value")
			}
		}
	}
	// Centre y and the columns of x within strata: that removes the
	// intercepts.
	group, groups := strataIndex(strata, n)
	centre := func(v func(i int) float64, dst func(i int, c float64)) {
		sum, count := make([]float64, groups), make([]float64, groups)
		for i := range n {
			sum[group[i]] += v(i)
			count[group[i]]++
		}
		for i := range n {
			dst(i, v(i)-sum[group[i]]/count[group[i]])
		}
	}
	yc := mat.NewVecDense(n, nil)
	centre(func(i int) float64 { return y[i] }, yc.SetVec)
	tss := 0.0
	for i := range n {
		tss += yc.AtVec(i) * yc.AtVec(i)
	}
	constant := true
	for i := range n {
		constant = constant && yc.AtVec(i) == 0
	}
	if constant || tss == 0 {
		return FTest{}, errors.New("stats: F test: the response is constant")
	}
	xc := mat.NewDense(n, k, nil)
	for j := range k {
		centre(func(i int) float64 { return x.At(i, j) }, func(i int, c float64) { xc.Set(i, j, c) })
	}
	// Project yc on the column space of xc through a rank-revealing SVD.
	var svd mat.SVD
	if !svd.Factorize(xc, mat.SVDThin) {
		return FTest{}, errors.New("stats: F test: SVD failed")
	}
	var u mat.Dense
	svd.UTo(&u)
	vals := svd.Values(nil)
	rank := 0
	tol := 1e-10 * vals[0]
	ess := 0.0
	for j, s := range vals {
		if s <= tol {
			continue
		}
		rank++
		d := mat.Dot(u.ColView(j), yc)
		ess += d * d
	}
	rss := tss - ess
	df2 := float64(n - rank - groups)
	if rank == 0 || df2 <= 0 {
		return FTest{}, errors.New("stats: F test: no residual degrees of freedom")
	}
	df1 := float64(rank)
	if math.IsNaN(rss) || math.IsInf(rss, 0) {
		return FTest{}, errors.New("stats: F test: the residual sum of squares is not a number (overflow)")
	}
	// A negative rss is rounding of 0.
	if rss <= perfectFitTol*tss {
		return FTest{Statistic: math.Inf(1), DF1: df1, DF2: df2, PValue: math.NaN()}, ErrPerfectFit
	}
	f := (ess / df1) / (rss / df2)
	res := FTest{Statistic: f, DF1: df1, DF2: df2, PValue: math.NaN()}
	// F's CDF panics on a negative argument and is NaN at +Inf: only a finite
	// F ≥ 0 has a p-value.
	if f >= 0 && !math.IsInf(f, 1) {
		res.PValue = distuv.F{D1: df1, D2: df2}.Survival(f)
	}
	return res, nil
}
