package stats

import "math"

// ArmSums are the sufficient statistics of one arm in one block for a
// difference in means: the number of units, the sum of their values and
// the sum of squares. The values may be shifted by any constant common to
// both arms of a block (shifting by about their mean keeps the variance
// free of cancellation).
type ArmSums struct {
	N, Sum, SumSq float64
}

// Add adds a value.
func (s *ArmSums) Add(y float64) {
	s.N++
	s.Sum += y
	s.SumSq += y * y
}

// variance is the sample variance (divisor n−1) of the arm's values.
func (s ArmSums) variance() float64 {
	m := s.Sum / s.N
	return max(0, (s.SumSq-s.Sum*m)/(s.N-1))
}

// BlockedFromSums returns the blocked difference in means and its standard
// error from per-block sums of the two arms, by the formulas of
// BlockedDifferenceInMeans (J = 1: DifferenceInMeans, the Neyman SE):
//
//	τ̂ = Σⱼ (Nⱼ/N) τ̂ⱼ,  SE² = Σⱼ (Nⱼ/N)² (s²ₜⱼ/nₜⱼ + s²꜀ⱼ/n꜀ⱼ),
//
// over the blocks with at least two units in each arm (N the units in
// those blocks); used blocks is their number. It is the fast path of
// randomisation inference, which recomputes the statistic for thousands of
// re-drawn assignments from sums alone. With no block usable it returns
// NaN. It panics if the slices differ in length.
func BlockedFromSums(treated, control []ArmSums) (est, se float64, used int) {
	if len(treated) != len(control) {
		panic("stats: BlockedFromSums: treated and control differ in length")
	}
	var n float64
	for j := range treated {
		if treated[j].N >= 2 && control[j].N >= 2 {
			n += treated[j].N + control[j].N
			used++
		}
	}
	if used == 0 {
		return math.NaN(), math.NaN(), 0
	}
	var v float64
	for j := range treated {
		t, c := treated[j], control[j]
		if t.N < 2 || c.N < 2 {
			continue
		}
		w := (t.N + c.N) / n
		est += w * (t.Sum/t.N - c.Sum/c.N)
		v += w * w * (t.variance()/t.N + c.variance()/c.N)
	}
	return est, math.Sqrt(v), used
}
