// Package pipeline owns the way from register extracts to analysable data:
// it reads the assignment and weekly extracts behind one interface per source,
// validates every row (each is used or rejected with a reason, malformed values
// stop the run with file, line and column), aligns every person on weeks since
// randomisation, and derives outcomes into a dense person × week Store.
//
// Outcome definitions are data (OutcomeDef), not code paths, so that an
// analysis spec can add or re-parameterise outcomes later.
package pipeline
