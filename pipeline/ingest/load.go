package ingest

import (
	"fmt"
	"slices"
	"strings"

	"rcteval/pipeline"
)

// Load reads a trial: the assignment, the weekly inputs and the hours file,
// aligned on weeks since randomisation, with the outcomes of cfg derived.
// Without an extract end it takes the last week whose row count has not
// collapsed against the weeks before (so one mistyped week cannot move it);
// when that leaves rows after the end, the inputs are read a second time
// with the end fixed, so that those rows are rejected by line.
func Load(cfg Config) (*pipeline.Dataset, error) {
	if len(cfg.Weeks) == 0 {
		return nil, fmt.Errorf("no weekly input; expected at least one weekly file")
	}
	if err := checkOutcomeData(&cfg); err != nil {
		return nil, err
	}
	a, err := ReadAssignment(&cfg)
	if err != nil {
		return nil, err
	}
	cfg.logf("read %s", a)
	today := cfg.today().Index()
	end := cfg.ExtractEnd
	if end != (pipeline.ISOWeek{}) && end.Index() > today {
		return nil, fmt.Errorf("extract end %s is after today (%s); expected the last week of the extract", end, pipeline.WeekFromIndex(today))
	}
	if end == (pipeline.ISOWeek{}) {
		// A wide file says its extent in its header: its last week column.
		for i := range cfg.Weeks {
			if !cfg.Weeks[i].Wide {
				continue
			}
			last, err := lastWideWeek(&cfg.Weeks[i], today)
			if err != nil {
				return nil, err
			}
			if end == (pipeline.ISOWeek{}) || last > end.Index() {
				end = pipeline.WeekFromIndex(last)
			}
		}
	}
	ds, again, notes, err := loadOnce(&cfg, a, end)
	if err != nil {
		return nil, err
	}
	if again != (pipeline.ISOWeek{}) {
		if ds, _, _, err = loadOnce(&cfg, a, again); err != nil {
			return nil, err
		}
	}
	ds.Accounting.Notes = append(notes, ds.Accounting.Notes...)
	return ds, nil
}

// loadOnce reads the weekly inputs and the hours file into a store. When
// end is zero and the end found from the data leaves rows after it, it
// returns that end in again, for a second pass.
func loadOnce(cfg *Config, a *pipeline.Assignment, end pipeline.ISOWeek) (ds *pipeline.Dataset, again pipeline.ISOWeek, notes []string, err error) {
	r := &run{cfg: cfg, a: a, acc: &pipeline.Accounting{}, codes: newCodeTable(cfg), hist: newWeekHistogram(),
		touched: make([]bool, a.Len()), unknown: map[string]bool{}, today: cfg.today().Index()}
	r.b = pipeline.NewBuilder(a, end, r.preWeeks(), cfg.Categories)
	if end != (pipeline.ISOWeek{}) && end.Index() < minWeek(a) {
		return nil, again, nil, fmt.Errorf("extract end %s is before every randomisation (the first is in %s); expected an extract end after the trial started",
			end, pipeline.WeekFromIndex(minWeek(a)))
	}
	for i := range cfg.Weeks {
		in := &cfg.Weeks[i]
		if in.Wide {
			err = r.readWide(in, end.Index())
		} else {
			err = r.readLong(in, cfg.Hours == nil, true)
		}
		if err != nil {
			return nil, again, nil, err
		}
	}
	if err := r.codes.report(r.acc, cfg.Categories); err != nil {
		return nil, again, nil, err
	}
	if err := r.errs.Err(); err != nil {
		return nil, again, nil, err
	}
	if end == (pipeline.ISOWeek{}) {
		e, ns, err := endFromData(&r.hist)
		if err != nil {
			return nil, again, nil, err
		}
		if r.hist.last() > e.Index() && r.b.AfterEnd(e) > 0 {
			return nil, e, ns, nil
		}
		end, notes = e, ns
		if end.Index() < minWeek(a) {
			return nil, again, nil, fmt.Errorf("the weekly data end in %s, before every randomisation (the first is in %s); expected weekly data after randomisation",
				end, pipeline.WeekFromIndex(minWeek(a)))
		}
		r.b.SetEnd(end)
	}
	if cfg.Hours != nil {
		if err := r.readLong(cfg.Hours, true, false); err != nil {
			return nil, again, nil, err
		}
		if err := r.errs.Err(); err != nil {
			return nil, again, nil, err
		}
	}
	s, err := r.b.Finish(end)
	if err != nil {
		return nil, again, nil, err
	}
	r.acc.SortRejects()
	if !r.acc.Balanced() {
		return nil, again, nil, fmt.Errorf("internal error: the row accounting does not add up: %+v", r.acc.Sources)
	}
	if cal, _ := r.hist.weeks(); len(cal) > 0 {
		r.acc.FirstWeek, r.acc.LastWeek = pipeline.WeekFromIndex(cal[0]), pipeline.WeekFromIndex(cal[len(cal)-1])
		if end.Index() > cal[len(cal)-1] {
			r.acc.Notes = append(r.acc.Notes, fmt.Sprintf("the extract end %s is after the last week with data (%s): the weeks after it count as no hours and no benefit", end, r.acc.LastWeek))
		}
	}
	ds = &pipeline.Dataset{Assignment: a, Store: s, Accounting: r.acc}
	if err := r.checkCoverage(s); err != nil {
		return nil, again, nil, err
	}
	if err := ds.Derive(cfg.Outcomes); err != nil {
		return nil, again, nil, err
	}
	return ds, again, notes, nil
}

// Row counts below this share of the weeks before mark a week as after the
// data's real end; below the second share the last week is flagged.
const (
	collapsedShare = 0.25
	partialShare   = 0.75
	referenceWeeks = 8
)

// endFromData takes the extract end from the rows per calendar week: the
// last week whose count is at least collapsedShare of the median of the
// referenceWeeks weeks with data before it.
func endFromData(h *weekHistogram) (pipeline.ISOWeek, []string, error) {
	cal, n := h.weeks()
	if len(cal) == 0 {
		return pipeline.ISOWeek{}, nil, fmt.Errorf("the weekly inputs have no rows for any week; cannot take the extract end from the data (check the files, or give --extract-end)")
	}
	var thin []string
	for i := len(cal) - 1; i >= 0; i-- {
		ref := median(n[max(0, i-referenceWeeks):i])
		if i > 0 && float64(n[i]) < collapsedShare*ref {
			thin = append(thin, fmt.Sprintf("%s: %d rows", pipeline.WeekFromIndex(cal[i]), n[i]))
			continue
		}
		end := pipeline.WeekFromIndex(cal[i])
		var notes []string
		if len(thin) > 0 {
			slices.Reverse(thin)
			notes = append(notes, fmt.Sprintf("the extract end is taken as %s: the later weeks have far fewer rows than the weeks before (%s), so their rows are rejected as after the extract end; give --extract-end (extract_end in the spec) to set it",
				end, strings.Join(thin, ", ")))
		}
		if i > 0 && float64(n[i]) < partialShare*ref {
			notes = append(notes, fmt.Sprintf("the last week, %s, has %d rows against about %.0f in the weeks before: is the extract complete?", end, n[i], ref))
		}
		return end, notes, nil
	}
	panic("unreachable: the first week is never thin")
}

func median(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return float64(s[len(s)/2])
	}
	return float64(s[len(s)/2-1]+s[len(s)/2]) / 2
}

// checkCoverage counts persons without weekly data and weekly ids that
// match no one, and stops the run when either is more than MaxMissing of
// the persons; it also stops on randomisation dates long before the data.
func (r *run) checkCoverage(s *pipeline.Store) error {
	acc, a := r.acc, r.a
	atRisk := 0
	for j := range s.N {
		arm := a.Arm[s.Person[j]]
		if s.FollowUp[j] == 0 {
			acc.NeverAtRisk[arm]++
			continue
		}
		atRisk++
		if !r.touched[s.Person[j]] {
			acc.NoRows[arm]++
		}
	}
	acc.UnknownIDs = len(r.unknown)
	var msgs []string
	if n := acc.NoRows[0] + acc.NoRows[1]; n > 0 && float64(n) > r.cfg.MaxMissing*float64(atRisk) {
		msgs = append(msgs, fmt.Sprintf("%d of %d persons at risk (%.1f %%) have no row in the weekly data (%d treatment, %d control)",
			n, atRisk, 100*float64(n)/float64(max(atRisk, 1)), acc.NoRows[pipeline.Treatment], acc.NoRows[pipeline.Control]))
	}
	if n := acc.UnknownIDs; n > 0 && float64(n) > r.cfg.MaxMissing*float64(a.Len()) {
		msgs = append(msgs, fmt.Sprintf("%d distinct ids in the weekly data match no person in the assignment%s", n, r.leadingZeroHint()))
	}
	if len(msgs) > 0 {
		return fmt.Errorf("%s; expected at most %g %% (max_missing in the spec): are the files complete, and do their ids match the assignment's?",
			strings.Join(msgs, "; "), 100*r.cfg.MaxMissing)
	}
	return r.checkRandomisationDates()
}

// leadingZeroHint says when unknown ids match after restoring the leading
// zeros Excel drops from numeric-looking ids.
func (r *run) leadingZeroHint() string {
	width := r.a.IDLength()
	if width == 0 {
		return ""
	}
	match := 0
	for id := range r.unknown {
		if len(id) < width {
			if _, ok := r.a.Lookup(strings.Repeat("0", width-len(id)) + id); ok {
				match++
			}
		}
	}
	if match == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d of them match once the leading zeros are restored: the ids were probably read as numbers, e.g. by Excel; keep them as text)", match)
}

// checkRandomisationDates stops on persons randomised more than a year
// before the first week with weekly data: their follow-up would rest on
// weeks the extract does not cover (a typo such as 1916 for 2016).
func (r *run) checkRandomisationDates() error {
	cal, _ := r.hist.weeks()
	if len(cal) == 0 {
		return nil
	}
	first := cal[0]
	var errs pipeline.InputErrors
	for p, w := range r.a.Week {
		if w < first-52 {
			errs.Add(&pipeline.InputError{File: r.a.Source, Line: r.a.Line[p], Msg: fmt.Sprintf("column %q: randomised in %s, more than a year before the first week with weekly data (%s); expected a date the extract covers",
				r.cfg.Assignment.Column(ColRandomised), pipeline.WeekFromIndex(w), pipeline.WeekFromIndex(first))})
		}
	}
	return errs.Err()
}

// checkOutcomeData stops when an outcome needs data no input provides.
func checkOutcomeData(cfg *Config) error {
	hours := cfg.Hours != nil
	for _, in := range cfg.Weeks {
		hours = hours || !in.Wide
	}
	for _, o := range cfg.Outcomes {
		if o.NeedsHours() && !hours {
			return fmt.Errorf("outcome %q needs hours, but the weekly input is DREAM wide (benefit codes only); give an hours file (inputs.hours in the spec, or --hours) or leave the outcome out", o.Name)
		}
	}
	return nil
}
