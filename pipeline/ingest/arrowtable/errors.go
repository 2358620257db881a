package arrowtable

import (
	"fmt"

	"rcteval/pipeline/ingest/table"
)

// errorf builds the *table.Error every problem is reported as; the caller
// of the package adds the file name, as for CSV.
func errorf(row int, format string, args ...any) *table.Error {
	return &table.Error{Line: row, Msg: fmt.Sprintf(format, args...)}
}

// wrap reports err, a failure inside the Arrow library, under a message of
// ours; Arrow's own text stays available as the cause.
func wrap(err error, format string, args ...any) *table.Error {
	if te, ok := err.(*table.Error); ok {
		return te
	}
	return &table.Error{Msg: fmt.Sprintf(format, args...), Err: err}
}

// guard runs f, turning a panic into an error: Arrow's decoders index
// buffers straight from the file and may panic on corrupt bytes, and a bad
// file must be reported, not crash the run. what says what was being read,
// e.g. "corrupt Parquet file".
func guard(what string, f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &table.Error{Msg: fmt.Sprintf("%s: %v", what, p)}
		}
	}()
	return f()
}
