package stats

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ErrZeroDenominator is returned by RatioOfMeans when the control mean is
// zero, so that the ratio and its delta-method standard error are undefined.
// The Fieller set is still reported (it is then unbounded or empty).
var ErrZeroDenominator = errors.New("stats: ratio of means: the control mean is zero")

// Ratio is the ratio of two independent samples' means, x̄/ȳ, with three
// confidence sets at one level: the delta method's interval on the natural
// and on the log scale, and Fieller's set.
type Ratio struct {
	NTreatment, NControl       int
	MeanTreatment, MeanControl float64 // x̄ and ȳ
	Level                      float64
	Estimate                   float64 // R = x̄/ȳ
	// SE is the delta-method standard error of R, and [CILow, CIHigh] the
	// normal interval R ± z·SE.
	SE            float64
	CILow, CIHigh float64
	// SELog is the delta-method standard error of log R, and
	// [LogCILow, LogCIHigh] = exp(log R ± z·SELog). All three are NaN unless
	// R > 0.
	SELog               float64
	LogCILow, LogCIHigh float64
	Fieller             FiellerSet
}

// FiellerKind is the shape of a Fieller confidence set.
type FiellerKind int

const (
	// FiellerBounded is the interval [Low, High]: the control mean is
	// significantly non-zero (G < 1).
	FiellerBounded FiellerKind = iota
	// FiellerComplement is (−∞, Low] ∪ [High, ∞), Low < High: the control
	// mean is not significantly non-zero but the treatment mean is (roughly;
	// exactly, the quadratic's discriminant is positive).
	FiellerComplement
	// FiellerEverything is the whole line (−∞, ∞): no ratio is excluded.
	FiellerEverything
	// FiellerAtLeast is the half-line [Low, ∞) and FiellerAtMost (−∞, High]:
	// the boundary case ȳ² = z²vᵧ exactly, with x̄ȳ ≠ 0.
	FiellerAtLeast
	FiellerAtMost
	// FiellerEmpty is the empty set: ȳ = 0 and vᵧ = 0 (a control arm of
	// zeros) while x̄² > z²vₓ, so every finite ratio is excluded.
	FiellerEmpty
)

var fiellerKindNames = [...]string{"bounded", "complement", "everything", "at_least", "at_most", "empty"}

func (k FiellerKind) String() string {
	if k >= 0 && int(k) < len(fiellerKindNames) {
		return fiellerKindNames[k]
	}
	return "FiellerKind(" + strconv.Itoa(int(k)) + ")"
}

// FiellerSet is a Fieller confidence set for a ratio. Low and High are its
// finite endpoints as the Kind says, and NaN where the Kind has none (High
// of FiellerAtLeast, Low of FiellerAtMost, both of FiellerEverything and
// FiellerEmpty). An unbounded set is never two numbers alone: read the Kind.
type FiellerSet struct {
	Kind      FiellerKind
	Low, High float64
	// G is Fieller's g = z²vᵧ/ȳ²: the set is bounded exactly when G < 1
	// (+Inf when ȳ = 0 < vᵧ, NaN when ȳ = vᵧ = 0).
	G float64
}

// String formats the set with 4 significant digits: "[1.469, 2.824]",
// "(−∞, -4.084] ∪ [2.478, ∞)", "[a, ∞)", "(−∞, b]", "(−∞, ∞)" or "∅".
func (s FiellerSet) String() string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
	switch s.Kind {
	case FiellerBounded:
		return "[" + f(s.Low) + ", " + f(s.High) + "]"
	case FiellerComplement:
		return "(−∞, " + f(s.Low) + "] ∪ [" + f(s.High) + ", ∞)"
	case FiellerEverything:
		return "(−∞, ∞)"
	case FiellerAtLeast:
		return "[" + f(s.Low) + ", ∞)"
	case FiellerAtMost:
		return "(−∞, " + f(s.High) + "]"
	case FiellerEmpty:
		return "∅"
	}
	return s.Kind.String()
}

// Contains reports whether ρ lies in the set (endpoints included).
func (s FiellerSet) Contains(rho float64) bool {
	switch s.Kind {
	case FiellerBounded:
		return s.Low <= rho && rho <= s.High
	case FiellerComplement:
		return rho <= s.Low || rho >= s.High
	case FiellerEverything:
		return true
	case FiellerAtLeast:
		return rho >= s.Low
	case FiellerAtMost:
		return rho <= s.High
	}
	return false
}

// RatioOfMeans estimates the ratio of the means of two independent samples,
// x (treatment) and y (control), R = x̄/ȳ, e.g. "treated persons work twice
// as many hours as controls" is R = 2, with each person's cumulative or mean
// hours over a window of weeks as the data. With s² the sample variances
// (divisor n − 1), vₓ = s²ₓ/nₓ, vᵧ = s²ᵧ/nᵧ and z = z₍₁₊level₎⸝₂ the standard
// normal quantile, it reports:
//
//   - the delta-method standard error (independent samples, so no
//     covariance term)
//
//     SE(R) = |R|·√(s²ₓ/(nₓx̄²) + s²ᵧ/(nᵧȳ²)) = √(vₓ + R²vᵧ)/|ȳ|,
//
//     (the second form, used here, also holds at x̄ = 0) and the normal
//     interval R ± z·SE(R);
//
//   - the interval on the log scale, better for a ratio (it respects R > 0
//     and the skewness of R̂): exp(log R ± z·SE(log R)) with
//     SE(log R) = √(vₓ/x̄² + vᵧ/ȳ²) = SE(R)/|R|, defined only when R > 0
//     (NaN otherwise);
//
//   - Fieller's (1954) confidence set, the ratios ρ not rejected by the
//     two-sided z test of μₓ − ρμᵧ = 0,
//
//     {ρ : (x̄ − ρȳ)² ≤ z²(vₓ + ρ²vᵧ)} = {ρ : Aρ² − 2Bρ + C ≤ 0},
//     A = ȳ² − z²vᵧ, B = x̄ȳ, C = x̄² − z²vₓ,
//
//     whose discriminant is B² − AC = z²(vₓA + vᵧx̄²). When A > 0 (ȳ is
//     significantly non-zero, g = z²vᵧ/ȳ² < 1) it is the interval between
//     the roots (B ∓ √(B² − AC))/A; when A < 0 it is the complement of that
//     interval if the discriminant is positive and the whole line otherwise;
//     A = 0 gives a half-line, the whole line or the empty set (see
//     FiellerKind). The roots are computed by the cancellation-free form of
//     the quadratic formula.
//
// All quantiles are normal, not t: a t quantile with Welch degrees of
// freedom would make Fieller's df depend on ρ (no longer a quadratic), and
// for the trial's arm sizes (hundreds) the difference is below 1 %. For arms
// of a few dozen the sets are slightly too narrow. There is no reference
// implementation installed in R (mratios); the golden test
// (testdata/golden/make_ratio.R) computes these formulas explicitly in R.
//
// Hand-worked: x = 2, 4, 6 and y = 1, 2, 3 have means 4 and 2 and variances
// 4 and 1, so R = 2, SE = √(4/3 + 4·1/3)/2 = √(2/3), SE(log R) = √(1/6), and
// the Fieller roots are (8 ∓ (2z/3)√(24 − z²))/(4 − z²/3), [0.7845, 5.099]
// at 95 %.
//
// influence, when not nil, must have len(x) + len(y) elements and receives
// the influence values of R, x's persons first, then y's, in order:
// ψᵢ = (xᵢ − x̄)/(ȳ·√(nₓ(nₓ−1))) for a treated person and
// ψᵢ = −R(yᵢ − ȳ)/(ȳ·√(nᵧ(nᵧ−1))) for a control, so that Σψᵢ² = SE(R)²
// (the n − 1 divisor of NeymanInfluence). It is written only when the error
// is nil.
//
// Edge cases: zero variances give SE = 0 and the intervals [R, R] (and the
// Fieller set [R, R] when ȳ ≠ 0); a zero control mean returns
// ErrZeroDenominator with the Fieller set still filled in (unbounded or
// empty) and NaN for R and the delta-method fields; negative means are
// allowed (R < 0 has no log-scale interval; Fieller handles any signs). It
// returns ErrTooFew (wrapped) when an arm has fewer than two observations
// and an error for a NaN or infinite value. It panics if influence has the
// wrong length or level is not in (0, 1).
func RatioOfMeans(x, y []float64, level float64, influence []float64) (Ratio, error) {
	if influence != nil && len(influence) != len(x)+len(y) {
		panic("stats: RatioOfMeans: influence must have len(x) + len(y) elements")
	}
	checkLevel(level)
	r := Ratio{NTreatment: len(x), NControl: len(y), Level: level}
	m, err := ratioMoments(x, y, "ratio of means")
	if err != nil {
		return r, err
	}
	r.MeanTreatment, r.MeanControl = m.mx, m.my
	z := distuv.UnitNormal.Quantile(0.5 + level/2)
	r.Fieller = fieller(m.mx, m.my, m.vx, m.vy, z)
	if m.my == 0 {
		nan := math.NaN()
		r.Estimate, r.SE, r.CILow, r.CIHigh = nan, nan, nan, nan
		r.SELog, r.LogCILow, r.LogCIHigh = nan, nan, nan
		return r, fmt.Errorf("stats: ratio of means: %w", ErrZeroDenominator)
	}
	R := m.mx / m.my
	r.Estimate = R
	r.SE = math.Sqrt(m.vx+R*R*m.vy) / math.Abs(m.my)
	r.CILow, r.CIHigh = R-z*r.SE, R+z*r.SE
	if R > 0 {
		r.SELog = math.Sqrt(m.vx/(m.mx*m.mx) + m.vy/(m.my*m.my))
		r.LogCILow, r.LogCIHigh = R*math.Exp(-z*r.SELog), R*math.Exp(z*r.SELog)
	} else {
		r.SELog, r.LogCILow, r.LogCIHigh = math.NaN(), math.NaN(), math.NaN()
	}
	if influence != nil {
		nx, ny := float64(len(x)), float64(len(y))
		fx := 1 / (m.my * math.Sqrt(nx*(nx-1)))
		fy := -R / (m.my * math.Sqrt(ny*(ny-1)))
		for i, v := range x {
			influence[i] = (v - m.mx) * fx
		}
		for i, v := range y {
			influence[len(x)+i] = (v - m.my) * fy
		}
	}
	return r, nil
}

// RatioTest tests H₀: μₓ − ρ₀μᵧ ≤ 0 against H₁: μₓ − ρ₀μᵧ > 0 for two
// independent samples x (treatment) and y (control) by Fieller's linearised
// statistic
//
//	T = (x̄ − ρ₀ȳ)/√(vₓ + ρ₀²vᵧ),  vₓ = s²ₓ/nₓ, vᵧ = s²ᵧ/nᵧ,
//
// with the one-sided normal p-value P(Z > T). When μᵧ > 0, as for hours
// worked, these are H₀: μₓ/μᵧ ≤ ρ₀ and H₁: μₓ/μᵧ > ρ₀ ("treated persons work
// more than ρ₀ times as many hours", ρ₀ = 2 for "at least double"). The test
// needs no estimate of the ratio and no sign condition on ȳ, unlike the
// delta method, and it inverts to the Fieller set of RatioOfMeans: ρ₀ lies
// in the set at level 1 − 2α exactly when neither one-sided p-value is below
// α. If μᵧ < 0 the inequality flips; negate both samples (the ratio is
// unchanged) to test the ratio hypothesis. The quantile is normal, as in
// RatioOfMeans; R: with vx = var(x)/length(x) and vy likewise,
// pnorm((mean(x) - rho0*mean(y))/sqrt(vx + rho0^2*vy), lower.tail = FALSE).
//
// Hand-worked: x = 2, 4, 6 and y = 1, 2, 3 with ρ₀ = 1 give
// T = (4 − 2)/√(4/3 + 1/3) = 2√(3/5) ≈ 1.549 and p ≈ 0.0607.
//
// When both variances are zero T is +Inf (p = 0), −Inf (p = 1) or, when
// x̄ = ρ₀ȳ, NaN (p NaN). It returns ErrTooFew (wrapped) when an arm has
// fewer than two observations and an error for a NaN or infinite value. It
// panics if ρ₀ is NaN or infinite.
func RatioTest(x, y []float64, rho0 float64) (t, p float64, err error) {
	if math.IsNaN(rho0) || math.IsInf(rho0, 0) {
		panic("stats: RatioTest: rho0 must be finite")
	}
	m, err := ratioMoments(x, y, "ratio test")
	if err != nil {
		return math.NaN(), math.NaN(), err
	}
	num := m.mx - rho0*m.my
	t = num / math.Sqrt(m.vx+rho0*rho0*m.vy)
	if math.IsNaN(t) {
		return t, math.NaN(), nil
	}
	return t, distuv.UnitNormal.Survival(t), nil
}

// meanMoments holds the arm means and the variances of the means.
type meanMoments struct{ mx, my, vx, vy float64 }

// ratioMoments checks x and y and returns their means and variances of the
// means.
func ratioMoments(x, y []float64, what string) (meanMoments, error) {
	var m meanMoments
	for k, arm := range [][]float64{x, y} {
		for i, v := range arm {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return m, fmt.Errorf("stats: %s: %s has a NaN or infinite value (element %d)", what, [2]string{"x", "y"}[k], i)
			}
		}
	}
	if len(x) < 2 || len(y) < 2 {
		return m, fmt.Errorf("stats: %s: %d treated and %d control: %w", what, len(x), len(y), ErrTooFew)
	}
	var sx, sy float64
	m.mx, sx = stat.MeanVariance(x, nil)
	m.my, sy = stat.MeanVariance(y, nil)
	m.vx, m.vy = sx/float64(len(x)), sy/float64(len(y))
	return m, nil
}

// fieller returns the set {ρ : Aρ² − 2Bρ + C ≤ 0}, A = ȳ² − z²vᵧ, B = x̄ȳ,
// C = x̄² − z²vₓ (see RatioOfMeans).
func fieller(mx, my, vx, vy, z float64) FiellerSet {
	z2 := z * z
	a := my*my - z2*vy
	b := mx * my
	c := mx*mx - z2*vx
	s := FiellerSet{Low: math.NaN(), High: math.NaN(), G: z2 * vy / (my * my)}
	if a == 0 {
		// Linear: −2Bρ + C ≤ 0.
		switch {
		case b > 0:
			s.Kind, s.Low = FiellerAtLeast, c/(2*b)
		case b < 0:
			s.Kind, s.High = FiellerAtMost, c/(2*b)
		case c <= 0:
			s.Kind = FiellerEverything
		default:
			s.Kind = FiellerEmpty
		}
		return s
	}
	// B² − AC without the cancellation of x̄²ȳ².
	d := z2 * (vx*a + vy*mx*mx)
	if a < 0 && d <= 0 {
		s.Kind = FiellerEverything
		return s
	}
	// d ≥ 0 here (it is a sum of non-negative terms when a > 0).
	sq := math.Sqrt(math.Max(d, 0))
	var r1, r2 float64
	if q := b + math.Copysign(sq, b); q != 0 {
		r1, r2 = q/a, c/q
	} // else b = d = 0, so c = 0: the double root 0.
	s.Low, s.High = math.Min(r1, r2), math.Max(r1, r2)
	if a > 0 {
		s.Kind = FiellerBounded
	} else {
		s.Kind = FiellerComplement
	}
	return s
}
