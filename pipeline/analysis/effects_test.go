package analysis

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline"
)

// The covariance of the weekly estimates from the stored influence values
// equals Σᵤ ψᵤψᵤᵀ summed naively, for persons with staggered follow-up and
// for clusters, over more units than one gathering block holds.
func TestInfluenceCovarianceNaively(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 2500           // more than covariancePieces × covarianceBlock
	follow := make([]int, n) // non-increasing, as the store orders persons
	for j := range follow {
		follow[j] = 9 - 10*j/n
	}
	teams := make([]string, n)
	for j := range teams {
		teams[j] = string(rune('a' + rng.IntN(26)))
	}
	for _, clustered := range []bool{false, true} {
		s := &pipeline.Store{N: n, FollowUp: follow, Weeks: follow[0]}
		if clustered {
			c := categoricalOf("team", teams)
			s.Cluster = &c
		}
		from, to := 2, 8
		l := newInfluenceLayout(s, from, to, n)
		f := l.new(false)
		units, nUnits := unitsOf(s)
		if !clustered {
			nUnits = n
		}
		naive := make([][]float64, nUnits) // unit → its value in each week
		for u := range naive {
			naive[u] = make([]float64, to-from)
		}
		for k := from; k < to; k++ {
			if k == 5 {
				continue // a week without an estimate has no values
			}
			at := atRiskIn(follow, k)
			infl := make([]float64, at)
			for j := range infl {
				infl[j] = rng.NormFloat64()
				u := j
				if clustered {
					u = units[j]
				}
				naive[u][k-from] += infl[j]
			}
			f.set(k-from, nil, infl)
		}
		cov := f.covariance()
		for a := range to - from {
			for b := range to - from {
				want := 0.0
				for u := range naive {
					want += float64(float32(naive[u][a])) * float64(float32(naive[u][b]))
				}
				assert.InDelta(t, want, cov.At(a, b), 1e-9, "clustered %v, weeks %d and %d", clustered, a, b)
			}
		}
	}
}

// atRiskIn is how many persons of a non-increasing follow-up are at risk
// in week k.
func atRiskIn(follow []int, k int) int {
	at := 0
	for at < len(follow) && follow[at] > k {
		at++
	}
	return at
}

// For the difference in means, plain or blocked, the covariance from
// values kept by cell equals Σᵤψᵤψᵤᵀ of the estimator's own influence
// values summed naively, to rounding: for a binary outcome (bits), for
// hours mostly 0 (differences from the cells' bases, with a block that has
// no person at 0 in some weeks) and for hours mostly positive (which turn
// to float32 values, so to float32's precision); with staggered follow-up
// (cells' persons at risk ending inside a word of bits), a week without an
// estimate, and a small block dropped in late weeks.
func TestCellCovarianceNaively(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n, from, to = 3000, 1, 9
	follow := make([]int, n) // non-increasing, as the store orders persons
	treated := make([]bool, n)
	blocks := make([]int, n)
	propensity := make([]float64, n) // makes a person's weeks correlated
	for j := range follow {
		follow[j] = 10 - 10*j/n
		treated[j] = rng.IntN(2) == 1
		blocks[j] = rng.IntN(6)
		propensity[j] = rng.Float64()
	}
	for _, j := range []int{5, 900, 1700, 2990} { // block 6: too small in the late weeks
		blocks[j] = 6
	}
	outcomes := []struct {
		name      string
		binary    bool
		value     func(j, k int) float64
		tolerance float64 // relative to Σ|ψψ|
		kept      func(f *influence) bool
	}{
		{"binary", true, func(j, k int) float64 {
			return float64(b2i(propensity[j]+0.3*rng.Float64() > 0.6+0.05*float64(k)))
		}, 1e-12, func(f *influence) bool { return f.bits != nil }},
		{"hours mostly 0", false, func(j, k int) float64 {
			if blocks[j] == 6 && k < 5 || propensity[j]+0.3*rng.Float64() > 1.1 {
				return math.Round(100*(10+30*rng.Float64())) / 100
			}
			return 0
		}, 1e-12, func(f *influence) bool { return f.base != nil }},
		{"hours mostly positive", false, func(j, k int) float64 {
			return float64(rng.IntN(40))
		}, 1e-6, func(f *influence) bool { return f.values != nil && f.base == nil }},
	}
	for _, o := range outcomes {
		for _, d := range []*design{{estimator: Plain}, {estimator: Blocked, blocks: blocks, nBlocks: 7}} {
			s := &pipeline.Store{N: n, FollowUp: follow, Weeks: follow[0], Treated: treated}
			l := newInfluenceLayout(s, from, to, n)
			l.withCells(d.influenceCells(treated))
			f := l.new(o.binary)
			naive := make([][]float64, n) // person → its value in each week
			for j := range naive {
				naive[j] = make([]float64, to-from)
			}
			for k := from; k < to; k++ {
				if k == 4 {
					continue // a week without an estimate has no values
				}
				at := atRiskIn(follow, k)
				y, infl := make([]float64, at), make([]float64, at)
				for j := range y {
					y[j] = o.value(j, k)
				}
				_, _, err := d.estimate(nil, y, treated[:at], 0.95, infl)
				require.NoError(t, err)
				for j, v := range infl {
					naive[j][k-from] = v
				}
				f.set(k-from, y, infl)
			}
			assert.True(t, o.kept(&f), "%s, %s: kept as expected", o.name, d.estimator)
			cov := f.covariance()
			for a := range to - from {
				for b := range to - from {
					want, scale := 0.0, 0.0
					for _, v := range naive {
						want += v[a] * v[b]
						scale += math.Abs(v[a] * v[b])
					}
					assert.InDelta(t, want, cov.At(a, b), o.tolerance*scale, "%s, %s, weeks %d and %d", o.name, d.estimator, a, b)
				}
			}
			if f.values == nil {
				y, infl := make([]float64, 40), make([]float64, 40) // two of them share a cell
				for j := range y {
					y[j], infl[j] = float64(1-b2i(f.base != nil)), float64(j)
				}
				assert.Panics(t, func() { f.set(0, y, infl) }, "values must not differ within a cell")
			}
		}
	}
}

// BenchmarkInfluenceCovariance: the band's covariance for one outcome of
// 100 000 persons followed 1 to 104 weeks.
func BenchmarkInfluenceCovariance(b *testing.B) {
	const n, weeks = 100_000, 104
	follow := make([]int, n)
	for j := range follow {
		follow[j] = weeks - weeks*j/n
	}
	s := &pipeline.Store{N: n, FollowUp: follow, Weeks: weeks}
	f := newInfluenceLayout(s, 0, weeks, n).new(false)
	rng := rand.New(rand.NewPCG(1, 2))
	for k := range weeks {
		infl := make([]float64, f.layout.units[k])
		for j := range infl {
			infl[j] = rng.NormFloat64()
		}
		f.set(k, nil, infl)
	}
	for b.Loop() {
		f.covariance()
	}
}

// Designs prepared ahead come in week order, with or without lookahead,
// and a panic while preparing one is raised where that week is asked for.
func TestDesignsAhead(t *testing.T) {
	for _, ahead := range []int{0, 1, 3} {
		next := designsAhead(4, 9, ahead, func(k int) *weekDesign {
			if k == 7 {
				panic("week 7")
			}
			return &weekDesign{x: [][]float64{{float64(k)}}} // the week, to check the order
		})
		for k := 4; k < 7; k++ {
			assert.Equal(t, float64(k), next().x[0][0], "lookahead %d", ahead)
		}
		assert.PanicsWithValue(t, "week 7", func() { next() }, "lookahead %d", ahead)
	}
}

// BenchmarkSetBits: storing a binary outcome's week of 100 000 persons
// (a quarter with the outcome) by cell.
func BenchmarkSetBits(b *testing.B) {
	const n = 100_000
	rng := rand.New(rand.NewPCG(1, 2))
	follow, treated := make([]int, n), make([]bool, n)
	y, infl := make([]float64, n), make([]float64, n)
	for j := range follow {
		follow[j], treated[j] = 1, rng.IntN(2) == 1
		if rng.IntN(4) == 0 {
			y[j] = 1
		}
	}
	d := &design{estimator: Plain}
	s := &pipeline.Store{N: n, FollowUp: follow, Weeks: 1, Treated: treated}
	l := newInfluenceLayout(s, 0, 1, n)
	l.withCells(d.influenceCells(treated))
	f := l.new(true)
	if _, _, err := d.estimate(nil, y, treated, 0.95, infl); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		f.set(0, y, infl)
	}
}
