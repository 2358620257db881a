package csvtable

import "bytes"

// span is one field of a record as it stands in the text: [start, end) is
// its content without enclosing quotes. esc says the content still holds
// "" or \r\n that unescape must fold.
type span struct {
	start, end int
	quoted     bool
	esc        bool
}

// errKind is why a record could not be split into fields.
type errKind uint8

const (
	noErr        errKind = iota
	bareQuote            // a quote inside an unquoted field
	extraQuote           // text after the closing quote of a field
	unterminated         // a quoted field still open at the end of the file
)

// recErr is a record's problem and the byte offset it is reported at.
type recErr struct {
	kind errKind
	off  int
}

// parseRecord splits the record that starts at text[p], the start of a
// non-blank line, appending its fields to spans. It returns the offset after
// the record's last line end (len(text) at the end), which is also where
// reading resumes after an error: like encoding/csv, a broken record ends
// with the physical line on which the problem was found. The end of text is
// taken to be the end of the file.
func parseRecord(text []byte, p int, sep byte, spans []span) ([]span, int, recErr) {
	n := len(text)
	e := -1 // the end of the physical line holding p, once known
	for {
		if p < n && text[p] == '"' {
			sp, q, err := quotedField(text, p)
			if err.kind != noErr {
				return spans, n, err
			}
			spans = append(spans, sp)
			switch {
			case q == n:
				return spans, n, recErr{}
			case text[q] == sep:
				p = q + 1
				continue
			case text[q] == '\n':
				return spans, q + 1, recErr{}
			case text[q] == '\r' && q+1 == n:
				return spans, n, recErr{} // encoding/csv drops a \r before EOF
			case text[q] == '\r' && text[q+1] == '\n':
				return spans, q + 2, recErr{}
			}
			return spans, nextLine(text, q), recErr{extraQuote, q - 1}
		}
		if e < p {
			e = lineEnd(text, p)
		}
		ce := e
		if ce > p && text[ce-1] == '\r' {
			ce--
		}
		field := text[p:ce]
		i := bytes.IndexByte(field, sep)
		if i >= 0 {
			field = field[:i]
		}
		if j := bytes.IndexByte(field, '"'); j >= 0 {
			return spans, nextLine(text, p), recErr{bareQuote, p + j}
		}
		spans = append(spans, span{start: p, end: p + len(field)})
		if i < 0 {
			return spans, min(e+1, n), recErr{}
		}
		p += i + 1
	}
}

// quotedField reads the quoted field whose opening quote is text[p]. It
// returns the field and the offset just after its closing quote.
func quotedField(text []byte, p int) (span, int, recErr) {
	n := len(text)
	sp := span{start: p + 1, quoted: true}
	q := p + 1
	for {
		i := bytes.IndexByte(text[q:], '"')
		if i < 0 {
			return sp, n, recErr{unterminated, p}
		}
		if !sp.esc && bytes.IndexByte(text[q:q+i], '\r') >= 0 {
			sp.esc = true // perhaps a \r\n, which encoding/csv reads as \n
		}
		q += i + 1
		if q < n && text[q] == '"' {
			sp.esc = true
			q++
			continue
		}
		sp.end = q - 1
		return sp, q, recErr{}
	}
}

// lineEnd is the offset of the first '\n' at or after p, or len(text).
func lineEnd(text []byte, p int) int {
	if i := bytes.IndexByte(text[p:], '\n'); i >= 0 {
		return p + i
	}
	return len(text)
}

// nextLine is the offset just after the line end at or after p.
func nextLine(text []byte, p int) int {
	return min(lineEnd(text, p)+1, len(text))
}

// unescape appends the content of a quoted field to dst with "" read as "
// and \r\n as \n, as encoding/csv reads them.
func unescape(dst, s []byte) []byte {
	for len(s) > 0 {
		i := bytes.IndexAny(s, "\"\r")
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		switch {
		case s[i] == '"': // always doubled inside a well-formed field
			dst = append(dst, '"')
			s = s[min(i+2, len(s)):]
		case i+1 < len(s) && s[i+1] == '\n':
			dst = append(dst, '\n')
			s = s[i+2:]
		default:
			dst = append(dst, '\r')
			s = s[i+1:]
		}
	}
	return dst
}

// fieldStart is where a field begins in the text: its opening quote if it
// has one.
func (s span) fieldStart() int {
	if s.quoted {
		return s.start - 1
	}
	return s.start
}
