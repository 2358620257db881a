package analysis

import (
	"errors"

	"rcteval/pipeline"
	"rcteval/stats"
)

// Effect is one outcome in one week since randomisation: the tidy row of
// effects.csv.
type Effect struct {
	Outcome string
	Binary  bool
	Unit    string // what the values measure: share, hours, hours_total or weeks
	Week    int
	stats.Estimate
	// Estimated is false when an arm had fewer than two persons at risk.
	Estimated bool
	// Smallest count of persons with a non-zero value (and, for binary
	// outcomes, with a zero value) in an arm, excluding empty counts; it
	// drives disclosure control.
	smallestCount int
	// Suppressed names the disclosure rule that blanked this row, if any;
	// HideCounts is set when the counts themselves are too small to show.
	Suppressed string
	HideCounts bool
}

// effects estimates every outcome of ds in every week of the plan.
func effects(ds *pipeline.Dataset, plan Plan) []Effect {
	var rows []Effect
	s := ds.Store
	from, to := plan.weeks(s.Weeks)
	var y []float64
	for _, o := range ds.Outcomes {
		for k := from; k < to; k++ {
			y = o.Week(k, y)
			treated := s.Treated[:len(y)]
			e, err := stats.DifferenceInMeans(y, treated, plan.Level)
			if err != nil && !errors.Is(err, stats.ErrTooFew) {
				panic(err) // DifferenceInMeans returns no other error
			}
			rows = append(rows, Effect{Outcome: o.Def.Name, Binary: o.Def.Binary(), Unit: o.Def.Unit(), Week: k, Estimate: e,
				Estimated: err == nil, smallestCount: smallestCount(y, treated, o.Def.Binary())})
		}
	}
	return rows
}

// smallestCount is the smallest positive count of persons, per arm, with a
// non-zero value and, for a binary outcome, with a zero value.
func smallestCount(y []float64, treated []bool, binary bool) int {
	var nonzero, zero [2]int
	for i, v := range y {
		a := 0
		if treated[i] {
			a = 1
		}
		if v != 0 {
			nonzero[a]++
		} else {
			zero[a]++
		}
	}
	counts := nonzero[:]
	if binary {
		counts = append(counts, zero[:]...)
	}
	smallest := 0
	for _, c := range counts {
		if c > 0 && (smallest == 0 || c < smallest) {
			smallest = c
		}
	}
	return smallest
}
