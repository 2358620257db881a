package pipeline

// Dataset is a trial ready for analysis: the assignment, the aligned store,
// the row accounting and the derived outcomes.
type Dataset struct {
	Assignment *Assignment
	Store      *Store
	Accounting *Accounting
	Outcomes   []*Outcome
}

// Derive adds the outcomes defs to the dataset.
func (ds *Dataset) Derive(defs []OutcomeDef) error {
	for _, d := range defs {
		o, err := Derive(ds.Store, d)
		if err != nil {
			return err
		}
		ds.Outcomes = append(ds.Outcomes, o)
	}
	return nil
}
