package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Lin estimates the average treatment effect with covariate adjustment as
// Lin (2013): the ordinary least squares coefficient on the treatment
// indicator z in
//
//	y ~ 1 + z + x̃₁ + … + x̃ₘ + z·x̃₁ + … + z·x̃ₘ,
//
// x̃ⱼ = xⱼ − x̄ⱼ the covariates centred at their full-sample means, with the
// variance v (estimatr's default is HC2 without clusters, CR2 with them). It
// equals R estimatr::lm_lin(y ~ z, covariates = ~ x1 + … + xm, se_type = …)
// (with clusters = c for CR2) for the term z: estimate, SE, df (n − rank of
// the design; for CR2 the Bell–McCaffrey df, see RobustOLS), interval and
// p-value. Covariates are numeric columns of length n; a categorical one is
// given as 0/1 columns as R's model.matrix codes it (first level left out).
// Constant covariates, or interactions that are constant (a level with no
// treated person), are aliased and left out, as in estimatr. With no
// covariates it is the regression of y on z (lm_robust(y ~ z)).
//
// NTreatment, NControl, MeanTreatment and MeanControl are the arm counts and
// the raw (unadjusted) arm means of y. influence, when not nil, receives the
// ψᵢ of RobustOLS for the coefficient on z.
//
// When y is constant the estimate is 0 with SE 0, the interval [0, 0] and a
// NaN p-value, as lm_lin reports; other exact fits are as
// in RobustOLS. It returns errors, never panics, on data: an arm empty
// (ErrTooFew, wrapped), a NaN or infinite value, n ≤ rank of the design
// (ErrNoResidualDF), or a Variance RobustOLS rejects. Aliased columns are
// left out in R's lm order (intercept, z, covariates, interactions), so z is
// never aliased when both arms are present: a covariate that copies z is left
// out, and the estimate is the difference in means (estimatr's pivoted QR
// may instead keep the covariate and report NA for z). It panics if a
// covariate, the clusters or influence differ in length from y, or level is
// not in (0, 1).
//
// Lin is PrepareLin followed by (*LinDesign).Estimate: to estimate several
// outcomes on the same persons, treatment, covariates and variance, prepare
// the design once; each outcome then costs O(n·k) instead of O(n·k²).
func Lin(y []float64, treated []bool, covariates [][]float64, v Variance, level float64, influence []float64) (Estimate, error) {
	n := len(y)
	if len(treated) != n {
		panic("stats: Lin: y and treated differ in length")
	}
	if influence != nil && len(influence) != n {
		panic("stats: Lin: influence differs in length from y")
	}
	checkLevel(level)
	d, err := PrepareLin(treated, covariates, v)
	if err != nil {
		// As before the split: y's own errors first, and the arm counts
		// and means with the design's.
		e, aerr := arms(y, treated)
		if aerr != nil {
			return e, aerr
		}
		return e, err
	}
	return d.Estimate(y, level, influence)
}

// LinDesign is a design prepared by PrepareLin for Lin's estimator on many
// outcomes over the same persons, treatment, covariates and variance. Its
// Estimate is safe for concurrent use.
type LinDesign struct {
	ols     *OLSDesign
	treated []bool
}

// PrepareLin prepares Lin's design (see Lin) once for several outcomes:
// (*LinDesign).Estimate(y, level, influence) returns what
// Lin(y, treated, covariates, v, level, influence) returns, at O(n·k) per
// outcome (k = 2 + 2m design columns) after the O(n·k²) of PrepareLin (see
// PrepareOLS). The errors that depend on the design alone are PrepareLin's:
// an arm empty (ErrTooFew, wrapped), a NaN or infinite covariate, n ≤ rank
// of the design (ErrNoResidualDF), or a Variance RobustOLS rejects. It
// keeps no reference to its arguments. It panics if a covariate or the
// clusters differ in length from treated.
func PrepareLin(treated []bool, covariates [][]float64, v Variance) (*LinDesign, error) {
	n := len(treated)
	for _, c := range covariates {
		if len(c) != n {
			panic("stats: Lin: a covariate differs in length from y")
		}
	}
	if v.Clusters != nil && len(v.Clusters) != n {
		panic("stats: Lin: clusters differ in length from y")
	}
	nt := 0
	for _, t := range treated {
		if t {
			nt++
		}
	}
	if nt == 0 || nt == n {
		return nil, fmt.Errorf("stats: %d treated and %d control: %w", nt, n-nt, ErrTooFew)
	}
	m := len(covariates)
	centre := make([]float64, m)
	for j, c := range covariates {
		s := 0.0
		for _, x := range c {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("stats: Lin: covariate %d has a NaN or infinite value", j)
			}
			s += x
		}
		centre[j] = s / float64(n)
	}
	row := func(i int, dst []float64) {
		t := 0.0
		if treated[i] {
			t = 1
		}
		dst[0], dst[1] = 1, t
		for j, c := range covariates {
			x := c[i] - centre[j]
			dst[2+j] = x
			dst[2+m+j] = t * x
		}
	}
	o, err := prepare(design{n: n, k: 2 + 2*m, row: row}, 1, v)
	if err != nil {
		return nil, err
	}
	return &LinDesign{ols: o, treated: slices.Clone(treated)}, nil
}

// Estimate returns Lin's estimate for the outcome y on the prepared design,
// as Lin does (arm counts and raw means, the constant-y convention, the
// influence values written into influence when it is not nil). It returns
// an error if y has a NaN or infinite value, and panics if y or influence
// differ in length from the design or level is not in (0, 1).
func (d *LinDesign) Estimate(y []float64, level float64, influence []float64) (Estimate, error) {
	if len(y) != len(d.treated) {
		panic("stats: LinDesign.Estimate: y differs in length from the design")
	}
	if influence != nil && len(influence) != len(y) {
		panic("stats: Lin: influence differs in length from y")
	}
	checkLevel(level)
	e, err := arms(y, d.treated)
	if err != nil {
		return e, err
	}
	fit, err := d.ols.fit(y, influence)
	if err != nil {
		return e, err
	}
	if constant(y) { // as lm_lin: estimate 0, SE 0, interval [0, 0], p-value NaN
		fit.est, fit.se, fit.exact = 0, 0, false
		clear(influence)
	}
	r := fit.estimate(level)
	r.NTreatment, r.NControl, r.MeanTreatment, r.MeanControl = e.NTreatment, e.NControl, e.MeanTreatment, e.MeanControl
	return r, nil
}

// ClusteredDifferenceInMeans estimates the average treatment effect of a
// cluster-randomised trial as the difference of the arm means, ȳₜ − ȳ꜀ (of
// persons, not of cluster means), with the CR2 standard error and
// Bell–McCaffrey degrees of freedom of the regression of y on an intercept
// and z: exactly what R estimatr::difference_in_means(y ~ z, clusters = c)
// reports, which hands this design to lm_robust(y ~ z, clusters = c,
// se_type = "CR2") (see RobustOLS for the formulas). Treatment must be
// constant within each cluster.
//
// influence, when not nil, receives the CR2 ψᵢ of RobustOLS: their cluster
// sums Ψ_g give SE² = ΣΨ_g².
//
// When y is constant within each arm the SE is 0 and the interval and
// p-value NaN (estimatr reports rounding noise). It returns errors, never
// panics, on data: a cluster with both arms, fewer than two clusters in an
// arm (ErrTooFew, wrapped: the SE would be 0 up to rounding, where estimatr
// reports that noise), a NaN or infinite y. It panics if the slices differ in
// length or level is not in (0, 1).
func ClusteredDifferenceInMeans(y []float64, treated []bool, clusters []int, level float64, influence []float64) (Estimate, error) {
	n := len(y)
	if len(treated) != n || len(clusters) != n {
		panic("stats: ClusteredDifferenceInMeans: y, treated and clusters differ in length")
	}
	if influence != nil && len(influence) != n {
		panic("stats: ClusteredDifferenceInMeans: influence differs in length from y")
	}
	checkLevel(level)
	e, err := arms(y, treated)
	if err != nil {
		return e, err
	}
	arm := map[int]bool{}
	var ct, cc int
	for i, c := range clusters {
		t, seen := arm[c]
		if !seen {
			arm[c] = treated[i]
			if treated[i] {
				ct++
			} else {
				cc++
			}
		} else if t != treated[i] {
			return e, fmt.Errorf("stats: clustered difference in means: cluster %d has treated and control units", c)
		}
	}
	if ct < 2 || cc < 2 {
		return e, fmt.Errorf("stats: clustered difference in means: %d treated and %d control clusters: %w", ct, cc, ErrTooFew)
	}
	row := func(i int, dst []float64) {
		dst[0], dst[1] = 1, 0
		if treated[i] {
			dst[1] = 1
		}
	}
	d, err := prepare(design{n: n, k: 2, row: row}, 1, Variance{Type: CR2, Clusters: clusters})
	if err != nil {
		return e, err
	}
	fit, err := d.fit(y, influence)
	if err != nil {
		return e, err
	}
	fit.est = e.MeanTreatment - e.MeanControl
	r := fit.estimate(level)
	r.NTreatment, r.NControl, r.MeanTreatment, r.MeanControl = e.NTreatment, e.NControl, e.MeanTreatment, e.MeanControl
	return r, nil
}

// arms returns the arm counts and means of y, or an error when an arm is
// empty or y has a NaN or infinite value.
func arms(y []float64, treated []bool) (Estimate, error) {
	var e Estimate
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Estimate{}, errors.New("stats: the outcome has a NaN or infinite value")
		}
		if treated[i] {
			e.NTreatment++
			e.MeanTreatment += v
		} else {
			e.NControl++
			e.MeanControl += v
		}
	}
	if e.NTreatment == 0 || e.NControl == 0 {
		return e, fmt.Errorf("stats: %d treated and %d control: %w", e.NTreatment, e.NControl, ErrTooFew)
	}
	e.MeanTreatment /= float64(e.NTreatment)
	e.MeanControl /= float64(e.NControl)
	return e, nil
}

func constant(y []float64) bool {
	for _, v := range y {
		if v != y[0] {
			return false
		}
	}
	return true
}
