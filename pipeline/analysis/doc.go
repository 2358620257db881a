// Package analysis is the stage between the panel and the reports: from a
// loaded trial (pipeline.Dataset) and a Plan it computes every estimand
// (outcome × week × estimator), the balance table and the trial's summary
// as plain data, Results; Disclose then applies disclosure control and
// returns Disclosed, the only thing package reports accepts, so no output
// can skip it.
//
// Estimators come from package stats; analysis decides which applies (the
// design declared once: blocks, clusters, covariates), builds the design
// matrices and hands stats plain slices in store order.
package analysis
