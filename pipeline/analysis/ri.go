package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"rcteval/pipeline"
	"rcteval/stats"
)

// riDesign is how the assignment was drawn, for re-drawing it: units
// (persons, or clusters when the trial randomised clusters) completely
// randomised within each stratum, the stratum's number of treated units
// fixed.
type riDesign struct {
	unitOf  []int32   // person → unit
	strata  [][]int32 // stratum → its units
	treated []int     // stratum → its treated units
}

// newRIDesign reads the design off the panel: strata from the stratum column
// (a missing stratum is a stratum of its own), units from the cluster
// column. Every person of a cluster must share the arm and the stratum.
func newRIDesign(s *pipeline.Store) (riDesign, error) {
	d := riDesign{unitOf: make([]int32, s.N)}
	units := 0
	if s.Cluster == nil {
		for j := range d.unitOf {
			d.unitOf[j] = int32(j)
		}
		units = s.N
	} else {
		index := map[int]int32{}
		for j, c := range s.Cluster.Codes {
			u, ok := index[c]
			if !ok || c < 0 { // a person without a cluster is a unit alone
				u = int32(units)
				units++
				if c >= 0 {
					index[c] = u
				}
			}
			d.unitOf[j] = u
		}
	}
	unitStratum, unitArm := make([]int, units), make([]int8, units)
	for u := range unitArm {
		unitArm[u] = -1
	}
	nStrata := 1
	if s.Stratum != nil {
		nStrata = len(s.Stratum.Levels) + 1 // the last is "missing"
	}
	for j := range s.N {
		st := 0
		if s.Stratum != nil {
			if st = s.Stratum.Codes[j]; st < 0 {
				st = nStrata - 1
			}
		}
		arm := int8(b2i(s.Treated[j]))
		u := d.unitOf[j]
		if unitArm[u] >= 0 && (unitArm[u] != arm || unitStratum[u] != st) {
			return d, fmt.Errorf("cluster %q has persons in both arms or in two strata; a cluster-randomised design assigns whole clusters within one stratum",
				s.Cluster.Levels[s.Cluster.Codes[j]])
		}
		unitArm[u], unitStratum[u] = arm, st
	}
	d.strata, d.treated = make([][]int32, nStrata), make([]int, nStrata)
	for u := range units {
		st := unitStratum[u]
		d.strata[st] = append(d.strata[st], int32(u))
		d.treated[st] += int(unitArm[u])
	}
	return d, nil
}

// draw re-draws the assignment: in each stratum a random set of as many
// units as were treated is treated. It returns scratch, grown, for reuse.
func (d *riDesign) draw(rng *rand.Rand, unitTreated []bool, scratch []int32) []int32 {
	for st, units := range d.strata {
		perm := append(scratch[:0], units...)
		scratch = perm
		for i := range d.treated[st] { // a partial Fisher–Yates shuffle
			k := i + rng.IntN(len(perm)-i)
			perm[i], perm[k] = perm[k], perm[i]
		}
		for i, u := range perm {
			unitTreated[u] = i < d.treated[st]
		}
	}
	return scratch
}

// assignments is the number of assignments the design can draw: the
// product over strata of C(units, treated), as a float64 (it overflows any
// integer for real trials).
func (d *riDesign) assignments() float64 {
	n := 1.0
	for st, units := range d.strata {
		n *= binomial(len(units), d.treated[st])
	}
	return n
}

func binomial(n, k int) float64 {
	c := 1.0
	for i := range min(k, n-k) {
		c = c * float64(n-i) / float64(i+1)
	}
	return math.Round(c)
}

// enumerate calls fn with every assignment the design can draw, in a fixed
// order; unitTreated is reused between calls.
func (d *riDesign) enumerate(units int, fn func(unitTreated []bool)) {
	unitTreated := make([]bool, units)
	var rec func(st int)
	rec = func(st int) {
		if st == len(d.strata) {
			fn(unitTreated)
			return
		}
		us := d.strata[st]
		var choose func(from, left int)
		choose = func(from, left int) {
			if left == 0 {
				rec(st + 1)
				return
			}
			for i := from; i <= len(us)-left; i++ {
				unitTreated[us[i]] = true
				choose(i+1, left-1)
				unitTreated[us[i]] = false
			}
		}
		choose(0, d.treated[st])
	}
	rec(0)
}

// riPanel holds the outcomes of the weeks estimated person by person, so
// that a re-drawn assignment is evaluated by one pass over the treated
// persons' values.
type riPanel struct {
	from, weeks int     // the first week and the number of weeks
	length      []int32 // person → weeks at risk among them
	offset      []int   // person → offset of its values
	block       []int32 // person → block of the statistic
	blocks      int
	studentized bool              // the statistic is τ̂/SE, else τ̂
	y           [][]float64       // outcome → values, centred on the week's mean
	total       [][]stats.ArmSums // outcome → (block, week) → sums over everyone
}

// newRIPanel lays out the outcomes for the weeks [from, to); the statistic
// is the blocked difference in means by stratum when blocked, else the
// plain one, studentized or not.
func newRIPanel(s *pipeline.Store, outcomes []*pipeline.Outcome, from, to int, blocked, studentized bool) *riPanel {
	p := &riPanel{from: from, weeks: to - from, length: make([]int32, s.N), offset: make([]int, s.N+1), block: make([]int32, s.N),
		blocks: 1, studentized: studentized}
	if blocked && s.Stratum != nil {
		p.blocks = len(s.Stratum.Levels) + 1
		for j, c := range s.Stratum.Codes {
			if c < 0 {
				c = p.blocks - 1
			}
			p.block[j] = int32(c)
		}
	}
	for j := range s.N {
		p.length[j] = int32(max(0, min(s.FollowUp[j], to)-from))
		p.offset[j+1] = p.offset[j] + int(p.length[j])
	}
	var v []float64
	for _, o := range outcomes {
		y := make([]float64, p.offset[s.N])
		total := make([]stats.ArmSums, p.blocks*p.weeks)
		for k := from; k < to; k++ {
			v = o.Week(k, v)
			mean := 0.0
			for _, x := range v {
				mean += x
			}
			mean /= float64(max(1, len(v)))
			for j, x := range v {
				y[p.offset[j]+k-from] = x - mean
				total[int(p.block[j])*p.weeks+k-from].Add(x - mean)
			}
		}
		p.y, p.total = append(p.y, y), append(p.total, total)
	}
	return p
}

// riWork is one worker's accumulators.
type riWork struct {
	treated     [][]stats.ArmSums // outcome → (block, week); N is set from atRisk
	ends        []float64         // (block, weeks at risk − 1) → treated persons
	atRisk      []float64         // (block, week) → treated persons at risk
	tr, co      []stats.ArmSums   // one week's blocks
	unitTreated []bool
	scratch     []int32
}

func (p *riPanel) newWork(units int) *riWork {
	w := &riWork{tr: make([]stats.ArmSums, p.blocks), co: make([]stats.ArmSums, p.blocks), unitTreated: make([]bool, units),
		ends: make([]float64, p.blocks*p.weeks), atRisk: make([]float64, p.blocks*p.weeks)}
	for range p.y {
		w.treated = append(w.treated, make([]stats.ArmSums, p.blocks*p.weeks))
	}
	return w
}

// statistics writes the statistic (τ̂/SE or τ̂) of every outcome and week
// (outcome-major) under the assignment w.unitTreated into dst.
func (p *riPanel) statistics(d *riDesign, w *riWork, dst []float64) {
	for o := range w.treated {
		clear(w.treated[o])
	}
	clear(w.ends)
	for j, n := range p.length {
		if n == 0 || !w.unitTreated[d.unitOf[j]] {
			continue
		}
		base := int(p.block[j]) * p.weeks
		w.ends[base+int(n)-1]++
		off := p.offset[j]
		for o, y := range p.y {
			acc := w.treated[o][base : base+int(n)]
			for k, v := range y[off : off+int(n)] {
				acc[k].Sum += v
				acc[k].SumSq += v * v
			}
		}
	}
	// The treated at risk in a week are those at risk for more weeks than
	// it: counted once here rather than per outcome and value above, where
	// the count cost about half the time.
	for b := range p.blocks {
		n := 0.0
		for k := p.weeks - 1; k >= 0; k-- {
			n += w.ends[b*p.weeks+k]
			w.atRisk[b*p.weeks+k] = n
		}
	}
	for o := range p.y {
		for k := range p.weeks {
			for b := range p.blocks {
				t, all := w.treated[o][b*p.weeks+k], p.total[o][b*p.weeks+k]
				t.N = w.atRisk[b*p.weeks+k]
				w.tr[b] = t
				w.co[b] = stats.ArmSums{N: all.N - t.N, Sum: all.Sum - t.Sum, SumSq: all.SumSq - t.SumSq}
			}
			est, se, _ := stats.BlockedFromSums(w.tr, w.co)
			if p.studentized {
				est /= se // NaN when se is 0 or no block is usable
			}
			dst[o*p.weeks+k] = est
		}
	}
}

// riResult is the statistics of the observed and the re-drawn assignments,
// outcome-major: index o·weeks + (k − from).
type riResult struct {
	observed []float64
	draws    [][]float64
	exact    bool // draws are every possible assignment, the observed one included
}

// pValue is the randomisation p-value of estimand i and its Monte Carlo
// standard error (0 when exact).
func (r *riResult) pValue(i int) (p, mcse float64) {
	col := r.column(i, nil)
	if r.exact {
		return stats.ExactPValue(r.observed[i], col), 0
	}
	return stats.RandomizationPValue(r.observed[i], col)
}

// randomisationInference evaluates the studentized statistic of every
// outcome and week under the observed assignment and under re-drawn ones:
// every assignment the design allows when there are at most draws of them
// (exact is then set), else draws random ones, on every core. Draw r uses
// its own PCG stream (seed, r), so the result does not depend on the number
// of cores.
func randomisationInference(s *pipeline.Store, d *riDesign, p *riPanel, draws int, seed uint64) riResult {
	m := len(p.y) * p.weeks
	units := len(d.unitOf)
	res := riResult{observed: make([]float64, m)}
	w := p.newWork(units)
	for j, u := range d.unitOf {
		w.unitTreated[u] = s.Treated[j]
	}
	p.statistics(d, w, res.observed)
	if d.assignments() <= float64(draws) {
		res.exact = true
		d.enumerate(units, func(unitTreated []bool) {
			copy(w.unitTreated, unitTreated)
			t := make([]float64, m)
			p.statistics(d, w, t)
			res.draws = append(res.draws, t)
		})
		return res
	}
	res.draws = make([][]float64, draws)
	workers := min(runtime.GOMAXPROCS(0), max(1, draws))
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Go(func() {
			w := p.newWork(len(d.unitOf))
			for r := wk; r < draws; r += workers {
				rng := rand.New(rand.NewPCG(seed, uint64(r)))
				w.scratch = d.draw(rng, w.unitTreated, w.scratch)
				res.draws[r] = make([]float64, m)
				p.statistics(d, w, res.draws[r])
			}
		})
	}
	wg.Wait()
	return res
}

// column returns the draws' statistics of estimand i.
func (r *riResult) column(i int, dst []float64) []float64 {
	dst = dst[:0]
	for _, d := range r.draws {
		dst = append(dst, d[i])
	}
	return dst
}
