package reports

import (
	"errors"
	"fmt"

	"rcteval/pipeline"
	"rcteval/stats"
)

// EffectRow is one outcome in one week since randomisation: the tidy row of
// effects.csv.
type EffectRow struct {
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

// EffectsTable computes the difference in means for every outcome of ds and
// every follow-up week, at confidence level (e.g. 0.95).
func EffectsTable(ds *pipeline.Dataset, level float64) []EffectRow {
	var rows []EffectRow
	s := ds.Store
	var y []float64
	for _, o := range ds.Outcomes {
		for k := range s.Weeks {
			y = o.Week(k, y)
			treated := s.Treated[:len(y)]
			e, err := stats.DifferenceInMeans(y, treated, level)
			if err != nil && !errors.Is(err, stats.ErrTooFew) {
				panic(err) // DifferenceInMeans returns no other error
			}
			rows = append(rows, EffectRow{Outcome: o.Def.Name, Binary: o.Def.Binary(), Unit: o.Def.Unit(), Week: k, Estimate: e,
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

// DiscloseEffects applies disclosure control with minimum cell size minCell
// (0 turns it off): a row where an arm has fewer than minCell persons at
// risk loses its counts and estimates; a row where fewer than minCell persons
// in an arm have a non-zero value (or, for a binary outcome, a zero value)
// loses its estimates. Rows are changed in place.
func DiscloseEffects(rows []EffectRow, minCell int) {
	for i := range rows {
		r := &rows[i]
		switch {
		case minCell <= 0:
		case r.NTreatment < minCell || r.NControl < minCell:
			r.Suppressed = fmt.Sprintf("n<%d", minCell)
			r.Estimate = stats.Estimate{}
			r.Estimated, r.HideCounts = false, true
		case r.smallestCount > 0 && r.smallestCount < minCell:
			r.Suppressed = fmt.Sprintf("count<%d", minCell)
			r.Estimate = stats.Estimate{NTreatment: r.NTreatment, NControl: r.NControl}
			r.Estimated = false
		}
	}
}
