package analysis

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hoursTrial has eight persons per arm randomised in 2016-W10 and followed
// to 2016-W12 (weeks 0–2). Hours in week 2: treatment 3, 6, 7, 12, 37, 40
// (two without); control 4.5, 5, 20, 25 (four without).
func hoursTrial(t *testing.T) (assignment, weeks string) {
	t.Helper()
	var a, w strings.Builder
	a.WriteString("person_id,arm,randomised_on\n")
	w.WriteString("person_id,week,hours,status\n")
	hours := map[string][]float64{"t": {3, 6, 7, 12, 37, 40, 0, 0}, "c": {4.5, 5, 20, 25, 0, 0, 0, 0}}
	for _, arm := range []string{"t", "c"} {
		name := map[string]string{"t": "treatment", "c": "control"}[arm]
		for i, h := range hours[arm] {
			fmt.Fprintf(&a, "%s%d,%s,2016-03-07\n", arm, i, name)
			fmt.Fprintf(&w, "%s%d,2016-W10,1,\n", arm, i) // week 0: everyone 1 hour
			if h > 0 {
				fmt.Fprintf(&w, "%s%d,2016-W12,%g,\n", arm, i, h)
			}
		}
	}
	return a.String(), w.String()
}

func TestHoursDistributionByHand(t *testing.T) {
	a, w := hoursTrial(t)
	ds := dataset(t, a, w)
	plan := DefaultPlan()
	plan.MinCell, plan.RIDraws, plan.HoursWeek = 0, 0, 2
	r, err := Run(ds, plan)
	require.NoError(t, err)
	h := r.Hours
	require.NotNil(t, h)
	assert.Equal(t, "hours", h.Outcome)
	assert.Equal(t, 2, h.Week)
	assert.Equal(t, 2, h.AskedWeek)
	assert.Equal(t, [2]int{8, 8}, [2]int{h.AtRiskTreatment, h.AtRiskControl})
	assert.Equal(t, [2]int{6, 4}, [2]int{h.WithHoursTreatment, h.WithHoursControl})
	assert.InDelta(t, 105.0/6, h.MeanTreatment, 1e-12) // (3+6+7+12+37+40)/6 = 17.5
	assert.InDelta(t, 54.5/4, h.MeanControl, 1e-12)    // (4.5+5+20+25)/4
	// Bands [0,5) [5,10) [10,15) [15,20) [20,30) [30,37) [37,∞): 5 falls in
	// 5–10, 37 in 37+.
	var treat, ctrl []int
	for _, b := range h.Bands {
		treat, ctrl = append(treat, b.Treatment), append(ctrl, b.Control)
	}
	assert.Equal(t, []int{1, 2, 1, 0, 0, 0, 2}, treat)
	assert.Equal(t, []int{1, 1, 0, 0, 2, 0, 0}, ctrl)
	assert.Equal(t, 37.0, h.Bands[6].Lower)
	assert.True(t, math.IsInf(h.Bands[6].Upper, 1))

	// Beyond the follow-up the last week followed is shown.
	plan.HoursWeek = 35
	r, err = Run(ds, plan)
	require.NoError(t, err)
	assert.Equal(t, 2, r.Hours.Week)
	assert.Equal(t, 35, r.Hours.AskedWeek)

	// Disclosure with cells of 2: the bands of one person go, two in each arm,
	// so the total minus the others recovers only their sum (2).
	plan.HoursWeek, plan.MinCell = 2, 2
	r, err = Run(ds, plan)
	require.NoError(t, err)
	d := Disclose(r).HoursDistribution()
	treat, ctrl = nil, nil
	var rules []string
	for _, b := range d.Bands {
		treat, ctrl = append(treat, b.Treatment), append(ctrl, b.Control)
		rules = append(rules, b.SuppressedTreatment+"|"+b.SuppressedControl)
	}
	assert.Equal(t, []int{0, 2, 0, 0, 0, 0, 2}, treat)
	assert.Equal(t, []int{0, 0, 0, 0, 2, 0, 0}, ctrl)
	assert.Equal(t, []string{"count<2|count<2", "|count<2", "count<2|", "|", "|", "|", "|"}, rules)
	assert.Equal(t, 6, d.WithHoursTreatment)
	assert.InDelta(t, 17.5, d.MeanTreatment, 1e-12)
	assert.Equal(t, []int{1, 2, 1, 0, 0, 0, 2}, []int{r.Hours.Bands[0].Treatment, r.Hours.Bands[1].Treatment, r.Hours.Bands[2].Treatment,
		r.Hours.Bands[3].Treatment, r.Hours.Bands[4].Treatment, r.Hours.Bands[5].Treatment, r.Hours.Bands[6].Treatment}, "the results are not changed")

	// Cells of 5: the control arm has 4 persons with hours: all of it goes.
	plan.MinCell = 5
	r, err = Run(ds, plan)
	require.NoError(t, err)
	d = Disclose(r).HoursDistribution()
	assert.Equal(t, "n<5", d.SuppressedControl)
	assert.Equal(t, 0, d.WithHoursControl)
	assert.True(t, math.IsNaN(d.MeanControl))
	assert.Equal(t, 8, d.AtRiskControl)
	for _, b := range d.Bands {
		assert.Equal(t, "n<5", b.SuppressedControl)
	}
	assert.Equal(t, "", d.SuppressedTreatment)
}

func TestDiscloseHoursDistributionSecondary(t *testing.T) {
	bands := func(counts ...int) *HoursDistribution {
		h := &HoursDistribution{AtRiskControl: 100, WithHoursControl: 0, AtRiskTreatment: 100}
		for i, n := range counts {
			h.Bands = append(h.Bands, HoursBand{Lower: HoursBandBounds[i], Treatment: n})
			h.WithHoursTreatment += n
		}
		return h
	}
	shown := func(h *HoursDistribution) (counts []int, rules []string) {
		for _, b := range h.Bands {
			counts, rules = append(counts, b.Treatment), append(rules, b.SuppressedTreatment)
		}
		return counts, rules
	}
	// Two small bands (1 and 3) hide only 4 < 5 together: the smallest other
	// band (6, before 8) goes too.
	counts, rules := shown(discloseHoursDistribution(bands(1, 6, 3, 0, 0, 0, 8), 5))
	assert.Equal(t, []int{0, 0, 0, 0, 0, 0, 8}, counts)
	assert.Equal(t, []string{"count<5", "count<5, secondary", "count<5", "", "", "", ""}, rules)
	// One small band (2) would be the total minus the others: the smallest
	// other (6) goes with it; zeros stay shown.
	counts, rules = shown(discloseHoursDistribution(bands(7, 0, 2, 9, 0, 0, 6), 5))
	assert.Equal(t, []int{7, 0, 0, 9, 0, 0, 0}, counts)
	assert.Equal(t, []string{"", "", "count<5", "", "", "", "count<5, secondary"}, rules)
	// Nothing small: nothing goes.
	counts, _ = shown(discloseHoursDistribution(bands(7, 0, 5, 9, 0, 0, 6), 5))
	assert.Equal(t, []int{7, 0, 5, 9, 0, 0, 6}, counts)
	// Whatever was hidden cannot be recovered from the arm's total: the
	// total minus the published bands is 0 or at least 5.
	for _, c := range [][]int{{1, 6, 3, 0, 0, 0, 8}, {7, 0, 2, 9, 0, 0, 6}, {4, 4, 4, 4, 4, 4, 4}, {1, 1, 1, 1, 1, 1, 20}} {
		h := discloseHoursDistribution(bands(c...), 5)
		rest := h.WithHoursTreatment
		for _, b := range h.Bands {
			rest -= b.Treatment
			assert.False(t, small(b.Treatment, 5), "%v", c)
		}
		assert.False(t, small(rest, 5), "%v: %d recoverable", c, rest)
	}
}

// A differencing rule on an effect row of the distribution's week blanks
// the whole distribution: its totals are the employment share's numerators.
func TestHoursBlankedAfterDifferencing(t *testing.T) {
	h := &HoursDistribution{Outcome: "hours", Week: 3, AtRiskTreatment: 50, WithHoursTreatment: 10, MeanTreatment: 7,
		Bands: []HoursBand{{Treatment: 10}}}
	blankHoursAfterDifferencing(h, []Effect{{Outcome: "employed", Week: 2, Suppressed: "diff<5"}, {Outcome: "hours", Week: 3}})
	assert.Equal(t, 10, h.WithHoursTreatment, "another week's rule does not matter")
	blankHoursAfterDifferencing(h, []Effect{{Outcome: "employed", Week: 3, Suppressed: "diff<5"}})
	assert.Equal(t, "diff<5", h.SuppressedTreatment)
	assert.Equal(t, [3]int{0, 0, 0}, [3]int{h.WithHoursTreatment, h.AtRiskTreatment, h.Bands[0].Treatment})
	assert.True(t, math.IsNaN(h.MeanTreatment))
}
