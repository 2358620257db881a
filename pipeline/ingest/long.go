package ingest

import (
	"bytes"
	"fmt"
	"sort"
	"sync"

	"rcteval/pipeline"
	"rcteval/pipeline/ingest/parse"
	"rcteval/pipeline/ingest/table"
)

// run is the shared state of one ingest pass: the builder every source
// writes to and the accounting they share.
type run struct {
	cfg     *Config
	a       *pipeline.Assignment
	b       *pipeline.Builder
	acc     *pipeline.Accounting
	errs    pipeline.InputErrors
	codes   *codeTable
	hist    weekHistogram // rows per calendar week of the status sources
	touched []bool        // assignment position → has a row in a weekly input
	unknown map[string]bool
	today   int
}

// rowProblem is a malformed value: an error (bad_rows: error) or a reject.
type rowProblem struct {
	row    int
	err    *pipeline.InputError
	column string
	value  string
}

// longBatch is a parsed batch of a long file, holding no reference into it.
type longBatch struct {
	line      []int32 // each row's line; empty when they are firstLine, firstLine+1, …
	firstLine int
	person    []int32 // assignment position; -1 unknown id; -2 malformed
	cal       []int32
	hours     []float64
	status    []pipeline.Status
	problems  []rowProblem
	unknown   []string // the unknown ids, to count distinct ones (never written out)
	codes     codeCounts
	fatal     error       // a column of a kind that cannot hold its values
	weeks     *shortTexts // the worker's week texts read, kept from batch to batch
}

// lineOf is the line of row i.
func (p *longBatch) lineOf(i int) int {
	if len(p.line) == 0 {
		return p.firstLine + i
	}
	return int(p.line[i])
}

// readLong reads a long file: one row per person and week, with hours
// (when withHours) and the status (when withStatus).
func (r *run) readLong(in *Input, withHours, withStatus bool) error {
	t, err := open(in)
	if err != nil {
		return err
	}
	defer t.Close()
	name, unit := in.Name(), t.Positions()
	required := []string{ColPersonID, ColWeek}
	if withHours {
		required = append(required, ColHours)
	}
	if withStatus {
		required = append(required, ColStatus)
	}
	cols, err := columns(t, in, required, nil)
	if err != nil {
		return err
	}
	weeks, err := r.weekFormat(in, cols[ColWeek])
	if err != nil {
		return err
	}
	scan := []int{cols[ColPersonID], cols[ColWeek]}
	colName := []string{in.Column(ColPersonID), in.Column(ColWeek)}
	iHours, iStatus := -1, -1
	if withHours {
		iHours = len(scan)
		scan, colName = append(scan, cols[ColHours]), append(colName, in.Column(ColHours))
	}
	if withStatus {
		iStatus = len(scan)
		scan, colName = append(scan, cols[ColStatus]), append(colName, in.Column(ColStatus))
	}
	comma := in.decimalComma(t)
	src := r.acc.Source(name, "rows")
	r.cfg.logf("reading %s (%s)", name, t.Describe())

	var pool sync.Pool // of *longBatch: a batch's arrays serve again once applied
	parseBatch := func(b table.Batch) *longBatch {
		n := b.Len()
		p, _ := pool.Get().(*longBatch)
		if p == nil {
			p = &longBatch{}
		}
		fresh := func() {
			*p = longBatch{line: grow(p.line, n), person: grow(p.person, n), cal: grow(p.cal, n),
				hours: grow(p.hours, n), status: grow(p.status, n), codes: r.codes.newCounts(), weeks: p.weeks}
		}
		fresh()
		if p.weeks == nil {
			p.weeks = &shortTexts{}
		}
		accept := [][]table.Kind{idKinds, weekKinds}
		if iHours >= 0 {
			accept = append(accept, hoursKinds)
		}
		if iStatus >= 0 {
			accept = append(accept, codeKinds)
		}
		if p.fatal = checkKinds(b, name, colName, accept); p.fatal != nil {
			return p
		}
		// Scratch for integer columns' text, one per role: a value must not
		// overwrite another still in use.
		var (
			idBuf, codeBuf, valBuf [32]byte
			ids                    idCache
		)
		if rb, ok := b.(table.Ranges); ok && readByRanges {
			if r.readRanges(p, b, rb, weeks, &ids, iHours, iStatus, comma) {
				return p
			}
			fresh() // a row with a problem: read again below, which reports it
		}
		bad := func(i, j int, msg string, value []byte) {
			line, col := b.Pos(i, j)
			p.person[i] = -2
			v := string(value)
			if j == 0 {
				v = "" // never an id
			}
			p.problems = append(p.problems, rowProblem{row: i, column: colName[j], value: v,
				err: &pipeline.InputError{File: name, Line: line, Column: col, Unit: unitOf(unit, line), Msg: fmt.Sprintf("column %q: %s", colName[j], msg)}})
		}
		idCol, weekCol := columnOf(b.Col(0)), columnOf(b.Col(1))
		var hoursCol, statusCol column
		if iHours >= 0 {
			hoursCol = columnOf(b.Col(iHours))
		}
		if iStatus >= 0 {
			statusCol = columnOf(b.Col(iStatus))
		}
		for i := range n {
			line := b.Line(i)
			p.line[i] = int32(line)
			if re := b.RowErr(i); re != nil {
				p.person[i] = -2
				p.problems = append(p.problems, rowProblem{row: i, err: rowError(name, re)})
				continue
			}
			id := idCol.text(i, idBuf[:0])
			if len(id) == 0 {
				bad(i, 0, "empty; expected a person id", nil)
				continue
			}
			cal, msg := weeks.readCached(p.weeks, weekCol, i)
			if msg != "" {
				bad(i, 1, msg, weekCol.text(i, valBuf[:0]))
				continue
			}
			p.cal[i] = int32(cal)
			if iHours >= 0 {
				h, msg := hoursCol.hours(i, comma)
				if msg != "" {
					bad(i, iHours, msg, hoursCol.text(i, valBuf[:0]))
					continue
				}
				p.hours[i] = h
			}
			if iStatus >= 0 {
				p.status[i] = p.codes.status(statusCol.text(i, codeBuf[:0]))
			}
			p.person[i] = ids.lookup(r.a, id)
			if p.person[i] < 0 {
				p.unknown = append(p.unknown, string(id))
			}
		}
		return p
	}
	apply := func(p *longBatch) error {
		defer pool.Put(p)
		if p.fatal != nil {
			return p.fatal
		}
		r.codes.add(&p.codes)
		for _, id := range p.unknown {
			r.unknown[id] = true
		}
		next := 0 // next problem
		for i := range p.person {
			src.Read++
			line := p.lineOf(i)
			switch p.person[i] {
			case -2:
				pr := p.problems[next]
				next++
				r.problem(src, pr)
				continue
			case -1:
				r.acc.Reject(src, pipeline.Reject{Source: name, Line: line, Reason: pipeline.RejectUnknownPerson})
				if withStatus {
					r.hist.add(int(p.cal[i]))
				}
				continue
			}
			j, cal := p.person[i], int(p.cal[i])
			if withStatus {
				r.hist.add(cal)
			}
			place, k := r.b.Place(j, cal)
			switch place {
			case pipeline.PlaceAfterEnd:
				r.acc.Reject(src, pipeline.Reject{Source: name, Line: line, Column: colName[1], Reason: pipeline.RejectAfterEnd, Value: pipeline.WeekFromIndex(cal).String()})
				continue
			case pipeline.PlaceBeforePre:
				r.acc.Reject(src, pipeline.Reject{Source: name, Line: line, Column: colName[1], Reason: pipeline.RejectBeforePrePeriod, Value: pipeline.WeekFromIndex(cal).String()})
				continue
			}
			if !r.b.Set(j, k, p.hours[i], withHours, p.status[i], withStatus, r.cfg.Duplicates) {
				if r.cfg.Duplicates == pipeline.DupError {
					r.errs.Add(&pipeline.InputError{File: name, Line: line, Unit: unitOf(unit, line),
						Msg: fmt.Sprintf("a second row for the same person and week %s; expected one row per person and week (or set duplicates: sum or reject in the spec)", pipeline.WeekFromIndex(cal))})
				}
				r.acc.Reject(src, pipeline.Reject{Source: name, Line: line, Reason: pipeline.RejectDuplicate, Value: pipeline.WeekFromIndex(cal).String()})
				continue
			}
			if withStatus { // a weekly input, not the hours file
				r.touched[j] = true
			}
			src.Count(place)
		}
		return nil
	}
	return scanInput(r, t, name, scan, parseBatch, apply)
}

// readByRanges lets readLong read text batches by ranges; tests turn it
// off to check that both ways read the same.
var readByRanges = true

// readRanges parses a batch of text whose values are ranges of one buffer
// (table.Ranges), as the loop over columns in readLong does but without a
// call per value: the most common input, a CSV extract, is read about a
// tenth faster. It reports false, having filled p only in part, when the
// batch has no ranges or at the first row with a problem, which readLong's
// loop then reports.
func (r *run) readRanges(p *longBatch, b table.Batch, rb table.Ranges, weeks *weekReader, ids *idCache, iHours, iStatus int, comma bool) bool {
	idCol, ok1 := rb.Ranges(0)
	weekCol, ok2 := rb.Ranges(1)
	var hoursCol, statusCol table.RangeColumn
	ok3, ok4 := true, true
	if iHours >= 0 {
		hoursCol, ok3 = rb.Ranges(iHours)
	}
	if iStatus >= 0 {
		statusCol, ok4 = rb.Ranges(iStatus)
	}
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return false
	}
	// The batch's slices in locals: stores through p's would make the
	// compiler load every slice header again after each store.
	n := len(p.person)
	person, cal, hours, status := p.person[:n], p.cal[:n], p.hours[:n], p.status[:n]
	if n > 0 && b.Line(n-1)-b.Line(0) == n-1 { // one line a row, as most files have
		p.firstLine, p.line = b.Line(0), p.line[:0]
	} else {
		for i := range p.line {
			p.line[i] = int32(b.Line(i))
		}
	}
	for i := range n {
		word, same := ids.word.same(&idCol, i)
		var id []byte
		if !same {
			if id = trim(idCol.Value(i)); len(id) == 0 {
				return false
			}
		}
		c, msg := weeks.readTextCached(p.weeks, weekCol.Value(i))
		if msg != "" {
			return false
		}
		cal[i] = int32(c)
		if iHours >= 0 {
			h, msg := hoursText(hoursCol.Value(i), comma)
			if msg != "" {
				return false
			}
			hours[i] = h
		}
		if iStatus >= 0 {
			status[i] = p.codes.statusAt(&statusCol, i)
		}
		j := ids.pos
		if !same {
			j = ids.lookup(r.a, id)
			ids.word = word
		}
		person[i] = j
		if j < 0 {
			p.unknown = append(p.unknown, string(trim(idCol.Value(i))))
		}
	}
	return true
}

// scanInput scans an input with its progress watched, naming the file in
// any error.
func scanInput[R any](r *run, t table.Table, name string, cols []int, parse func(table.Batch) R, apply func(R) error) error {
	stop := r.cfg.watch(t, name)
	err := scanOrdered(t, cols, r.cfg.workers(), parse, apply)
	stop()
	if err != nil {
		return fileError(name, t.Positions(), err)
	}
	return nil
}

// rowError is a row the file's splitter could not read (ragged, a stray
// quote), named by file.
func rowError(file string, re *table.Error) *pipeline.InputError {
	return &pipeline.InputError{File: file, Line: re.Line, Column: re.Column, Msg: re.Msg}
}

// problem handles a malformed row: an error, or a reject with bad_rows: reject.
func (r *run) problem(src *pipeline.SourceAccounting, pr rowProblem) {
	if !r.cfg.RejectBadRows {
		r.errs.Add(pr.err)
	}
	r.acc.Reject(src, pipeline.Reject{Source: pr.err.File, Line: pr.err.Line, Column: pr.column, Reason: pipeline.RejectMalformed, Value: pr.value})
}

// weekFormat is the spec's week format, or the one detected from the first rows.
func (r *run) weekFormat(in *Input, col int) (*weekReader, error) {
	w := &weekReader{today: r.today}
	if in.DateFormat != "" {
		f, err := parse.ParseDateFormat(in.DateFormat)
		if err != nil {
			return nil, &pipeline.InputError{File: in.Name(), Msg: "date_format: " + err.Error()}
		}
		w.date = f
	}
	if in.WeekFormat != "" {
		f, err := parse.ParseWeekFormat(in.WeekFormat)
		if err != nil {
			return nil, &pipeline.InputError{File: in.Name(), Msg: "week_format: " + err.Error()}
		}
		w.format = f
		return w, nil
	}
	samples, kind, err := sample(in, col)
	if err != nil || kind != table.Text || len(samples) == 0 {
		return w, err
	}
	f, df, err := detectWeek(samples)
	if err != nil {
		return nil, &pipeline.InputError{File: in.Name(), Msg: fmt.Sprintf("column %q: %v; set week_format in the spec", in.Column(ColWeek), err)}
	}
	w.format, w.date = f, df
	return w, nil
}

// weekHistogram counts rows per calendar week.
type weekHistogram struct {
	base   int
	counts []int
}

func newWeekHistogram() weekHistogram {
	base := pipeline.WeekIndex(parse.MinYear, 1)
	return weekHistogram{base: base, counts: make([]int, pipeline.WeekIndex(parse.MaxYear, 52)-base+2)}
}

func (h *weekHistogram) add(cal int) { h.counts[cal-h.base]++ }

// last returns the last calendar week with rows, or 0 if none has.
func (h *weekHistogram) last() int {
	for i := len(h.counts) - 1; i >= 0; i-- {
		if h.counts[i] > 0 {
			return h.base + i
		}
	}
	return 0
}

// weeks returns the calendar weeks with rows, in order, and their counts.
func (h *weekHistogram) weeks() (cal, n []int) {
	for i, c := range h.counts {
		if c > 0 {
			cal, n = append(cal, h.base+i), append(n, c)
		}
	}
	return
}

// grow returns s with length n, reusing its array when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	clear(s[:n])
	return s[:n]
}

// idCache remembers the last id looked up in a batch: an extract lists a
// person's weeks together, so most rows repeat the id before them.
type idCache struct {
	last []byte
	pos  int32
	word rangeWord // the last id's text in a batch with ranges
}

// rangeWord is a value of up to 8 bytes read by table.RangeColumn.Word;
// n is 0 when none is kept.
type rangeWord struct {
	w uint64
	n int
}

// same reports whether value i of col is the text kept, by comparing words.
func (k rangeWord) same(col *table.RangeColumn, i int) (rangeWord, bool) {
	w, n, ok := col.Word(i)
	if !ok {
		return rangeWord{}, false
	}
	return rangeWord{w, n}, k.n > 0 && w == k.w && n == k.n
}

// lookup returns the assignment position of id, or -1.
func (c *idCache) lookup(a *pipeline.Assignment, id []byte) int32 {
	if c.last != nil && bytes.Equal(id, c.last) {
		return c.pos
	}
	pos, ok := a.LookupBytes(id)
	c.last, c.pos = append(c.last[:0], id...), int32(pos) // id may be scratch
	if !ok {
		c.pos = -1
	}
	return c.pos
}

// codeTable maps register codes to categories and counts what it sees.
type codeTable struct {
	cfg      *Config
	index    map[string]int // code → position in codes
	codes    []string
	category []pipeline.Status
	counts   []int
	unmapped map[string]int
	empty    int
}

// codeCounts maps and counts the codes of one batch. Its caches (valid
// while the batch is) spare the map lookup: the last code, for a run of rows
// with one code, as extracts have; and, in a batch with ranges, the codes of
// up to 8 bytes seen, by their bytes as a word, for the few codes a
// person's weeks switch between.
type codeCounts struct {
	t        *codeTable
	counts   []int
	unmapped map[string]int
	empty    int
	last     []byte
	lastIdx  int
	lastWord rangeWord // the last code read by ranges, and its position in the table
	wordIdx  int
	words    [16]codeWord
}

// codeWord is a mapped code as read (n > 0 bytes as a word) and its
// position in the code table.
type codeWord struct {
	rangeWord
	idx int
}

func (w rangeWord) slot() int { return fibonacciSlot(w.w, 4) } // of codeCounts.words

func newCodeTable(cfg *Config) *codeTable {
	t := &codeTable{cfg: cfg, index: map[string]int{}, unmapped: map[string]int{}}
	codes := make([]string, 0, len(cfg.Codes))
	for c := range cfg.Codes {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		t.index[c] = len(t.codes)
		t.codes = append(t.codes, c)
		t.category = append(t.category, cfg.Codes[c])
	}
	t.counts = make([]int, len(codes))
	return t
}

func (t *codeTable) newCounts() codeCounts {
	return codeCounts{t: t, counts: make([]int, len(t.codes))}
}

// statusAt is status for value i of a column of ranges: a code seen before
// in the batch costs a comparison of words.
func (c *codeCounts) statusAt(col *table.RangeColumn, i int) pipeline.Status {
	word, same := c.lastWord.same(col, i)
	if same {
		c.counts[c.wordIdx]++
		return c.t.category[c.wordIdx]
	}
	if word.n > 0 {
		if e := &c.words[word.slot()]; e.rangeWord == word {
			c.lastWord, c.wordIdx = word, e.idx
			c.counts[e.idx]++
			return c.t.category[e.idx]
		}
	}
	code := trim(col.Value(i))
	st := c.status(code)
	c.lastWord = rangeWord{}
	if word.n > 0 && len(code) > 0 && c.last != nil && bytes.Equal(code, c.last) { // a mapped code
		c.lastWord, c.wordIdx = word, c.lastIdx
		c.words[word.slot()] = codeWord{word, c.lastIdx}
	}
	return st
}

// status maps a code; an unmapped code becomes what the spec's unmapped says
// and is counted.
func (c *codeCounts) status(code []byte) pipeline.Status {
	if len(code) == 0 {
		c.empty++
		return pipeline.StatusNone
	}
	if c.last != nil && bytes.Equal(code, c.last) {
		c.counts[c.lastIdx]++
		return c.t.category[c.lastIdx]
	}
	if i, ok := c.t.index[string(code)]; ok {
		c.last, c.lastIdx = append(c.last[:0], code...), i // code may be scratch
		c.counts[i]++
		return c.t.category[i]
	}
	if c.unmapped == nil {
		c.unmapped = map[string]int{}
	}
	c.unmapped[string(code)]++
	if c.t.cfg.Unmapped == UnmappedBenefit {
		return pipeline.StatusBenefit
	}
	return pipeline.StatusNone
}

func (t *codeTable) add(c *codeCounts) {
	for i, n := range c.counts {
		t.counts[i] += n
	}
	for code, n := range c.unmapped {
		t.unmapped[code] += n
	}
	t.empty += c.empty
}

// report lists the codes seen, and fails on unmapped codes unless the spec
// says what they mean.
func (t *codeTable) report(acc *pipeline.Accounting, categories []string) error {
	for i, code := range t.codes {
		if t.counts[i] > 0 {
			acc.Codes = append(acc.Codes, pipeline.CodeCount{Code: code, Category: categories[t.category[i]], Count: t.counts[i]})
		}
	}
	if t.empty > 0 {
		acc.Codes = append(acc.Codes, pipeline.CodeCount{Code: "", Category: "", Count: t.empty})
	}
	if len(t.unmapped) == 0 {
		return nil
	}
	codes := make([]string, 0, len(t.unmapped))
	total := 0
	for c, n := range t.unmapped {
		codes = append(codes, c)
		total += n
	}
	sort.Slice(codes, func(i, j int) bool {
		if t.unmapped[codes[i]] != t.unmapped[codes[j]] {
			return t.unmapped[codes[i]] > t.unmapped[codes[j]]
		}
		return codes[i] < codes[j]
	})
	list := ""
	for i, c := range codes {
		if i == 50 {
			list += fmt.Sprintf(", … (%d codes)", len(codes))
			break
		}
		if i > 0 {
			list += ", "
		}
		list += fmt.Sprintf("%q (%d)", c, t.unmapped[c])
	}
	switch t.cfg.Unmapped {
	case UnmappedBenefit, UnmappedNone:
		meaning := map[Unmapped]string{UnmappedBenefit: "benefit", UnmappedNone: "no benefit"}[t.cfg.Unmapped]
		for _, c := range codes {
			acc.Codes = append(acc.Codes, pipeline.CodeCount{Code: c, Category: categories[map[Unmapped]pipeline.Status{UnmappedBenefit: pipeline.StatusBenefit, UnmappedNone: pipeline.StatusNone}[t.cfg.Unmapped]], Count: t.unmapped[c], Unmapped: true})
		}
		acc.Notes = append(acc.Notes, fmt.Sprintf("%d rows have status codes the spec does not map, counted as %s (unmapped: %s): %s", total, meaning, map[Unmapped]string{UnmappedBenefit: "benefit", UnmappedNone: "none"}[t.cfg.Unmapped], list))
		return nil
	}
	return fmt.Errorf("%d rows have status codes that map to no category: %s; expected codes listed under status_codes in the spec (or unmapped: benefit)", total, list)
}
