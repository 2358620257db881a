// Package stats holds the estimators and tests of rcteval: pure functions on
// plain slices (and gonum matrices), with no I/O and no pipeline or report
// types. Each function's doc states its formula and its source; results are
// checked against R (estimatr, stats) by golden values in testdata/golden.
//
// Estimators return the n, point estimate, standard error, degrees of freedom,
// confidence interval and p-value of one estimate; callers assemble tidy
// tables, one row per estimate.
//
// # Influence values
//
// BlockedDifferenceInMeans, RobustOLS, Lin and ClusteredDifferenceInMeans
// take an influence slice (nil, or one value per person) into which they
// write each person's influence value ψᵢ: the person's linear contribution
// to the estimate's error, scaled so that the estimator's own variance is
//
//	SE² = Σ_g (Σ_{i∈g} ψᵢ)²,
//
// where g runs over the units the variance treats as independent: persons
// (HC0–HC3, the blocked Neyman variance; then SE² = Σψᵢ²), clusters (CR2,
// ClusteredDifferenceInMeans) or pairs (the matched-pairs variance). For two
// estimates a and b computed on the same persons (e.g. one outcome at two
// weeks), Σ_g Ψ_g(a)Ψ_g(b), with Ψ_g the group sums, estimates their
// covariance; with person-level variances that is Σᵢ ψᵢ(a)ψᵢ(b). Each
// function's documentation states its ψ exactly.
package stats
