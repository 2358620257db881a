package analysis

import (
	"fmt"
	"slices"

	"rcteval/pipeline"
	"rcteval/stats"
)

// Disclosed is Results after disclosure control: the only form in which
// reports receive them. It can be made only by Disclose, and its parts are
// read through methods, so that no output can publish an undisclosed cell.
type Disclosed struct {
	r Results
}

// Disclose applies disclosure control with the plan's minimum cell size
// (0 turns it off) to a copy of r:
//
//   - an effect row where an arm has fewer than MinCell persons at risk
//     loses its counts and estimates ("n<5");
//   - an effect row where fewer than MinCell persons in an arm have a
//     non-zero value (or, for a binary outcome, a zero value) loses its
//     estimates ("count<5");
//   - the balance table was made safe when it was computed (BalanceTable:
//     its pooled levels feed its tests, so it cannot be done later).
func Disclose(r *Results) *Disclosed {
	d := &Disclosed{r: *r}
	d.r.Effects = slices.Clone(r.Effects)
	discloseEffects(d.r.Effects, r.Plan.MinCell)
	return d
}

func discloseEffects(rows []Effect, minCell int) {
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

// Plan is the plan the results were estimated under.
func (d *Disclosed) Plan() Plan { return d.r.Plan }

// Trial is the trial's summary.
func (d *Disclosed) Trial() Trial { return d.r.Trial }

// Effects are the effect rows, outcome by outcome, week by week.
func (d *Disclosed) Effects() []Effect { return d.r.Effects }

// OutcomeEffects are the effect rows of one outcome.
func (d *Disclosed) OutcomeEffects(outcome string) []Effect {
	var rows []Effect
	for _, e := range d.r.Effects {
		if e.Outcome == outcome {
			rows = append(rows, e)
		}
	}
	return rows
}

// Balance is the balance table.
func (d *Disclosed) Balance() Balance { return d.r.Balance }

// Accounting is the row accounting of the inputs.
func (d *Disclosed) Accounting() *pipeline.Accounting { return d.r.Accounting }

// DataNotes are the notes on the data.
func (d *Disclosed) DataNotes() []string { return d.r.DataNotes }
