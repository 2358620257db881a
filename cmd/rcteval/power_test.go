package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/stats"
)

func TestPowerAnalytic(t *testing.T) {
	// 2000 persons, 1:1; followable to week 26: (52 − 26)/40 = 65 %, 650 an
	// arm; MDE = (qnorm(0.975) + qnorm(0.8)) · 4.5 · √(2/650) = 0.6993.
	o := defaultPowerOptions()
	o.Persons, o.SD = 2000, some(4.5)
	var out bytes.Buffer
	require.NoError(t, runPower(o, &out))
	s := out.String()
	assert.Contains(t, s, "2000: 1000 treatment, 1000 control")
	assert.Contains(t, s, "65 %: 650 treatment, 650 control")
	assert.Contains(t, s, "1.30 hours/week (default)")
	assert.Contains(t, s, "4.5 (--sd)")
	assert.Contains(t, s, "MDE                     0.70 hours/week (54 % of the control level)")
	assert.NotContains(t, s, "simulated")

	// Unequal arms, everyone followable ((52 − 12)/40 = 1): 300 and 700;
	// MDE = 2.8016 · 4.5 · √(1/300 + 1/700) = 0.8700.
	o = defaultPowerOptions()
	o.Persons, o.TreatedShare, o.Week, o.SD, o.ControlLevel = 1000, 0.3, 12, some(4.5), some(1)
	out.Reset()
	require.NoError(t, runPower(o, &out))
	assert.Contains(t, out.String(), "100 %: 300 treatment, 700 control")
	assert.Contains(t, out.String(), "0.87 hours/week (87 % of the control level)")

	// A share, through the command line: 3000 persons, week 35: 42.5 %,
	// 637 an arm, the control share 0.07 (SD √(0.07 · 0.93) = 0.255).
	log, err := run(t, "power", "--outcome", "employed", "--week", "35", "--control-level", "0.07")
	require.NoError(t, err, log)
	mde := stats.MinimumDetectableShare(0.07, 637, 637, 0.05, 0.8)
	assert.InDelta(t, 0.0454, mde, 0.0001) // power.prop.test: 0.04549
	assert.Contains(t, log, "637 treatment, 637 control")
	assert.Contains(t, log, "7.0 % (--control-level)")
	assert.Contains(t, log, "0.255 (√(p(1−p)) at the control level)")
	assert.Contains(t, log, fmt.Sprintf("MDE                     %.4f: %.1f percentage points (11.5 %% against 7.0 %%)", mde, 100*mde))
}

func TestPowerErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(o *powerOptions)
		want string
	}{
		{"no one followable", func(o *powerOptions) { o.Week = 52 }, "--week 52: no one is followable to week 52"},
		{"too few followable", func(o *powerOptions) { o.Persons, o.Week = 20, 50 }, "--week 50: only 0 treated and 0 controls are followable"},
		{"treated share", func(o *powerOptions) { o.TreatedShare = 1 }, "--treated-share 1: expected a number between 0 and 1"},
		{"alpha", func(o *powerOptions) { o.Alpha = 0 }, "--alpha 0:"},
		{"power", func(o *powerOptions) { o.Power = 1.2 }, "--power 1.2:"},
		{"outcome", func(o *powerOptions) { o.Outcome = "praktik" }, `--outcome "praktik": expected hours, employed or sustained13`},
		{"share level", func(o *powerOptions) { o.Outcome, o.ControlLevel = "employed", some(7) }, "--control-level 7: expected the control group's share of employed"},
		{"hours level", func(o *powerOptions) { o.ControlLevel = some(-1) }, "--control-level -1: expected the control group's mean hours"},
		{"sd for a share", func(o *powerOptions) { o.Outcome, o.SD = "sustained13", some(0.3) }, "--sd with --outcome sustained13"},
		{"sd", func(o *powerOptions) { o.SD = some(0) }, "--sd 0: expected a positive SD"},
		{"persons", func(o *powerOptions) { o.Persons = 3 }, "--persons 3 with --treated-share 0.5"},
		{"referral weeks", func(o *powerOptions) { o.ReferralWeeks = 0 }, "--referral-weeks 0"},
		{"simulate share", func(o *powerOptions) { o.Simulate, o.TreatedShare = 10, 0.4 }, "--treated-share 0.4 with --simulate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := defaultPowerOptions()
			o.SD = some(4.5)
			c.set(o)
			var out bytes.Buffer
			err := runPower(o, &out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Empty(t, out.String())
		})
	}
}

func TestPowerSimulate(t *testing.T) {
	o := defaultPowerOptions()
	o.Persons, o.Simulate, o.Outcome = 400, 20, "employed"
	var out bytes.Buffer
	start := time.Now()
	require.NoError(t, runPower(o, &out))
	// About 1.5 s on two cores; logged, not asserted, as a loaded machine
	// running every package's tests at once could exceed any bound.
	t.Logf("%d simulated trials of %d persons in %v", o.Simulate, o.Persons, time.Since(start))
	s := out.String()
	for _, want := range []string{"simulated trials        20 of 400 persons (seeds 2016–2035)", "built-in effect", "SE of the estimate",
		"simulated power", "analytic power"} {
		assert.Contains(t, s, want)
	}
	// The simulator's employment effect at week 26 is a few points; with
	// about 150 persons an arm its SE is about 0.03.
	var effect, sd, se float64
	m := regexp.MustCompile(`built-in effect +([-+.0-9]+) percentage points`).FindStringSubmatch(s)
	require.NotNil(t, m, s)
	effect, _ = strconv.ParseFloat(m[1], 64)
	m = regexp.MustCompile(`SE of the estimate +([.0-9]+) \(SD over the trials; mean estimated SE ([.0-9]+)\)`).FindStringSubmatch(s)
	require.NotNil(t, m, s)
	sd, _ = strconv.ParseFloat(m[1], 64)
	se, _ = strconv.ParseFloat(m[2], 64)
	assert.InDelta(t, 3, effect, 3)
	assert.InDelta(t, 0.03, sd, 0.015)
	assert.InDelta(t, sd, se, 0.015)
	assert.NotContains(t, s, "without an estimate")
}
