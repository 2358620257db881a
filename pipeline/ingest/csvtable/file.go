package csvtable

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync/atomic"

	"rcteval/pipeline/ingest/table"
)

// File is an open delimited text file; it implements table.Table.
type File struct {
	counter   *counter // nil for New
	name      string
	closers   []io.Closer
	r         io.Reader // the decoded stream, just after the header
	dialect   Dialect
	gzip      bool
	columns   []string
	firstLine int // the line the first record after the header starts on
	blockSize int
	scanned   bool
	closed    bool
}

var _ table.Table = (*File)(nil)

// utf8BOM is the byte-order mark Excel writes at the start of UTF-8 files.
var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// Open opens the file at path, reads its header and works out the dialect
// (see Options). A name ending in .gz, or content starting as gzip does, is
// decompressed.
func Open(path string, opt Options) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, openError(err)
	}
	c := &counter{r: fh}
	if fi, err := fh.Stat(); err == nil {
		c.size = fi.Size()
	}
	f, err := newFile(path, c, fh, opt)
	if f != nil {
		f.counter = c
	}
	return f, err
}

// counter counts the bytes read from a file, for Progress.
type counter struct {
	r    io.Reader
	n    atomic.Int64
	size int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Progress returns the bytes of the file read so far and its size (0 for a
// reader given to New).
func (f *File) Progress() (done, total int64) {
	if f.counter == nil {
		return 0, 0
	}
	return f.counter.n.Load(), f.counter.size
}

// RowsHint guesses the file's rows from the first batch's share of its
// bytes (of a compressed file, too few).
func (f *File) RowsHint(first table.Batch) int {
	b, ok := first.(*batch)
	if !ok || f.counter == nil || len(b.text) == 0 {
		return first.Len()
	}
	return int(int64(b.Len()) * f.counter.size / int64(len(b.text)))
}

// New reads a file from r as Open does; name is used in messages and, by
// ending in .gz, says r is gzip-compressed.
func New(name string, r io.Reader, opt Options) (*File, error) {
	return newFile(name, r, nil, opt)
}

// openError words a failure to open a file.
func openError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errorf(0, 0, "file not found")
	case errors.Is(err, fs.ErrPermission):
		return errorf(0, 0, "permission denied; expected a readable file")
	}
	return &table.Error{Msg: "cannot open the file", Err: err}
}

// newFile reads the start of r; closer, if not nil, is closed by Close.
func newFile(name string, r io.Reader, closer io.Closer, opt Options) (*File, error) {
	f := &File{name: name, blockSize: blockSize}
	if closer != nil {
		f.closers = append(f.closers, closer)
	}
	if err := f.start(r, opt); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// start decompresses, detects the dialect from a sample and reads the
// header, leaving f.r at the first record.
func (f *File) start(r io.Reader, opt Options) error {
	src, err := f.decompress(r)
	if err != nil {
		return err
	}
	br, ok := src.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(src, sampleSize)
	}
	sample, err := br.Peek(sampleSize)
	eof := err == io.EOF
	if err != nil && !eof {
		return f.readError(err, 1+bytes.Count(sample, []byte{'\n'}))
	}
	skip := 0
	if bytes.HasPrefix(sample, utf8BOM) {
		skip = len(utf8BOM)
	}
	sample = sample[skip:]
	if len(sample) == 0 {
		return errorf(1, 0, "file is empty; expected a header row")
	}
	if blank, _ := blankLine(sample, 0); blank {
		return errorf(1, 0, "the header row (line 1) is empty; expected column names")
	}
	if f.dialect, err = detect(sample, eof, opt); err != nil {
		return err
	}
	n, err := f.readHeader(sample, eof)
	if err != nil {
		return err
	}
	if _, err := br.Discard(skip + n); err != nil {
		return f.readError(err, 1)
	}
	f.r = br
	return nil
}

// decompress returns r, or a gunzipping reader over it when the name or the
// content says gzip.
func (f *File) decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, sampleSize)
	magic, err := br.Peek(2)
	if err != nil && err != io.EOF {
		return nil, f.readError(err, 1)
	}
	gz := len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b
	named := len(f.name) >= 3 && strings.EqualFold(f.name[len(f.name)-3:], ".gz")
	switch {
	case !gz && named:
		return nil, errorf(0, 0, "not a gzip file: the name ends in .gz but the content is not gzip-compressed")
	case !gz:
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errorf(0, 0, "the gzip stream is truncated (unexpected EOF)")
		}
		return nil, &table.Error{Msg: "not a gzip file", Err: err}
	}
	f.closers = append(f.closers, zr)
	f.gzip = true
	return zr, nil
}

// readError words a failure to read the (decompressed) stream at line.
func (f *File) readError(err error, line int) error {
	var corrupt flate.CorruptInputError
	switch {
	case f.gzip && errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(line, 0, "the gzip stream is truncated (unexpected EOF); the data ends at line %d", line)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(line, 0, "the file ends unexpectedly at line %d", line)
	case errors.Is(err, gzip.ErrChecksum):
		return errorf(line, 0, "the gzip stream is corrupt (checksum mismatch); expected the data as it was compressed")
	case errors.Is(err, gzip.ErrHeader):
		return errorf(line, 0, "the gzip stream is corrupt: something that is not gzip follows the compressed data")
	case errors.As(err, &corrupt):
		return &table.Error{Line: line, Msg: "the gzip stream is corrupt", Err: err}
	}
	return &table.Error{Line: line, Msg: "cannot read the file", Err: err}
}

// readHeader reads the column names from the start of the sample and
// returns the length of the header record.
func (f *File) readHeader(sample []byte, eof bool) (int, error) {
	spans, next, rerr := parseRecord(sample, 0, f.dialect.Sep, nil)
	complete := rerr.kind != unterminated && (next < len(sample) || sample[next-1] == '\n')
	switch {
	case !eof && !complete:
		return 0, errorf(1, 0, "the header row does not end within the first 64 KiB; expected column names on line 1")
	case rerr.kind != noErr:
		l, c := locate(sample, 0, 1, rerr.off)
		return 0, quoteError(sample, rerr, l, c, f.dialect.Sep)
	}
	names, err := f.headerNames(sample, spans)
	if err != nil {
		return 0, err
	}
	f.columns = names
	f.firstLine = 1 + bytes.Count(sample[:next], []byte{'\n'})
	return next, nil
}

// headerNames decodes the column names and checks that some are given and
// none twice; several may be empty, as when Excel exports empty columns.
func (f *File) headerNames(sample []byte, spans []span) ([]string, error) {
	names := make([]string, len(spans))
	seen := make(map[string]int, len(spans))
	named := false
	for k, s := range spans {
		name, err := f.headerName(sample, s)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[name]; dup && name != "" {
			l, c := locate(sample, 0, 1, s.fieldStart())
			return nil, errorf(l, c, "column %q appears twice in the header (columns %d and %d)", name, j+1, k+1)
		}
		seen[name] = k
		names[k] = name
		named = named || name != ""
	}
	if !named {
		return nil, errorf(1, 0, "the header has no column names; expected names on line 1")
	}
	return names, nil
}

// headerName decodes one column name of the header and trims its spaces.
func (f *File) headerName(sample []byte, s span) (string, error) {
	raw := sample[s.start:s.end]
	if f.dialect.Encoding == UTF8 {
		if i := invalidUTF8(raw); i >= 0 {
			return "", utf8Error(sample, 1, s.start+i)
		}
	}
	if s.esc {
		raw = unescape(nil, raw)
	}
	if f.dialect.Encoding == Windows1252 {
		raw = decode1252(nil, raw)
	}
	return strings.TrimSpace(string(raw)), nil
}

// Name is the file name used in messages.
func (f *File) Name() string { return f.name }

// Columns are the column names of the header, trimmed of spaces.
func (f *File) Columns() []string { return slices.Clone(f.columns) }

// Dialect is how the file is written, as given or detected.
func (f *File) Dialect() Dialect { return f.dialect }

// Describe says how the file is read, e.g.
// "CSV, ';'-separated, decimal comma, Windows-1252, gzip".
func (f *File) Describe() string {
	s := "CSV, " + f.dialect.String()
	if f.gzip {
		s += ", gzip"
	}
	return s
}

// Positions is the unit of Batch.Pos: lines of the file.
func (f *File) Positions() string { return "line" }

// Close releases the file; it may be called more than once.
func (f *File) Close() error {
	if f.closed {
		return nil
	}
	f.closed = true
	var errs []error
	for i := len(f.closers) - 1; i >= 0; i-- {
		errs = append(errs, f.closers[i].Close())
	}
	return errors.Join(errs...)
}
