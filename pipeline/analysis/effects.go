package analysis

import (
	"fmt"
	"math"
	"runtime"

	"gonum.org/v1/gonum/mat"

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
	// Estimated is false when the week has no estimate (too few persons at
	// risk in an arm, an aliased design).
	Estimated bool
	// Estimator and Variance name how it was estimated: plain, blocked or
	// lin; neyman, HC0 … HC3 or CR2.
	Estimator, Variance string
	// DroppedBlocks counts the strata left out of a blocked estimate (fewer
	// than two persons at risk in an arm).
	DroppedBlocks int
	// BandLow and BandHigh are the simultaneous (sup-t) band over the
	// outcome's weeks; NaN when not estimated.
	BandLow, BandHigh float64
	// RIPValue is the randomisation-inference p-value and RIMCSE its Monte
	// Carlo standard error (0 when every assignment was enumerated); NaN
	// without randomisation inference.
	RIPValue, RIMCSE float64
	// Smallest count of persons with a non-zero value (and, for binary
	// outcomes, with a zero value) in an arm, excluding empty counts; it
	// drives disclosure control.
	smallestCount int
	// Suppressed names the disclosure rule that blanked this row, if any;
	// HideCounts is set when the counts themselves are too small to show.
	Suppressed string
	HideCounts bool
}

// Band is the simultaneous band of one outcome.
type Band struct {
	Outcome string
	// Critical is the sup-t critical value (the pointwise one is the t
	// quantile, about 1.96); NaN when no week has a variance.
	Critical float64
	// Weeks is how many weeks it covers jointly.
	Weeks int
	// FirstWeekCIAbove and FirstWeekBandAbove are the first week from which
	// the pointwise interval (the band) stays above zero in every later
	// estimated week; -1 when there is none.
	FirstWeekCIAbove, FirstWeekBandAbove int
}

// effects estimates every outcome of ds in every week of the plan with the
// design's estimator, and each outcome's sup-t band. With cohort ≥ 0 only
// the persons followed to week cohort are used, in weeks up to it: the
// fixed cohort, whose weeks all rest on the same persons.
func effects(ds *pipeline.Dataset, plan Plan, d *design, cohort int) ([]Effect, []Band, error) {
	// Outcomes are estimated a few at a time, one per core: the band needs
	// an outcome's influence values of every week, as much memory as the
	// panel's hours. Lin's estimator takes all at once, sharing the design
	// of a week, its costly part, across the outcomes.
	group := runtime.GOMAXPROCS(0)
	if d.estimator == Lin {
		group = len(ds.Outcomes)
	}
	var rows []Effect
	var bands []Band
	for first := 0; first < len(ds.Outcomes); first += group {
		r, b, err := effectsOf(ds, ds.Outcomes[first:min(first+group, len(ds.Outcomes))], plan, d, cohort)
		if err != nil {
			return nil, nil, err
		}
		rows, bands = append(rows, r...), append(bands, b...)
	}
	return rows, bands, nil
}

// effectsOf estimates the given outcomes week by week (cumulative outcomes
// need the weeks in order), the outcomes of a week on every core, sharing
// what depends only on the persons at risk.
func effectsOf(ds *pipeline.Dataset, outcomes []*pipeline.Outcome, plan Plan, d *design, cohort int) ([]Effect, []Band, error) {
	s := ds.Store
	from, to := plan.weeks(s.Weeks)
	limit := s.N
	if cohort >= 0 {
		to, limit = min(to, cohort+1), s.AtRisk(cohort)
	}
	units, nUnits := unitsOf(s)
	type perOutcome struct {
		rows []Effect
		psi  [][]float32 // per week: influence summed by unit; nil without an estimate
		y    []float64
		err  error
	}
	acc := make([]perOutcome, len(outcomes))
	for k := from; k < to; k++ {
		n := min(s.AtRisk(k), limit)
		week := d.forWeek(n)
		treated := s.Treated[:n]
		parallelEach(len(outcomes), func(i int) {
			a, o := &acc[i], outcomes[i]
			if a.err != nil {
				return
			}
			a.y = o.Week(k, a.y)[:n]
			infl := make([]float64, n)
			e, dropped, err := d.estimate(week, a.y, treated, plan.Level, infl)
			if err != nil && !unestimable(err) {
				a.err = fmt.Errorf("outcome %s, week %d: %w", o.Def.Name, k, err)
				return
			}
			if err != nil { // the arms' sizes are still shown
				e = stats.Estimate{}
				for _, t := range treated {
					if t {
						e.NTreatment++
					} else {
						e.NControl++
					}
				}
			}
			a.rows = append(a.rows, Effect{Outcome: o.Def.Name, Binary: o.Def.Binary(), Unit: o.Def.Unit(), Week: k, Estimate: e,
				Estimated: err == nil, Estimator: d.estimator, Variance: d.variance, DroppedBlocks: dropped,
				BandLow: math.NaN(), BandHigh: math.NaN(), RIPValue: math.NaN(), RIMCSE: math.NaN(),
				smallestCount: smallestCount(a.y, treated, o.Def.Binary())})
			var col []float32
			if err == nil && e.SE > 0 {
				col = byUnit(infl, units, nUnits)
			}
			a.psi = append(a.psi, col)
		})
	}
	var rows []Effect
	var bands []Band
	for i, o := range outcomes {
		a := &acc[i]
		if a.err != nil {
			return nil, nil, a.err
		}
		band := Band{Outcome: o.Def.Name}
		band.Critical, band.Weeks = supT(a.psi, plan)
		for w := range a.rows {
			r := &a.rows[w]
			if a.psi[w] != nil && !math.IsNaN(band.Critical) {
				r.BandLow, r.BandHigh = r.Estimate.Estimate-band.Critical*r.SE, r.Estimate.Estimate+band.Critical*r.SE
			}
		}
		band.FirstWeekCIAbove = firstAbove(a.rows, func(r *Effect) float64 { return r.CILow })
		band.FirstWeekBandAbove = firstAbove(a.rows, func(r *Effect) float64 { return r.BandLow })
		rows, bands = append(rows, a.rows...), append(bands, band)
		a.psi = nil // let the influence values go before the next outcome's band
	}
	return rows, bands, nil
}

// unitsOf maps persons to the units whose influence sums enter a variance:
// clusters when the panel has them (CR2 sums within clusters), else
// persons; nil means every person is its own unit.
func unitsOf(s *pipeline.Store) (units []int, n int) {
	if s.Cluster == nil {
		return nil, 0
	}
	c := codes(s.Cluster)
	return c, len(s.Cluster.Levels) + 1
}

// byUnit sums influence values by unit (float32 halves the memory of a
// whole outcome's values; correlations need no more precision).
func byUnit(infl []float64, units []int, n int) []float32 {
	if units == nil {
		out := make([]float32, len(infl))
		for i, v := range infl {
			out[i] = float32(v)
		}
		return out
	}
	sums := make([]float64, n)
	for i, v := range infl {
		sums[units[i]] += v
	}
	out := make([]float32, n)
	for i, v := range sums {
		out[i] = float32(v)
	}
	return out
}

// supT is the sup-t critical value over the weeks with an estimate: the
// covariance of week a and b's estimates is Σᵤ ψᵤ(a)ψᵤ(b) over the units
// (persons at risk in both weeks: a prefix of the store), the influence
// values summed by unit.
func supT(psi [][]float32, plan Plan) (crit float64, weeks int) {
	var cols [][]float32
	for _, c := range psi {
		if c != nil {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		return math.NaN(), 0
	}
	cov := mat.NewSymDense(len(cols), nil)
	parallelPairs(len(cols), func(a, b int) {
		x, y := cols[a], cols[b]
		m := min(len(x), len(y))
		var sum float64
		for i := range m {
			sum += float64(x[i]) * float64(y[i])
		}
		cov.SetSym(a, b, sum)
	})
	crit, err := stats.SupTCritical(cov, plan.Level, plan.BandDraws, plan.Seed)
	if err != nil {
		return math.NaN(), 0
	}
	return crit, len(cols)
}

// firstAbove is the first week from which bound(r) > 0 in every later
// estimated row; -1 if the last estimated row's bound is not above zero.
func firstAbove(rows []Effect, bound func(*Effect) float64) int {
	first := -1
	for i := len(rows) - 1; i >= 0; i-- {
		r := &rows[i]
		if !r.Estimated || math.IsNaN(bound(r)) {
			continue
		}
		if bound(r) <= 0 {
			break
		}
		first = r.Week
	}
	return first
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
