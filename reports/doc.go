// Package reports turns a pipeline.Dataset into what leaves the machine:
// tidy tables (effects, balance, rejects) written as CSV, charts drawn from
// those tables with gonum/plot, and a self-contained HTML report.
//
// Everything here is output control as well: person ids are never written,
// cells from fewer than MinCell persons are suppressed (Disclose), every file
// is written atomically, and the same inputs give byte-identical files. All
// user-facing text comes from the catalogue in texts.go.
package reports
