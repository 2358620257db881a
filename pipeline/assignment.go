package pipeline

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// Arm is the group a person was randomised to.
type Arm uint8

const (
	Control Arm = iota
	Treatment
)

func (a Arm) String() string {
	if a == Treatment {
		return "treatment"
	}
	return "control"
}

// Covariate is a baseline characteristic from the assignment file: numeric,
// or categorical with its levels in sorted order. Empty cells and "NA" are
// missing.
type Covariate struct {
	Name    string
	Numeric bool
	Values  []float64 // numeric: the value, NaN when missing
	Levels  []string  // categorical: the levels in sorted order
	Codes   []int     // categorical: index into Levels, -1 when missing
}

func (c *Covariate) bytes() int {
	n := 8*cap(c.Values) + 8*cap(c.Codes)
	for _, l := range c.Levels {
		n += 16 + len(l)
	}
	return n
}

// Missing reports whether person i has no value.
func (c *Covariate) Missing(i int) bool {
	if c.Numeric {
		return math.IsNaN(c.Values[i])
	}
	return c.Codes[i] < 0
}

// permuted returns the covariate with person order[j] at j.
func (c *Covariate) permuted(order []int) Covariate {
	out := Covariate{Name: c.Name, Numeric: c.Numeric, Levels: c.Levels}
	if c.Numeric {
		out.Values = make([]float64, len(order))
		for j, p := range order {
			out.Values[j] = c.Values[p]
		}
	} else {
		out.Codes = make([]int, len(order))
		for j, p := range order {
			out.Codes[j] = c.Codes[p]
		}
	}
	return out
}

// CovariateType is how a covariate column is to be typed.
type CovariateType uint8

const (
	// Auto: numeric when every non-missing value is a number, else
	// categorical; a column that looks like an id is left out.
	Auto CovariateType = iota
	Numeric
	Categorical
)

// Assignment is the randomisation: one entry per person, in file order.
type Assignment struct {
	Source string
	ids    idIndex // person ids: used to link extracts, never written out
	Line   []int   // where each person's row is, for messages
	Arm    []Arm
	Week   []int // Index of the ISO week of randomisation
	// Stratum (the randomisation block, e.g. the jobcentre) and Cluster are
	// categorical columns, nil if absent.
	Stratum    *Covariate
	Cluster    *Covariate
	Covariates []Covariate
	// Notes say which columns were not used as covariates, and why.
	Notes []string
}

// NewAssignment starts an empty assignment read from source.
func NewAssignment(source string) *Assignment {
	return &Assignment{Source: source}
}

// Add appends a person. When the id is already present it adds nothing and
// returns the position of the first entry and false.
func (a *Assignment) Add(id string, arm Arm, week, line int) (int, bool) {
	return a.AddBytes([]byte(id), arm, week, line)
}

// AddBytes is Add for an id in a byte slice, which it does not keep.
func (a *Assignment) AddBytes(id []byte, arm Arm, week, line int) (int, bool) {
	i, added := a.ids.add(id)
	if !added {
		return i, false
	}
	a.Arm = append(a.Arm, arm)
	a.Week = append(a.Week, week)
	a.Line = append(a.Line, line)
	return i, true
}

// Grow makes room for n more persons.
func (a *Assignment) Grow(n int) {
	width := 16
	if k := a.ids.len(); k > 0 {
		width = len(a.ids.text)/k + 1
	}
	a.ids.grow(n, width)
	a.Line = slices.Grow(a.Line, n)
	a.Arm, a.Week = slices.Grow(a.Arm, n), slices.Grow(a.Week, n)
}

// Len is the number of persons.
func (a *Assignment) Len() int { return len(a.Arm) }

// Lookup returns the position of a person id.
func (a *Assignment) Lookup(id string) (int, bool) { return a.ids.lookup(id) }

// LookupBytes is Lookup for an id held in a byte slice.
func (a *Assignment) LookupBytes(id []byte) (int, bool) { return a.ids.lookupBytes(id) }

// IDLength returns the length of the ids when they all have the same
// length, else 0: a hint for ids that lost leading zeros in Excel.
func (a *Assignment) IDLength() int {
	n := -1
	for i := range a.ids.len() {
		id := a.ids.id(i)
		if n >= 0 && len(id) != n {
			return 0
		}
		n = len(id)
	}
	return max(n, 0)
}

// Bytes is the memory the assignment's persons take: ids and their index,
// arms, weeks, lines, stratum, cluster and covariates.
func (a *Assignment) Bytes() int {
	n := a.ids.bytes() + cap(a.Arm) + 8*cap(a.Week) + 8*cap(a.Line)
	for _, c := range a.Covariates {
		n += c.bytes()
	}
	for _, c := range []*Covariate{a.Stratum, a.Cluster} {
		if c != nil {
			n += c.bytes()
		}
	}
	return n
}

// Count returns the number of persons in each arm.
func (a *Assignment) Count() (treatment, control int) {
	for _, arm := range a.Arm {
		if arm == Treatment {
			treatment++
		} else {
			control++
		}
	}
	return
}

func (a *Assignment) String() string {
	t, c := a.Count()
	return fmt.Sprintf("%s: %d persons (%d treatment, %d control)", a.Source, a.Len(), t, c)
}

// IsMissing reports whether a covariate cell is missing: empty or "NA".
func IsMissing(s string) bool { return s == "" || s == "NA" || s == "." }

// Looks like an id: at least this many distinct values, and at least this
// share of the non-missing values distinct.
const (
	idLikeMinDistinct = 10
	idLikeShare       = 0.9
)

// TextColumn is a column of texts as read, one per person: each distinct
// text once, in the order first seen, and per person the index of its text.
// A covariate repeats a few texts over every person, so typing it looks at
// each text once rather than at each person, and the texts are kept once.
type TextColumn struct {
	Distinct []string
	Of       []int32 // person → index into Distinct
	index    map[string]int32
}

// TextColumnOf makes a TextColumn of one text per person.
func TextColumnOf(values []string) *TextColumn {
	c := &TextColumn{}
	for _, v := range values {
		c.Append([]byte(v))
	}
	return c
}

// Append adds the next person's text.
func (c *TextColumn) Append(text []byte) {
	i, ok := c.index[string(text)]
	if !ok {
		i = c.add(string(text))
	}
	c.Of = append(c.Of, i)
}

// IndexOf is the index of text in Distinct, which it joins when new:
// AppendIndex(IndexOf(s)) is Append(s).
func (c *TextColumn) IndexOf(text string) int32 {
	if i, ok := c.index[text]; ok {
		return i
	}
	return c.add(text)
}

// AppendIndex adds the next person's text by its index in Distinct.
func (c *TextColumn) AppendIndex(i int32) { c.Of = append(c.Of, i) }

func (c *TextColumn) add(text string) int32 {
	if c.index == nil {
		c.index = map[string]int32{}
	}
	i := int32(len(c.Distinct))
	c.Distinct = append(c.Distinct, text)
	c.index[text] = i
	return i
}

// AddCovariate types a column and adds it as a covariate. number parses a
// numeric cell in the file's dialect. With Auto, a column whose values are
// (nearly) unique per person looks like an id and is left out, with a note:
// publishing its levels would publish ids.
func (a *Assignment) AddCovariate(name string, col *TextColumn, typ CovariateType, number func(string) (float64, bool)) {
	var (
		c      Covariate
		byText []float64 // a numeric column's value of each distinct text
	)
	if typ != Categorical {
		if c, byText = numeric(name, col, number); byText == nil && typ == Numeric {
			a.Notes = append(a.Notes, fmt.Sprintf("covariate %q is declared numeric but has values that are not numbers: typed categorical", name))
		}
	}
	if byText == nil {
		c = categorical(name, col)
	}
	if typ == Auto {
		if distinct, n := distinctValues(&c, byText); distinct >= idLikeMinDistinct && float64(distinct) >= idLikeShare*float64(n) {
			a.Notes = append(a.Notes, fmt.Sprintf("column %q looks like an id (%d distinct values in %d rows): not used as a covariate; declare it under covariates in the spec to use it", name, distinct, n))
			return
		}
	}
	a.Covariates = append(a.Covariates, c)
}

// SetStratum sets the stratum (randomisation block) column.
func (a *Assignment) SetStratum(name string, col *TextColumn) {
	c := categorical(name, col)
	a.Stratum = &c
}

// SetCluster sets the cluster column.
func (a *Assignment) SetCluster(name string, col *TextColumn) {
	c := categorical(name, col)
	a.Cluster = &c
}

// distinctValues counts the distinct and the non-missing values of c, whose
// distinct texts have the values byText when it is numeric. A numeric column
// with a value that is not a whole number holds measurements, not ids: it
// counts as none.
func distinctValues(c *Covariate, byText []float64) (distinct, n int) {
	if !c.Numeric {
		for _, code := range c.Codes {
			if code >= 0 {
				n++
			}
		}
		return len(c.Levels), n
	}
	seen := map[float64]bool{}
	for _, v := range byText {
		if math.IsNaN(v) {
			continue
		}
		if v != math.Trunc(v) {
			return 0, 0
		}
		seen[v] = true // "7" and "07" are one value
	}
	for _, v := range c.Values {
		if !math.IsNaN(v) {
			n++
		}
	}
	return len(seen), n
}

// numeric types col as numbers, parsing each distinct text once; byText is
// nil when a text that is not missing is not a finite number.
func numeric(name string, col *TextColumn, number func(string) (float64, bool)) (c Covariate, byText []float64) {
	byText = make([]float64, len(col.Distinct))
	for t, s := range col.Distinct {
		if IsMissing(s) {
			byText[t] = math.NaN()
			continue
		}
		v, ok := number(s)
		if !ok || math.IsInf(v, 0) || math.IsNaN(v) {
			return Covariate{}, nil
		}
		byText[t] = v
	}
	values := make([]float64, len(col.Of))
	for i, t := range col.Of {
		values[i] = byText[t]
	}
	return Covariate{Name: name, Numeric: true, Values: values}, byText
}

// categorical types col as categories, with its texts that are not missing
// as levels in sorted order.
func categorical(name string, col *TextColumn) Covariate {
	levels := make([]string, 0, len(col.Distinct))
	for _, s := range col.Distinct {
		if !IsMissing(s) {
			levels = append(levels, s)
		}
	}
	sort.Strings(levels)
	level := make([]int, len(col.Distinct)) // distinct text → level, -1 when missing
	for t, s := range col.Distinct {
		level[t] = -1
		if !IsMissing(s) {
			level[t], _ = slices.BinarySearch(levels, s)
		}
	}
	codes := make([]int, len(col.Of))
	for i, t := range col.Of {
		codes[i] = level[t]
	}
	return Covariate{Name: name, Levels: levels, Codes: codes}
}
