package analysis

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"rcteval/stats"
)

func TestVerdict(t *testing.T) {
	for _, tt := range []struct {
		est, lo, hi, target float64
		verdict, reason     string
	}{
		{2.4, 2.1, 2.7, 2, Met, ""},
		{2.4, 2.0, 2.7, 2, Met, ""}, // the bound at the target counts
		{1.5, 1.2, 1.9, 2, NotMet, ""},
		{1.8, 1.2, 2.5, 2, NotShown, ReasonInconclusive},
		{2.2, 1.9, 2.5, 2, NotShown, ReasonInconclusive}, // above the target, not shown to be
		{0.05, math.NaN(), math.NaN(), 0.05, NotShown, ReasonInconclusive},
	} {
		v, r := verdict(tt.est, tt.lo, tt.hi, tt.target)
		assert.Equal(t, tt.verdict, v, "%+v", tt)
		assert.Equal(t, tt.reason, r, "%+v", tt)
	}
}

func TestJudge(t *testing.T) {
	row := func(week int, est, lo, hi float64, suppressed string) Effect {
		return Effect{Outcome: "employed", Week: week, Estimated: suppressed == "", Suppressed: suppressed,
			Estimate: stats.Estimate{Estimate: est, CILow: lo, CIHigh: hi}}
	}
	rows := []Effect{row(35, 0.06, 0.055, 0.08, ""), row(44, 0.06, 0.01, 0.11, ""), row(45, 0, 0, 0, "n<5")}
	ratio := &RatioRow{FromWeek: 26, ToWeek: 44, Rho0: 2, Ratio: stats.Ratio{Estimate: 2.6,
		Fieller: stats.FiellerSet{Kind: stats.FiellerBounded, Low: 2.1, High: 3.3}}}
	criteria := []Criterion{
		{Kind: CriterionEffect, Outcome: "employed", Week: 35, AtLeast: 0.05},
		{Kind: CriterionEffect, Outcome: "employed", Week: 44, AtLeast: 0.05},
		{Kind: CriterionEffect, Outcome: "employed", Week: 45, AtLeast: 0.05},
		{Kind: CriterionEffect, Outcome: "employed", Week: 52, AtLeast: 0.05},
		{Kind: CriterionHoursRatio},
		{Kind: CriterionNotInData, Label: map[string]string{"en": "75 % show progression"}},
	}
	got := judge(criteria, rows, ratio, 2)
	type v struct {
		verdict, reason string
		est, lo, target float64
		from, to        int
	}
	want := []v{
		{Met, "", 0.06, 0.055, 0.05, 35, 35},
		{NotShown, ReasonInconclusive, 0.06, 0.01, 0.05, 44, 44},
		{NotShown, ReasonSuppressed, math.NaN(), math.NaN(), 0.05, 45, 45},
		{NotShown, ReasonBeyondFollowUp, math.NaN(), math.NaN(), 0.05, 52, 52},
		{Met, "", 2.6, 2.1, 2, 26, 44},
		{NotShown, ReasonNotInData, math.NaN(), math.NaN(), 0, 0, 0},
	}
	for i, w := range want {
		g := got[i]
		assert.Equal(t, w.verdict, g.Verdict, i)
		assert.Equal(t, w.reason, g.Reason, i)
		assert.Equal(t, [2]int{w.from, w.to}, [2]int{g.FromWeek, g.ToWeek}, i)
		assert.Equal(t, w.target, g.Target, i)
		if math.IsNaN(w.est) {
			assert.True(t, math.IsNaN(g.Estimate), i)
		} else {
			assert.Equal(t, [2]float64{w.est, w.lo}, [2]float64{g.Estimate, g.CILow}, i)
		}
	}
	// An unbounded Fieller set: the data cannot tell.
	ratio.Fieller.Kind = stats.FiellerComplement
	assert.Equal(t, NotShown, judge(criteria[4:5], nil, ratio, 2)[0].Verdict)
	// A suppressed ratio.
	assert.Equal(t, ReasonSuppressed, judge(criteria[4:5], nil, &RatioRow{Suppressed: "count<5"}, 2)[0].Reason)
	assert.Equal(t, ReasonNotEstimated, judge(criteria[4:5], nil, nil, 2)[0].Reason)
	// A window no one is followed through yet, and a ratio not defined.
	notYet := &RatioRow{FromWeek: 26, ToWeek: 44, Note: "no one is followed to week 44 yet"}
	assert.Equal(t, ReasonBeyondFollowUp, judge(criteria[4:5], nil, notYet, 2)[0].Reason)
	undefined := &RatioRow{Ratio: stats.Ratio{NTreatment: 9, NControl: 8}, Note: "no one in the control group has hours"}
	assert.Equal(t, ReasonNotEstimated, judge(criteria[4:5], nil, undefined, 2)[0].Reason)
}
