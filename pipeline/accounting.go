package pipeline

import (
	"fmt"
	"sort"
)

// Reasons a row (or, in a wide file, a cell) is rejected. They are stable
// codes: reports translate them.
const (
	RejectUnknownPerson   = "unknown_person"        // the person id is not in the assignment
	RejectDuplicate       = "duplicate_person_week" // a second row for the same person and week; the first is kept
	RejectAfterEnd        = "after_extract_end"     // the week is after the extract end
	RejectBeforePrePeriod = "before_pre_period"     // more weeks before randomisation than the pre-period keeps
	RejectMalformed       = "malformed"             // a value could not be read (with bad_rows: reject)
)

// Reject is one rejected input row or cell. It never carries a person id:
// Value is empty when the offending column is the id.
type Reject struct {
	Source string
	Line   int
	Column string // the column at fault, if one is
	Reason string
	Value  string
}

// SourceAccounting counts what became of every row (or cell) of one input:
// Read = Used + FollowUp + PrePeriod + Outside + Rejected, always.
type SourceAccounting struct {
	Source string
	Unit   string // "rows", or "cells" for a wide file's week cells
	Read   int
	// Used counts the rows of a wide file that were read into the store
	// (their cells are counted under the unit "cells").
	Used int
	// Rows in weeks 0 … extract end, and before week 0 in the pre-period.
	FollowUp, PrePeriod int
	// Outside counts the cells of a wide file in weeks outside a person's
	// window (before the pre-period or after the extract end): a register
	// spans more weeks than any one person's follow-up, so they are expected.
	Outside  int
	Rejected int
}

// Count counts a row stored where Place put it: in follow-up or the
// pre-period.
func (s *SourceAccounting) Count(p Place) {
	if p == PlacePre {
		s.PrePeriod++
	} else {
		s.FollowUp++
	}
}

// Balanced reports whether every row read is accounted for.
func (s *SourceAccounting) Balanced() bool {
	return s.Read == s.Used+s.FollowUp+s.PrePeriod+s.Outside+s.Rejected
}

// Accounting is the row accounting of an ingest: every row read is used in
// follow-up, kept in the pre-period, outside the window, or rejected with a
// reason; and the persons without data.
type Accounting struct {
	Sources []*SourceAccounting
	// rejects are kept compactly (16 bytes each: a national extract cut by an
	// early extract end can reject tens of millions of rows); Rejects and
	// EachReject give them back.
	rejects []reject
	strs    []string // the texts of rejects: sources, columns, reasons, values
	strIdx  map[string]uint32
	// Persons per arm (index Arm) with no row at all in the weekly inputs,
	// and randomised after the extract end (never at risk).
	NoRows, NeverAtRisk [2]int
	// UnknownIDs is the number of distinct ids in the weekly inputs that
	// match no person.
	UnknownIDs int
	// FirstWeek and LastWeek are the first and last calendar weeks with
	// rows in the weekly inputs.
	FirstWeek, LastWeek ISOWeek
	// Codes lists the status codes seen, with their category and count.
	Codes []CodeCount
	// Notes are things a user should know about the data (a collapsed last
	// week, codes counted as benefit, …), one sentence each.
	Notes []string
}

// CodeCount is a register code, its category and how often it was seen.
type CodeCount struct {
	Code, Category string
	Count          int
	Unmapped       bool // not in the spec's status codes
}

// Source returns the accounting of the named source, adding it if new.
func (a *Accounting) Source(name, unit string) *SourceAccounting {
	for _, s := range a.Sources {
		if s.Source == name && s.Unit == unit {
			return s
		}
	}
	s := &SourceAccounting{Source: name, Unit: unit}
	a.Sources = append(a.Sources, s)
	return s
}

// reject is a Reject with its texts as indices into Accounting.strs.
type reject struct {
	line                          int32
	source, column, reason, value uint32
}

// intern returns the index of a text, adding it if new.
func (a *Accounting) intern(s string) uint32 {
	if i, ok := a.strIdx[s]; ok {
		return i
	}
	if a.strIdx == nil {
		a.strIdx = map[string]uint32{}
	}
	a.strIdx[s] = uint32(len(a.strs))
	a.strs = append(a.strs, s)
	return uint32(len(a.strs) - 1)
}

// Reject records a rejected row of source s.
func (a *Accounting) Reject(s *SourceAccounting, r Reject) {
	s.Rejected++
	a.rejects = append(a.rejects, reject{line: int32(r.Line), source: a.intern(r.Source), column: a.intern(r.Column),
		reason: a.intern(r.Reason), value: a.intern(r.Value)})
}

func (a *Accounting) full(r reject) Reject {
	return Reject{Source: a.strs[r.source], Line: int(r.line), Column: a.strs[r.column], Reason: a.strs[r.reason], Value: a.strs[r.value]}
}

// EachReject calls fn with every rejected row, in order.
func (a *Accounting) EachReject(fn func(Reject)) {
	for _, r := range a.rejects {
		fn(a.full(r))
	}
}

// Rejects returns every rejected row, in order.
func (a *Accounting) Rejects() []Reject {
	out := make([]Reject, len(a.rejects))
	for i, r := range a.rejects {
		out[i] = a.full(r)
	}
	return out
}

// RejectCount is the number of rejected rows.
func (a *Accounting) RejectCount() int { return len(a.rejects) }

// Balanced reports whether every source's rows are accounted for.
func (a *Accounting) Balanced() bool {
	for _, s := range a.Sources {
		if !s.Balanced() {
			return false
		}
	}
	return true
}

// ReasonCount is the number of rows rejected for one reason.
type ReasonCount struct {
	Reason string
	Rows   int
}

// Rejected counts rejected rows by reason, reasons in sorted order.
func (a *Accounting) Rejected() []ReasonCount {
	counts := map[string]int{}
	for _, r := range a.rejects {
		counts[a.strs[r.reason]]++
	}
	out := make([]ReasonCount, 0, len(counts))
	for reason, n := range counts {
		out = append(out, ReasonCount{reason, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Reason < out[j].Reason })
	return out
}

// SortRejects orders rejects by source and line, for stable output.
func (a *Accounting) SortRejects() {
	sort.SliceStable(a.rejects, func(i, j int) bool {
		x, y := a.rejects[i], a.rejects[j]
		if x.source != y.source {
			return a.strs[x.source] < a.strs[y.source]
		}
		return x.line < y.line
	})
}

func (s *SourceAccounting) String() string {
	if s.Used > 0 {
		return fmt.Sprintf("%s: %d %s = %d used + %d rejected", s.Source, s.Read, s.Unit, s.Used, s.Rejected)
	}
	out := fmt.Sprintf("%s: %d %s = %d in follow-up + %d pre-period", s.Source, s.Read, s.Unit, s.FollowUp, s.PrePeriod)
	if s.Outside > 0 {
		out += fmt.Sprintf(" + %d outside the window", s.Outside)
	}
	return out + fmt.Sprintf(" + %d rejected", s.Rejected)
}
