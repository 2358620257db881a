package analysis

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

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
		f := l.new()
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
			at := 0
			for at < n && follow[at] > k {
				at++
			}
			infl := make([]float64, at)
			for j := range infl {
				infl[j] = rng.NormFloat64()
				u := j
				if clustered {
					u = units[j]
				}
				naive[u][k-from] += infl[j]
			}
			f.set(k-from, infl)
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

// BenchmarkInfluenceCovariance: the band's covariance for one outcome of
// 100 000 persons followed 1 to 104 weeks.
func BenchmarkInfluenceCovariance(b *testing.B) {
	const n, weeks = 100_000, 104
	follow := make([]int, n)
	for j := range follow {
		follow[j] = weeks - weeks*j/n
	}
	s := &pipeline.Store{N: n, FollowUp: follow, Weeks: weeks}
	f := newInfluenceLayout(s, 0, weeks, n).new()
	rng := rand.New(rand.NewPCG(1, 2))
	for k := range weeks {
		infl := make([]float64, f.layout.units[k])
		for j := range infl {
			infl[j] = rng.NormFloat64()
		}
		f.set(k, infl)
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
