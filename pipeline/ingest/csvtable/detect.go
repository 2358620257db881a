package csvtable

import (
	"bytes"
	"fmt"
	"strings"
)

// sampleSize is how much of the start of a file (after decompression)
// detection looks at.
const sampleSize = 64 << 10

// candidates are the separators detection chooses among.
var candidates = [...]byte{',', ';', '\t'}

// detect works out the parts of the dialect that opt leaves open from
// sample, the start of the file after any byte-order mark; eof says the
// sample is the whole file.
func detect(sample []byte, eof bool, opt Options) (Dialect, error) {
	var d Dialect
	switch {
	case opt.Encoding == nil:
		if !validSample(sample, eof) {
			d.Encoding = Windows1252
		}
	case *opt.Encoding == UTF8 || *opt.Encoding == Windows1252:
		d.Encoding = *opt.Encoding
	default:
		return d, errorf(0, 0, "unknown encoding %v; expected UTF-8 or Windows-1252", *opt.Encoding)
	}
	if opt.Sep != 0 {
		if err := checkSep(opt.Sep); err != nil {
			return d, err
		}
		d.Sep = opt.Sep
	} else {
		sep, err := detectSep(sample, eof)
		if err != nil {
			return d, err
		}
		d.Sep = sep
	}
	if opt.DecimalComma != nil {
		d.DecimalComma = *opt.DecimalComma
	} else {
		d.DecimalComma = d.Sep != ',' && decimalComma(sample, eof, d.Sep)
	}
	return d, nil
}

// eachRecord calls fn with the fields of each complete record of the
// sample, the header first, until fn returns false. A record the sample
// cuts short is not complete.
func eachRecord(sample []byte, eof bool, sep byte, fn func(spans []span, err recErr) bool) {
	var spans []span
	for p := 0; p < len(sample); {
		if blank, next := blankLine(sample, p); blank {
			p = next
			continue
		}
		var next int
		var err recErr
		spans, next, err = parseRecord(sample, p, sep, spans[:0])
		complete := err.kind != unterminated && (next < len(sample) || sample[next-1] == '\n')
		if !eof && !complete {
			return
		}
		if !fn(spans, err) {
			return
		}
		p = next
	}
}

// blankLine reports whether the line at text[p] is empty, and where the
// next line starts. Like encoding/csv, a lone \r at the end of the file is
// an empty line.
func blankLine(text []byte, p int) (bool, int) {
	switch {
	case text[p] == '\n':
		return true, p + 1
	case text[p] != '\r':
		return false, p
	case p+1 == len(text):
		return true, p + 1
	case text[p+1] == '\n':
		return true, p + 2
	}
	return false, p
}

// sepFit is how a candidate separator splits the sample.
type sepFit struct {
	sep    byte
	fields int  // in the header
	fits   bool // every complete record has as many, and none is broken
}

// fitSep splits the sample with sep.
func fitSep(sample []byte, eof bool, sep byte) sepFit {
	fit := sepFit{sep: sep, fits: true}
	header := true
	eachRecord(sample, eof, sep, func(spans []span, err recErr) bool {
		if header {
			header = false
			fit.fields = len(spans)
		} else if len(spans) != fit.fields {
			fit.fits = false
		}
		if err.kind != noErr {
			fit.fits = false
		}
		return fit.fits
	})
	return fit
}

// detectSep chooses the candidate that splits the header and every complete
// line of the sample into the same number (>1) of fields, preferring more
// fields. When no candidate splits every line alike, the only one that
// splits the header is taken, so that the odd lines are reported as row
// errors where they are; a file whose header no candidate splits has one
// column.
func detectSep(sample []byte, eof bool) (byte, error) {
	var fitting, splitting []sepFit
	for _, c := range candidates {
		fit := fitSep(sample, eof, c)
		if fit.fields > 1 {
			splitting = append(splitting, fit)
			if fit.fits {
				fitting = append(fitting, fit)
			}
		}
	}
	switch {
	case len(fitting) > 0:
		best := widest(fitting)
		if len(best) > 1 {
			return 0, errorf(0, 0, "the separator is ambiguous: %s each split every line of the first 64 KiB into %d fields; set %s in the spec",
				sepList(best, " and "), best[0].fields, sepSettings(best))
		}
		return best[0].sep, nil
	case len(splitting) == 1:
		return splitting[0].sep, nil
	case len(splitting) > 1:
		return 0, errorf(0, 0, "cannot tell the separator: %s each split the header, but none splits every line of the first 64 KiB into as many fields; set %s in the spec",
			sepList(splitting, " and "), sepSettings(splitting))
	}
	return ',', nil
}

// widest is the fits with the most fields.
func widest(fits []sepFit) []sepFit {
	var best []sepFit
	for _, f := range fits {
		switch {
		case len(best) == 0 || f.fields > best[0].fields:
			best = append(best[:0], f)
		case f.fields == best[0].fields:
			best = append(best, f)
		}
	}
	return best
}

// sepList names the separators of fits for a message.
func sepList(fits []sepFit, and string) string {
	names := make([]string, len(fits))
	for i, f := range fits {
		names[i] = sepName(f.sep)
	}
	return strings.Join(names, and)
}

// sepSettings suggests the spec settings that would choose among fits.
func sepSettings(fits []sepFit) string {
	s := make([]string, len(fits))
	for i, f := range fits {
		s[i] = fmt.Sprintf("separator: %s", sepSpec(f.sep))
	}
	return strings.Join(s, " or ")
}

// decimalComma reports whether the data lines of the sample write numbers
// with a decimal comma: some unquoted field looks like 7,5 and none like 7.5.
func decimalComma(sample []byte, eof bool, sep byte) bool {
	comma, point, header := false, false, true
	eachRecord(sample, eof, sep, func(spans []span, err recErr) bool {
		if header || err.kind != noErr {
			header = false
			return true
		}
		for _, s := range spans {
			if s.quoted {
				continue
			}
			f := sample[s.start:s.end]
			comma = comma || looksDecimal(f, ',')
			point = point || looksDecimal(f, '.')
		}
		return !point
	})
	return comma && !point
}

// looksDecimal reports whether f is -?\d+<mark>\d+.
func looksDecimal(f []byte, mark byte) bool {
	if len(f) > 0 && f[0] == '-' {
		f = f[1:]
	}
	i := bytes.IndexByte(f, mark)
	return i > 0 && i < len(f)-1 && digits(f[:i]) && digits(f[i+1:])
}

// digits reports whether b is all ASCII digits.
func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
