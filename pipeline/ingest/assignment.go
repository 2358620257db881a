package ingest

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"rcteval/pipeline"
	"rcteval/pipeline/ingest/parse"
	"rcteval/pipeline/ingest/table"
)

// ReadAssignment reads the assignment: one row per randomised person with
// the id, the arm label and the randomisation date, and optionally the
// stratum, the cluster and covariates. Every malformed row is reported (up
// to pipeline.MaxListed), not only the first.
func ReadAssignment(cfg *Config) (*pipeline.Assignment, error) {
	in := &cfg.Assignment
	t, err := open(in)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	name, unit := in.Name(), t.Positions()
	cols, err := columns(t, in, []string{ColPersonID, ColArm, ColRandomised}, []string{ColStratum, ColCluster})
	if err != nil {
		return nil, err
	}
	dates, err := dateFormat(in, cols[ColRandomised])
	if err != nil {
		return nil, err
	}
	// Every column is read: the roles, then the rest (stratum, cluster and
	// covariate candidates).
	roles := []int{cols[ColPersonID], cols[ColArm], cols[ColRandomised]}
	scan := slices.Clone(roles)
	var rest []int
	for i := range t.Columns() {
		if !slices.Contains(roles, i) {
			rest = append(rest, i)
			scan = append(scan, i)
		}
	}
	arms := map[string]pipeline.Arm{}
	for _, l := range cfg.Control {
		arms[l] = pipeline.Control
	}
	for _, l := range cfg.Treatment {
		arms[l] = pipeline.Treatment
	}
	a := pipeline.NewAssignment(name)
	raw := make([]pipeline.TextColumn, len(rest))
	var problems pipeline.InputErrors
	unknownArms := map[string]*labelCount{}
	at := func(b table.Batch, i, j int, format string, args ...any) *pipeline.InputError {
		line, col := b.Pos(i, j)
		return &pipeline.InputError{File: name, Line: line, Column: col, Unit: unitOf(unit, line),
			Msg: fmt.Sprintf("column %q: ", t.Columns()[scan[j]]) + fmt.Sprintf(format, args...)}
	}
	names := []string{t.Columns()[roles[0]], t.Columns()[roles[1]], t.Columns()[roles[2]]}
	dups := map[int]*pipeline.InputError{} // by line: the second rows of an id, their columns still to find
	var datePool sync.Pool                 // of *recentTexts
	// Rows are read on every core; persons are added in file order, which
	// finds the second row of an id.
	parse := func(b table.Batch) *assignBatch {
		p := &assignBatch{rest: make([]pipeline.TextColumn, len(rest))}
		if p.fatal = checkKinds(b, name, names, [][]table.Kind{idKinds, codeKinds, dateKinds}); p.fatal != nil {
			return p
		}
		if b.Seq() == 0 {
			p.rowsHint = rowsHint(t, b)
		}
		bcols := make([]column, len(scan))
		for j := range bcols {
			bcols[j] = columnOf(b.Col(j))
		}
		var buf [32]byte
		levels := make([]*recentTexts, len(rest)) // each further column's recent texts
		for j := range levels {
			levels[j] = newRecentTexts(6)
		}
		recentDates, _ := datePool.Get().(*recentTexts) // the weeks of recent dates, which stay valid from batch to batch
		if recentDates == nil {
			recentDates = newRecentTexts(10) // a trial randomises on a few hundred dates
		}
		defer datePool.Put(recentDates)
		n := b.Len()
		p.outcome, p.persons, p.ids = make([]rowOutcome, n), make([]assignRow, 0, n), make([]byte, 0, 12*n) // ids of up to 12 bytes without growing
		for j := range p.rest {
			p.rest[j].Of = make([]int32, 0, n)
		}
		for i := range n {
			if re := b.RowErr(i); re != nil {
				p.outcome[i], p.problems = rowFailed, append(p.problems, rowError(name, re))
				continue
			}
			id := bcols[0].text(i, buf[:0])
			if len(id) == 0 {
				p.outcome[i], p.problems = rowFailed, append(p.problems, at(b, i, 0, "empty; expected a person id"))
				continue
			}
			labelText := bcols[1].text(i, buf[:0])
			arm, ok := arms[string(labelText)]
			if !ok {
				label := unknownLabel{label: string(labelText)}
				if !slices.ContainsFunc(p.labels, func(l unknownLabel) bool { return l.label == label.label }) {
					label.where = at(b, i, 1, "") // the first in the batch
				}
				p.outcome[i], p.labels = rowUnknownArm, append(p.labels, label)
				continue
			}
			week, msg := dates.weekRecent(bcols[2], i, recentDates)
			if msg != "" {
				p.outcome[i], p.problems = rowFailed, append(p.problems, at(b, i, 2, "%s", msg))
				continue
			}
			p.ids = append(p.ids, id...)
			p.persons = append(p.persons, assignRow{idEnd: len(p.ids), arm: arm, week: week, line: b.Line(i)})
			for j := range rest {
				text := bcols[3+j].text(i, buf[:0])
				k, short := longKeyOf(text)
				if v, ok := levels[j].get(k); ok {
					p.rest[j].AppendIndex(v)
					continue
				}
				p.rest[j].Append(text)
				if short {
					levels[j].put(k, p.rest[j].Of[len(p.rest[j].Of)-1])
				}
			}
		}
		return p
	}
	apply := func(p *assignBatch) error {
		if p.fatal != nil {
			return p.fatal
		}
		if p.rowsHint > 0 {
			// Room for the persons the file suggests: grown by append, the
			// columns would take about five times their size in
			// allocations, each one more work for the collector.
			a.Grow(p.rowsHint)
			for j := range raw {
				raw[j].Of = slices.Grow(raw[j].Of, p.rowsHint)
			}
		}
		index := make([][]int32, len(rest)) // the batch's texts → the column's
		for j := range rest {
			index[j] = make([]int32, len(p.rest[j].Distinct))
			for k, text := range p.rest[j].Distinct {
				index[j][k] = raw[j].IndexOf(text)
			}
		}
		var problem, label, person, idStart int
		for _, outcome := range p.outcome {
			switch outcome {
			case rowFailed:
				problems.Add(p.problems[problem])
				problem++
			case rowUnknownArm:
				l := p.labels[label]
				label++
				lc := unknownArms[l.label]
				if lc == nil {
					lc = &labelCount{label: l.label, where: l.where}
					unknownArms[l.label] = lc
				}
				lc.n++
			default:
				r := p.persons[person]
				if first, ok := a.AddBytes(p.ids[idStart:r.idEnd], r.arm, r.week, r.line); ok {
					for j := range rest {
						raw[j].AppendIndex(index[j][p.rest[j].Of[person]])
					}
				} else {
					e := &pipeline.InputError{File: name, Line: r.line, Unit: unitOf(unit, r.line),
						Msg: fmt.Sprintf("column %q: person id appears twice (first on %s %d); expected one row per person", names[0], unitName(unit), a.Line[first])}
					problems.Add(e)
					dups[r.line] = e
				}
				person, idStart = person+1, r.idEnd
			}
		}
		return nil
	}
	err = scanOrdered(t, scan, cfg.workers(), parse, apply)
	if err == nil && len(dups) > 0 {
		err = locateColumn(in, cols[ColPersonID], dups)
	}
	if err != nil {
		return nil, fileError(name, unit, err)
	}
	addUnknownArms(&problems, unknownArms, cfg)
	if err := problems.Err(); err != nil {
		return nil, err
	}
	if a.Len() == 0 {
		return nil, &pipeline.InputError{File: name, Line: 2, Msg: "no persons; expected one row per randomised person"}
	}
	if tr, co := a.Count(); tr == 0 || co == 0 {
		return nil, &pipeline.InputError{File: name, Msg: fmt.Sprintf("all %d persons are in one arm (%d treatment, %d control); expected both arms: check the arm labels (treatment %s, control %s)",
			a.Len(), tr, co, quoteList(cfg.Treatment), quoteList(cfg.Control))}
	}
	if err := addCovariates(cfg, t, a, cols, rest, raw); err != nil {
		return nil, err
	}
	return a, nil
}

// assignBatch is a batch of assignment rows as read, to be added in file
// order.
type assignBatch struct {
	outcome  []rowOutcome
	persons  []assignRow            // the rows read, in order
	ids      []byte                 // their ids, end to end
	rest     []pipeline.TextColumn  // their other columns
	problems []*pipeline.InputError // the rows that failed, in order
	labels   []unknownLabel         // the unknown arm labels, in order
	rowsHint int                    // the first batch's guess of the rows
	fatal    error                  // a column of a kind that cannot hold its values
}

// rowOutcome is what became of an assignment row.
type rowOutcome uint8

const (
	rowRead       rowOutcome = iota // a person, to be added
	rowFailed                       // a problem, reported
	rowUnknownArm                   // an arm label that is neither arm's, counted
)

type assignRow struct {
	idEnd      int // its id is assignBatch.ids[the previous row's idEnd:idEnd]
	arm        pipeline.Arm
	week, line int
}

// unknownLabel is an arm label that is neither arm's; where is set for its
// first row in a batch.
type unknownLabel struct {
	label string
	where *pipeline.InputError
}

// locateColumn reads an input's column again to set the Column of the
// errors of some rows, found by line. A second row of an id is found when
// persons are added, after its batch is let go, and a position needs the
// batch, which splits its row again to find it.
func locateColumn(in *Input, col int, byLine map[int]*pipeline.InputError) error {
	t, err := open(in)
	if err != nil {
		return err
	}
	defer t.Close()
	err = t.Scan([]int{col}, 1, func(b table.Batch) error {
		for i := range b.Len() {
			if e := byLine[b.Line(i)]; e != nil {
				e.Line, e.Column = b.Pos(i, 0)
			}
		}
		return nil
	})
	if err != nil {
		return fileError(in.Name(), t.Positions(), err)
	}
	return nil
}

type labelCount struct {
	label string
	n     int
	where *pipeline.InputError
}

// addUnknownArms reports every arm label that is neither arm's, with its count.
func addUnknownArms(problems *pipeline.InputErrors, unknown map[string]*labelCount, cfg *Config) {
	labels := make([]*labelCount, 0, len(unknown))
	for _, lc := range unknown {
		labels = append(labels, lc)
	}
	sort.Slice(labels, func(i, j int) bool { return labels[i].label < labels[j].label })
	for _, lc := range labels {
		e := lc.where
		e.Msg += fmt.Sprintf("unknown arm %q (%d rows); expected %s for treatment or %s for control (set arms: in the spec)",
			lc.label, lc.n, orList(cfg.Treatment), orList(cfg.Control))
		problems.Add(e)
	}
}

func orList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func unitName(unit string) string {
	if unit == "row" {
		return "row"
	}
	return "line"
}

// addCovariates types the columns without a role: the stratum, the cluster,
// and the covariates (declared in the spec, or all others).
func addCovariates(cfg *Config, t table.Table, a *pipeline.Assignment, cols map[string]int, rest []int, raw []pipeline.TextColumn) error {
	comma := cfg.Assignment.decimalComma(t)
	number := func(s string) (float64, bool) {
		v, err := parse.ParseDecimal([]byte(s), comma)
		return v, err == nil
	}
	byName := map[string]int{} // column name → index into rest and raw
	for j, c := range rest {
		byName[t.Columns()[c]] = j
	}
	taken := map[int]bool{}
	if c, ok := cols[ColStratum]; ok {
		a.SetStratum(ColStratum, &raw[byName[t.Columns()[c]]])
		taken[c] = true
	}
	if c, ok := cols[ColCluster]; ok {
		a.SetCluster(ColCluster, &raw[byName[t.Columns()[c]]])
		taken[c] = true
	}
	if cfg.Covariates == nil {
		for j, c := range rest {
			if !taken[c] {
				a.AddCovariate(t.Columns()[c], &raw[j], pipeline.Auto, number)
			}
		}
		return nil
	}
	var missing []string
	for _, cv := range cfg.Covariates {
		j, ok := byName[cv.Name]
		if !ok {
			missing = append(missing, cv.Name)
			continue
		}
		a.AddCovariate(cv.Name, &raw[j], cv.Type, number)
	}
	if len(missing) > 0 {
		return &pipeline.InputError{File: cfg.Assignment.Name(), Line: headerLine(t),
			Msg: fmt.Sprintf("the spec's covariates name missing column %s; the file has %s", quoteList(missing), quoteList(t.Columns()))}
	}
	return nil
}

// dateReader reads a date column into the calendar index of its ISO week.
type dateReader struct{ format parse.DateFormat }

// weekRecent is week, looking text dates up in recent first.
func (d dateReader) weekRecent(c column, i int, recent *recentTexts) (int, string) {
	if c.kind != table.Text {
		return d.week(c, i)
	}
	k, short := longKeyOf(trim(c.Bytes(i)))
	if w, ok := recent.get(k); ok {
		return int(w), ""
	}
	w, msg := d.week(c, i)
	if short && msg == "" {
		recent.put(k, int32(w))
	}
	return w, msg
}

func (d dateReader) week(c column, i int) (int, string) {
	var y, m, day int
	switch {
	case c.Null(i):
		return 0, "empty; expected a date"
	case c.kind == table.Date:
		y, m, day = parse.DateFromDays(c.Date(i))
		if y < parse.MinYear || y > parse.MaxYear {
			return 0, fmt.Sprintf("date %04d-%02d-%02d; expected a year from %d to %d", y, m, day, parse.MinYear, parse.MaxYear)
		}
	case c.kind == table.Text || c.kind == table.Int:
		var buf [24]byte
		b := c.text(i, buf[:0])
		if len(b) == 0 {
			return 0, fmt.Sprintf("empty; expected a date in the form %s", d.format)
		}
		var err error
		if y, m, day, err = parse.ParseDate(b, d.format); err != nil {
			return 0, err.Error()
		}
	default:
		return 0, fmt.Sprintf("a %s column; expected dates", c.kind)
	}
	yw, w := parse.ISOWeek(y, m, day)
	return pipeline.WeekIndex(yw, w), ""
}

// dateFormat is the spec's date format, or the one detected from the first rows.
func dateFormat(in *Input, col int) (dateReader, error) {
	if in.DateFormat != "" {
		f, err := parse.ParseDateFormat(in.DateFormat)
		if err != nil {
			return dateReader{}, &pipeline.InputError{File: in.Name(), Msg: "date_format: " + err.Error()}
		}
		return dateReader{f}, nil
	}
	samples, kind, err := sample(in, col)
	if err != nil || kind == table.Date || len(samples) == 0 {
		return dateReader{parse.DateISO}, err
	}
	f, err := detectDate(samples)
	if err != nil {
		return dateReader{}, &pipeline.InputError{File: in.Name(), Msg: fmt.Sprintf("column %q: %v; set date_format in the spec", in.Column(ColRandomised), err)}
	}
	return dateReader{f}, nil
}

// sampleRows is how many values format detection looks at.
const sampleRows = 1000

var errEnough = errors.New("enough")

// sample returns the first non-empty values of a column as text, and its kind.
func sample(in *Input, col int) ([][]byte, table.Kind, error) {
	t, err := open(in)
	if err != nil {
		return nil, 0, err
	}
	defer t.Close()
	var (
		out  [][]byte
		kind table.Kind
		buf  []byte
	)
	err = t.Scan([]int{col}, 1, func(b table.Batch) error {
		kind = b.Col(0).Kind()
		for i := range b.Len() {
			if b.RowErr(i) != nil {
				continue
			}
			if v := columnOf(b.Col(0)).text(i, buf); len(v) > 0 {
				out = append(out, append([]byte(nil), v...))
			}
			if len(out) == sampleRows {
				return errEnough
			}
		}
		return nil
	})
	if err != nil && err != errEnough {
		return nil, 0, fileError(in.Name(), t.Positions(), err)
	}
	return out, kind, nil
}

// rowsHint is the table's guess of its rows from its first batch, or the
// batch's rows; at most maxRowsHint, for a guess from a first batch of
// unusually short rows would make room for too many.
func rowsHint(t table.Table, first table.Batch) int {
	n := first.Len()
	if h, ok := t.(table.RowsHint); ok {
		n = max(n, min(h.RowsHint(first), maxRowsHint))
	}
	return n
}

// maxRowsHint is twice a national trial's persons.
const maxRowsHint = 2_000_000
