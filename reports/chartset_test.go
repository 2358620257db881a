package reports

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/internal/demotest"
	"rcteval/pipeline/analysis"
)

// demoResults are the disclosed results of the embedded demo trial
// (without randomisation inference, which the charts do not draw).
func demoResults(t *testing.T) *analysis.Disclosed {
	t.Helper()
	d, err := demotest.Disclosed()
	require.NoError(t, err)
	return d
}

// Every chart of the registry builds in both languages and every format on
// the demo and on the small trial (with and without disclosure control)
// wherever it is available, fails with an error where it is not, and
// gives the same bytes when drawn again.
func TestEveryChartBuilds(t *testing.T) {
	small := dataset(t, smallAssignment, smallWeeks)
	sets := map[string]*analysis.Disclosed{"demo": demoResults(t), "small": disclosed(t, small, 0), "small, cells of 2": disclosed(t, small, 2)}
	for setName, d := range sets {
		for _, c := range Charts() {
			outcomes := c.Outcomes(d)
			if len(outcomes) == 0 {
				outcome := ""
				if c.TakesOutcome {
					outcome = "hours"
				}
				_, err := BuildChart(c.Name, ChartOptions{Lang: English, Results: d, Outcome: outcome})
				assert.Error(t, err, "%s: %s is not available but built", setName, c.Name)
				continue
			}
			if setName == "demo" {
				assert.NotEmpty(t, outcomes, c.Name)
			}
			for _, outcome := range outcomes {
				for _, lang := range []Lang{English, Danish} {
					opts := ChartOptions{Lang: lang, Results: d, Outcome: outcome}
					f, err := BuildChart(c.Name, opts)
					require.NoError(t, err, "%s: %s %s", setName, c.Name, outcome)
					assert.Equal(t, c.FileName(outcome), f.Name)
					assert.Equal(t, c.Number, f.Number)
					assert.NotEmpty(t, f.Title)
					_, err = f.Encode("svg")
					require.NoError(t, err)
					if lang == Danish || outcome != outcomes[0] {
						continue
					}
					// Drawn again, the same bytes in every format (PNG and
					// PDF on the demo only: they are slow).
					again, err := BuildChart(c.Name, opts)
					require.NoError(t, err)
					for _, format := range Formats {
						if format != "svg" && setName != "demo" {
							continue
						}
						b, err := f.Encode(format)
						require.NoError(t, err)
						b2, err := again.Encode(format)
						require.NoError(t, err)
						assert.True(t, bytes.Equal(b, b2), "%s: %s %s %s differs when drawn again", setName, c.Name, outcome, format)
					}
				}
			}
		}
	}
}

// The demo has every chart: Figures 1–8 each for their outcome.
func TestDemoHasEveryChart(t *testing.T) {
	d := demoResults(t)
	for _, c := range Charts() {
		assert.NotEmpty(t, c.Outcomes(d), c.Name)
		assert.NotEqual(t, "chart.desc."+c.Name, c.Description(Danish))
		assert.NotEqual(t, c.Description(English), c.Description(Danish), c.Name)
	}
	numbers := map[int]string{}
	for _, c := range Charts() {
		if c.Number > 0 {
			numbers[c.Number] = c.Name
		}
	}
	assert.Len(t, numbers, 8)
}

// Danish charts speak Danish: the midterm's words, decimal comma and
// thousands separator.
func TestChartDanishLabels(t *testing.T) {
	d := demoResults(t)
	f, err := BuildChart("fig5_hours", ChartOptions{Lang: Danish, Results: d})
	require.NoError(t, err)
	svg := svgText(t, f)
	for _, want := range []string{"Figur 5. Ordinære timer pr. uge", "Uger siden visitation", "Deltagergruppe", "Kontrolgruppe", "Effekt",
		"95 pct. konfidensinterval", "95 pct. simultant bånd", "1.498", "Personer fulgt"} {
		assert.Contains(t, svg, want)
	}
	assert.NotContains(t, svg, "Weeks since")
	f, err = BuildChart("fig7_hours_bands", ChartOptions{Lang: Danish, Results: d})
	require.NoError(t, err)
	svg = svgText(t, f)
	h := d.HoursDistribution()
	assert.Contains(t, svg, "Gennemsnitlige timer blandt dem med timer: Deltagergruppe "+formatNumber(Danish, h.MeanTreatment, 1)+" timer")
	assert.Contains(t, svg, ",") // the mean's decimal comma
	assert.Contains(t, svg, "30–37")
	f, err = BuildChart("balance", ChartOptions{Lang: Danish, Results: d, Labels: Labels{Covariates: map[string]string{"sex": "Køn"}, Levels: map[string]map[string]string{"sex": {"female": "Kvinde"}}}})
	require.NoError(t, err)
	svg = svgText(t, f)
	assert.Contains(t, svg, "Køn: Kvinde")
	assert.Contains(t, svg, "0,25")
	assert.Contains(t, svg, "Stratum (jobcenter): Aalborg")
}

// Suppressed weeks are marked and named in the legend; weeks without data
// are not.
func TestSuppressedWeeksMarked(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks)
	d := disclosed(t, ds, 2) // hours in week 2: one treated person, suppressed
	w, err := weeklyOf(ChartOptions{Lang: English, Results: d}, "hours")
	require.NoError(t, err)
	var want []float64
	for _, r := range d.OutcomeEffects("hours") {
		if r.Suppressed != "" {
			want = append(want, float64(r.Week))
		}
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, w.suppressedWeeks)
	f, err := BuildChart("means_effect", ChartOptions{Lang: English, Results: d, Outcome: "hours"})
	require.NoError(t, err)
	assert.True(t, strings.Contains(svgText(t, f), "Suppressed (disclosure control: under 2 persons)"))
	f, err = BuildChart("means_effect", ChartOptions{Lang: Danish, Results: d, Outcome: "hours"})
	require.NoError(t, err)
	assert.True(t, strings.Contains(svgText(t, f), "Undertrykt (diskretionering: under 2 personer)"))
	// Without disclosure control nothing is suppressed or marked.
	f, err = BuildChart("means_effect", ChartOptions{Lang: English, Results: disclosed(t, ds, 0), Outcome: "hours"})
	require.NoError(t, err)
	assert.NotContains(t, svgText(t, f), "Suppressed")
	// The demo's Figure 7 has suppressed bands, marked the same way.
	f, err = BuildChart("fig7_hours_bands", ChartOptions{Lang: English, Results: demoResults(t)})
	require.NoError(t, err)
	suppressedBand := false
	for _, b := range demoResults(t).HoursDistribution().Bands {
		suppressedBand = suppressedBand || b.SuppressedTreatment != "" || b.SuppressedControl != ""
	}
	assert.Equal(t, suppressedBand, strings.Contains(svgText(t, f), "Suppressed (disclosure control: under 5 persons)"))
}

func TestChartErrors(t *testing.T) {
	d := demoResults(t)
	small := disclosed(t, dataset(t, smallAssignment, smallWeeks), 0)
	for _, tc := range []struct {
		name string
		opts ChartOptions
		want string
	}{
		{"fig9", ChartOptions{Lang: English, Results: d}, `unknown chart "fig9"`},
		{"means", ChartOptions{Lang: English, Results: d}, "needs an outcome; one of: hours, employed"},
		{"means", ChartOptions{Lang: English, Results: d, Outcome: "salary"}, `outcome "salary": is not in this run`},
		{"km", ChartOptions{Lang: English, Results: d, Outcome: "hours"}, "it can for: sustained13"},
		{"fig5_hours", ChartOptions{Lang: English, Results: d, Outcome: "employed"}, "takes no outcome"},
		{"fig5_hours", ChartOptions{Lang: English, Results: d, FromWeek: 50}, "weeks from 50: the results end at week 43"},
		{"fig5_hours", ChartOptions{Lang: English, Results: d, FromWeek: 20, ToWeek: 10}, "expected from ≤ to"},
		{"fig5_hours", ChartOptions{Lang: English, Results: d, FromWeek: -1}, "expected 0 or more"},
		{"fig5_hours", ChartOptions{Lang: "fr", Results: d}, "unknown language"},
		{"fig5_hours", ChartOptions{Lang: English}, "no results"},
		{"fig7_hours_bands", ChartOptions{Lang: English, Results: d, Week: 26}, "hold the distribution of hours in week 35, not 26"},
		{"forest", ChartOptions{Lang: English, Results: d, Outcome: "hours", Week: 20}, "the landmark weeks with them are 13, 26, 35"},
		{"fig1_praktik", ChartOptions{Lang: English, Results: small, FromWeek: 5}, "the results end at week 2"},
	} {
		f, err := BuildChart(tc.name, tc.opts)
		assert.Nil(t, f, tc.want)
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
	// A run without an hours outcome has no hours charts.
	plan := analysis.DefaultPlan()
	plan.MinCell, plan.RIDraws = 0, 0
	ds := dataset(t, smallAssignment, smallWeeks)
	ds.Outcomes = ds.Outcomes[1:] // employed, praktik, wage_subsidy, sustained13
	r, err := analysis.Run(ds, plan)
	require.NoError(t, err)
	noHours := analysis.Disclose(r)
	_, err = BuildChart("fig3_hours", ChartOptions{Lang: English, Results: noHours})
	assert.ErrorContains(t, err, `chart fig3_hours is not available: the outcome "hours" is not in this run`)
	_, err = BuildChart("fig7_hours_bands", ChartOptions{Lang: English, Results: noHours})
	assert.ErrorContains(t, err, "chart fig7_hours_bands is not available: the run has no hours outcome")
	_, err = BuildChart("fig6_employed", ChartOptions{Lang: English, Results: noHours})
	assert.NoError(t, err)
}

// A week range limits the weeks drawn, and the persons-at-risk numbers
// under them.
func TestChartWeekRange(t *testing.T) {
	d := demoResults(t)
	f, err := BuildChart("fig5_hours", ChartOptions{Lang: English, Results: d, FromWeek: 10, ToWeek: 20})
	require.NoError(t, err)
	svg := svgText(t, f)
	assert.Contains(t, svg, "1,333")    // week 10
	assert.NotContains(t, svg, "1,498") // week 0
	assert.NotContains(t, svg, "775")   // week 30
}

func TestNiceTicksIncludeZero(t *testing.T) {
	for _, r := range [][2]float64{{-0.13, 3.4}, {-1.9, 33}, {0.2, 0.9}, {-12.5, -0.4}, {-0.004, 0.012}, {5, 5}} {
		var p = newPanel("", "", "")
		scaleAxis(English, &p.Y, r[0], r[1], true)
		assert.LessOrEqual(t, p.Y.Min, r[0])
		assert.GreaterOrEqual(t, p.Y.Max, r[1])
		zero := false
		for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
			if tk.Label != "" {
				zero = zero || tk.Value == 0
				assert.False(t, strings.HasPrefix(tk.Label, "−0") && strings.Trim(tk.Label, "−0.") == "", "%v: %s", r, tk.Label)
			}
		}
		assert.True(t, zero, "%v: 0 is not a labelled tick", r)
	}
}

func TestFormatNumber(t *testing.T) {
	assert.Equal(t, "1.234,5", formatNumber(Danish, 1234.5, 1))
	assert.Equal(t, "1,234.5", formatNumber(English, 1234.5, 1))
	assert.Equal(t, "−0,25", formatNumber(Danish, -0.25, 2))
	assert.Equal(t, "0,0", formatNumber(Danish, -0.01, 1)) // no −0
	assert.Equal(t, "12.345.678", formatNumber(Danish, 12345678, 0))
}

// Every chart has the table behind it: rows of its outcome and the weeks
// shown only, never empty where the chart can be drawn.
func TestChartTable(t *testing.T) {
	d := demoResults(t)
	for _, c := range Charts() {
		for _, outcome := range c.Outcomes(d) {
			opts := ChartOptions{Lang: English, Results: d, Outcome: outcome, FromWeek: 3, ToWeek: 20}
			tab, err := ChartTable(c.Name, opts)
			require.NoError(t, err, c.Name)
			require.NotEmpty(t, tab.Rows, "%s %s", c.Name, outcome)
			week := slices.Index(tab.Header(), "week")
			out := slices.Index(tab.Header(), "outcome")
			for _, row := range tab.Rows {
				if want := cmp.Or(outcome, c.Outcome); out >= 0 && want != "" && c.Name != "fig7_hours_bands" {
					assert.Equal(t, want, row[out], c.Name)
				}
				if k, ok := row[max(week, 0)].(int64); week >= 0 && ok && c.Weekly() {
					assert.True(t, k >= 3 && k <= 20, "%s week %d", c.Name, k)
				}
			}
		}
	}
	_, err := ChartTable("effect", ChartOptions{Lang: English, Results: d, Outcome: "hours", FromWeek: 900})
	assert.ErrorContains(t, err, "the results end at week")
}
