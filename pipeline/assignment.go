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
	ids    []string // person ids: used to link extracts, never written out
	Line   []int    // where each person's row is, for messages
	Arm    []Arm
	Week   []int // Index of the ISO week of randomisation
	// Stratum (the randomisation block, e.g. the jobcentre) and Cluster are
	// categorical columns, nil if absent.
	Stratum    *Covariate
	Cluster    *Covariate
	Covariates []Covariate
	// Notes say which columns were not used as covariates, and why.
	Notes []string
	index map[string]int
}

// NewAssignment starts an empty assignment read from source.
func NewAssignment(source string) *Assignment {
	return &Assignment{Source: source, index: map[string]int{}}
}

// Add appends a person. When the id is already present it adds nothing and
// returns the position of the first entry and false.
func (a *Assignment) Add(id string, arm Arm, week, line int) (int, bool) {
	if first, dup := a.index[id]; dup {
		return first, false
	}
	a.index[id] = len(a.ids)
	a.ids = append(a.ids, id)
	a.Arm = append(a.Arm, arm)
	a.Week = append(a.Week, week)
	a.Line = append(a.Line, line)
	return len(a.ids) - 1, true
}

// Grow makes room for n more persons.
func (a *Assignment) Grow(n int) {
	if len(a.ids) == 0 { // a map's room is set when it is made
		a.index = make(map[string]int, n)
	}
	a.ids, a.Line = slices.Grow(a.ids, n), slices.Grow(a.Line, n)
	a.Arm, a.Week = slices.Grow(a.Arm, n), slices.Grow(a.Week, n)
}

// Len is the number of persons.
func (a *Assignment) Len() int { return len(a.Arm) }

// Lookup returns the position of a person id.
func (a *Assignment) Lookup(id string) (int, bool) {
	i, ok := a.index[id]
	return i, ok
}

// IDLength returns the length of the ids when they all have the same
// length, else 0: a hint for ids that lost leading zeros in Excel.
func (a *Assignment) IDLength() int {
	n := -1
	for _, id := range a.ids {
		if n >= 0 && len(id) != n {
			return 0
		}
		n = len(id)
	}
	return max(n, 0)
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

// AddCovariate types a column and adds it as a covariate (or, for the
// names "stratum" and "cluster" given as role, as that column). number parses
// a numeric cell in the file's dialect. With Auto, a column whose values are
// (nearly) unique per person looks like an id and is left out, with a note:
// publishing its levels would publish ids.
func (a *Assignment) AddCovariate(name string, raw []string, typ CovariateType, number func(string) (float64, bool)) {
	var c Covariate
	switch typ {
	case Categorical:
		c = categorical(name, raw)
	default:
		var ok bool
		if c, ok = numeric(name, raw, number); !ok {
			if typ == Numeric {
				a.Notes = append(a.Notes, fmt.Sprintf("covariate %q is declared numeric but has values that are not numbers: typed categorical", name))
			}
			c = categorical(name, raw)
		}
	}
	if typ == Auto {
		if distinct, n := c.distinct(); distinct >= idLikeMinDistinct && float64(distinct) >= idLikeShare*float64(n) {
			a.Notes = append(a.Notes, fmt.Sprintf("column %q looks like an id (%d distinct values in %d rows): not used as a covariate; declare it under covariates in the spec to use it", name, distinct, n))
			return
		}
	}
	a.Covariates = append(a.Covariates, c)
}

// SetStratum sets the stratum (randomisation block) column.
func (a *Assignment) SetStratum(name string, raw []string) {
	c := categorical(name, raw)
	a.Stratum = &c
}

// SetCluster sets the cluster column.
func (a *Assignment) SetCluster(name string, raw []string) {
	c := categorical(name, raw)
	a.Cluster = &c
}

// distinct counts the distinct and the non-missing values.
func (c *Covariate) distinct() (distinct, n int) {
	if !c.Numeric {
		for _, code := range c.Codes {
			if code >= 0 {
				n++
			}
		}
		return len(c.Levels), n
	}
	seen := map[float64]bool{}
	for _, v := range c.Values {
		if math.IsNaN(v) {
			continue
		}
		if v != math.Trunc(v) {
			return 0, 0 // measurements, not ids
		}
		n++
		seen[v] = true
	}
	return len(seen), n
}

func numeric(name string, raw []string, number func(string) (float64, bool)) (Covariate, bool) {
	values := make([]float64, len(raw))
	for i, s := range raw {
		if IsMissing(s) {
			values[i] = math.NaN()
			continue
		}
		v, ok := number(s)
		if !ok || math.IsInf(v, 0) || math.IsNaN(v) {
			return Covariate{}, false
		}
		values[i] = v
	}
	return Covariate{Name: name, Numeric: true, Values: values}, true
}

func categorical(name string, raw []string) Covariate {
	seen := map[string]bool{}
	for _, s := range raw {
		if !IsMissing(s) {
			seen[s] = true
		}
	}
	levels := make([]string, 0, len(seen))
	for s := range seen {
		levels = append(levels, s)
	}
	sort.Strings(levels)
	code := make(map[string]int, len(levels))
	for i, l := range levels {
		code[l] = i
	}
	codes := make([]int, len(raw))
	for i, s := range raw {
		if IsMissing(s) {
			codes[i] = -1
		} else {
			codes[i] = code[s]
		}
	}
	return Covariate{Name: name, Levels: levels, Codes: codes}
}
