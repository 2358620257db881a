package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"rcteval/pipeline"
	"rcteval/pipeline/ingest/table"
)

// DefaultWidePattern names DREAM's week columns: y_1610 is 2016 week 10.
const DefaultWidePattern = "y_YYWW"

// widePattern matches week column names. In the pattern YYYY is a
// four-digit ISO year, YY a two-digit one (91–99 are 1991–1999, DREAM's
// first years; 00–90 are 2000–2090) and WW the ISO week; the rest is literal.
type widePattern struct {
	re      *regexp.Regexp
	yearPos int // submatch of the year
	twoYear bool
}

func compileWidePattern(p string) (*widePattern, error) {
	if p == "" {
		p = DefaultWidePattern
	}
	w := &widePattern{}
	var expr strings.Builder
	expr.WriteString("^")
	groups := 0
	for i := 0; i < len(p); {
		switch {
		case strings.HasPrefix(p[i:], "YYYY"):
			groups++
			w.yearPos = groups
			expr.WriteString(`(\d{4})`)
			i += 4
		case strings.HasPrefix(p[i:], "YY"):
			groups++
			w.yearPos, w.twoYear = groups, true
			expr.WriteString(`(\d{2})`)
			i += 2
		case strings.HasPrefix(p[i:], "WW"):
			groups++
			expr.WriteString(`(\d{2})`)
			i += 2
		default:
			expr.WriteString(regexp.QuoteMeta(p[i : i+1]))
			i++
		}
	}
	expr.WriteString("$")
	if groups != 2 || w.yearPos == 0 {
		return nil, fmt.Errorf("wide_columns %q: expected a pattern with a year (YY or YYYY) and a week (WW), such as y_YYWW", p)
	}
	w.re = regexp.MustCompile(expr.String())
	return w, nil
}

// week returns the ISO week a column name stands for; ok is false when the
// name does not match. A match with an impossible week is an error.
func (w *widePattern) week(name string) (pipeline.ISOWeek, bool, error) {
	m := w.re.FindStringSubmatch(name)
	if m == nil {
		return pipeline.ISOWeek{}, false, nil
	}
	weekPos := 3 - w.yearPos
	year, _ := strconv.Atoi(m[w.yearPos])
	week, _ := strconv.Atoi(m[weekPos])
	if w.twoYear {
		if year >= 91 {
			year += 1900
		} else {
			year += 2000
		}
	}
	if week < 1 || week > pipeline.WeeksInYear(year) {
		return pipeline.ISOWeek{}, true, fmt.Errorf("column %q: %d has no ISO week %d", name, year, week)
	}
	return pipeline.ISOWeek{Year: year, Week: week}, true, nil
}

// wideColumns finds the week columns of a wide table, in calendar order of
// the file, and the columns that are neither id nor week.
func wideColumns(t table.Table, in *Input, today int) (cols []int, weeks []int, ignored []string, err error) {
	pat, err := compileWidePattern(in.WidePattern)
	if err != nil {
		return nil, nil, nil, &pipeline.InputError{File: in.Name(), Msg: err.Error()}
	}
	for i, name := range t.Columns() {
		w, ok, err := pat.week(name)
		switch {
		case err != nil:
			return nil, nil, nil, &pipeline.InputError{File: in.Name(), Line: headerLine(t), Msg: err.Error()}
		case !ok:
			if name != in.Column(ColPersonID) {
				ignored = append(ignored, name)
			}
			continue
		case w.Index() > today:
			return nil, nil, nil, &pipeline.InputError{File: in.Name(), Line: headerLine(t),
				Msg: fmt.Sprintf("column %q is week %s, after today (%s); expected weeks of the extract", name, w, pipeline.WeekFromIndex(today))}
		}
		cols, weeks = append(cols, i), append(weeks, w.Index())
	}
	if len(cols) == 0 {
		return nil, nil, nil, &pipeline.InputError{File: in.Name(), Line: headerLine(t),
			Msg: fmt.Sprintf("no week columns matching %q; the file has %s (set wide_columns in the spec)", orDefault(in.WidePattern, DefaultWidePattern), quoteList(t.Columns()))}
	}
	return cols, weeks, ignored, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// wideBatch is a parsed batch of a wide file: per row the person and a
// status per selected week column.
type wideBatch struct {
	line     []int32
	person   []int32 // assignment position; -1 unknown id; -2 malformed
	status   []pipeline.Status
	problems []rowProblem
	unknown  []string
	codes    codeCounts
	fatal    error
}

// readWide reads a DREAM-wide file: one row per person, a benefit code per
// week column (empty: no benefit). Only the week columns that some person's
// window can reach are read; end is the extract end's calendar index.
func (r *run) readWide(in *Input, end int) error {
	t, err := open(in)
	if err != nil {
		return err
	}
	defer t.Close()
	name, unit := in.Name(), t.Positions()
	id, err := columns(t, in, []string{ColPersonID}, nil)
	if err != nil {
		return err
	}
	weekCols, weekCal, ignored, err := wideColumns(t, in, r.today)
	if err != nil {
		return err
	}
	if len(ignored) > 0 {
		r.acc.Notes = append(r.acc.Notes, fmt.Sprintf("%s: columns that are neither the id nor a week are not read: %s", name, quoteList(ignored)))
	}
	first := minWeek(r.a) - r.preWeeks()
	scan := []int{id[ColPersonID]}
	var cal []int
	skipped := 0
	for i, c := range weekCols {
		if weekCal[i] < first || weekCal[i] > end {
			skipped++
			continue
		}
		scan, cal = append(scan, c), append(cal, weekCal[i])
	}
	if skipped > 0 {
		r.acc.Notes = append(r.acc.Notes, fmt.Sprintf("%s: %d week columns lie outside every person's window (%s … %s) and are not read",
			name, skipped, pipeline.WeekFromIndex(first), pipeline.WeekFromIndex(end)))
	}
	scanNames := make([]string, len(scan))
	for i, c := range scan {
		scanNames[i] = t.Columns()[c]
	}
	rows, cells := r.acc.Source(name, "rows"), r.acc.Source(name, "cells")
	seen := make([]bool, r.a.Len())
	m := len(cal)
	r.cfg.logf("reading %s (%s): %d week columns", name, t.Describe(), m)

	parseBatch := func(b table.Batch) *wideBatch {
		n := b.Len()
		p := &wideBatch{line: make([]int32, n), person: make([]int32, n), status: make([]pipeline.Status, n*m), codes: r.codes.newCounts()}
		accept := [][]table.Kind{idKinds}
		for range m {
			accept = append(accept, codeKinds)
		}
		if p.fatal = checkKinds(b, name, scanNames, accept); p.fatal != nil {
			return p
		}
		var idBuf, codeBuf [32]byte // scratch for integer columns, one per role
		idCol, codeCols := columnOf(b.Col(0)), make([]column, m)
		for c := range codeCols {
			codeCols[c] = columnOf(b.Col(1 + c))
		}
		for i := range n {
			line := b.Line(i)
			p.line[i] = int32(line)
			if re := b.RowErr(i); re != nil {
				p.person[i] = -2
				p.problems = append(p.problems, rowProblem{row: i, err: rowError(name, re)})
				continue
			}
			idv := idCol.text(i, idBuf[:0])
			if len(idv) == 0 {
				_, col := b.Pos(i, 0)
				p.person[i] = -2
				p.problems = append(p.problems, rowProblem{row: i, column: in.Column(ColPersonID), err: &pipeline.InputError{File: name, Line: line, Column: col, Unit: unitOf(unit, line),
					Msg: fmt.Sprintf("column %q: empty; expected a person id", in.Column(ColPersonID))}})
				continue
			}
			pos, ok := r.a.LookupBytes(idv)
			if !ok {
				p.person[i] = -1
				p.unknown = append(p.unknown, string(idv))
				continue
			}
			p.person[i] = int32(pos)
			for c := range m {
				p.status[i*m+c] = p.codes.status(codeCols[c].text(i, codeBuf[:0]))
			}
		}
		return p
	}
	apply := func(p *wideBatch) error {
		if p.fatal != nil {
			return p.fatal
		}
		r.codes.add(&p.codes)
		for _, id := range p.unknown {
			r.unknown[id] = true
		}
		next := 0
		for i := range p.line {
			rows.Read++
			line := int(p.line[i])
			switch p.person[i] {
			case -2:
				r.problem(rows, p.problems[next])
				next++
				continue
			case -1:
				r.acc.Reject(rows, pipeline.Reject{Source: name, Line: line, Reason: pipeline.RejectUnknownPerson})
				continue
			}
			j := p.person[i]
			if seen[j] {
				r.acc.Reject(rows, pipeline.Reject{Source: name, Line: line, Reason: pipeline.RejectDuplicate})
				continue
			}
			seen[j] = true
			rows.Used++
			r.touched[j] = true
			for c, w := range cal {
				cells.Read++
				r.hist.add(w)
				place, k := r.b.Place(j, w)
				if place == pipeline.PlaceAfterEnd || place == pipeline.PlaceBeforePre {
					cells.Outside++
					continue
				}
				r.b.Set(j, k, 0, false, p.status[i*m+c], true, pipeline.DupReject)
				cells.Count(place)
			}
		}
		return nil
	}
	return scanInput(r, t, name, scan, parseBatch, apply)
}

func minWeek(a *pipeline.Assignment) int {
	m := a.Week[0]
	for _, w := range a.Week {
		m = min(m, w)
	}
	return m
}

func (r *run) preWeeks() int {
	switch {
	case r.cfg.PreWeeks == NoPreWeeks:
		return 0
	case r.cfg.PreWeeks > 0:
		return r.cfg.PreWeeks
	}
	return 104
}

// lastWideWeek is the last week column of a wide input: its extract end.
func lastWideWeek(in *Input, today int) (int, error) {
	t, err := open(in)
	if err != nil {
		return 0, err
	}
	defer t.Close()
	_, weeks, _, err := wideColumns(t, in, today)
	if err != nil {
		return 0, err
	}
	last := weeks[0]
	for _, w := range weeks {
		last = max(last, w)
	}
	return last, nil
}
