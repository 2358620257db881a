package analysis

import (
	"fmt"
	"math"
	"runtime"
	"slices"

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
	// nonzero counts the persons with a non-zero value by arm (control,
	// treatment), and nonzeroNext those of them also at risk the week after
	// (staggered rows only); cumulative marks an outcome whose totals in two
	// weeks can be differenced. They drive disclosure control.
	nonzero, nonzeroNext [2]int
	cumulative           bool
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
	// Outcomes are estimated together as far as memory allows: the band
	// needs an outcome's influence values of every week, up to 4 bytes per
	// person-week (a group holds at most 1 GiB of them, or one outcome), or,
	// for a binary outcome of a difference in means, 1 bit, which joins any
	// group (a lone outcome would leave a core idle). Lin's estimator takes
	// all at once, sharing the design of a week, its costly part, across
	// outcomes.
	s := ds.Store
	limit := s.N
	if cohort >= 0 {
		limit = s.AtRisk(cohort)
	}
	cellOf, cells := d.influenceCells(s.Treated[:limit])
	personWeeks := 0
	for k := range s.Weeks {
		personWeeks += min(s.AtRisk(k), limit)
	}
	size := func(o *pipeline.Outcome) int { // bytes of its influence values, at most, but for bits
		if o.Def.Binary() && cellOf != nil {
			return 0
		}
		return 4 * personWeeks
	}
	var rows []Effect
	var bands []Band
	for first := 0; first < len(ds.Outcomes); {
		end, bytes := first+1, size(ds.Outcomes[first])
		for ; end < len(ds.Outcomes); end++ {
			next := size(ds.Outcomes[end])
			if d.estimator != Lin && bytes+next > 1<<30 {
				break
			}
			bytes += next
		}
		r, b, err := effectsOf(ds, ds.Outcomes[first:end], plan, d, cohort, cellOf, cells)
		if err != nil {
			return nil, nil, err
		}
		rows, bands = append(rows, r...), append(bands, b...)
		first = end
	}
	return rows, bands, nil
}

// effectsOf estimates the given outcomes week by week (cumulative outcomes
// need the weeks in order) on every core.
func effectsOf(ds *pipeline.Dataset, outcomes []*pipeline.Outcome, plan Plan, d *design, cohort int, cellOf []int32, cells int) ([]Effect, []Band, error) {
	s := ds.Store
	from, to := plan.weeks(s.Weeks)
	limit := s.N
	if cohort >= 0 {
		to, limit = min(to, cohort+1), s.AtRisk(cohort)
	}
	layout := newInfluenceLayout(s, from, to, limit)
	if cellOf != nil {
		layout.withCells(cellOf, cells)
	}
	type perOutcome struct {
		rows    []Effect
		psi     influence
		y, infl []float64 // the week's outcome and influence values
		err     error
	}
	acc := make([]perOutcome, len(outcomes))
	for i := range acc {
		acc[i].psi = layout.new(outcomes[i].Def.Binary())
	}
	estimateWeek := func(i, k int, week *weekDesign) {
		a, o := &acc[i], outcomes[i]
		if a.err != nil {
			return
		}
		n := min(s.AtRisk(k), limit)
		next := 0 // persons at risk the week after: a prefix of these
		if k+1 < s.Weeks {
			next = min(s.AtRisk(k+1), limit)
		}
		treated := s.Treated[:n]
		a.y = o.Week(k, a.y)[:n]
		a.infl = slices.Grow(a.infl[:0], n)[:n]
		e, dropped, err := d.estimate(week, a.y, treated, plan.Level, a.infl)
		if err != nil && !unestimable(err) {
			a.err = fmt.Errorf("outcome %s, week %d: %w", o.Def.Name, k, err)
			return
		}
		if err != nil { // the arms' sizes are still shown
			e = armSizes(treated)
		}
		nz, nzNext := nonzeroCounts(a.y, treated, min(next, n))
		a.rows = append(a.rows, Effect{Outcome: o.Def.Name, Binary: o.Def.Binary(), Unit: o.Def.Unit(), Week: k, Estimate: e,
			Estimated: err == nil, Estimator: d.estimator, Variance: d.variance, DroppedBlocks: dropped,
			BandLow: math.NaN(), BandHigh: math.NaN(), RIPValue: math.NaN(), RIMCSE: math.NaN(),
			nonzero: nz, nonzeroNext: nzNext, cumulative: o.Def.Cumulative()})
		if err == nil && e.SE > 0 {
			a.psi.set(k-from, a.y, a.infl)
		}
	}
	if d.estimator == Lin {
		// A week's design serves all its outcomes: the weeks in turn, the
		// outcomes of a week on every core.
		nextDesign := designsAhead(from, to, d.lookahead(min(s.AtRisk(from), limit)), func(k int) *weekDesign {
			n := min(s.AtRisk(k), limit)
			return d.forWeek(n, s.Treated[:n])
		})
		for k := from; k < to; k++ {
			week := nextDesign()
			parallelEach(len(outcomes), func(i int) { estimateWeek(i, k, week) })
		}
	} else {
		// Each outcome's weeks in turn on a goroutine of its own, so that
		// the cores share out all the outcomes' weeks, rather than the few
		// outcomes of a week, which leave a core idle at every week's end.
		concurrently(len(outcomes), func(i int) {
			for k := from; k < to; k++ {
				estimateWeek(i, k, nil)
			}
		})
	}
	for i := range acc {
		if acc[i].err != nil {
			return nil, nil, acc[i].err
		}
	}
	// The bands, an outcome per core: each simulates its critical value
	// alone, from its own seeded draws.
	bands := make([]Band, len(outcomes))
	parallelEach(len(outcomes), func(i int) {
		bands[i] = Band{Outcome: outcomes[i].Def.Name}
		bands[i].Critical, bands[i].Weeks = supT(&acc[i].psi, plan)
		acc[i].psi.release() // let the influence values go once the band is drawn
	})
	var rows []Effect
	for i := range outcomes {
		a, band := &acc[i], &bands[i]
		for w := range a.rows {
			r := &a.rows[w]
			if a.psi.has[w] && !math.IsNaN(band.Critical) {
				r.BandLow, r.BandHigh = r.Estimate.Estimate-band.Critical*r.SE, r.Estimate.Estimate+band.Critical*r.SE
			}
		}
		band.FirstWeekCIAbove = firstAbove(a.rows, func(r *Effect) float64 { return r.CILow })
		band.FirstWeekBandAbove = firstAbove(a.rows, func(r *Effect) float64 { return r.BandLow })
		rows = append(rows, a.rows...)
	}
	return rows, bands, nil
}

// lookahead is how many weeks' designs of Lin's estimator may be prepared
// ahead of the week estimated (see designsAhead): one per core, as long as
// they take no more than 512 MiB beside the one in use (about three
// float64 per person and column of the interacted design, counted
// generously).
func (d *design) lookahead(persons int) int {
	columns := 2 // the intercept and the arm, then each covariate column twice
	for _, c := range d.adjust {
		columns += 2 * max(2, len(c.Levels)) // at most: a level less, and a missing indicator
	}
	return min(runtime.GOMAXPROCS(0), (512<<20)/max(1, 24*persons*columns))
}

// designsAhead returns a function that gives the designs of the weeks
// from, from+1, … to−1 in turn. With ahead > 0 each is prepared on a
// goroutine of its own up to ahead weeks before it is asked for: Lin's
// design, a QR decomposition of the persons at risk, would otherwise be a
// serial step between the weeks' estimates. A panic in prepare is raised
// again by the call that asks for that week.
func designsAhead(from, to, ahead int, prepare func(k int) *weekDesign) func() *weekDesign {
	k := from
	if ahead <= 0 {
		return func() *weekDesign {
			k++
			return prepare(k - 1)
		}
	}
	type prepared struct {
		week  *weekDesign
		crash any
	}
	slots := make(chan struct{}, ahead)
	results := make([]chan prepared, max(0, to-from))
	for i := range results {
		results[i] = make(chan prepared, 1)
	}
	go func() {
		for k := from; k < to; k++ {
			slots <- struct{}{}
			go func() {
				var p prepared
				defer func() {
					p.crash = recover()
					results[k-from] <- p
				}()
				p.week = prepare(k)
			}()
		}
	}()
	return func() *weekDesign {
		p := <-results[k-from]
		k++
		<-slots
		if p.crash != nil {
			panic(p.crash)
		}
		return p.week
	}
}

// armSizes is an estimate with only the arms' sizes: what a week without an
// estimate still shows.
func armSizes(treated []bool) stats.Estimate {
	var e stats.Estimate
	for _, t := range treated {
		if t {
			e.NTreatment++
		} else {
			e.NControl++
		}
	}
	return e
}

// supT is the sup-t critical value over the weeks with an estimate: the
// covariance of week a and b's estimates is Σᵤ ψᵤ(a)ψᵤ(b) over the units
// (persons at risk in both weeks, or clusters).
func supT(f *influence, plan Plan) (crit float64, weeks int) {
	var keep []int
	for w, ok := range f.has {
		if ok {
			keep = append(keep, w)
		}
	}
	if len(keep) == 0 {
		return math.NaN(), 0
	}
	all := f.covariance()
	cov := mat.NewSymDense(len(keep), nil)
	for a, wa := range keep {
		for b := a; b < len(keep); b++ {
			cov.SetSym(a, b, all.At(wa, keep[b]))
		}
	}
	crit, err := stats.SupTCritical(cov, plan.Level, plan.BandDraws, plan.Seed)
	if err != nil {
		return math.NaN(), 0
	}
	return crit, len(keep)
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

// nonzeroCounts counts the persons with a non-zero value by arm (control,
// treatment), among all and among the first next (those also at risk the
// week after).
func nonzeroCounts(y []float64, treated []bool, next int) (nonzero, nonzeroNext [2]int) {
	count := func(y []float64, treated []bool) (all, treatment int) {
		for i, v := range y { // no branch on the value or the arm
			nz := b2i(v != 0)
			all += nz
			treatment += nz & b2i(treated[i])
		}
		return all, treatment
	}
	all, treatment := count(y[:next], treated[:next])
	nonzeroNext = [2]int{all - treatment, treatment}
	rest, restTreatment := count(y[next:], treated[next:])
	return [2]int{all + rest - treatment - restTreatment, treatment + restTreatment}, nonzeroNext
}

// smallestCount is the smallest positive count of persons, per arm, with a
// non-zero value and, for a binary outcome, with a zero value: the count
// rule's cell.
func (e *Effect) smallestCount() int {
	return smallestOf([2]int{e.NControl, e.NTreatment}, e.nonzero, e.Binary)
}

// smallestOf is smallestCount of a cell with n persons and nonzero of them
// with a non-zero value, by arm.
func smallestOf(n, nonzero [2]int, binary bool) int {
	smallest := 0
	for a := range 2 {
		counts := []int{nonzero[a]}
		if binary {
			counts = append(counts, n[a]-nonzero[a])
		}
		for _, c := range counts {
			if c > 0 && (smallest == 0 || c < smallest) {
				smallest = c
			}
		}
	}
	return smallest
}
