package csvtable

import (
	"bytes"
	"fmt"

	"rcteval/pipeline/ingest/table"
)

// errorf builds the *table.Error every problem is reported as; the caller
// of the package adds the file name.
func errorf(line, col int, format string, args ...any) *table.Error {
	return &table.Error{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// locate turns a byte offset in text into a line and a 1-based byte column,
// given that text[from] starts line fromLine. It is for messages only, so
// it counts rather than tracks.
func locate(text []byte, from, fromLine, off int) (line, col int) {
	off = min(max(off, from), len(text))
	line = fromLine + bytes.Count(text[from:off], []byte{'\n'})
	start := bytes.LastIndexByte(text[:off], '\n') + 1
	return line, off - start + 1
}
