package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// MinimumDetectableEffect is the smallest true difference in means that a
// two-sided test at level alpha detects with probability power, comparing
// nTreatment and nControl persons whose outcome has standard deviation sd
// in both arms (Bloom 1995, "Minimum detectable effects: a simple way to
// report the statistical power of experimental designs", Evaluation Review
// 19(5), 547–556):
//
//	MDE = (z₁₋α⸝₂ + z_power) · sd · √(1/nₜ + 1/n꜀),
//
// z_q the standard normal quantile. It is the normal approximation: the
// chance of rejecting in the wrong direction, Φ(−z₁₋α⸝₂ − MDE/SE), is
// neglected (10⁻⁶ at α = 0.05 and power 0.8, below 5·10⁻⁵ for power ≥ 0.5) and the t
// distribution's heavier tails are ignored. R's
// power.t.test(n = n, sd = sd, sig.level = alpha, power = power,
// type = "two.sample")$delta, which uses the t distribution with n persons
// per arm, is larger by about 0.05 % at n = 1000 and 1 % at n = 50.
//
// It panics if sd is not positive and finite, alpha or power is not in
// (0, 1), or an arm has fewer than 2 persons.
func MinimumDetectableEffect(sd float64, nTreatment, nControl int, alpha, power float64) float64 {
	checkPower("MinimumDetectableEffect", nTreatment, nControl, alpha)
	checkProbability("MinimumDetectableEffect", "power", power)
	checkSD("MinimumDetectableEffect", sd)
	return (zQuantile(1-alpha/2) + zQuantile(power)) * sd * math.Sqrt(1/float64(nTreatment)+1/float64(nControl))
}

// Power is the probability that a two-sided z test at level alpha rejects
// no effect when the true difference in means is effect, with nT and nC
// persons whose outcome has standard deviation sd in both arms (normal
// approximation):
//
//	power = Φ(|δ|/SE − z₁₋α⸝₂) + Φ(−|δ|/SE − z₁₋α⸝₂),   SE = sd·√(1/nₜ + 1/n꜀).
//
// Both tails count, so Power(0, …) = alpha. It inverts
// MinimumDetectableEffect up to that function's neglected wrong-direction
// tail. R: power.t.test(n, delta, sd, sig.level, strict = TRUE)$power with
// qnorm and pnorm in place of qt and pt.
//
// It panics if sd is not positive and finite, alpha is not in (0, 1), or
// an arm has fewer than 2 persons.
func Power(effect, sd float64, nT, nC int, alpha float64) float64 {
	checkPower("Power", nT, nC, alpha)
	checkSD("Power", sd)
	return twoSidedPower(math.Abs(effect)/(sd*math.Sqrt(1/float64(nT)+1/float64(nC))), alpha)
}

// PowerShare is the probability that a two-sided z test at level alpha of
// two proportions rejects equal shares when the control group's true share
// is p0 and the treatment group's p1, with nT and nC persons and the
// unpooled variance p(1−p)/n of each arm's share:
//
//	power = Φ(|p₁−p₀|/SE − z₁₋α⸝₂) + Φ(−|p₁−p₀|/SE − z₁₋α⸝₂),
//	SE = √(p₁(1−p₁)/nₜ + p₀(1−p₀)/n꜀).
//
// R's power.prop.test uses the pooled variance under the null hypothesis
// instead and neglects the wrong-direction tail; the two agree to about
// 1 % in the minimum detectable share (see MinimumDetectableShare).
//
// It panics if p0 is not in (0, 1), p1 not in [0, 1], alpha not in (0, 1)
// or an arm has fewer than 2 persons.
func PowerShare(p0, p1 float64, nT, nC int, alpha float64) float64 {
	checkPower("PowerShare", nT, nC, alpha)
	checkProbability("PowerShare", "p0", p0)
	if !(p1 >= 0 && p1 <= 1) {
		panic("stats: PowerShare: p1 must be in [0, 1]")
	}
	se := math.Sqrt(p1*(1-p1)/float64(nT) + p0*(1-p0)/float64(nC))
	return twoSidedPower(math.Abs(p1-p0)/se, alpha)
}

// MinimumDetectableShare is the minimum detectable effect on a share: the
// smallest increase d = p₁ − p₀ > 0 over the control group's share p0 at
// which the two-sided z test of two proportions at level alpha, with the
// unpooled variance p(1−p)/n of each arm (PowerShare), has the given power.
// The power rises with d on (0, 1 − p0] (d/SE does: its derivative has the
// sign of p₁(1−p₁)/nₜ + p₀(1−p₀)/n꜀ − d(1−2p₁)/(2nₜ), which is positive as
// d ≤ p₁), so d is found by bisection on that interval, to 10⁻¹².
// It returns NaN when even p₁ = 1 does not reach the power (arms too small).
//
// R: power.prop.test(n = n, p1 = p0, power = power, sig.level = alpha)$p2 − p0
// for n persons per arm, which uses the pooled variance under the null
// hypothesis; the two agree to within 1 % at n = 1000 and shares of
// 0.07–0.5.
//
// It panics if p0, alpha or power is not in (0, 1) or an arm has fewer than
// 2 persons.
func MinimumDetectableShare(p0 float64, nT, nC int, alpha, power float64) float64 {
	checkPower("MinimumDetectableShare", nT, nC, alpha)
	checkProbability("MinimumDetectableShare", "power", power)
	checkProbability("MinimumDetectableShare", "p0", p0)
	lo, hi := 0.0, 1-p0
	if PowerShare(p0, 1, nT, nC, alpha) < power {
		return math.NaN()
	}
	for hi-lo > 1e-12 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if PowerShare(p0, p0+mid, nT, nC, alpha) < power {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// twoSidedPower is Φ(r − z₁₋α⸝₂) + Φ(−r − z₁₋α⸝₂) for r = |δ|/SE.
func twoSidedPower(r, alpha float64) float64 {
	z := zQuantile(1 - alpha/2)
	n := distuv.UnitNormal
	return n.CDF(r-z) + n.CDF(-r-z)
}

func zQuantile(p float64) float64 { return distuv.UnitNormal.Quantile(p) }

func checkPower(fn string, nT, nC int, alpha float64) {
	if nT < 2 || nC < 2 {
		panic("stats: " + fn + ": fewer than two persons in an arm")
	}
	checkProbability(fn, "alpha", alpha)
}

func checkProbability(fn, name string, p float64) {
	if !(p > 0 && p < 1) {
		panic("stats: " + fn + ": " + name + " must be in (0, 1)")
	}
}

func checkSD(fn string, sd float64) {
	if !(sd > 0 && !math.IsInf(sd, 1)) {
		panic("stats: " + fn + ": sd must be positive and finite")
	}
}
