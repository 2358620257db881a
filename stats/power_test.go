package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestMinimumDetectableEffectHand(t *testing.T) {
	// (qnorm(0.975) + qnorm(0.8)) * sqrt(2/1000) in R.
	assert.InDelta(t, 0.12529069984918342, MinimumDetectableEffect(1, 1000, 1000, 0.05, 0.8), 1e-12)
	// 4.5 * (qnorm(0.975) + qnorm(0.9)) * sqrt(1/600 + 1/400) in R.
	assert.InDelta(t, 0.94157518064626788, MinimumDetectableEffect(4.5, 600, 400, 0.05, 0.9), 1e-12)
	// Linear in sd, symmetric in the arms.
	assert.InDelta(t, 3*MinimumDetectableEffect(1, 300, 700, 0.1, 0.7), MinimumDetectableEffect(3, 700, 300, 0.1, 0.7), 1e-12)
}

func TestMinimumDetectableEffectAgainstR(t *testing.T) {
	// R: power.t.test(n = 1000, sd = sd, sig.level = 0.05, power = 0.8,
	// type = "two.sample", tol = 1e-12)$delta (R 4, stats): the t
	// distribution, n per arm.
	for _, c := range []struct{ sd, want float64 }{{1, 0.125350962418331}, {4.5, 0.564079330882491}} {
		got := MinimumDetectableEffect(c.sd, 1000, 1000, 0.05, 0.8)
		assert.Less(t, got, c.want, "the normal approximation is below the t-based delta")
		assert.InDelta(t, 1, got/c.want, 0.002, "sd %g: MDE %v, power.t.test %v", c.sd, got, c.want)
	}
}

func TestMinimumDetectableShareAgainstR(t *testing.T) {
	// R: power.prop.test(n = 1000, p1 = p0, power = 0.8, sig.level = 0.05,
	// tol = 1e-12)$p2 - p0 (pooled variance under the null hypothesis).
	for _, c := range []struct{ p0, want float64 }{
		{0.07, 0.0354204723646222}, {0.12, 0.0436868443862107}, {0.15, 0.0474407687163093}, {0.5, 0.0624860825889042},
	} {
		got := MinimumDetectableShare(c.p0, 1000, 1000, 0.05, 0.8)
		assert.InDelta(t, 1, got/c.want, 0.01, "p0 %g: MDE %v, power.prop.test %v", c.p0, got, c.want)
	}
}

func TestPowerHand(t *testing.T) {
	// pnorm(r - qnorm(0.975)) + pnorm(-r - qnorm(0.975)), r = 0.1/sqrt(2/1000).
	assert.InDelta(t, 0.608779484645457, Power(0.1, 1, 1000, 1000, 0.05), 1e-12)
	// r = 0.3/(2*sqrt(1/300 + 1/200)), alpha 0.01.
	assert.InDelta(t, 0.17550962023690872, Power(-0.3, 2, 300, 200, 0.01), 1e-12)
	assert.InDelta(t, 0.05, Power(0, 3, 50, 60, 0.05), 1e-12, "no effect: the test's level")
	// se = sqrt(0.2*0.8/500 + 0.1*0.9/800), r = 0.1/se.
	assert.InDelta(t, 0.99780375140010114, PowerShare(0.1, 0.2, 500, 800, 0.05), 1e-12)
}

func TestPowerRoundTrip(t *testing.T) {
	for _, c := range []struct {
		sd     float64
		nT, nC int
		alpha  float64
		power  float64
	}{{1, 1000, 1000, 0.05, 0.8}, {4.5, 1200, 800, 0.05, 0.9}, {0.3, 40, 25, 0.1, 0.5}, {2, 5000, 5000, 0.01, 0.95}} {
		mde := MinimumDetectableEffect(c.sd, c.nT, c.nC, c.alpha, c.power)
		// Exactly up to the wrong-direction tail MinimumDetectableEffect
		// neglects, Φ(−2z₁₋α⸝₂ − z_power).
		tail := distuv.UnitNormal.CDF(-2*zQuantile(1-c.alpha/2) - zQuantile(c.power))
		assert.Less(t, tail, 1e-3)
		assert.InDelta(t, c.power+tail, Power(mde, c.sd, c.nT, c.nC, c.alpha), 1e-12, "%+v", c)
		assert.InDelta(t, c.power+tail, Power(-mde, c.sd, c.nT, c.nC, c.alpha), 1e-12, "%+v", c)
	}
	for _, c := range []struct {
		p0     float64
		nT, nC int
		power  float64
	}{{0.07, 1000, 1000, 0.8}, {0.15, 1500, 1400, 0.8}, {0.5, 300, 200, 0.9}, {0.9, 2000, 2000, 0.8}} {
		d := MinimumDetectableShare(c.p0, c.nT, c.nC, 0.05, c.power)
		assert.Greater(t, d, 0.0)
		assert.InDelta(t, c.power, PowerShare(c.p0, c.p0+d, c.nT, c.nC, 0.05), 1e-9, "%+v", c)
		assert.Less(t, PowerShare(c.p0, c.p0+0.999*d, c.nT, c.nC, 0.05), c.power, "%+v: not the smallest", c)
	}
}

func TestMinimumDetectableShareUnreachable(t *testing.T) {
	// Two persons an arm: even p1 = 1 against 0.5 has power about 0.29.
	assert.True(t, math.IsNaN(MinimumDetectableShare(0.5, 2, 2, 0.05, 0.8)))
}

func TestPowerPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"alpha 0":        func() { MinimumDetectableEffect(1, 100, 100, 0, 0.8) },
		"alpha 1":        func() { MinimumDetectableEffect(1, 100, 100, 1, 0.8) },
		"power 0":        func() { MinimumDetectableEffect(1, 100, 100, 0.05, 0) },
		"power 1":        func() { MinimumDetectableEffect(1, 100, 100, 0.05, 1) },
		"power NaN":      func() { MinimumDetectableEffect(1, 100, 100, 0.05, math.NaN()) },
		"nT 1":           func() { MinimumDetectableEffect(1, 1, 100, 0.05, 0.8) },
		"nC 1":           func() { MinimumDetectableEffect(1, 100, 1, 0.05, 0.8) },
		"sd 0":           func() { MinimumDetectableEffect(0, 100, 100, 0.05, 0.8) },
		"sd -1":          func() { MinimumDetectableEffect(-1, 100, 100, 0.05, 0.8) },
		"share alpha":    func() { MinimumDetectableShare(0.1, 100, 100, 1.5, 0.8) },
		"share power":    func() { MinimumDetectableShare(0.1, 100, 100, 0.05, 1) },
		"share n":        func() { MinimumDetectableShare(0.1, 0, 100, 0.05, 0.8) },
		"share p0 0":     func() { MinimumDetectableShare(0, 100, 100, 0.05, 0.8) },
		"share p0 1":     func() { MinimumDetectableShare(1, 100, 100, 0.05, 0.8) },
		"Power alpha":    func() { Power(1, 1, 100, 100, -0.1) },
		"Power n":        func() { Power(1, 1, 100, 1, 0.05) },
		"Power sd":       func() { Power(1, math.Inf(1), 100, 100, 0.05) },
		"PowerShare p1":  func() { PowerShare(0.1, 1.2, 100, 100, 0.05) },
		"PowerShare n":   func() { PowerShare(0.1, 0.2, 1, 100, 0.05) },
		"PowerShare p0":  func() { PowerShare(-0.1, 0.2, 100, 100, 0.05) },
		"PowerShare lvl": func() { PowerShare(0.1, 0.2, 100, 100, 0) },
	} {
		assert.Panics(t, f, name)
	}
}
