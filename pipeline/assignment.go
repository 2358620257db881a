package pipeline

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"time"
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

// Covariate is a baseline characteristic from the assignment file.
// A column is numeric when every non-missing value parses as a number;
// otherwise it is categorical. Empty cells and "NA" are missing.
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

// Assignment is the randomisation: one entry per person, in file order.
type Assignment struct {
	Source string
	ids    []string // person ids: used to link extracts, never written out
	Arm    []Arm
	Week   []int // Index of the ISO week of randomisation
	// Stratum is the stratum column as a categorical covariate, nil if absent.
	Stratum    *Covariate
	Covariates []Covariate
	index      map[string]int
}

// Len is the number of persons.
func (a *Assignment) Len() int { return len(a.Arm) }

// Lookup returns the position of a person id.
func (a *Assignment) Lookup(id string) (int, bool) {
	i, ok := a.index[id]
	return i, ok
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

// Required columns of the assignment file.
const (
	ColPersonID   = "person_id"
	ColArm        = "arm"
	ColRandomised = "randomised_on"
	ColStratum    = "stratum"
)

// ReadAssignment reads an assignment CSV file (see docs/data-format.md).
func ReadAssignment(path string) (*Assignment, error) {
	c, err := openCSV(path)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return readAssignment(c)
}

// ReadAssignmentFrom reads assignment CSV from r; name is used in messages
// and decides decompression (".gz").
func ReadAssignmentFrom(name string, r io.Reader) (*Assignment, error) {
	c, err := newCSV(name, r, nil)
	if err != nil {
		return nil, err
	}
	return readAssignment(c)
}

func readAssignment(c *csvFile) (*Assignment, error) {
	if err := c.require(ColPersonID, ColArm, ColRandomised); err != nil {
		return nil, err
	}
	a := &Assignment{Source: c.name, index: map[string]int{}}
	iID, iArm, iDate := c.col[ColPersonID], c.col[ColArm], c.col[ColRandomised]
	var extra []int // stratum and covariate columns, in header order
	for i := range c.header {
		if i != iID && i != iArm && i != iDate {
			extra = append(extra, i)
		}
	}
	raw := make([][]string, len(extra))
	var lines []int // where each person's row starts, for messages
	for {
		err := c.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		id := c.field(iID)
		if id == "" {
			return nil, c.errorAt(iID, "empty; expected a person id")
		}
		if first, dup := a.index[id]; dup {
			return nil, c.errorAt(iID, "person id appears twice (first on line %d); expected one row per person", lines[first])
		}
		var arm Arm
		switch c.field(iArm) {
		case "treatment":
			arm = Treatment
		case "control":
			arm = Control
		default:
			return nil, c.errorAt(iArm, "unknown arm %q; expected \"treatment\" or \"control\"", c.field(iArm))
		}
		d, err := time.Parse("2006-01-02", c.field(iDate))
		if err != nil || d.Year() < MinYear || d.Year() > MaxYear {
			return nil, c.errorAt(iDate, "bad date %q; expected YYYY-MM-DD such as 2016-03-14, from %d to %d", c.field(iDate), MinYear, MaxYear)
		}
		a.index[id] = len(a.ids)
		lines = append(lines, c.line())
		a.ids = append(a.ids, id)
		a.Arm = append(a.Arm, arm)
		a.Week = append(a.Week, WeekOf(d).Index())
		for j, col := range extra {
			raw[j] = append(raw[j], c.field(col))
		}
	}
	if a.Len() == 0 {
		return nil, &InputError{File: c.name, Line: 2, Msg: "no persons; expected one row per randomised person"}
	}
	for j, col := range extra {
		if c.header[col] == ColStratum {
			stratum := categorical(ColStratum, raw[j])
			a.Stratum = &stratum
			continue
		}
		a.Covariates = append(a.Covariates, newCovariate(c.header[col], raw[j]))
	}
	return a, nil
}

func isMissing(s string) bool { return s == "" || s == "NA" }

// newCovariate types a column: numeric if every non-missing value is a number.
func newCovariate(name string, raw []string) Covariate {
	values := make([]float64, len(raw))
	for i, s := range raw {
		if isMissing(s) {
			values[i] = math.NaN()
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return categorical(name, raw)
		}
		values[i] = v
	}
	return Covariate{Name: name, Numeric: true, Values: values}
}

func categorical(name string, raw []string) Covariate {
	seen := map[string]bool{}
	for _, s := range raw {
		if !isMissing(s) {
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
		if isMissing(s) {
			codes[i] = -1
		} else {
			codes[i] = code[s]
		}
	}
	return Covariate{Name: name, Levels: levels, Codes: codes}
}

func (a *Assignment) String() string {
	t, c := a.Count()
	return fmt.Sprintf("%s: %d persons (%d treatment, %d control)", a.Source, a.Len(), t, c)
}
