package pipeline

// Dataset is a trial ready for analysis: the assignment, the aligned store,
// the row accounting and the derived outcomes.
type Dataset struct {
	Assignment *Assignment
	Store      *Store
	Accounting *Accounting
	Outcomes   []*Outcome
}

// Load builds a Dataset from an assignment and a weekly source, deriving defs.
func Load(a *Assignment, src WeekSource, opt Options, defs []OutcomeDef) (*Dataset, error) {
	s, acc, err := Build(a, src, opt)
	if err != nil {
		return nil, err
	}
	ds := &Dataset{Assignment: a, Store: s, Accounting: acc}
	for _, d := range defs {
		o, err := Derive(s, d)
		if err != nil {
			return nil, err
		}
		ds.Outcomes = append(ds.Outcomes, o)
	}
	return ds, nil
}

// LoadFiles reads an assignment CSV and a long weekly CSV and builds a Dataset
// with the default outcomes.
func LoadFiles(assignmentPath, weeksPath string, opt Options) (*Dataset, error) {
	a, err := ReadAssignment(assignmentPath)
	if err != nil {
		return nil, err
	}
	src, err := OpenWeeks(weeksPath)
	if err != nil {
		return nil, err
	}
	return Load(a, src, opt, DefaultOutcomes())
}
