package analysis

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline"
	"rcteval/pipeline/ingest"
)

// Each test builds a small trial in which one person's value can be
// recovered exactly from numbers that pass the per-cell rules (n<5,
// count<5), computes the attack from the published numbers with those rules
// alone (it must succeed, or the test proves nothing) and then with the
// differencing rules (the cell it needs must be blanked).

// trialPerson is one person of a hand-made trial: arm, the week of
// randomisation (2016-W10 + offset), hours by week since randomisation, and
// a level of the covariate region.
type trialPerson struct {
	treated bool
	offset  int
	hours   []float64
	region  string
}

// trialData writes a trial as assignment and weeks CSV and loads it with the
// given outcomes; the extract ends in 2016-W13 (a person randomised in
// 2016-W10 is followed in weeks 0–3).
func trialData(t *testing.T, people []trialPerson, outcomes ...pipeline.OutcomeDef) *pipeline.Dataset {
	t.Helper()
	var a, w strings.Builder
	a.WriteString("person_id,arm,randomised_on,region\n")
	w.WriteString("person_id,week,hours,status\n")
	for i, p := range people {
		arm := "control"
		if p.treated {
			arm = "treatment"
		}
		id := fmt.Sprintf("p%03d", i)
		fmt.Fprintf(&a, "%s,%s,%s,%s\n", id, arm, pipeline.WeekFromIndex(pipeline.ISOWeek{Year: 2016, Week: 10}.Index()+p.offset).Monday().Format("2006-01-02"), p.region)
		for k, h := range p.hours {
			week := pipeline.WeekFromIndex(pipeline.ISOWeek{Year: 2016, Week: 10}.Index() + p.offset + k)
			fmt.Fprintf(&w, "%s,%s,%g,\n", id, week, h)
		}
	}
	fmt.Fprintf(&w, "p%03d,2016-W13,0,\n", 0) // fixes the extract end
	cfg := ingest.Default()
	cfg.Assignment = ingest.BytesInput("assignment.csv", []byte(a.String()))
	cfg.Weeks = []ingest.Input{ingest.BytesInput("weeks.csv", []byte(w.String()))}
	cfg.MaxMissing = 1
	if outcomes != nil {
		cfg.Outcomes = outcomes
	}
	ds, err := ingest.Load(cfg)
	require.NoError(t, err)
	return ds
}

// people makes n persons of an arm randomised at offset, each with the same
// hours.
func people(n int, treated bool, offset int, region string, hours ...float64) []trialPerson {
	out := make([]trialPerson, n)
	for i := range out {
		out[i] = trialPerson{treated: treated, offset: offset, hours: hours, region: region}
	}
	return out
}

// both runs the plan and discloses with the per-cell rules alone and with
// the differencing rules too.
func both(t *testing.T, ds *pipeline.Dataset, plan Plan) (cellOnly, full *Disclosed) {
	t.Helper()
	plan.RIDraws = 0
	r, err := Run(ds, plan)
	require.NoError(t, err)
	return disclose(r, false), Disclose(r)
}

func rowAt(rows []Effect, outcome string, week int) Effect {
	for _, e := range rows {
		if e.Outcome == outcome && e.Week == week {
			return e
		}
	}
	panic(fmt.Sprintf("no row %s week %d", outcome, week))
}

// total is a published row's treated total, mean × n; ok is false when the
// row does not publish it.
func total(e Effect) (float64, bool) {
	if !e.Estimated || e.HideCounts {
		return math.NaN(), false
	}
	return e.MeanTreatment * float64(e.NTreatment), true
}

var (
	hoursOutcome = pipeline.OutcomeDef{Name: "hours", Kind: pipeline.KindHours}
	cumHours     = pipeline.OutcomeDef{Name: "hours_total", Kind: pipeline.KindCumulativeHours}
)

// Rule 1. The at-risk counts of two weeks difference to the persons who
// left between them; with a cumulative outcome and its weekly increment
// the leaver's own total follows: here one treated person, randomised a
// week late, with 17 hours in its weeks 0–2.
func TestDifferencingAtRiskWeeks(t *testing.T) {
	var ps []trialPerson
	ps = append(ps, people(10, true, 0, "a", 8, 8, 8, 8)...)
	ps = append(ps, trialPerson{treated: true, offset: 1, hours: []float64{10, 0, 7}, region: "a"})
	ps = append(ps, people(10, false, 0, "a", 4, 4, 4, 4)...)
	ds := trialData(t, ps, hoursOutcome, cumHours)
	plan := DefaultPlan()
	plan.Cohort, plan.Landmarks = -1, nil
	attack := func(d *Disclosed) (float64, bool) {
		p, ok1 := total(rowAt(d.Effects(), "hours_total", 2))
		k, ok2 := total(rowAt(d.Effects(), "hours_total", 3))
		h, ok3 := total(rowAt(d.Effects(), "hours", 3))
		return p - (k - h), ok1 && ok2 && ok3
	}
	cellOnly, full := both(t, ds, plan)
	got, ok := attack(cellOnly)
	require.True(t, ok, "the per-cell rules publish every number of the attack")
	assert.InDelta(t, 17, got, 1e-9, "the leaver's hours recovered")
	assert.Equal(t, 1, rowAt(cellOnly.Effects(), "hours", 2).NTreatment-rowAt(cellOnly.Effects(), "hours", 3).NTreatment)

	_, ok = attack(full)
	assert.False(t, ok)
	w3 := rowAt(full.Effects(), "hours", 3)
	assert.Equal(t, "diff<5", w3.Suppressed)
	assert.True(t, w3.HideCounts, "week 3's counts would give the leaver's count")
	assert.Equal(t, "diff<5", full.Attrition()[3].Suppressed)
	assert.Equal(t, "", full.Attrition()[2].Suppressed)
	assert.Contains(t, full.Suppressions(), SuppressionCount{Table: "effects", Rule: "diff<5", Cells: 2})
	assert.Contains(t, full.Suppressions(), SuppressionCount{Table: "attrition", Rule: "diff<5", Cells: 1})
}

// Rule 2. The fixed cohort (followed to week 3) against the staggered week
// 2: five treated persons randomised a week late are in the second but not
// the first, and only one of them has hours in week 2.
func TestDifferencingFixedCohort(t *testing.T) {
	var ps []trialPerson
	ps = append(ps, people(10, true, 0, "a", 8, 8, 8, 8)...)
	ps = append(ps, people(4, true, 1, "a", 0, 0, 0)...)
	ps = append(ps, trialPerson{treated: true, offset: 1, hours: []float64{0, 0, 13}, region: "a"})
	ps = append(ps, people(10, false, 0, "a", 4, 4, 4, 4)...)
	ds := trialData(t, ps, hoursOutcome)
	plan := DefaultPlan()
	plan.Cohort, plan.Landmarks = 3, nil
	attack := func(d *Disclosed) (float64, bool) {
		s, ok1 := total(rowAt(d.Effects(), "hours", 2))
		_, cohort := d.Cohort()
		c, ok2 := total(rowAt(cohort, "hours", 2))
		return s - c, ok1 && ok2
	}
	cellOnly, full := both(t, ds, plan)
	got, ok := attack(cellOnly)
	require.True(t, ok)
	assert.InDelta(t, 13, got, 1e-9)

	_, ok = attack(full)
	assert.False(t, ok)
	_, cohort := full.Cohort()
	assert.Equal(t, "diff<5", rowAt(cohort, "hours", 2).Suppressed)
	assert.False(t, rowAt(cohort, "hours", 2).HideCounts, "its counts are safe")
	assert.True(t, rowAt(full.Effects(), "hours", 2).Estimated, "the staggered week is kept")
	assert.True(t, rowAt(cohort, "hours", 1).Estimated, "nobody has hours in week 1 among the five")
}

// Rule 3. A cumulative outcome in adjacent weeks: five treated persons
// leave between weeks 2 and 3, one of whom had worked 10 hours by week 2;
// week 3's total less its weekly hours is week 2's total without them.
func TestDifferencingCumulativeOutcome(t *testing.T) {
	var ps []trialPerson
	ps = append(ps, people(10, true, 0, "a", 8, 8, 8, 8)...)
	ps = append(ps, people(4, true, 1, "a", 0, 0, 0)...)
	ps = append(ps, trialPerson{treated: true, offset: 1, hours: []float64{0, 10, 0}, region: "a"})
	ps = append(ps, people(10, false, 0, "a", 4, 4, 4, 4)...)
	ds := trialData(t, ps, hoursOutcome, cumHours)
	plan := DefaultPlan()
	plan.Cohort, plan.Landmarks = -1, nil
	attack := func(d *Disclosed) (float64, bool) {
		p, ok1 := total(rowAt(d.Effects(), "hours_total", 2))
		k, ok2 := total(rowAt(d.Effects(), "hours_total", 3))
		h, ok3 := total(rowAt(d.Effects(), "hours", 3))
		return p - (k - h), ok1 && ok2 && ok3
	}
	cellOnly, full := both(t, ds, plan)
	got, ok := attack(cellOnly)
	require.True(t, ok)
	assert.InDelta(t, 10, got, 1e-9)

	_, ok = attack(full)
	assert.False(t, ok)
	assert.Equal(t, "diff<5", rowAt(full.Effects(), "hours_total", 3).Suppressed)
	assert.True(t, rowAt(full.Effects(), "hours", 3).Estimated, "the weekly hours are not cumulative")
	assert.True(t, rowAt(full.Effects(), "hours_total", 2).Estimated)
}

// Rule 4. Subgroups against the whole: region c's one treated person with
// hours is count-suppressed, but the whole less regions a and b gives their
// hours.
func TestDifferencingSubgroups(t *testing.T) {
	var ps []trialPerson
	for _, r := range []string{"a", "b"} {
		ps = append(ps, people(9, true, 0, r, 8, 8)...)
		ps = append(ps, people(1, true, 0, r, 6, 6)...)
		ps = append(ps, people(9, false, 0, r, 4, 4)...)
		ps = append(ps, people(1, false, 0, r, 3, 3)...)
	}
	ps = append(ps, people(5, true, 0, "c", 0, 0)...)
	ps = append(ps, trialPerson{treated: true, offset: 0, hours: []float64{0, 21}, region: "c"})
	ps = append(ps, people(6, false, 0, "c", 0, 0)...)
	ds := trialData(t, ps, hoursOutcome)
	plan := DefaultPlan()
	plan.Cohort, plan.Landmarks = -1, []int{1}
	attack := func(d *Disclosed) (float64, bool) {
		whole, ok := total(rowAt(d.Effects(), "hours", 1))
		for _, s := range d.Subgroups() {
			if s.Variable == "region" && s.Level != "c" {
				v, okL := total(s.Effect)
				whole, ok = whole-v, ok && okL
			}
		}
		return whole, ok
	}
	cellOnly, full := both(t, ds, plan)
	got, ok := attack(cellOnly)
	require.True(t, ok)
	assert.InDelta(t, 21, got, 1e-9)

	_, ok = attack(full)
	assert.False(t, ok)
	rules := map[string]string{}
	for _, s := range full.Subgroups() {
		rules[s.Level] = s.Suppressed
	}
	assert.Equal(t, map[string]string{"a": "diff<5", "b": "", "c": "count<5"}, rules, "the smaller (first) of a and b goes too")
	for _, tst := range full.SubgroupTests() {
		assert.Equal(t, 1, tst.Subgroups, "the test is over b alone")
	}
}

// Rule 4, counts: a level's count at a landmark against its count in the
// balance table gives the persons of the level who left before it.
func TestDifferencingSubgroupCounts(t *testing.T) {
	var ps []trialPerson
	for _, r := range []string{"a", "b"} {
		ps = append(ps, people(10, true, 0, r, 8, 8, 8, 8)...)
		ps = append(ps, people(10, false, 0, r, 4, 4, 4, 4)...)
	}
	ps = append(ps, people(10, true, 2, "a", 1, 1)...) // ten leave the whole before week 2, in a
	ps = append(ps, people(2, true, 2, "b", 1, 1)...)  // and two in b
	ds := trialData(t, ps, hoursOutcome)
	plan := DefaultPlan()
	plan.Cohort, plan.Landmarks = -1, []int{2}
	cellOnly, full := both(t, ds, plan)
	level := func(d *Disclosed, l string) SubgroupEffect {
		for _, s := range d.Subgroups() {
			if s.Level == l {
				return s
			}
		}
		panic(l)
	}
	assert.Equal(t, 10, level(cellOnly, "b").NTreatment, "12 in the balance table, 10 here: 2 left")
	b := level(full, "b")
	assert.Equal(t, "diff<5", b.Suppressed)
	assert.True(t, b.HideCounts)
	assert.True(t, level(full, "a").HideCounts, "else the whole less a gives b")
	assert.Equal(t, "", rowAt(full.Effects(), "hours", 2).Suppressed, "the whole lost 12")
}

// Rule 5. Kaplan–Meier: the at-risk count and incidences of weeks 1 and 2
// give the events in week 2: one treated person.
func TestDifferencingKaplanMeier(t *testing.T) {
	reached := pipeline.OutcomeDef{Name: "any_hours", Kind: pipeline.KindSustained, CountHours: true, Run: 1}
	var ps []trialPerson
	ps = append(ps, people(6, true, 0, "a", 5, 5, 5, 5)...)
	ps = append(ps, people(13, true, 0, "a", 0, 0, 0, 0)...)
	ps = append(ps, trialPerson{treated: true, hours: []float64{0, 0, 9, 9}, region: "a"})
	ps = append(ps, people(6, false, 0, "a", 5, 5, 5, 5)...)
	ps = append(ps, people(14, false, 0, "a", 0, 0, 0, 0)...)
	ds := trialData(t, ps, reached)
	plan := DefaultPlan()
	plan.Cohort, plan.Landmarks = -1, nil
	km := func(d *Disclosed, week int) KMRow {
		for _, r := range d.KM() {
			if r.Week == week {
				return r
			}
		}
		panic(week)
	}
	// d_k = n_k (F(k) − F(k−1)) / (1 − F(k−1)).
	attack := func(d *Disclosed) (float64, bool) {
		p, k := km(d, 1), km(d, 2)
		return float64(k.NRiskTreatment) * (k.IncidenceTreatment - p.IncidenceTreatment) / (1 - p.IncidenceTreatment),
			p.Suppressed == "" && k.Suppressed == ""
	}
	cellOnly, full := both(t, ds, plan)
	got, ok := attack(cellOnly)
	require.True(t, ok)
	assert.InDelta(t, 1, got, 1e-9)

	_, ok = attack(full)
	assert.False(t, ok)
	assert.Equal(t, "diff<5", km(full, 2).Suppressed)
	assert.Equal(t, "", km(full, 1).Suppressed)
}

// Rule 6. The ratio over weeks 1–2 against the weekly hours rows: the
// rows' totals less the ratio's are the hours of those followed into but
// not through the window, five treated persons of whom one worked.
func TestDifferencingRatio(t *testing.T) {
	var ps []trialPerson
	ps = append(ps, people(10, true, 0, "a", 8, 8, 8, 8)...)
	ps = append(ps, people(4, true, 3, "a", 0)...)
	ps = append(ps, trialPerson{treated: true, offset: 3, hours: []float64{30}, region: "a"})
	ps = append(ps, people(10, false, 0, "a", 4, 4, 4, 4)...)
	ds := trialData(t, ps, hoursOutcome)
	plan := DefaultPlan()
	plan.Cohort, plan.Landmarks = -1, nil
	plan.RatioFrom, plan.RatioTo = 0, 1
	attack := func(d *Disclosed) (float64, bool) {
		r := d.Ratio()
		w0, ok0 := total(rowAt(d.Effects(), "hours", 0))
		w1, ok1 := total(rowAt(d.Effects(), "hours", 1))
		return w0 + w1 - 2*r.MeanTreatment*float64(r.NTreatment), ok0 && ok1 && r.Suppressed == ""
	}
	cellOnly, full := both(t, ds, plan)
	got, ok := attack(cellOnly)
	require.True(t, ok)
	assert.InDelta(t, 30, got, 1e-9)

	_, ok = attack(full)
	assert.False(t, ok)
	assert.Equal(t, "diff<5", full.Ratio().Suppressed)
}

// Rule 1 keeps a landmark by giving up the weeks before it: week 2 would
// be published (5 fewer than week 0), but then the landmark week 3 (1
// fewer than week 2) could not be; so week 2 goes and week 3 is compared
// with week 0.
func TestAtRiskChainKeepsLandmarks(t *testing.T) {
	r := &Results{Plan: Plan{MinCell: 5, Landmarks: []int{3}}, Trial: Trial{Treatment: 30, Control: 30},
		atRisk: [][2]int{{30, 30}, {30, 28}, {30, 25}, {30, 24}}}
	for k := range 4 {
		r.Attrition = append(r.Attrition, AttritionRow{Week: k})
	}
	node := atRiskChain(r, 5, "diff<5")
	assert.Equal(t, map[int]bool{0: true, 3: true}, node)
	var rules []string
	for _, a := range r.Attrition {
		rules = append(rules, a.Suppressed)
	}
	assert.Equal(t, []string{"", "diff<5", "diff<5", ""}, rules)

	// Without the landmark, week 2 is kept and week 3 goes.
	r.Plan.Landmarks = nil
	for k := range r.Attrition {
		r.Attrition[k] = AttritionRow{Week: k}
	}
	assert.Equal(t, map[int]bool{0: true, 2: true}, atRiskChain(r, 5, "diff<5"))
	// A landmark that cannot be kept (1 fewer than the arm's size) goes.
	r.Plan.Landmarks, r.Trial.Treatment = []int{0}, 31
	assert.Equal(t, map[int]bool{2: true}, atRiskChain(r, 5, "diff<5"))
}
