// Package stats holds the estimators and tests of rcteval: pure functions on
// plain slices (and gonum matrices), with no I/O and no pipeline or report
// types. Each function's doc states its formula and its source; results are
// checked against R (estimatr, stats) by golden values in testdata/golden.
//
// Estimators return the n, point estimate, standard error, degrees of freedom,
// confidence interval and p-value of one estimate; callers assemble tidy
// tables, one row per estimate.
package stats
