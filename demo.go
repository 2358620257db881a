// Package rcteval holds what the binary carries with it: the demo trial,
// made by `rcteval simulate` with the default options and seed (a test keeps
// the embedded files equal to a fresh simulation).
package rcteval

import (
	"bytes"
	"embed"
	"io"
)

//go:embed testdata/demo/assignment.csv.gz testdata/demo/weeks.csv.gz
var demo embed.FS

// Demo file names, as shown in messages.
const (
	DemoAssignment = "assignment.csv.gz"
	DemoWeeks      = "weeks.csv.gz"
)

// DemoFile returns a reader over an embedded demo file (still gzipped).
func DemoFile(name string) io.Reader {
	b, err := demo.ReadFile("testdata/demo/" + name)
	if err != nil {
		panic(err) // the files are embedded at build time
	}
	return bytes.NewReader(b)
}
