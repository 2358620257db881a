package ingest

import (
	"errors"
	"fmt"
	"strings"

	"rcteval/pipeline"
	"rcteval/pipeline/ingest/arrowtable"
	"rcteval/pipeline/ingest/csvtable"
	"rcteval/pipeline/ingest/table"
)

// open opens an input as a table.
func open(in *Input) (table.Table, error) {
	var (
		t   table.Table
		err error
	)
	switch {
	case in.Open != nil:
		t, err = in.Open()
	case in.Format == "parquet" || in.Format == "arrow" || (in.Format == "" && arrowtable.IsColumnar(in.Path)):
		t, err = arrowtable.Open(in.Path)
	case in.Format == "" || in.Format == "csv":
		t, err = csvtable.Open(in.Path, in.csvOptions())
	default:
		return nil, &pipeline.InputError{File: in.Name(), Msg: fmt.Sprintf("unknown format %q; expected csv, parquet or arrow", in.Format)}
	}
	if err != nil {
		return nil, fileError(in.Name(), "", err)
	}
	return t, nil
}

func (in *Input) csvOptions() csvtable.Options {
	o := csvtable.Options{Sep: in.Separator, DecimalComma: in.DecimalComma}
	if in.Latin1 != nil {
		e := csvtable.UTF8
		if *in.Latin1 {
			e = csvtable.Windows1252
		}
		o.Encoding = &e
	}
	return o
}

// decimalComma says whether text numbers in t use a decimal comma.
func (in *Input) decimalComma(t table.Table) bool {
	if in.DecimalComma != nil {
		return *in.DecimalComma
	}
	if f, ok := t.(*csvtable.File); ok {
		return f.Dialect().DecimalComma
	}
	return false
}

// fileError turns an error of a table into an *pipeline.InputError naming file.
func fileError(file, unit string, err error) error {
	var te *table.Error
	if errors.As(err, &te) {
		return &pipeline.InputError{File: file, Line: te.Line, Column: te.Column, Unit: unitOf(unit, te.Line), Msg: te.Msg, Err: te.Err}
	}
	var ie *pipeline.InputError
	var ies *pipeline.InputErrors
	if errors.As(err, &ie) || errors.As(err, &ies) {
		return err
	}
	return &pipeline.InputError{File: file, Err: err}
}

func unitOf(unit string, line int) string {
	if unit == "row" && line > 0 {
		return "row"
	}
	return ""
}

// columns finds the file's columns for canonical names; a missing required
// column is an error that says which spec key names it.
func columns(t table.Table, in *Input, required, optional []string) (map[string]int, error) {
	idx := map[string]int{}
	for i, c := range t.Columns() {
		idx[c] = i
	}
	found := map[string]int{}
	var missing []string
	for _, canon := range required {
		name := in.Column(canon)
		if i, ok := idx[name]; ok {
			found[canon] = i
		} else if name == canon {
			missing = append(missing, fmt.Sprintf("%q", name))
		} else {
			missing = append(missing, fmt.Sprintf("%q (the spec's columns.%s)", name, canon))
		}
	}
	for _, canon := range optional {
		if i, ok := idx[in.Column(canon)]; ok {
			found[canon] = i
		}
	}
	if len(missing) > 0 {
		hint := ""
		if !strings.Contains(strings.Join(missing, ""), "the spec's") {
			hint = "; if the file names them otherwise, map them under columns: in a spec (see docs/spec.md)"
		}
		return nil, &pipeline.InputError{File: in.Name(), Line: headerLine(t), Unit: unitOf(t.Positions(), headerLine(t)),
			Msg: fmt.Sprintf("missing column %s; the file has %s%s", strings.Join(missing, ", "), quoteList(t.Columns()), hint)}
	}
	return found, nil
}

func headerLine(t table.Table) int {
	if t.Positions() == "line" {
		return 1
	}
	return 0
}

func quoteList(xs []string) string {
	const most = 12
	q := make([]string, 0, min(len(xs), most))
	for i, x := range xs {
		if i == most {
			q = append(q, fmt.Sprintf("… (%d columns)", len(xs)))
			break
		}
		q = append(q, fmt.Sprintf("%q", x))
	}
	return strings.Join(q, ", ")
}
