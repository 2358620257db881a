package csvtable

import "bytes"

// cutState is where the cutter is within the records.
type cutState uint8

const (
	outside  cutState = iota // between fields or in an unquoted field
	inQuotes                 // in a quoted field
	skipping                 // in a broken record, which ends with its line
)

// cutter finds record boundaries in the stream so that blocks can be split
// independently. It follows parseRecord's reading of quotes, including where
// a broken record ends, but looks only at quotes and line ends; quotes are
// rare, so it mostly skips with IndexByte.
type cutter struct {
	sep   byte
	state cutState
	pos   int // data before pos has been scanned; state holds at pos
}

// scan reads data from c.pos on and returns the offset just after the last
// record boundary it found there, 0 if none. data[0] must start a line.
// eof says nothing follows data; otherwise scan stops short at a quote whose
// meaning depends on bytes not yet read.
func (c *cutter) scan(data []byte, eof bool) (cut int) {
	p := c.pos
	for p < len(data) {
		var at int
		switch c.state {
		case outside:
			p, at = c.outside(data, p)
		case skipping:
			p, at = c.skip(data, p)
		case inQuotes:
			var done bool
			if p, at, done = c.inQuotes(data, p, eof); !done {
				c.pos = p
				return max(cut, at)
			}
		}
		cut = max(cut, at)
	}
	c.pos = p
	return cut
}

// outside scans from data[p] outside quotes to the next quote, returning
// where to go on and the last record boundary passed (0 if none).
func (c *cutter) outside(data []byte, p int) (next, cut int) {
	q := indexQuote(data, p)
	if j := bytes.LastIndexByte(data[p:q], '\n'); j >= 0 {
		cut = p + j + 1
	}
	if q == len(data) {
		return q, cut
	}
	if q == 0 || data[q-1] == c.sep || data[q-1] == '\n' {
		c.state = inQuotes
	} else {
		c.state = skipping // a bare quote
	}
	return q + 1, cut
}

// skip scans a broken record to the end of its line.
func (c *cutter) skip(data []byte, p int) (next, cut int) {
	i := bytes.IndexByte(data[p:], '\n')
	if i < 0 {
		return len(data), 0
	}
	c.state = outside
	return p + i + 1, p + i + 1
}

// inQuotes scans a quoted field to its next quote and past it; done is
// false if what the quote means depends on bytes not yet read, and then
// next is the quote.
func (c *cutter) inQuotes(data []byte, p int, eof bool) (next, cut int, done bool) {
	q := indexQuote(data, p)
	if q == len(data) {
		return q, 0, true
	}
	if next, done = c.afterQuote(data, q, eof); !done {
		return q, 0, false
	}
	if c.state == outside && next > q+1 && data[next-1] == '\n' {
		cut = next
	}
	return next, cut, true
}

// afterQuote decides what the quote at data[q], inside a quoted field,
// means, updating the state; it returns where scanning goes on, or done
// false if that needs bytes beyond data.
func (c *cutter) afterQuote(data []byte, q int, eof bool) (next int, done bool) {
	n := len(data)
	if q+1 == n {
		if !eof {
			return q, false
		}
		c.state = outside
		return n, true
	}
	switch data[q+1] {
	case '"':
		return q + 2, true
	case c.sep:
		c.state = outside
		return q + 2, true
	case '\n':
		c.state = outside
		return q + 2, true
	case '\r':
		switch {
		case q+2 == n && !eof:
			return q, false
		case q+2 == n:
			c.state = outside
			return n, true
		case data[q+2] == '\n':
			c.state = outside
			return q + 3, true
		}
	}
	c.state = skipping // text after a closing quote
	return q + 1, true
}

// indexQuote is the offset of the first quote at or after p, or len(b).
// Where there are quotes, they are mostly a few bytes apart, closer than
// it pays to call IndexByte for.
func indexQuote(b []byte, p int) int {
	end := min(p+16, len(b))
	for i := p; i < end; i++ {
		if b[i] == '"' {
			return i
		}
	}
	if i := bytes.IndexByte(b[end:], '"'); i >= 0 {
		return end + i
	}
	return len(b)
}
