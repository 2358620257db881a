package stats

import (
	"math"
	"slices"
	"sort"
)

// RandomizationPValue is the two-sided randomisation-inference p-value of an
// observed statistic t against the statistics of R re-drawn assignments,
//
//	p = (1 + #{r : |t*ᵣ| ≥ |t|}) / (1 + R),
//
// which counts the observed assignment among the draws, so that p is never
// 0 and the test is exact at any R (Phipson & Smyth 2010, "Permutation
// p-values should never be zero", Stat. Appl. Genet. Mol. Biol. 9(1)), with
// its Monte Carlo standard error √(p(1−p)/R). A NaN draw (a statistic that
// could not be computed) counts as not exceeding. When the draws enumerate
// every possible assignment, use ExactPValue instead. It panics if there are
// no draws.
func RandomizationPValue(t float64, draws []float64) (p, mcse float64) {
	if len(draws) == 0 {
		panic("stats: RandomizationPValue: no draws")
	}
	if math.IsNaN(t) {
		return math.NaN(), math.NaN()
	}
	r := float64(len(draws))
	p = (1 + float64(exceeding(t, draws))) / (1 + r)
	return p, math.Sqrt(p * (1 - p) / r)
}

// ExactPValue is the exact randomisation p-value when draws hold the
// statistic under every possible assignment, the observed one included:
// #{|t*| ≥ |t|} / #draws, as R coin's distribution = "exact" and ri2's
// conduct_ri give for a complete enumeration. It panics if there are no
// draws.
func ExactPValue(t float64, draws []float64) float64 {
	if len(draws) == 0 {
		panic("stats: ExactPValue: no draws")
	}
	if math.IsNaN(t) {
		return math.NaN()
	}
	return float64(exceeding(t, draws)) / float64(len(draws))
}

// exceeding counts the draws with |t*| ≥ |t|, allowing for rounding: two
// assignments that give the same statistic in exact arithmetic may differ in
// the last bits of a float64, and must count alike.
func exceeding(t float64, draws []float64) int {
	limit := math.Abs(t) * (1 - 1e-12)
	n := 0
	for _, d := range draws {
		if math.Abs(d) >= limit {
			n++
		}
	}
	return n
}

// WestfallYoung returns step-down adjusted p-values for a family of m
// hypotheses from the same R re-drawn assignments: observed[j] is
// hypothesis j's statistic, and draws[r][j] its statistic under draw r.
// It is the max-T step-down of Westfall & Young (1993), Resampling-Based
// Multiple Testing, algorithm 2.8: order the hypotheses by |observed|,
// largest first (j₁, …, jₘ); for each draw take the successive maxima
// uᵣ,ₛ = max_{s' ≥ s} |draws[r][j_s']|; then
//
//	p̃_{j_s} = (1 + #{r : uᵣ,ₛ ≥ |observed[j_s]|}) / (1 + R),
//
// made monotone: p̃_{j_s} = max(p̃_{j_s}, p̃_{j_{s−1}}). It controls the
// familywise error rate strongly under subset pivotality and, unlike Holm,
// uses the correlation of the statistics (here: the same persons across
// weeks and outcomes). A NaN statistic is left out of the family (its
// adjusted p-value is NaN). It panics if a draw's length differs from
// observed's.
//
// When exact is set, draws hold every possible assignment, the observed one
// among them, and the counts are divided by R instead: p̃ = #{…}/R.
func WestfallYoung(observed []float64, draws [][]float64, exact bool) []float64 {
	m := len(observed)
	adj := make([]float64, m)
	var order []int
	for j, t := range observed {
		if math.IsNaN(t) {
			adj[j] = math.NaN()
			continue
		}
		order = append(order, j)
	}
	sort.SliceStable(order, func(a, b int) bool { return math.Abs(observed[order[a]]) > math.Abs(observed[order[b]]) })
	counts := make([]int, len(order))
	u := make([]float64, len(order))
	for _, d := range draws {
		if len(d) != m {
			panic("stats: WestfallYoung: a draw's length differs from observed's")
		}
		running := 0.0
		for s := len(order) - 1; s >= 0; s-- {
			if v := math.Abs(d[order[s]]); v > running { // NaN never is
				running = v
			}
			u[s] = running
		}
		for s, j := range order {
			if u[s] >= math.Abs(observed[j])*(1-1e-12) {
				counts[s]++
			}
		}
	}
	prev := 0.0
	for s, j := range order {
		p := (1 + float64(counts[s])) / (1 + float64(len(draws)))
		if exact {
			p = float64(counts[s]) / float64(len(draws))
		}
		prev = max(prev, p)
		adj[j] = prev
	}
	return adj
}

// Holm returns Holm's (1979) step-down adjusted p-values, which control the
// familywise error rate under any dependence: with the p-values sorted
// ascending p₍₁₎ ≤ … ≤ p₍ₘ₎, p̃₍ᵢ₎ = max_{i' ≤ i} min(1, (m − i' + 1)·p₍ᵢ'₎);
// R p.adjust(p, "holm"). NaN p-values are left out of the family.
func Holm(p []float64) []float64 {
	order, adj := ranked(p)
	m := float64(len(order))
	prev := 0.0
	for i, j := range order {
		prev = max(prev, math.Min(1, (m-float64(i))*p[j]))
		adj[j] = prev
	}
	return adj
}

// SharpenedQValues returns the sharpened q-values of Benjamini, Krieger &
// Yekutieli (2006), "Adaptive linear step-up procedures that control the
// false discovery rate", Biometrika 93(3), as computed by Anderson (2008,
// JASA 103(484), appendix): the q-value of a hypothesis is the smallest
// level q at which the two-stage procedure rejects it. For q on a grid of
// steps of 0.001 from 1 down to 0.001: stage one runs Benjamini–Hochberg
// at q′ = q/(1+q) and counts the rejections r; stage two runs it again at
// q′·m/(m − r) and every hypothesis it rejects gets q-value q. NaN p-values
// are left out of the family.
func SharpenedQValues(p []float64) []float64 {
	order, q := ranked(p)
	m := len(order)
	sorted := make([]float64, m)
	for i, j := range order {
		sorted[i] = p[j]
		q[j] = 1
	}
	// bh is the number of hypotheses Benjamini–Hochberg rejects at level a.
	bh := func(a float64) int {
		for i := m - 1; i >= 0; i-- {
			if sorted[i] <= float64(i+1)/float64(m)*a {
				return i + 1
			}
		}
		return 0
	}
	for step := 1000; step >= 1; step-- {
		level := float64(step) / 1000
		q1 := level / (1 + level)
		k := m // all rejected in stage one: none is null, stage two rejects all (as Anderson's code does)
		if r := bh(q1); r < m {
			k = bh(q1 * float64(m) / float64(m-r))
		}
		for i := range k {
			q[order[i]] = level
		}
	}
	return q
}

// ranked returns the indices of the non-NaN p-values in ascending order of
// p (ties in index order) and a result slice with NaN where p is NaN.
func ranked(p []float64) (order []int, out []float64) {
	out = make([]float64, len(p))
	for j, v := range p {
		if math.IsNaN(v) {
			out[j] = math.NaN()
			continue
		}
		order = append(order, j)
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	return order, out
}
