// Package pipeline owns the trial as data: the assignment (Assignment, its
// covariates typed and id-like columns left out), the aligned person × week
// panel (Store, filled in one pass by a Builder from rows in any order), the
// row accounting every ingest keeps (Accounting), and outcomes derived per
// week on demand (Outcome, defined as data by OutcomeDef).
//
// Reading files is ingest's (pipeline/ingest and the formats below it); the
// analysis spec is pipeline/spec's. Data flows one way: files → ingest →
// this package's types → stats → reports.
package pipeline
