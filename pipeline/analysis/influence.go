package analysis

import (
	"math"
	"math/bits"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"rcteval/pipeline"
)

// influenceLayout places the influence values of the weeks [from, to) week
// by week, so that storing a week's values is one sequential copy. A unit is
// a person, or with clusters a cluster (every week; CR2 sums within
// clusters). The persons at risk in a week are a prefix of the store's
// order, so the units with values in week w are the first units[w].
type influenceLayout struct {
	weeks  int
	count  int   // units
	units  []int // week → units with values that week; never increasing
	start  []int // week → start of its values; len weeks+1
	unitOf []int // person → unit; nil: the person is the unit
	cells  *cellLayout
}

// cellLayout serves an estimator whose influence values within a cell of
// persons (an arm, or an arm within a block) depend only on the outcome:
// the difference in means, plain or blocked. A binary outcome's values in
// a week are then two numbers per cell, and a bit per person: the band's
// covariance needs 1 bit per person-week, not 4 bytes, and its sums
// become counts of persons (see binaryCovariance).
type cellLayout struct {
	cells  int
	cellOf []int32 // person → cell
	rank   []int32 // person → rank among the cell's persons, in store order
	atRisk []int32 // week·cells + cell → the cell's persons at risk: ranks below it
	word   []int   // week·cells + cell → its first word of bits; len weeks·cells + 1
}

// withCells lays out bits by cell for the persons given a cell each by
// cellOf (cells in all); the layout must be by person (no clusters).
func (l *influenceLayout) withCells(cellOf []int32, cells int) {
	if l.unitOf != nil || len(cellOf) != l.count {
		panic("analysis: a cell layout needs one cell per person")
	}
	c := &cellLayout{cells: cells, cellOf: cellOf, rank: make([]int32, len(cellOf)), atRisk: make([]int32, l.weeks*cells)}
	seen := make([]int32, cells)
	w := l.weeks - 1 // weeks in order of their persons at risk, fewest first
	for j, g := range cellOf {
		for ; w >= 0 && l.units[w] == j; w-- {
			copy(c.atRisk[w*cells:], seen)
		}
		c.rank[j] = seen[g]
		seen[g]++
	}
	for ; w >= 0; w-- {
		copy(c.atRisk[w*cells:], seen)
	}
	c.word = make([]int, len(c.atRisk)+1)
	for i, n := range c.atRisk {
		c.word[i+1] = c.word[i] + (int(n)+63)/64
	}
	l.cells = c
}

func newInfluenceLayout(s *pipeline.Store, from, to, limit int) *influenceLayout {
	l := &influenceLayout{weeks: max(0, to-from)}
	l.units = make([]int, l.weeks)
	if s.Cluster != nil {
		units, n := unitsOf(s)
		l.unitOf, l.count = units[:limit], n
		for w := range l.units {
			l.units[w] = n
		}
	} else {
		l.count = limit
		for j := range limit {
			weeks := max(0, min(s.FollowUp[j], to)-from)
			if j > 0 && weeks > max(0, min(s.FollowUp[j-1], to)-from) {
				panic("analysis: the store's persons are not in order of follow-up")
			}
			for w := range weeks {
				l.units[w]++
			}
		}
	}
	l.start = make([]int, l.weeks+1)
	for w, n := range l.units {
		l.start[w+1] = l.start[w] + n
	}
	return l
}

// unitsOf maps persons to clusters (a missing cluster is one more), and
// the number of clusters; nil without clusters.
func unitsOf(s *pipeline.Store) (units []int, n int) {
	if s.Cluster == nil {
		return nil, 0
	}
	return codes(s.Cluster), len(s.Cluster.Levels) + 1
}

// influence is one outcome's influence values in a layout: as float32
// (half the memory of float64, for a national panel holds 130 million
// person-weeks, and more than enough precision for the correlations the
// band needs), or, for a binary outcome in a layout with cells, exactly, as
// the outcome's bits and each cell's two values.
type influence struct {
	layout *influenceLayout
	values []float32
	has    []bool // week → has values (an estimate with a positive SE)
	// bits holds, week by week and cell by cell, a bit per person at risk
	// (by rank): the outcome is 1. psi holds the values of an outcome of 0
	// and of 1 at (week·cells + cell)·2 + outcome.
	bits []uint64
	psi  []float64
}

// new makes room for an outcome's values: bits when the outcome is binary
// and the layout has cells.
func (l *influenceLayout) new(binary bool) influence {
	f := influence{layout: l, has: make([]bool, l.weeks)}
	if c := l.cells; binary && c != nil {
		f.bits, f.psi = make([]uint64, c.word[len(c.atRisk)]), make([]float64, 2*len(c.atRisk))
	} else {
		f.values = make([]float32, l.start[l.weeks])
	}
	return f
}

// set stores week w's (w = k − from) influence values infl of the persons
// at risk, summed by unit; y is the outcome they were estimated from.
func (f *influence) set(w int, y, infl []float64) {
	l := f.layout
	f.has[w] = true
	if f.bits != nil {
		f.setBits(w, y, infl)
		return
	}
	col := f.values[l.start[w]:l.start[w+1]]
	if l.unitOf == nil {
		for j, v := range infl {
			col[j] = float32(v)
		}
		return
	}
	sums := make([]float64, len(col))
	for j, v := range infl {
		sums[l.unitOf[j]] += v
	}
	for u, v := range sums {
		col[u] = float32(v)
	}
}

// setBits stores a binary outcome's week: each person's bit, and the two
// values of each cell. It panics if y is not binary or two persons of a
// cell with the same outcome have different values: then the estimator is
// not one a cell layout serves.
func (f *influence) setBits(w int, y, infl []float64) {
	c := f.layout.cells
	base := w * c.cells
	psi := f.psi[2*base : 2*(base+c.cells)]
	for i := range psi {
		psi[i] = math.NaN() // not seen yet
	}
	words, word := f.bits, c.word[base:base+c.cells]
	// One pass, with branches only on what is the same for (nearly) every
	// person, not on the outcome or the cell.
	for j, v := range infl {
		// The bits of 0 or 1 (±0 alike): integer work only, for a
		// conversion to float and back would chain the persons.
		bits := math.Float64bits(y[j]) &^ (1 << 63)
		one := int(bits>>52) & 1
		if bits != uint64(one)*math.Float64bits(1) {
			panic("analysis: a binary outcome's value is neither 0 nor 1")
		}
		g := int(c.cellOf[j])
		if p := &psi[2*g+one]; *p != v {
			if !math.IsNaN(*p) {
				panic("analysis: influence values differ within a cell")
			}
			*p = v
		}
		r := uint32(c.rank[j])
		words[word[g]+int(r/64)] |= uint64(one) << (r % 64)
	}
	for i, p := range psi {
		if math.IsNaN(p) {
			psi[i] = 0 // no person: a value that counts nothing
		}
	}
}

// covariancePieces is how many ranges of units the covariance is summed in:
// fixed, not the number of cores, so that the sums, and the band, are the
// same on every machine.
const covariancePieces = 16

// covarianceBlock is how many units' values are gathered at a time from the
// weekly columns into rows of their own, which the outer products read.
const covarianceBlock = 64

// covariance is Σ_u ψ_u ψ_uᵀ over the units (weeks × weeks), summed unit by
// unit in covariancePieces ranges of units on every core.
func (f *influence) covariance() *mat.SymDense {
	if f.bits != nil {
		return f.binaryCovariance()
	}
	l := f.layout
	w := l.weeks
	units := l.count
	parts := make([][]float64, covariancePieces)
	parallelEach(covariancePieces, func(p int) {
		c := make([]float64, w*w)
		rows := make([]float64, covarianceBlock*w) // unit i of the block: rows[i*w : i*w+weeks[i]]
		weeks := make([]int, covarianceBlock)
		hi := units * (p + 1) / covariancePieces
		for u0 := units * p / covariancePieces; u0 < hi; u0 += covarianceBlock {
			block := min(covarianceBlock, hi-u0)
			clear(weeks[:block])
			for k := range w {
				m := min(l.units[k]-u0, block) // the block's units with values in week k: a prefix
				if m <= 0 {
					break
				}
				for i, x := range f.values[l.start[k]+u0 : l.start[k]+u0+m] {
					rows[i*w+k] = float64(x)
					weeks[i] = k + 1
				}
			}
			for i := range block {
				v := rows[i*w : i*w+weeks[i]]
				for a, va := range v {
					if va != 0 {
						floats.AddScaled(c[a*w+a:a*w+len(v)], va, v[a:])
					}
				}
			}
		}
		parts[p] = c
	})
	cov := mat.NewSymDense(w, nil)
	for a := range w {
		for b := a; b < w; b++ {
			sum := 0.0
			for _, c := range parts {
				sum += c[a*w+b]
			}
			cov.SetSym(a, b, sum)
		}
	}
	return cov
}

// binaryCovariance is covariance for values kept as bits. Within a cell
// the values in weeks a ≤ b are ψ₀ or ψ₁ by the outcome, so the sum over
// the cell's persons at risk in both (those at risk in week b) is
//
//	n₁₁ψ₁(a)ψ₁(b) + n₁₀ψ₁(a)ψ₀(b) + n₀₁ψ₀(a)ψ₁(b) + n₀₀ψ₀(a)ψ₀(b),
//
// where n_yz counts the persons with outcome y in week a and z in week b:
// popcounts of the weeks' bits, 64 persons a word.
func (f *influence) binaryCovariance() *mat.SymDense {
	l, c := f.layout, f.layout.cells
	weeks, cells := l.weeks, c.cells
	ones := make([]int, len(c.atRisk)) // week·cells + cell → persons with outcome 1
	for i := range ones {
		for _, x := range f.bits[c.word[i]:c.word[i+1]] {
			ones[i] += bits.OnesCount64(x)
		}
	}
	cov := mat.NewSymDense(weeks, nil)
	parallelEach(weeks, func(a int) {
		for b := a; b < weeks && f.has[a]; b++ {
			if !f.has[b] {
				continue
			}
			sum := 0.0
			for g := range cells {
				ia, ib := a*cells+g, b*cells+g
				n := int(c.atRisk[ib]) // at risk in week b: the first n at risk in week a
				ya, yb := f.bits[c.word[ia]:c.word[ia+1]], f.bits[c.word[ib]:c.word[ib+1]]
				both, inA := 0, 0 // of the n: outcome 1 in both weeks; in week a
				for k := range n / 64 {
					both += bits.OnesCount64(ya[k] & yb[k])
					inA += bits.OnesCount64(ya[k])
				}
				if r := n % 64; r > 0 {
					k := n / 64
					both += bits.OnesCount64(ya[k] & yb[k])
					inA += bits.OnesCount64(ya[k] & (1<<r - 1))
				}
				inB := ones[ib]
				p, q := f.psi[2*ia:2*ia+2], f.psi[2*ib:2*ib+2]
				sum += float64(both)*p[1]*q[1] + float64(inA-both)*p[1]*q[0] +
					float64(inB-both)*p[0]*q[1] + float64(n-inA-inB+both)*p[0]*q[0]
			}
			cov.SetSym(a, b, sum)
		}
	})
	return cov
}
