package pipeline

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// Status is a person's register status in a week: an index into the
// store's Categories. 0 is no public benefit (self-supporting); the register
// codes behind each category come from the spec.
type Status uint8

// The canonical categories; a spec may add more after them.
const (
	StatusNone        Status = iota // no public benefit (self-supporting)
	StatusPraktik                   // company internship (virksomhedspraktik)
	StatusWageSubsidy               // wage subsidy (løntilskud)
	StatusBenefit                   // any other public benefit
)

// CanonicalCategories names the canonical categories by Status.
var CanonicalCategories = []string{"", "praktik", "wage_subsidy", "benefit"}

// Store is the dense person × week panel. Persons are ordered by the week of
// randomisation, earliest first (ties in assignment order); for any extract
// end that is also longest follow-up first, so the persons at risk in week k
// are a prefix of that order and every per-week vector is one contiguous
// slice. Cells are held per week k = -Pre … Weeks-1 as a column over all N
// persons: hours as an HoursColumn (2 bytes a cell for hours in whole
// hundredths, as registers report them; 8 bytes in a week where some value
// is not, so no value is ever rounded) and the status as a byte. A week
// with no data has no column: all its cells are 0 hours, no status.
//
// The per-person columns an estimator needs (arm, follow-up, stratum,
// cluster, covariates) are held in store order too, so that the first
// AtRisk(k) entries of each are the persons at risk in week k.
type Store struct {
	N          int   // persons
	Weeks      int   // follow-up weeks stored: 0 … Weeks-1
	Pre        int   // pre-period weeks stored: -Pre … -1
	Person     []int // store position → assignment position
	Treated    []bool
	FollowUp   []int // at-risk weeks per person, non-increasing
	ExtractEnd ISOWeek
	// Stratum (the randomisation block) and Cluster, nil if the assignment
	// has none, and the baseline covariates, in store order.
	Stratum, Cluster *Covariate
	Covariates       []Covariate
	// Categories names the status categories; Categories[0] is "" (none).
	Categories []string
	hours      []HoursColumn // index k+Pre
	status     [][]Status
}

// HoursColumn holds one week's hours of every person without loss: as
// hundredths of an hour in a uint16 while every value is a whole number of
// hundredths (h = n/100 exactly as float64, so reading it back gives the very
// float64 parsed from the input), else as float64. The zero value is a week
// without hours data: 0 for everyone.
type HoursColumn struct {
	hundredths []uint16
	exact      []float64
}

// At returns the hours of person j.
func (c HoursColumn) At(j int) float64 {
	switch {
	case c.exact != nil:
		return c.exact[j]
	case c.hundredths != nil:
		return float64(c.hundredths[j]) / 100
	}
	return 0
}

// markWorked sets q[i] to 1 where person lo+i has hours above zero.
func (c HoursColumn) markWorked(q []int32, lo int) {
	switch {
	case c.exact != nil:
		for i, h := range c.exact[lo : lo+len(q)] {
			if h > 0 {
				q[i] = 1
			}
		}
	case c.hundredths != nil:
		for i, h := range c.hundredths[lo : lo+len(q)] {
			if h > 0 {
				q[i] = 1
			}
		}
	}
}

// Empty reports whether the week has no hours data.
func (c HoursColumn) Empty() bool { return c.exact == nil && c.hundredths == nil }

// Bytes is the memory the column holds.
func (c HoursColumn) Bytes() int { return 2*len(c.hundredths) + 8*len(c.exact) }

// setHundredths stores h for person j when the column holds hundredths and
// h is a positive whole number of them (as set would store it); it reports
// whether it did.
func (c *HoursColumn) setHundredths(j int, h float64) bool {
	if c.hundredths == nil || !(h > 0 && h <= 600) { // 60 000 hundredths fit a uint16
		return false
	}
	r := float64(int(h*100 + 0.5)) // math.Round(h*100), as h*100 > 0
	if r/100 != h {
		return false
	}
	c.hundredths[j] = uint16(r)
	return true
}

// set stores h for person j (of n), moving the column to float64 when h is
// not a whole number of hundredths.
func (c *HoursColumn) set(j, n int, h float64) {
	if c.exact != nil {
		c.exact[j] = h
		return
	}
	if r := math.Round(h * 100); r >= 0 && r <= math.MaxUint16 && r/100 == h {
		if c.hundredths == nil {
			c.hundredths = make([]uint16, n)
		}
		c.hundredths[j] = uint16(r)
		return
	}
	c.exact = make([]float64, n)
	for i, v := range c.hundredths {
		c.exact[i] = float64(v) / 100
	}
	c.hundredths = nil
	c.exact[j] = h
}

// AtRisk is the number of persons followed at least k+1 weeks, that is, at
// risk in week k.
func (s *Store) AtRisk(k int) int {
	// FollowUp is non-increasing: find the first person with FollowUp ≤ k.
	return sort.Search(s.N, func(i int) bool { return s.FollowUp[i] <= k })
}

// HoursAt returns the hours of all persons in week k (k may be negative), in
// store order; an empty column when no one has hours data that week.
func (s *Store) HoursAt(k int) HoursColumn {
	if k < -s.Pre || k >= s.Weeks {
		return HoursColumn{}
	}
	return s.hours[k+s.Pre]
}

// StatusAt returns the statuses of all persons in week k (k may be
// negative), in store order; nil when no one has a status that week.
func (s *Store) StatusAt(k int) []Status {
	if k < -s.Pre || k >= s.Weeks {
		return nil
	}
	return s.status[k+s.Pre]
}

// CellBytes is the memory held by the cells.
func (s *Store) CellBytes() int {
	n := 0
	for i := range s.hours {
		n += s.hours[i].Bytes() + len(s.status[i])
	}
	return n
}

// Category returns the Status of a named category.
func (s *Store) Category(name string) (Status, bool) {
	for i, c := range s.Categories {
		if c == name {
			return Status(i), true
		}
	}
	return 0, false
}

// Place is where a row's person and calendar week put it.
type Place uint8

const (
	PlaceFollowUp  Place = iota // week 0 … extract end: used
	PlacePre                    // before week 0, within the pre-period: kept
	PlaceAfterEnd               // after the extract end
	PlaceBeforePre              // before the pre-period
)

// Duplicates says what a second row for the same person, week and field does.
type Duplicates uint8

const (
	DupReject Duplicates = iota // the first row is kept, the second rejected
	DupError                    // a second row is an error
	DupSum                      // hours are added; the first non-empty status is kept
)

// Builder fills a Store in one pass over the rows of any number of sources,
// in any order, without holding the rows. While building, persons are in
// assignment order: extracts usually list a person's weeks together and
// persons in the assignment's order, so consecutive rows touch neighbouring
// cells; Finish puts them into store order.
type Builder struct {
	a          *Assignment
	end        int // calendar index of the extract end (MaxInt: unknown yet)
	preWeeks   int
	categories []string
	follow     []column // k ≥ 0
	pre        []column // k = -1, -2, …
}

// column is a week being built. Its status bytes also carry, while the
// builder runs, whether the cell has hours or a status from some row (the
// two top bits): one array to touch per row instead of three.
type column struct {
	hours  HoursColumn
	status []Status
}

const (
	seenStatus Status = 1 << 7
	seenHours  Status = 1 << 6
	// MaxCategories is how many status categories a store holds, "" included.
	MaxCategories = int(seenHours)
	categoryMask  = seenHours - 1
)

// NewBuilder prepares a store for the persons of a. end is the extract end,
// the zero ISOWeek when it is to be found from the data; preWeeks is how
// many weeks before randomisation are kept.
func NewBuilder(a *Assignment, end ISOWeek, preWeeks int, categories []string) *Builder {
	b := &Builder{a: a, end: math.MaxInt, preWeeks: preWeeks, categories: categories}
	if end != (ISOWeek{}) {
		b.end = end.Index()
	}
	return b
}

// Place says where calendar week cal falls for the person at assignment
// position j, and the week since randomisation k.
func (b *Builder) Place(j int32, cal int) (Place, int) {
	k := cal - b.a.Week[j]
	switch {
	case cal > b.end:
		return PlaceAfterEnd, k
	case k >= 0:
		return PlaceFollowUp, k
	case -k <= b.preWeeks:
		return PlacePre, k
	}
	return PlaceBeforePre, k
}

func (b *Builder) column(k int) *column {
	cols, i := &b.follow, k
	if k < 0 {
		cols, i = &b.pre, -k-1
	}
	for len(*cols) <= i {
		*cols = append(*cols, column{})
	}
	return &(*cols)[i]
}

// Set stores hours (when hasHours) and status (when hasStatus) of person j in
// week k, which Place put in follow-up or the pre-period. It returns false,
// storing nothing, when a field already has a value and dup is not DupSum.
func (b *Builder) Set(j int32, k int, hours float64, hasHours bool, status Status, hasStatus bool, dup Duplicates) bool {
	// A cell's first row with hours and status, as most rows are, takes a
	// path without calls (with a call on it, the compiler spilled and
	// reloaded the arguments): 20 ns a row rather than 25.
	var c *column
	if k >= 0 && k < len(b.follow) && b.follow[k].status != nil {
		c = &b.follow[k]
	} else {
		c = b.columnToSet(k)
	}
	cell := c.status[j]
	if cell == 0 && hasHours && hasStatus && (hours == 0 || c.hours.setHundredths(int(j), hours)) {
		c.status[j] = status | seenStatus | seenHours // a first row for the cell, as most are
		return true
	}
	seenH := hasHours && cell&seenHours != 0
	seenS := hasStatus && cell&seenStatus != 0
	if (seenH || seenS) && dup != DupSum {
		return false
	}
	if hasHours {
		if seenH || hours != 0 {
			b.addHours(c, int(j), hours, seenH)
		}
		cell |= seenHours
	}
	if hasStatus && (!seenS || cell&categoryMask == StatusNone) {
		cell = cell&^categoryMask | status | seenStatus
	}
	c.status[j] = cell
	return true
}

// columnToSet returns week k's column, with its status bytes.
func (b *Builder) columnToSet(k int) *column {
	c := b.column(k)
	if c.status == nil {
		c.status = make([]Status, b.a.Len())
	}
	return c
}

// addHours adds hours to person j's in c, sum when the cell has hours already.
func (b *Builder) addHours(c *column, j int, hours float64, seen bool) {
	if seen {
		hours += c.hours.At(j)
	}
	c.hours.set(j, b.a.Len(), hours)
}

// AfterEnd counts the person-weeks with data after the extract end end: the
// rows a data-driven extract end leaves out.
func (b *Builder) AfterEnd(end ISOWeek) int {
	e := end.Index()
	counts := make([]int, len(b.follow))
	parallelRanges(len(b.follow), func(lo, hi int) {
		for k := lo; k < hi; k++ {
			for j, cell := range b.follow[k].status {
				if cell&(seenHours|seenStatus) != 0 && b.a.Week[j]+k > e {
					counts[k]++
				}
			}
		}
	})
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// Finish ends the pass: the extract end fixes every person's follow-up, and
// the cells are put into store order. The builder must not be used
// afterwards.
func (b *Builder) Finish(end ISOWeek) (*Store, error) {
	e := end.Index()
	if b.end != math.MaxInt && b.end != e {
		panic("pipeline: Builder.Finish with another extract end than the rows were placed for")
	}
	if b.end == math.MaxInt { // else Place kept every cell after the end out
		if n := b.AfterEnd(end); n > 0 {
			return nil, fmt.Errorf("pipeline: %d cells after the extract end %s were stored", n, end)
		}
	}
	a := b.a
	s := &Store{N: a.Len(), ExtractEnd: end, Categories: b.categories,
		Person: byWeek(a.Week), Treated: make([]bool, a.Len()), FollowUp: make([]int, a.Len())}
	for j, p := range s.Person {
		s.Treated[j] = a.Arm[p] == Treatment
		s.FollowUp[j] = max(0, e-a.Week[p]+1)
	}
	if s.N > 0 {
		s.Weeks = s.FollowUp[0]
	}
	if a.Stratum != nil {
		c := a.Stratum.permuted(s.Person)
		s.Stratum = &c
	}
	if a.Cluster != nil {
		c := a.Cluster.permuted(s.Person)
		s.Cluster = &c
	}
	for i := range a.Covariates {
		s.Covariates = append(s.Covariates, a.Covariates[i].permuted(s.Person))
	}
	s.Pre = len(b.pre)
	// The columns are reordered through a spare of each type per core, so
	// the store is never held twice.
	cols := make([]*column, 0, s.Pre+s.Weeks)
	for k := s.Pre - 1; k >= 0; k-- {
		cols = append(cols, &b.pre[k])
	}
	for k := range s.Weeks {
		if k < len(b.follow) {
			cols = append(cols, &b.follow[k])
		} else {
			cols = append(cols, &column{})
		}
	}
	s.hours, s.status = make([]HoursColumn, len(cols)), make([][]Status, len(cols))
	parallelRanges(len(cols), func(lo, hi int) {
		var spare permuteSpare
		for i := lo; i < hi; i++ {
			s.hours[i] = cols[i].hours.permute(s.Person, &spare)
			s.status[i] = permuteStatus(cols[i].status, s.Person, &spare)
			*cols[i] = column{}
		}
	})
	*b = Builder{}
	return s, nil
}

// byWeek is the persons' positions ordered by randomisation week, keeping
// assignment order within a week: a counting sort, since weeks are few.
func byWeek(week []int) []int {
	order := make([]int, len(week))
	if len(week) == 0 {
		return order
	}
	lo, hi := slices.Min(week), slices.Max(week)
	start := make([]int, hi-lo+2)
	for _, w := range week {
		start[w-lo+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	for p, w := range week {
		order[start[w-lo]] = p
		start[w-lo]++
	}
	return order
}

// permuteSpare is a core's spare column of each type for reordering
// columns: a column is reordered into the spare, which it then becomes,
// and the old column is the spare for the next. New columns for the whole
// store would be as much memory again, touched for the first time, which
// costs a page fault per 4 KiB.
type permuteSpare struct {
	status     []Status
	hundredths []uint16
	exact      []float64
}

// permute returns the column with person order[j] at j.
func (c HoursColumn) permute(order []int, spare *permuteSpare) HoursColumn {
	switch {
	case c.exact != nil:
		c.exact = permuteInto(c.exact, order, &spare.exact)
	case c.hundredths != nil:
		c.hundredths = permuteInto(c.hundredths, order, &spare.hundredths)
	}
	return c
}

// permuteStatus returns the statuses with person order[j] at j, without
// the builder's flags.
func permuteStatus(c []Status, order []int, spare *permuteSpare) []Status {
	if c == nil {
		return nil
	}
	c = permuteInto(c, order, &spare.status)
	for j := range c {
		c[j] &= categoryMask
	}
	return c
}

// permuteInto returns x with x[order[j]] at j, written into *spare (made
// when nil), and leaves x as the spare.
func permuteInto[T any](x []T, order []int, spare *[]T) []T {
	out := *spare
	if out == nil {
		out = make([]T, len(x))
	}
	out = out[:len(x)]
	for j, p := range order {
		out[j] = x[p]
	}
	*spare = x
	return out
}

// SetEnd fixes the extract end of a builder started without one, once the
// rows of the sources that decide it are placed; rows placed later after it
// are after the end.
func (b *Builder) SetEnd(end ISOWeek) {
	if b.end != math.MaxInt {
		panic("pipeline: Builder.SetEnd on a builder with an extract end")
	}
	b.end = end.Index()
}
