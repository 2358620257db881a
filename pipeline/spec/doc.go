// Package spec owns the YAML analysis spec: the file that describes one
// trial's inputs (which files, in which layout and encoding, under which
// column names), how register codes map to statuses, which outcomes to
// estimate and with what settings. Written before the data are seen, it
// doubles as the trial's pre-analysis plan.
//
// The package is plain data and validation: Load and Parse return a Spec
// with every default filled in, or every problem found at once, each with
// the file, line and column of the offending YAML node. It imports no other
// rcteval package, so the pipeline converts a Spec to its own types and the
// spec format can be read and checked without the pipeline.
//
// The reference for users is docs/spec.md.
package spec
