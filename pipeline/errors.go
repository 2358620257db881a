package pipeline

import "fmt"

// InputError is a problem with input data, located as precisely as known.
// Line and Column are 1-based; zero means unknown. In a columnar file (Parquet,
// Arrow) Line is the data row and Unit says so. Err is the cause, if any.
type InputError struct {
	File   string
	Line   int
	Column int
	Unit   string // "row" for columnar files; empty for text lines
	Msg    string
	Err    error
}

func (e *InputError) Error() string {
	msg := e.Msg
	if e.Err != nil {
		if msg == "" {
			msg = e.Err.Error()
		} else {
			msg += ": " + e.Err.Error()
		}
	}
	switch {
	case e.Line > 0 && e.Unit != "":
		return fmt.Sprintf("%s: %s %d: %s", e.File, e.Unit, e.Line, msg)
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	default:
		return fmt.Sprintf("%s: %s", e.File, msg)
	}
}

func (e *InputError) Unwrap() error { return e.Err }

// InputErrors are several problems found in one pass, reported together so
// that a user can mend a file at once rather than one run per mistake.
type InputErrors struct {
	Errs  []*InputError
	Total int // problems found; more than len(Errs) when the list was cut
}

// MaxListed is how many problems InputErrors lists before only counting.
const MaxListed = 100

// Add records a problem, keeping the first MaxListed.
func (e *InputErrors) Add(err *InputError) {
	e.Total++
	if len(e.Errs) < MaxListed {
		e.Errs = append(e.Errs, err)
	}
}

// Err returns e as an error, nil when it holds no problem, and the single
// problem itself when there is one.
func (e *InputErrors) Err() error {
	switch e.Total {
	case 0:
		return nil
	case 1:
		return e.Errs[0]
	}
	return e
}

func (e *InputErrors) Error() string {
	s := fmt.Sprintf("%d problems in the input:", e.Total)
	for _, x := range e.Errs {
		s += "\n  " + x.Error()
	}
	if e.Total > len(e.Errs) {
		s += fmt.Sprintf("\n  … and %d more", e.Total-len(e.Errs))
	}
	return s
}
