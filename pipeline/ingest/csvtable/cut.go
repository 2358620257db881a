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
	n := len(data)
	p := c.pos
	for p < n {
		switch c.state {
		case outside:
			i := bytes.IndexByte(data[p:], '"')
			q := n
			if i >= 0 {
				q = p + i
			}
			if j := bytes.LastIndexByte(data[p:q], '\n'); j >= 0 {
				cut = p + j + 1
			}
			if i < 0 {
				p = n
				break
			}
			if q == 0 || data[q-1] == c.sep || data[q-1] == '\n' {
				c.state = inQuotes
			} else {
				c.state = skipping // a bare quote
			}
			p = q + 1
		case skipping:
			i := bytes.IndexByte(data[p:], '\n')
			if i < 0 {
				p = n
				break
			}
			p += i + 1
			cut, c.state = p, outside
		case inQuotes:
			i := bytes.IndexByte(data[p:], '"')
			if i < 0 {
				p = n
				break
			}
			q := p + i
			next, done := c.afterQuote(data, q, eof)
			if !done {
				c.pos = q
				return cut
			}
			if c.state == outside && next > q+1 && data[next-1] == '\n' {
				cut = next
			}
			p = next
		}
	}
	c.pos = p
	return cut
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
