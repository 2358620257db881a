package analysis

import (
	"math"
	"math/bits"
	"slices"

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
	count  int         // units
	units  []int       // week → units with values that week; never increasing
	start  []int       // week → start of its values; len weeks+1
	unitOf []int       // person → unit; nil: the person is the unit
	cells  *cellLayout // nil unless withCells
}

// cellLayout serves an estimator whose influence values within a cell of
// persons (an arm, or an arm within a block) depend only on the outcome:
// the difference in means, plain or blocked. A binary outcome's values in
// a week are then two numbers per cell and a bit per person, and the
// band's covariance becomes counts of persons (see binaryCovariance);
// another outcome's, a number per cell and the differences from it of the
// few persons with an outcome other than 0 (see deltaCovariance).
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

// influence is one outcome's influence values in a layout, kept in one of
// three ways:
//
//   - as float32 (half the memory of float64, for a national panel holds
//     130 million person-weeks, and more than enough precision for the
//     correlations the band needs);
//   - in a layout with cells, for a binary outcome, exactly, as the
//     outcome's bits and each cell's two values;
//   - in a layout with cells, for another outcome, exactly, as each cell's
//     value for an outcome of 0 and, for the persons with another outcome,
//     the difference from it: hours are 0 for most persons in most weeks
//     of a trial of the unemployed. When more than a third of the
//     person-weeks have a difference, the values become float32 instead, so
//     they never take more memory than that.
type influence struct {
	layout *influenceLayout
	values []float32
	has    []bool // week → has values (an estimate with a positive SE)
	// bits holds, week by week and cell by cell, a bit per person at risk
	// (by rank): the outcome is 1. psi holds the values of an outcome of 0
	// and of 1 at (week·cells + cell)·2 + outcome.
	bits []uint64
	psi  []float64
	// base holds the value of an outcome of 0 at week·cells + cell; who
	// and delta, week by week (span[2w] to span[2w+1]) in store order, the
	// persons whose value differs from their cell's base, and by how much.
	base  []float64
	span  []int
	who   []int32
	delta []float64
}

// new makes room for an outcome's values: bits or bases when the layout
// has cells.
func (l *influenceLayout) new(binary bool) influence {
	f := influence{layout: l, has: make([]bool, l.weeks)}
	switch c := l.cells; {
	case c != nil && binary:
		f.bits, f.psi = make([]uint64, c.word[len(c.atRisk)]), make([]float64, 2*len(c.atRisk))
	case c != nil:
		f.base, f.span = make([]float64, len(c.atRisk)), make([]int, 2*l.weeks)
	default:
		f.values = make([]float32, l.start[l.weeks])
	}
	return f
}

// release lets go of the values, keeping which weeks had them.
func (f *influence) release() {
	has := f.has
	*f = influence{layout: f.layout, has: has}
}

// set stores week w's (w = k − from) influence values infl of the persons
// at risk, summed by unit; y is the outcome they were estimated from. Weeks
// are set in increasing order.
func (f *influence) set(w int, y, infl []float64) {
	l := f.layout
	f.has[w] = true
	switch {
	case f.bits != nil:
		f.setBits(w, y, infl)
		return
	case f.base != nil:
		f.setDeltas(w, y, infl)
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
		b := math.Float64bits(y[j]) &^ (1 << 63)
		one := int(b>>52) & 1
		if b != uint64(one)*math.Float64bits(1) {
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

// setDeltas stores a week by its cells' values for an outcome of 0 and the
// other persons' differences from them (all persons of a cell without an
// outcome of 0 differ from a base of 0). It panics if two persons of a cell
// with an outcome of 0 have different values: then the estimator is not
// one a cell layout serves.
func (f *influence) setDeltas(w int, y, infl []float64) {
	c := f.layout.cells
	base := f.base[w*c.cells : (w+1)*c.cells]
	for i := range base {
		base[i] = math.NaN() // not seen yet
	}
	for j, v := range infl {
		if y[j] == 0 {
			base[c.cellOf[j]] = v
		}
	}
	for i, b := range base {
		if math.IsNaN(b) {
			base[i] = 0
		}
	}
	f.span[2*w] = len(f.who)
	for j, v := range infl {
		b := base[c.cellOf[j]]
		if y[j] != 0 {
			f.who, f.delta = append(f.who, int32(j)), append(f.delta, v-b)
		} else if v != b {
			panic("analysis: influence values differ within a cell")
		}
	}
	f.span[2*w+1] = len(f.who)
	if 3*len(f.who) > f.layout.start[w+1] {
		f.densify()
	}
}

// densify turns values kept as bases and differences into float32 values.
func (f *influence) densify() {
	l, c := f.layout, f.layout.cells
	f.values = make([]float32, l.start[l.weeks])
	for w := range l.weeks {
		if !f.has[w] {
			continue
		}
		col, base := f.values[l.start[w]:l.start[w+1]], f.base[w*c.cells:(w+1)*c.cells]
		for j := range col {
			col[j] = float32(base[c.cellOf[j]])
		}
		for e := f.span[2*w]; e < f.span[2*w+1]; e++ {
			j := f.who[e]
			col[j] = float32(base[c.cellOf[j]] + f.delta[e])
		}
	}
	f.base, f.span, f.who, f.delta = nil, nil, nil, nil
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
	switch {
	case f.bits != nil:
		return f.binaryCovariance()
	case f.base != nil:
		return f.deltaCovariance()
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

// deltaCovariance is covariance for values kept as bases and differences.
// Person i of cell g has the value βg(w) + δi(w) in week w (δ = 0 for most),
// so over the persons at risk in weeks a ≤ b (those at risk in b)
//
//	Σ ψ(a)ψ(b) = Σ_g [n_g(b)βg(a)βg(b) + βg(a)Δg(b) + βg(b)Δg(a; b)] + Σᵢ δᵢ(a)δᵢ(b),
//
// where Δg(b) sums the differences of cell g in week b and Δg(a; b) those
// in week a of the persons also at risk in week b. The last sum runs over
// each person's weeks with a difference, person by person.
func (f *influence) deltaCovariance() *mat.SymDense {
	l, c := f.layout, f.layout.cells
	weeks, cells := l.weeks, c.cells
	total := make([]float64, weeks*cells) // Δg(b) at b·cells + g
	for b := range weeks {
		for e := f.span[2*b]; e < f.span[2*b+1]; e++ {
			total[b*cells+int(c.cellOf[f.who[e]])] += f.delta[e]
		}
	}
	cov := mat.NewSymDense(weeks, nil)
	parallelEach(weeks, func(a int) {
		if !f.has[a] {
			return
		}
		running := make([]float64, cells) // Δg(a; b) as b falls
		e, end := f.span[2*a], f.span[2*a+1]
		for b := weeks - 1; b >= a; b-- {
			for ; e < end && int(f.who[e]) < l.units[b]; e++ { // at risk in week b
				running[c.cellOf[f.who[e]]] += f.delta[e]
			}
			if !f.has[b] {
				continue
			}
			sum := 0.0
			for g := range cells {
				p, q := f.base[a*cells+g], f.base[b*cells+g]
				sum += float64(c.atRisk[b*cells+g])*p*q + p*total[b*cells+g] + q*running[g]
			}
			cov.SetSym(a, b, sum)
		}
	})
	// Σᵢ δᵢ(a)δᵢ(b): the differences person by person (in week order), in
	// covariancePieces ranges of persons on every core.
	first := make([]int, l.count+1)
	for _, j := range f.who {
		first[j+1]++
	}
	for j := range l.count {
		first[j+1] += first[j]
	}
	next := slices.Clone(first[:l.count])
	week, delta := make([]int32, len(f.who)), make([]float64, len(f.who))
	for w := range weeks {
		for e := f.span[2*w]; e < f.span[2*w+1]; e++ {
			j := f.who[e]
			week[next[j]], delta[next[j]] = int32(w), f.delta[e]
			next[j]++
		}
	}
	parts := make([][]float64, covariancePieces)
	parallelEach(covariancePieces, func(p int) {
		part := make([]float64, weeks*weeks)
		for j := l.count * p / covariancePieces; j < l.count*(p+1)/covariancePieces; j++ {
			ws, ds := week[first[j]:first[j+1]], delta[first[j]:first[j+1]]
			for x, wa := range ws {
				row := part[int(wa)*weeks:]
				for y := x; y < len(ws); y++ {
					row[ws[y]] += ds[x] * ds[y]
				}
			}
		}
		parts[p] = part
	})
	for a := range weeks {
		for b := a; b < weeks; b++ {
			sum := cov.At(a, b)
			for _, part := range parts {
				sum += part[a*weeks+b]
			}
			cov.SetSym(a, b, sum)
		}
	}
	return cov
}
