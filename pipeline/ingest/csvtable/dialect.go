package csvtable

import (
	"fmt"
	"strings"
)

// Encoding is the text encoding of a file.
type Encoding uint8

const (
	// UTF8 is UTF-8, with or without a byte-order mark.
	UTF8 Encoding = iota
	// Windows1252 is Windows-1252; Latin-1 files are read as Windows-1252,
	// which agrees with Latin-1 on every printable character.
	Windows1252
)

// String names the encoding as users know it.
func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "UTF-8"
	case Windows1252:
		return "Windows-1252"
	}
	return fmt.Sprintf("Encoding(%d)", uint8(e))
}

// Dialect is how a delimited file is written.
type Dialect struct {
	// Sep separates fields: ',', ';' or '\t'.
	Sep byte
	// DecimalComma says numbers are written 7,5 rather than 7.5. It is
	// informational: this package does not parse numbers.
	DecimalComma bool
	// Encoding is the file's text encoding.
	Encoding Encoding
}

// String describes the dialect, e.g. "';'-separated, decimal comma, Windows-1252".
func (d Dialect) String() string {
	mark := "decimal point"
	if d.DecimalComma {
		mark = "decimal comma"
	}
	return sepName(d.Sep) + "-separated, " + mark + ", " + d.Encoding.String()
}

// sepName quotes a separator for messages; a tab is spelt out because a
// quoted tab is invisible.
func sepName(sep byte) string {
	if sep == '\t' {
		return "tab"
	}
	return fmt.Sprintf("%q", rune(sep))
}

// sepSpec is how the separator is written in a spec's separator: setting.
func sepSpec(sep byte) string {
	if sep == '\t' {
		return `"\t"`
	}
	return fmt.Sprintf("%q", string(rune(sep)))
}

// Options fixes parts of the dialect; a zero or nil field is detected from
// the start of the file.
type Options struct {
	// Sep is the separator; 0 means detect.
	Sep byte
	// DecimalComma fixes the decimal mark; nil means detect.
	DecimalComma *bool
	// Encoding fixes the encoding; nil means detect.
	Encoding *Encoding
}

// checkSep rejects separators that would make quoting or line ends
// ambiguous, and non-ASCII bytes, which mean something else once
// Windows-1252 is transcoded.
func checkSep(sep byte) error {
	if sep == '"' || sep == '\r' || sep == '\n' || sep >= 0x80 {
		return errorf(0, 0, "separator %s cannot be used; expected \",\", \";\" or \"\\t\"", strings.TrimSpace(fmt.Sprintf("%q", rune(sep))))
	}
	return nil
}
