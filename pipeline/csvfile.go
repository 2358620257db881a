package pipeline

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// InputError is a problem with input data, located as precisely as known.
// Line and Column are 1-based; zero means unknown.
type InputError struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *InputError) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	default:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
}

// csvFile reads a comma-separated file with a header row, naming the file,
// line and column of every problem. Files ending in .gz are decompressed.
type csvFile struct {
	name   string
	closer []io.Closer
	r      *csv.Reader
	header []string
	col    map[string]int
	record []string
}

// openCSV opens path for reading; messages name the path.
func openCSV(path string) (*csvFile, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &InputError{File: path, Msg: "file not found"}
		}
		return nil, &InputError{File: path, Msg: err.Error()}
	}
	return newCSV(path, f, f)
}

// newCSV reads CSV from r; closer (may be nil) is closed by Close.
func newCSV(name string, r io.Reader, closer io.Closer) (*csvFile, error) {
	c := &csvFile{name: name}
	if closer != nil {
		c.closer = append(c.closer, closer)
	}
	br := bufio.NewReaderSize(r, 1<<16)
	if strings.HasSuffix(name, ".gz") {
		gz, err := gzip.NewReader(br)
		if err != nil {
			c.Close()
			return nil, &InputError{File: name, Msg: "not a gzip file: " + err.Error()}
		}
		c.closer = append(c.closer, gz)
		br = bufio.NewReaderSize(gz, 1<<16)
	}
	// A UTF-8 byte-order mark (Excel writes one) is not part of the first name.
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	c.r = csv.NewReader(br)
	c.r.ReuseRecord = true
	header, err := c.r.Read()
	if err == io.EOF {
		c.Close()
		return nil, &InputError{File: name, Line: 1, Msg: "file is empty; expected a header row"}
	}
	if err != nil {
		c.Close()
		return nil, c.wrap(err)
	}
	c.header = make([]string, len(header))
	c.col = make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(h)
		c.header[i] = h
		if _, dup := c.col[h]; dup {
			c.Close()
			return nil, &InputError{File: name, Line: 1, Column: i + 1, Msg: fmt.Sprintf("column %q appears twice in the header", h)}
		}
		c.col[h] = i
	}
	c.r.FieldsPerRecord = len(header)
	return c, nil
}

// require checks that every named column is in the header.
func (c *csvFile) require(names ...string) error {
	var missing []string
	for _, n := range names {
		if _, ok := c.col[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return &InputError{File: c.name, Line: 1, Msg: fmt.Sprintf("missing column %s; expected a header with %s (found %s)",
			quoteList(missing), quoteList(names), quoteList(c.header))}
	}
	return nil
}

// next reads the next record; io.EOF at the end.
func (c *csvFile) next() error {
	rec, err := c.r.Read()
	if err != nil {
		if err == io.EOF {
			return err
		}
		return c.wrap(err)
	}
	c.record = rec
	return nil
}

// field returns the trimmed value of column i in the current record.
func (c *csvFile) field(i int) string { return strings.TrimSpace(c.record[i]) }

// line is the line on which the current record starts.
func (c *csvFile) line() int {
	l, _ := c.r.FieldPos(0)
	return l
}

// errorAt reports a problem with column i of the current record.
func (c *csvFile) errorAt(i int, format string, args ...any) error {
	l, col := c.r.FieldPos(i)
	return &InputError{File: c.name, Line: l, Column: col, Msg: fmt.Sprintf("column %q: ", c.header[i]) + fmt.Sprintf(format, args...)}
}

func (c *csvFile) wrap(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = fmt.Sprintf("wrong number of fields; expected %d as in the header", len(c.header))
		}
		return &InputError{File: c.name, Line: pe.Line, Column: pe.Column, Msg: msg}
	}
	return &InputError{File: c.name, Msg: err.Error()}
}

func (c *csvFile) Close() error {
	var first error
	for i := len(c.closer) - 1; i >= 0; i-- {
		if err := c.closer[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
