// Package parse owns the text forms of weeks, dates and numbers in register
// extracts (SAS and Excel exports): it parses them from []byte without
// allocating on success, and detects the one format a column uses from sample
// values.
//
// Parsers are strict: exact digit counts, no signs or spaces inside, years
// from MinYear to MaxYear, real calendar dates and ISO weeks. A value that
// could be read more than one way is an error, never a guess, and detection
// that finds several fitting formats asks for the format to be set in the
// spec. Every error quotes the value and says what was expected, so that a
// caller can prefix file, line and column and show it to the end user as is.
//
// Detection looks at syntax only: a value of the right shape but out of range
// (week 53 in a 52-week year, 30 February) still counts as that format and is
// reported when its row is read.
package parse
