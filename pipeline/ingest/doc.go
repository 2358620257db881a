// Package ingest reads a trial's inputs into a pipeline.Dataset: the
// assignment, weekly register extracts in long form or DREAM wide, and an
// optional separate hours file, in any format behind table.Table (delimited
// text in its dialects, Parquet, Arrow IPC). It owns what the columns mean:
// the spec's column names, arm labels and status codes, the text forms of
// weeks, dates and numbers, and the checks that no row is lost silently —
// every row is used, kept as pre-period, or rejected with a reason, and
// missing data, impossible values and a doubtful extract end are reported.
package ingest
