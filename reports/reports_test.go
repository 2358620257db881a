package reports

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline"
	"rcteval/pipeline/analysis"
	"rcteval/pipeline/ingest"
)

func dataset(t *testing.T, assignment, weeks string) *pipeline.Dataset {
	t.Helper()
	cfg := ingest.Default()
	cfg.Assignment = ingest.BytesInput("assignment.csv", []byte(assignment))
	cfg.Weeks = []ingest.Input{ingest.BytesInput("weeks.csv", []byte(weeks))}
	cfg.MaxMissing = 1 // the hand-made trials are tiny
	ds, err := ingest.Load(cfg)
	require.NoError(t, err)
	return ds
}

// Six persons randomised in 2016-W10 (three per arm), one in 2016-W12;
// extract end 2016-W12.
const smallAssignment = `person_id,arm,randomised_on,age,sex
t1,treatment,2016-03-07,30,f
t2,treatment,2016-03-08,40,m
t3,treatment,2016-03-09,50,f
c1,control,2016-03-07,35,m
c2,control,2016-03-08,45,m
c3,control,2016-03-09,,f
c4,control,2016-03-21,55,f
`

const smallWeeks = `person_id,week,hours,status
t1,2016-W10,10,
t2,2016-W10,20,
c1,2016-W10,6,
t1,2016-W12,5,
c4,2016-W12,1,
`

// disclosed runs the analysis on ds at 95 % with the given minimum cell.
func disclosed(t *testing.T, ds *pipeline.Dataset, minCell int) *analysis.Disclosed {
	t.Helper()
	plan := analysis.DefaultPlan()
	plan.MinCell = minCell
	r, err := analysis.Run(ds, plan)
	require.NoError(t, err)
	return analysis.Disclose(r)
}

func TestChartAndReport(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	d := disclosed(t, ds, 0)
	for _, lang := range []Lang{English, Danish} {
		c, err := EffectChart(lang, d, "hours", "")
		require.NoError(t, err)
		for format, magic := range map[string]string{"png": "\x89PNG", "svg": "<?xml", "pdf": "%PDF"} {
			b, err := c.Encode(format)
			require.NoError(t, err)
			assert.Equal(t, magic, string(b[:len(magic)]), format)
		}
	}
	plan := analysis.DefaultPlan()
	plan.Level = 0.9
	r, err := analysis.Run(ds, plan)
	require.NoError(t, err)
	c, err := EffectChart(English, analysis.Disclose(r), "hours", "")
	require.NoError(t, err)
	svg := svgText(t, c)
	assert.Contains(t, svg, "Weeks since randomisation")
	assert.Contains(t, svg, "90 % confidence interval")
	assert.Equal(t, "Effekt med 97,5 pct. konfidensinterval", TLevel(Danish, "effect_ci", 0.975))
	in := ReportInput{Lang: Danish, Results: disclosed(t, ds, 5)}
	html, err := RenderReport(in)
	require.NoError(t, err)
	s := string(html)
	assert.Contains(t, s, "Balance ved lodtrækningen")
	assert.Contains(t, s, "Forskel i gennemsnit mellem grupperne blandt dem, der følges i ugen, med Neyman-standardfejl") // no strata: plain
	assert.Contains(t, s, `<svg role="img" class="chart"`)
	assert.NotContains(t, s, "t1,") // no ids
	// With a minimum cell of 5 sex is pooled away: the note is under the table.
	assert.Contains(t, s, "Bemærkninger til balancetabellen")
	assert.Contains(t, s, "har for få personer pr. kategori til at vise nogen")
}

// The report defines its outcomes, names its method and puts the primary
// outcomes' adjusted p-values in a table of their own.
func TestReportMethodDefinitionsFamily(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	plan := analysis.DefaultPlan()
	plan.MinCell, plan.Landmarks = 0, []int{0, 1}
	r, err := analysis.Run(ds, plan)
	require.NoError(t, err)
	html, err := RenderReport(ReportInput{Lang: English, Results: analysis.Disclose(r)})
	require.NoError(t, err)
	s := string(html)
	assert.Contains(t, s, "difference in means (Neyman standard errors, Welch df); exact randomisation inference over all 35 possible assignments")
	assert.Contains(t, s, "gaps of up to 4 weeks do not break the run")
	assert.Contains(t, s, "Primary outcomes at the landmark weeks, adjusted for multiple testing")
	assert.Contains(t, s, "Westfall–Young")
}

func TestBalanceNoteText(t *testing.T) {
	n := analysis.BalanceNote{Kind: analysis.NotePerfectlyPredicted, Covariate: "gruppe"}
	pooled := analysis.BalanceNote{Kind: analysis.NoteAllPooled, Covariate: "sex", MinCell: 3}
	assert.Equal(t, `covariate "sex" has too few persons per level to show any: levels held by fewer than 3 persons in an arm are pooled into (other), and that took every level; it is in neither the χ² test nor the joint test`, BalanceNoteText(English, pooled))
	copied := analysis.BalanceNote{Kind: analysis.NotePerfectlyPredicted, Covariate: "gruppe"}
	assert.Equal(t, `covariate "gruppe" is perfectly predicted by the arm (each of its values occurs in one arm only): it looks like a copy of the assignment and is left out of the joint test`, BalanceNoteText(English, copied))
	assert.Equal(t, "the covariates together predict the arm perfectly (a combination of them is a copy of the assignment): the joint test has no p-value", BalanceNoteText(English, analysis.BalanceNote{Kind: analysis.NoteJointPerfectFit}))
	few := analysis.BalanceNote{Kind: analysis.NoteFewValues, Covariate: "age", MinCell: 3}
	assert.Equal(t, `covariate "age" has a value for fewer than 3 persons in an arm: its means are not shown, and it is in neither the Welch test nor the joint test`, BalanceNoteText(English, few))
	assert.Equal(t, `baggrundsvariablen "gruppe" forudsiges fuldstændigt af gruppen (hver af dens værdier forekommer kun i én gruppe): den ligner en kopi af lodtrækningen og er udeladt af den samlede test`, BalanceNoteText(Danish, n))
}

func TestCatalogueComplete(t *testing.T) {
	for key, texts := range catalogue {
		assert.NotEmpty(t, texts[English], key)
		assert.NotEmpty(t, texts[Danish], key)
	}
	for _, d := range pipeline.DefaultOutcomes() {
		assert.NotEqual(t, d.Name, OutcomeTitle(English, d.Name), "outcome %s has a title", d.Name)
	}
}

// The axes say what an outcome measures: weeks on benefit are not hours.
func TestChartAxisFollowsUnit(t *testing.T) {
	for kind, want := range map[pipeline.OutcomeKind]string{pipeline.KindBenefitWeeks: "Weeks on benefit since week 0",
		pipeline.KindCumulativeHours: "Hours since week 0", pipeline.KindHours: "Hours per week"} {
		ds := dataset(t, smallAssignment, smallWeeks)
		require.NoError(t, ds.Derive([]pipeline.OutcomeDef{{Name: "x", Kind: kind, Statuses: []pipeline.Status{pipeline.StatusBenefit}}}))
		c, err := EffectChart(English, disclosed(t, ds, 0), "x", "My title")
		require.NoError(t, err)
		svg := svgText(t, c)
		assert.Contains(t, svg, want, kind)
		assert.Contains(t, svg, "My title")
		if kind != pipeline.KindHours {
			assert.NotContains(t, svg, "Hours per week", kind)
		}
	}
}

func TestSignedNeverMinusZero(t *testing.T) {
	assert.Equal(t, "0.0", signed("%+.1f", -0.04))
	assert.Equal(t, "0.00", signed("%+.2f", 0.001))
	assert.Equal(t, "-0.1", signed("%+.1f", -0.06))
	assert.Equal(t, "+2.50", signed("%+.2f", 2.5))
	assert.Equal(t, "1,234", thousands(English, 1234))
	assert.Equal(t, "1.234.567", thousands(Danish, 1234567))
}

// The demo follows 43 weeks: landmark 44 is "not yet observable" and week
// 43, the last followed, is shown instead; the at-risk counts have
// thousands separators.
func TestLandmarkBeyondFollowUp(t *testing.T) {
	rows := []analysis.Effect{{Week: 12}, {Week: 13}, {Week: 42}, {Week: 43}}
	got := landmarkRows(rows, []int{13, 26, 44, 50})
	var weeks []int
	var notYet []bool
	for _, r := range got {
		weeks, notYet = append(weeks, r.Week), append(notYet, r.NotYet)
	}
	assert.Equal(t, []int{13, 43, 44, 50}, weeks) // 26 has no row: not estimated weeks are not invented
	assert.Equal(t, []bool{false, false, true, true}, notYet)
	assert.Equal(t, 43, got[2].LastWeek)
}

// Covariates and levels are shown under the spec's labels in the report's
// language; the panel's own rows under the catalogue's names.
func TestBalanceLabels(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	in := ReportInput{Lang: Danish, Results: disclosed(t, ds, 0),
		Labels: Labels{Covariates: map[string]string{"sex": "Køn", "age": "Alder"}, Levels: map[string]map[string]string{"sex": {"f": "Kvinde", "m": "Mand"}}}}
	html, err := RenderReport(in)
	require.NoError(t, err)
	s := string(html)
	for _, want := range []string{">Køn<", ">Kvinde<", ">Mand<", ">Alder<", ">Uger fulgt<"} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, ">follow_up_weeks<")
}

// svgText is the figure drawn as SVG.
func svgText(t *testing.T, f *Figure) string {
	t.Helper()
	b, err := f.Encode("svg")
	require.NoError(t, err)
	return string(b)
}

// A final report judges each success criterion, with the reason when it
// cannot; a midterm report has no criteria section. Both render the same
// bytes twice.
func TestFinalReportCriteria(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	plan := analysis.DefaultPlan()
	plan.MinCell = 0
	plan.Criteria = []analysis.Criterion{
		{Kind: analysis.CriterionEffect, Outcome: "hours", Week: 0, AtLeast: -100},
		{Kind: analysis.CriterionEffect, Outcome: "hours", Week: 50, AtLeast: 1},
		{Kind: analysis.CriterionNotInData, Label: map[string]string{"en": "75 % show progression", "da": "75 pct. viser progression"}},
	}
	r, err := analysis.Run(ds, plan)
	require.NoError(t, err)
	d := analysis.Disclose(r)
	in := ReportInput{Lang: English, Kind: Final, Results: d}
	html, err := RenderReport(in)
	require.NoError(t, err)
	s := string(html)
	for _, want := range []string{"Final evaluation", `<h2 id="criteria">Success criteria</h2>`,
		"Success criteria: 1 of 3 met, 0 not met, 2 not shown by these data",
		"Ordinary hours per week, week 0: effect of at least −100.00", "<td>met</td>",
		"not shown: the week is beyond the follow-up", "75 % show progression", "not shown: not measured in the register data"} {
		assert.Contains(t, s, want)
	}
	again, err := RenderReport(in)
	require.NoError(t, err)
	assert.Equal(t, html, again, "byte-identical rerun")

	in.Lang = Danish
	html, err = RenderReport(in)
	require.NoError(t, err)
	assert.Contains(t, string(html), "Slutevaluering")
	assert.Contains(t, string(html), "75 pct. viser progression")
	assert.Contains(t, string(html), "<td>opfyldt</td>")

	in.Kind = Midterm
	html, err = RenderReport(in)
	require.NoError(t, err)
	assert.NotContains(t, string(html), `id="criteria"`)
	_, err = RenderReport(ReportInput{Kind: "interim", Results: d})
	assert.EqualError(t, err, `unknown report kind "interim"; expected midterm or final`)
}

// A midterm report warns from the first week at which fewer than the set
// share of an arm is followed, under the figures and in the tables.
func TestMidtermWarnsAtRisk(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	d := disclosed(t, ds, 0)
	assert.Equal(t, 1, warnWeek(d.Attrition(), 0.9)) // c4 is randomised two weeks later: week 1 has 3 of 4 controls
	assert.Equal(t, -1, warnWeek(d.Attrition(), 0))
	html, err := RenderReport(ReportInput{Lang: English, Results: d, WarnAtRisk: 0.9, Landmarks: []int{0, 1, 2}})
	require.NoError(t, err)
	s := string(html)
	assert.Contains(t, s, `From week 1 (dotted line) fewer than 90 % of a group&#39;s persons are still followed`, "the chart marks it")
	assert.Contains(t, s, `<p class="warning">From week 1 on, fewer than 90 %`, "the summary says it")
	assert.Contains(t, s, `data-v="1">1 *</td>`)
	assert.NotContains(t, s, `data-v="0">0 *</td>`)
}

// Numbers in report text: a minus sign, not a hyphen; a decimal comma and a
// thousands point in Danish; never "−0.0".
func TestNumbersInText(t *testing.T) {
	en, da := numbers{English}, numbers{Danish}
	assert.Equal(t, "−1.50", en.diff(false, -1.5))
	assert.Equal(t, "−1,50", da.diff(false, -1.5))
	assert.Equal(t, "+5.7", en.diff(true, 0.057))
	assert.Equal(t, "0.0", en.diff(true, -0.0001))
	assert.Equal(t, "[−0,53; +2,58]", da.ci(false, -0.53, 2.58))
	assert.Equal(t, "12,0 %", da.pct(0.12))
	assert.Equal(t, "< 0,001", da.p(0.0001))
	assert.Equal(t, "1.234.567", da.int(1234567))
	assert.Equal(t, "–", en.fixed(math.NaN(), 2))
}
