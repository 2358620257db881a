package stats

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// EqualEffects tests that G independent subgroup estimates τ̂_g with
// standard errors SE_g estimate the same effect: Cochran's (1954) Q,
//
//	Q = Σ_g w_g (τ̂_g − τ̄)²,  w_g = 1/SE_g²,  τ̄ = Σ w_g τ̂_g / Σ w_g,
//
// on G − 1 degrees of freedom (χ²). With the subgroups' Neyman variances it
// is the Wald test that the treatment-by-subgroup interactions of the
// saturated regression y ~ 0 + g + g:z are equal, with HC2 standard errors
// (R estimatr::lm_robust(y ~ 0 + g + g:z, se_type = "HC2"), whose HC2
// variance of each g:z coefficient is that subgroup's Neyman variance and
// whose coefficients of different subgroups are uncorrelated).
//
// It returns an error for fewer than two subgroups or a SE that is not
// positive and finite. It panics if the slices differ in length.
func EqualEffects(est, se []float64) (ChiSquare, error) {
	if len(est) != len(se) {
		panic("stats: EqualEffects: est and se differ in length")
	}
	if len(est) < 2 {
		return ChiSquare{}, errors.New("stats: EqualEffects: fewer than two subgroups")
	}
	var sw, swt float64
	for g := range est {
		if !(se[g] > 0) || math.IsInf(se[g], 0) || math.IsNaN(est[g]) {
			return ChiSquare{}, errors.New("stats: EqualEffects: a subgroup without a positive, finite standard error")
		}
		w := 1 / (se[g] * se[g])
		sw += w
		swt += w * est[g]
	}
	mean := swt / sw
	q := 0.0
	for g := range est {
		d := est[g] - mean
		q += d * d / (se[g] * se[g])
	}
	df := float64(len(est) - 1)
	return ChiSquare{Statistic: q, DF: df, PValue: distuv.ChiSquared{K: df}.Survival(q)}, nil
}
