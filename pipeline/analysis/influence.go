package analysis

import (
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

// influence is one outcome's influence values in a layout, as float32:
// half the memory of float64 (a national panel holds 130 million
// person-weeks), and more than enough precision for the correlations the
// band needs.
type influence struct {
	layout *influenceLayout
	values []float32
	has    []bool // week → has values (an estimate with a positive SE)
}

func (l *influenceLayout) new() influence {
	return influence{layout: l, values: make([]float32, l.start[l.weeks]), has: make([]bool, l.weeks)}
}

// set stores week w's (w = k − from) influence values of the persons at
// risk, summed by unit.
func (f *influence) set(w int, infl []float64) {
	l := f.layout
	f.has[w] = true
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
