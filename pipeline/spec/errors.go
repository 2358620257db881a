package spec

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one problem in a spec, at the YAML node that caused it.
type Error struct {
	File   string
	Line   int // 1-based; 0 when the problem has no position (an unreadable file)
	Column int // 1-based; 0 when only the line is known (a YAML syntax error)
	Msg    string
	// Err is the underlying cause, such as an fs error from Load; usually nil.
	Err error
}

// Error formats the problem as file:line:column: message, leaving out the
// parts of the position that are unknown.
func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	default:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
}

// Unwrap returns the underlying cause, so errors.Is(err, fs.ErrNotExist) works.
func (e *Error) Unwrap() error { return e.Err }

// Errors are all the problems found in a spec, in file order. Load and Parse
// return them together so one run shows everything to fix.
type Errors []*Error

// maxShown caps the lines Errors.Error prints: a wrong file (say, a CSV
// given as the spec) would otherwise bury the terminal.
const maxShown = 20

// Error prints one problem per line, at most 20, then "and N more".
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i == maxShown {
			fmt.Fprintf(&b, "\nand %d more", len(es)-maxShown)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the single problems, so errors.As(err, &e) with e an *Error
// finds the first.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// sortErrors orders problems by position; problems without one come first.
func sortErrors(es Errors) {
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
}

// levenshtein is the edit distance between a and b in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// maxSuggestDistance is the largest edit distance suggested as a typo fix:
// beyond two edits suggestions are more often wrong than helpful.
const maxSuggestDistance = 2

// closest returns the candidate nearest to s (case-insensitively) within
// maxSuggestDistance, the first of equals, or "".
func closest(s string, candidates []string) string {
	best, bestD := "", maxSuggestDistance+1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		if d := levenshtein(ls, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// suggest returns ` (did you mean "x"?)` for the closest candidate, or "".
func suggest(s string, candidates []string) string {
	if c := closest(s, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

// list joins names as "a, b, c".
func list(names []string) string { return strings.Join(names, ", ") }
