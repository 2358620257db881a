package stats

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ErrTooFew is returned when an arm has fewer than two observations, so that
// its variance, and with it the standard error, is undefined.
var ErrTooFew = errors.New("stats: fewer than two observations in an arm")

// Estimate is one estimated effect with its uncertainty.
type Estimate struct {
	NTreatment, NControl       int
	MeanTreatment, MeanControl float64
	Estimate                   float64 // difference in means, treatment − control (RobustOLS: the coefficient)
	SE                         float64
	DF                         float64
	CILow, CIHigh              float64
	PValue                     float64 // two-sided
}

// DifferenceInMeans estimates the average treatment effect under complete
// randomisation as the difference of the arm means, ȳₜ − ȳ꜀, with the
// Neyman (conservative) standard error
//
//	SE = √(s²ₜ/nₜ + s²꜀/n꜀),
//
// s² the sample variances (divisor n−1), Welch–Satterthwaite degrees of freedom
//
//	df = SE⁴ / ((s²ₜ/nₜ)²/(nₜ−1) + (s²꜀/n꜀)²/(n꜀−1)),
//
// a t-based confidence interval at the given level (e.g. 0.95) and a
// two-sided t p-value. See Imbens & Rubin (2015), ch. 6; it equals R
// estimatr::difference_in_means(y ~ z) without blocks or clusters.
//
// When both variances are zero the SE is 0 and df, CI and p-value are NaN, as
// in estimatr; a NaN or infinite y makes the whole estimate NaN. It returns
// ErrTooFew when an arm has fewer than 2 observations. It panics if the
// slices differ in length or level is not in (0, 1).
func DifferenceInMeans(y []float64, treated []bool, level float64) (Estimate, error) {
	if len(y) != len(treated) {
		panic("stats: DifferenceInMeans: y and treated differ in length")
	}
	checkLevel(level)
	// Two passes over y, each arm's sums at once, instead of copying the
	// arms: the weekly analysis calls this for every outcome and week of
	// panels of a million persons. Each sum has its own variable and takes
	// v·1 or v·0, not a branch on the arm (unpredictable under random
	// assignment): adding ±0 leaves a sum as it was, so the sums are those
	// of the arms' own values in order. The variances are stat.MeanVariance's
	// corrected two-pass sums.
	var n1, sum0, sum1 float64
	for i, v := range y {
		t := b2f(treated[i])
		n1 += t
		sum1 += v * t
		sum0 += v * (1 - t)
	}
	n := [2]float64{float64(len(y)) - n1, n1}
	e := Estimate{NTreatment: int(n[1]), NControl: int(n[0])}
	if n[0] < 2 || n[1] < 2 {
		return e, ErrTooFew
	}
	mean := [2]float64{sum0 / n[0], sum1 / n[1]}
	var ss0, ss1, comp0, comp1 float64
	for i, v := range y {
		t := b2f(treated[i])
		d := v - mean[boolIndex(treated[i])]
		ss1 += d * d * t
		ss0 += d * d * (1 - t)
		comp1 += d * t
		comp0 += d * (1 - t)
	}
	ss, comp := [2]float64{ss0, ss1}, [2]float64{comp0, comp1}
	var variance [2]float64
	for a := range 2 {
		variance[a] = (ss[a] - comp[a]*comp[a]/n[a]) / (n[a] - 1)
	}
	return welchFrom(e, mean[1], variance[1], mean[0], variance[0], level), nil
}

// NeymanInfluence writes into dst the influence values of e, the
// difference in means of y by arm (DifferenceInMeans(y, treated, ·)):
// ψᵢ = (yᵢ − ȳₜ)/√(nₜ(nₜ−1)) for a treated unit and −(yᵢ − ȳ꜀)/√(n꜀(n꜀−1))
// for a control, so that Σψᵢ² = s²ₜ/nₜ + s²꜀/n꜀, the Neyman variance of
// DifferenceInMeans, and Σψᵢ(a)ψᵢ(b) over the units of two outcomes
// estimates the covariance of their estimates. The arms' means and sizes
// are e's. It panics if the slices differ in length or an arm has fewer
// than two units.
func NeymanInfluence(e Estimate, y []float64, treated []bool, dst []float64) {
	if len(y) != len(treated) || len(dst) != len(y) {
		panic("stats: NeymanInfluence: slices differ in length")
	}
	if e.NControl < 2 || e.NTreatment < 2 || e.NControl+e.NTreatment != len(y) {
		panic("stats: NeymanInfluence: fewer than two units in an arm, or not y's estimate")
	}
	// The mean and scale of each arm once, not per unit; a control's scale
	// carries its sign, so that the loop has no branch on the arm (which a
	// random assignment makes unpredictable). x/(−d) = −(x/d) exactly.
	n := [2]float64{float64(e.NControl), float64(e.NTreatment)}
	mean := [2]float64{e.MeanControl, e.MeanTreatment}
	var scale [2]float64
	for a := range 2 {
		scale[a] = math.Sqrt(n[a] * (n[a] - 1))
	}
	scale[0] = -scale[0]
	for i, v := range y {
		a := boolIndex(treated[i])
		dst[i] = (v - mean[a]) / scale[a]
	}
}

// WelchTest compares the means of two samples x (treatment) and y (control)
// without assuming equal variances: the same estimate, SE, df, interval and
// p-value as DifferenceInMeans (Welch 1947; R t.test(var.equal = FALSE)).
func WelchTest(x, y []float64, level float64) (Estimate, error) {
	checkLevel(level)
	return welch(x, y, level)
}

func welch(t, c []float64, level float64) (Estimate, error) {
	e := Estimate{NTreatment: len(t), NControl: len(c)}
	if len(t) < 2 || len(c) < 2 {
		return e, ErrTooFew
	}
	mt, vt := stat.MeanVariance(t, nil)
	mc, vc := stat.MeanVariance(c, nil)
	return welchFrom(e, mt, vt, mc, vc, level), nil
}

// welchFrom completes e (with its arm sizes) from the arms' means and
// variances: the difference, the Neyman SE and the Welch df.
func welchFrom(e Estimate, mt, vt, mc, vc, level float64) Estimate {
	e.MeanTreatment, e.MeanControl = mt, mc
	e.Estimate = mt - mc
	at, ac := vt/float64(e.NTreatment), vc/float64(e.NControl)
	e.SE = math.Sqrt(at + ac)
	e.DF = (at + ac) * (at + ac) / (at*at/float64(e.NTreatment-1) + ac*ac/float64(e.NControl-1))
	e.CILow, e.CIHigh, e.PValue = tInference(e.Estimate, e.SE, e.DF, level)
	return e
}

// tInference returns the t-based confidence interval est ± t₍₁₊level₎⸝₂,df·se
// and the two-sided p-value 2·P(T_df > |est/se|). A zero se or undefined df
// gives NaN for all three.
func tInference(est, se, df, level float64) (lo, hi, p float64) {
	if se == 0 || math.IsNaN(df) || df <= 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	q := dist.Quantile(0.5 + level/2)
	p = 2 * dist.Survival(math.Abs(est/se))
	return est - q*se, est + q*se, p
}

func checkLevel(level float64) {
	if !(level > 0 && level < 1) {
		panic("stats: confidence level must be in (0, 1)")
	}
}
