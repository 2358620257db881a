package pipeline

import (
	"fmt"
	"io"
	"sort"
)

// Reasons a weekly row is rejected. They are stable codes: reports translate them.
const (
	RejectUnknownPerson   = "unknown_person"        // person_id not in the assignment
	RejectDuplicate       = "duplicate_person_week" // a second row for the same person and week; the first is kept
	RejectAfterEnd        = "after_extract_end"     // the week is after the extract end
	RejectBeforePrePeriod = "before_pre_period"     // more than Options.PreWeeks weeks before randomisation
)

// Reject is one rejected input row. It carries no person id.
type Reject struct {
	Source string
	Line   int
	Reason string
}

// Accounting is the row accounting of an ingest: every row read is used in
// follow-up, kept in the pre-period, or rejected with a reason.
type Accounting struct {
	Source    string
	Read      int
	FollowUp  int // rows in weeks 0 … extract end
	PrePeriod int // rows before the randomisation week
	Rejects   []Reject
	// Persons randomised after the extract end: in the assignment, never at risk.
	NeverAtRisk int
}

// Rejected counts rejected rows by reason, reasons in sorted order.
func (a *Accounting) Rejected() []ReasonCount {
	counts := map[string]int{}
	for _, r := range a.Rejects {
		counts[r.Reason]++
	}
	out := make([]ReasonCount, 0, len(counts))
	for reason, n := range counts {
		out = append(out, ReasonCount{reason, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Reason < out[j].Reason })
	return out
}

// ReasonCount is the number of rows rejected for one reason.
type ReasonCount struct {
	Reason string
	Rows   int
}

// Balanced reports whether read = follow-up + pre-period + rejected.
func (a *Accounting) Balanced() bool {
	return a.Read == a.FollowUp+a.PrePeriod+len(a.Rejects)
}

// Options control alignment.
type Options struct {
	// ExtractEnd is the last week of the extract; the zero value means the
	// last week present in the weekly data.
	ExtractEnd ISOWeek
	// PreWeeks is how many weeks before randomisation are kept; 0 means 104.
	PreWeeks int
}

// Store is the dense person × week store. Persons are ordered by follow-up
// length, longest first (ties in assignment order), so the persons at risk
// in week k are a prefix of that order and every per-week vector is one
// contiguous slice. Cells are week-major: cell (k, i) is at (k+Pre)*N + i,
// for k = -Pre … Weeks-1.
type Store struct {
	N          int   // persons
	Weeks      int   // follow-up weeks stored: 0 … Weeks-1
	Pre        int   // pre-period weeks stored: -Pre … -1
	Person     []int // store position → assignment position
	Treated    []bool
	FollowUp   []int // at-risk weeks per person, non-increasing
	Hours      []float64
	Status     []Status
	ExtractEnd ISOWeek
}

// AtRisk is the number of persons followed at least k+1 weeks, that is, at
// risk in week k.
func (s *Store) AtRisk(k int) int {
	// FollowUp is non-increasing: find the first person with FollowUp ≤ k.
	return sort.Search(s.N, func(i int) bool { return s.FollowUp[i] <= k })
}

func (s *Store) cell(k, i int) int { return (k+s.Pre)*s.N + i }

// HoursAt returns hours in week k (k may be negative), all persons in store order.
func (s *Store) HoursAt(k int) []float64 { return s.Hours[s.cell(k, 0):s.cell(k+1, 0)] }

// StatusAt returns statuses in week k (k may be negative), all persons in store order.
func (s *Store) StatusAt(k int) []Status { return s.Status[s.cell(k, 0):s.cell(k+1, 0)] }

// Build aligns the weekly records of src on weeks since randomisation. It
// consumes and closes src. Malformed records end it with an *InputError;
// rows that cannot be used are rejected and accounted for.
func Build(a *Assignment, src WeekSource, opt Options) (*Store, *Accounting, error) {
	defer src.Close()
	if opt.PreWeeks == 0 {
		opt.PreWeeks = 104
	}
	acc := &Accounting{Source: src.Name()}
	// Rows are kept compactly until the extract end, and with it the store's
	// size, is known.
	var (
		person []int32
		week   []int32
		hours  []float64
		status []Status
		line   []int
		last   = -1 << 31
	)
	for {
		rec, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		acc.Read++
		p, ok := a.Lookup(rec.PersonID)
		if !ok {
			acc.Rejects = append(acc.Rejects, Reject{src.Name(), rec.Line, RejectUnknownPerson})
			continue
		}
		w := rec.Week.Index()
		last = max(last, w)
		person = append(person, int32(p))
		week = append(week, int32(w))
		hours = append(hours, rec.Hours)
		status = append(status, rec.Status)
		line = append(line, rec.Line)
	}
	end := opt.ExtractEnd.Index()
	if opt.ExtractEnd == (ISOWeek{}) {
		if len(week) == 0 {
			return nil, nil, &InputError{File: src.Name(), Msg: "no rows for persons in the assignment; cannot take the extract end from the data (give it explicitly)"}
		}
		end = last
	}

	s := &Store{N: a.Len(), ExtractEnd: WeekFromIndex(end), Person: make([]int, a.Len())}
	follow := make([]int, a.Len())
	for i := range a.Len() {
		follow[i] = max(0, end-a.Week[i]+1)
		s.Weeks = max(s.Weeks, follow[i])
		if follow[i] == 0 {
			acc.NeverAtRisk++
		}
		s.Person[i] = i
	}
	sort.SliceStable(s.Person, func(x, y int) bool { return follow[s.Person[x]] > follow[s.Person[y]] })
	pos := make([]int, a.Len()) // assignment position → store position
	s.Treated = make([]bool, s.N)
	s.FollowUp = make([]int, s.N)
	for i, p := range s.Person {
		pos[p] = i
		s.Treated[i] = a.Arm[p] == Treatment
		s.FollowUp[i] = follow[p]
	}
	for r := range person {
		if k := int(week[r]) - a.Week[person[r]]; k < 0 {
			s.Pre = max(s.Pre, min(-k, opt.PreWeeks))
		}
	}
	cells := (s.Pre + s.Weeks) * s.N
	s.Hours = make([]float64, cells)
	s.Status = make([]Status, cells)
	seen := make([]bool, cells)
	for r := range person {
		p := int(person[r])
		k := int(week[r]) - a.Week[p]
		reason := ""
		switch {
		case int(week[r]) > end:
			reason = RejectAfterEnd
		case k < -s.Pre:
			reason = RejectBeforePrePeriod
		case seen[s.cell(k, pos[p])]:
			reason = RejectDuplicate
		}
		if reason != "" {
			acc.Rejects = append(acc.Rejects, Reject{src.Name(), line[r], reason})
			continue
		}
		c := s.cell(k, pos[p])
		seen[c] = true
		s.Hours[c] = hours[r]
		s.Status[c] = status[r]
		if k < 0 {
			acc.PrePeriod++
		} else {
			acc.FollowUp++
		}
	}
	sort.SliceStable(acc.Rejects, func(i, j int) bool { return acc.Rejects[i].Line < acc.Rejects[j].Line })
	if !acc.Balanced() {
		panic(fmt.Sprintf("pipeline: row accounting does not add up: %+v", acc))
	}
	return s, acc, nil
}
