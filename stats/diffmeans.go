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
	Estimate                   float64 // difference in means, treatment − control
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
// in estimatr. It returns ErrTooFew when an arm has fewer than 2 observations.
// It panics if the slices differ in length or level is not in (0, 1).
func DifferenceInMeans(y []float64, treated []bool, level float64) (Estimate, error) {
	if len(y) != len(treated) {
		panic("stats: DifferenceInMeans: y and treated differ in length")
	}
	checkLevel(level)
	var t, c []float64
	for i, v := range y {
		if treated[i] {
			t = append(t, v)
		} else {
			c = append(c, v)
		}
	}
	return welch(t, c, level)
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
	var vt, vc float64
	e.MeanTreatment, vt = stat.MeanVariance(t, nil)
	e.MeanControl, vc = stat.MeanVariance(c, nil)
	e.Estimate = e.MeanTreatment - e.MeanControl
	at, ac := vt/float64(len(t)), vc/float64(len(c))
	e.SE = math.Sqrt(at + ac)
	e.DF = (at + ac) * (at + ac) / (at*at/float64(len(t)-1) + ac*ac/float64(len(c)-1))
	e.CILow, e.CIHigh, e.PValue = tInference(e.Estimate, e.SE, e.DF, level)
	return e, nil
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
