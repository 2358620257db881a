package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// ErrKMNotObservable is returned (wrapped) by KMDifference when the landmark
// time lies beyond the last follow-up time of an arm: the curve is not yet
// observed there.
var ErrKMNotObservable = errors.New("stats: Kaplan–Meier: time beyond the last follow-up time")

// ErrKMUndefinedVariance is returned (wrapped) by KMDifference when an arm's
// Kaplan–Meier estimate has reached 0 by the landmark time (everyone still at
// risk had the event), so that its Greenwood variance is undefined.
var ErrKMUndefinedVariance = errors.New("stats: Kaplan–Meier: Greenwood variance undefined (survival reached 0)")

// KMConfType is the scale on which KaplanMeierConf builds the pointwise
// confidence interval of S(t), as R survfit's conf.type.
type KMConfType int

const (
	// KMConfLog is conf.type = "log", survfit's default: the interval of
	// log S, exp(log S ∓ z·σ), the upper end cut at 1.
	KMConfLog KMConfType = iota
	// KMConfLogLog is conf.type = "log-log": the interval of log(−log S),
	// exp(−exp(log(−log S) ∓ z·σ/log S)). It is NaN where S is 1 or 0.
	KMConfLogLog
	// KMConfPlain is conf.type = "plain": S ∓ z·σ·S cut to [0, 1].
	KMConfPlain
)

// String returns survfit's name of the conf.type.
func (c KMConfType) String() string {
	switch c {
	case KMConfLog:
		return "log"
	case KMConfLogLog:
		return "log-log"
	case KMConfPlain:
		return "plain"
	}
	return fmt.Sprintf("KMConfType(%d)", int(c))
}

// KMCurve is a Kaplan–Meier survival curve, one entry per distinct time at
// which a person had the event or was censored, in increasing order: the
// rows of R's survfit object. The cumulative incidence is F = 1 − Surv with
// the same SE and the interval [1 − Upper, 1 − Lower].
type KMCurve struct {
	N     int        // persons
	Level float64    // confidence level of Lower and Upper
	Conf  KMConfType // scale of Lower and Upper

	Time    []float64
	NRisk   []int // at risk just before Time: persons with time ≥ Time
	NEvent  []int // events at Time
	NCensor []int // censored at Time (still at risk, event-free, there)
	Surv    []float64
	// SELog is survfit's std.err: Greenwood's standard error of −log S (the
	// cumulative hazard), σ(t) = √(Σ_{tᵢ≤t} dᵢ/(nᵢ(nᵢ−dᵢ))); +Inf once S
	// has reached 0.
	SELog []float64
	// SE is Greenwood's standard error of S itself, S·σ (the std.err of
	// R's summary.survfit); NaN once S has reached 0, as in R.
	SE           []float64
	Lower, Upper []float64 // pointwise interval of S; NaN where R has NA
}

// KaplanMeier estimates the survival function S(t) = P(T > t) of the time
// to an event from right-censored data by the product-limit estimator
// (Kaplan & Meier 1958),
//
//	Ŝ(t) = Π_{tᵢ≤t} (1 − dᵢ/nᵢ),
//
// tᵢ the distinct event times, dᵢ the events at tᵢ and nᵢ the persons at
// risk just before tᵢ (those with time ≥ tᵢ), with Greenwood's (1926)
// variance
//
//	Var Ŝ(t) = Ŝ(t)² σ²(t),  σ²(t) = Σ_{tᵢ≤t} dᵢ/(nᵢ(nᵢ−dᵢ))
//
// (Klein & Moeschberger 2003, Survival Analysis, 2nd ed., sec. 4.2), and a
// pointwise interval at the given level on the log scale,
// exp(log Ŝ ∓ z·σ) with z = Φ⁻¹((1+level)/2), the upper end cut at 1. It
// equals R survival::survfit(Surv(time, event) ~ 1, conf.type = "log",
// conf.int = level), the default conf.type; KaplanMeierConf offers
// "log-log" and "plain".
//
// time is the time of the event when event[i] is true, else the censoring
// time: the person was last observed at time, still at risk there and
// event-free. Events and censorings at the same time follow the survival
// convention: the censored persons count as at risk for the events at that
// time. Times are compared exactly; survfit by default (timefix = TRUE)
// merges times closer than about 1e-8 relative, so the two agree when no
// two distinct times are that close (integer weeks), and always with
// survfit(…, timefix = FALSE).
//
// The curve has a row at every distinct time, with an event or only
// censorings, like the survfit object (see KMCurve for what each row
// holds). Without any event S is 1 and σ 0 everywhere. When everyone still
// at risk at tᵢ has the event (nᵢ = dᵢ) S drops to 0 and, as in survfit, σ
// becomes +Inf, the SE of S NaN (0·∞) and the interval NaN (NA in R).
//
// It returns an error for empty input and for a NaN, infinite or negative
// time. It panics if the slices differ in length or level is not in (0, 1).
func KaplanMeier(time []float64, event []bool, level float64) (KMCurve, error) {
	return KaplanMeierConf(time, event, level, KMConfLog)
}

// KaplanMeierConf is KaplanMeier with the scale of the pointwise interval
// chosen as survfit's conf.type (see KMConfType). With KMConfLogLog the
// interval is exp(−exp(log(−log Ŝ) ∓ z·σ/log Ŝ)) (Klein & Moeschberger's
// "log-transformed" interval, sec. 4.3, their σ_S being σ), NaN where Ŝ is
// 1 (before the first event, as survfit's NA) or 0; with KMConfPlain it is
// Ŝ ∓ z·σ·Ŝ cut to [0, 1] (their linear interval). It panics also for an
// unknown conf.
func KaplanMeierConf(time []float64, event []bool, level float64, conf KMConfType) (KMCurve, error) {
	if len(time) != len(event) {
		panic("stats: KaplanMeier: time and event differ in length")
	}
	checkLevel(level)
	if conf != KMConfLog && conf != KMConfLogLog && conf != KMConfPlain {
		panic(fmt.Sprintf("stats: KaplanMeier: unknown conf type %d", int(conf)))
	}
	n := len(time)
	out := KMCurve{N: n, Level: level, Conf: conf}
	if n == 0 {
		return out, errors.New("stats: Kaplan–Meier: no observations")
	}
	type obs struct {
		t     float64
		event bool
	}
	data := make([]obs, n)
	for i, t := range time {
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return out, fmt.Errorf("stats: Kaplan–Meier: time %v is NaN, infinite or negative (row %d)", t, i)
		}
		data[i] = obs{t, event[i]}
	}
	slices.SortFunc(data, func(a, b obs) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})

	z := distuv.UnitNormal.Quantile(0.5 + level/2)
	s, v := 1.0, 0.0 // Ŝ and σ²
	atRisk := n
	for i := 0; i < n; {
		t := data[i].t
		d, c := 0, 0
		for ; i < n && data[i].t == t; i++ {
			if data[i].event {
				d++
			} else {
				c++
			}
		}
		if d > 0 {
			nr, dr := float64(atRisk), float64(d)
			s *= (nr - dr) / nr
			v += dr / (nr * (nr - dr)) // +Inf when everyone at risk has the event
		}
		sigma := math.Sqrt(v)
		lo, hi := kmInterval(s, sigma, z, conf)
		out.Time = append(out.Time, t)
		out.NRisk = append(out.NRisk, atRisk)
		out.NEvent = append(out.NEvent, d)
		out.NCensor = append(out.NCensor, c)
		out.Surv = append(out.Surv, s)
		out.SELog = append(out.SELog, sigma)
		out.SE = append(out.SE, s*sigma)
		out.Lower = append(out.Lower, lo)
		out.Upper = append(out.Upper, hi)
		atRisk -= d + c
	}
	return out, nil
}

// kmInterval is survival:::survfit_confint for S = s with σ = sigma the SE
// of log S; NA there is NaN here.
func kmInterval(s, sigma, z float64, conf KMConfType) (lo, hi float64) {
	switch conf {
	case KMConfLog:
		if s == 0 {
			return math.NaN(), math.NaN()
		}
		w := z * sigma
		return math.Exp(math.Log(s) - w), math.Min(math.Exp(math.Log(s)+w), 1)
	case KMConfLogLog:
		if s == 0 || s == 1 {
			return math.NaN(), math.NaN()
		}
		w := z * sigma / math.Log(s)
		ll := math.Log(-math.Log(s))
		return math.Exp(-math.Exp(ll - w)), math.Exp(-math.Exp(ll + w))
	default: // KMConfPlain; NaN when s = 0 (σ = ∞), as in R
		w := sigma * s * z
		return math.Max(s-w, 0), math.Min(s+w, 1)
	}
}

// At returns the curve at time t as R's summary(fit, times = t, extend =
// TRUE) does: the right-continuous step function, the values of the last
// row with Time ≤ t, with se Greenwood's SE of S (the SE field, not SELog),
// and nRisk the persons at risk at t (time ≥ t; 0 after the last time).
// Before the first row S is 1, se 0 and the interval [1, 1] whatever the
// conf type (R's survfit0 row at time 0), nRisk N. Beyond the last time
// the last row's values are returned (R's extend = TRUE); whether t is
// observed is the caller's concern (KMDifference refuses it).
//
// R differs for t < 0 when the first time is 0: summary.survfit then
// reports the first row (even its events at 0); here S is 1 there. At
// panics if t is NaN or the curve has no rows (not made by KaplanMeier).
func (c KMCurve) At(t float64) (s, se, lower, upper float64, nRisk int) {
	if math.IsNaN(t) {
		panic("stats: KMCurve.At: t is NaN")
	}
	if len(c.Time) == 0 {
		panic("stats: KMCurve.At: empty curve")
	}
	if j := sort.SearchFloat64s(c.Time, t); j < len(c.Time) { // first Time ≥ t
		nRisk = c.NRisk[j]
	}
	k := sort.Search(len(c.Time), func(i int) bool { return c.Time[i] > t }) // rows with Time ≤ t
	if k == 0 {
		return 1, 0, 1, 1, nRisk
	}
	i := k - 1
	return c.Surv[i], c.SE[i], c.Lower[i], c.Upper[i], nRisk
}

// IncidenceAt returns the cumulative incidence F(t) = 1 − S(t) at t with its
// SE (that of S) and interval [1 − upper, 1 − lower], as At does for S.
func (c KMCurve) IncidenceAt(t float64) (f, se, lower, upper float64, nRisk int) {
	s, se, lo, hi, nRisk := c.At(t)
	return 1 - s, se, 1 - hi, 1 - lo, nRisk
}

// KMDifferenceEstimate is a difference of Kaplan–Meier cumulative
// incidences at a landmark time.
type KMDifferenceEstimate struct {
	// Estimate has NTreatment and NControl the persons of curves a and b,
	// MeanTreatment and MeanControl the cumulative incidences Fₐ(t) and
	// F_b(t), Estimate = Fₐ(t) − F_b(t), and DF = +Inf: the interval and
	// p-value are normal-based.
	Estimate
	Time                         float64
	NRiskTreatment, NRiskControl int     // at risk at Time
	SETreatment, SEControl       float64 // Greenwood SE of Sₐ(t) and S_b(t)
}

// KMDifference estimates the difference in cumulative incidence at time t
// between two independent arms, a (treatment) and b (control),
//
//	Δ̂(t) = (1 − Ŝₐ(t)) − (1 − Ŝ_b(t)) = Ŝ_b(t) − Ŝₐ(t),
//
// with the sum of the arms' Greenwood variances on the S scale,
//
//	SE² = Ŝₐ(t)² σₐ²(t) + Ŝ_b(t)² σ_b²(t),  σ²(t) = Σ_{tᵢ≤t} dᵢ/(nᵢ(nᵢ−dᵢ)),
//
// (Greenwood 1926; Klein & Moeschberger 2003, sec. 4.2 and sec. 7.8, the
// comparison of survival at a fixed point in time), the normal interval
// Δ̂ ∓ z·SE, z = Φ⁻¹((1+level)/2), and the two-sided p-value
// 2·(1 − Φ(|Δ̂|/SE)). The arm values are those of At (the step function,
// S = 1 and SE 0 before the first time), i.e. of R's summary(survfit(…),
// times = t) with std.err = surv·survfit's std.err; the conf type and level
// of the curves play no part.
//
// When both SEs are 0 (no event by t in either arm) Δ̂ and SE are 0, the
// interval [0, 0] and the p-value NaN (0/0), without error.
//
// It returns ErrKMNotObservable (wrapped) when t is NaN or beyond the last
// time of either curve (the last follow-up: an event or a censoring), with
// only NTreatment, NControl and Time set; and ErrKMUndefinedVariance
// (wrapped) when an arm's S has reached 0 by t, its SE being NaN as in R
// (Greenwood's nᵢ = dᵢ term is infinite): the estimate, the arm values and
// the SEs are then set, SE, interval and p-value NaN. It panics if a curve
// has no rows or level is not in (0, 1).
func KMDifference(a, b KMCurve, t float64, level float64) (KMDifferenceEstimate, error) {
	checkLevel(level)
	if len(a.Time) == 0 || len(b.Time) == 0 {
		panic("stats: KMDifference: empty curve")
	}
	out := KMDifferenceEstimate{Time: t}
	out.NTreatment, out.NControl = a.N, b.N
	if math.IsNaN(t) {
		return out, fmt.Errorf("stats: Kaplan–Meier difference: t is NaN: %w", ErrKMNotObservable)
	}
	for _, arm := range []struct {
		name string
		c    KMCurve
	}{{"treatment", a}, {"control", b}} {
		if last := arm.c.Time[len(arm.c.Time)-1]; t > last {
			return out, fmt.Errorf("stats: Kaplan–Meier difference at %v: %w of the %s arm (%v)", t, ErrKMNotObservable, arm.name, last)
		}
	}
	sa, sea, _, _, na := a.At(t)
	sb, seb, _, _, nb := b.At(t)
	out.NRiskTreatment, out.NRiskControl = na, nb
	out.SETreatment, out.SEControl = sea, seb
	out.MeanTreatment, out.MeanControl = 1-sa, 1-sb
	out.Estimate.Estimate = (1 - sa) - (1 - sb)
	out.DF = math.Inf(1)
	out.SE = math.Sqrt(sea*sea + seb*seb)
	est := out.Estimate.Estimate
	if math.IsNaN(out.SE) {
		out.CILow, out.CIHigh, out.PValue = math.NaN(), math.NaN(), math.NaN()
		arm := "treatment"
		if math.IsNaN(seb) {
			arm = "control"
		}
		return out, fmt.Errorf("stats: Kaplan–Meier difference at %v: %w in the %s arm", t, ErrKMUndefinedVariance, arm)
	}
	q := distuv.UnitNormal.Quantile(0.5 + level/2)
	out.CILow, out.CIHigh = est-q*out.SE, est+q*out.SE
	switch zs := est / out.SE; {
	case math.IsNaN(zs):
		out.PValue = math.NaN()
	case math.IsInf(zs, 0):
		out.PValue = 0
	default:
		out.PValue = 2 * distuv.UnitNormal.Survival(math.Abs(zs))
	}
	return out, nil
}
