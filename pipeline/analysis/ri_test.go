package analysis

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline"
)

// readGolden reads a CSV file of testdata/golden into records by column name.
func readGolden(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open("../../testdata/golden/" + name)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func golden(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return v
}

// oneWeekTrial is a trial randomised in one week whose week-0 hours are y,
// with a stratum per person.
func oneWeekTrial(t *testing.T, y []float64, treated []bool, strata []string) *pipeline.Dataset {
	t.Helper()
	week := pipeline.ISOWeek{Year: 2016, Week: 10}
	a := pipeline.NewAssignment("golden")
	for i, z := range treated {
		arm := pipeline.Control
		if z {
			arm = pipeline.Treatment
		}
		a.Add(fmt.Sprint(i), arm, week.Index(), i+2)
	}
	a.SetStratum("stratum", pipeline.TextColumnOf(strata))
	b := pipeline.NewBuilder(a, week, 0, pipeline.CanonicalCategories)
	for j, v := range y {
		require.True(t, b.Set(int32(j), 0, v, true, pipeline.StatusNone, true, pipeline.DupReject))
	}
	s, err := b.Finish(week)
	require.NoError(t, err)
	ds := &pipeline.Dataset{Assignment: a, Store: s}
	require.NoError(t, ds.Derive([]pipeline.OutcomeDef{{Name: "hours", Kind: pipeline.KindHours}}))
	return ds
}

// Every assignment enumerated, as R does by brute force with estimatr's
// statistics (and coin's exact test for the difference in means): the
// statistics to 1e-12, the p-values exactly.
func TestRandomisationInferenceMatchesEnumeration(t *testing.T) {
	data := readGolden(t, "ri_data.csv")
	for _, want := range readGolden(t, "ri_expected.csv") {
		t.Run(want["case"], func(t *testing.T) {
			var y []float64
			var z []bool
			var strata []string
			for _, r := range data {
				if r["case"] == want["case"] {
					y, z, strata = append(y, golden(t, r["y"])), append(z, r["z"] == "1"), append(strata, r["block"])
				}
			}
			ds := oneWeekTrial(t, y, z, strata)
			d, err := newRIDesign(ds.Store)
			require.NoError(t, err)
			blocked := want["case"] == "blocked"
			assert.Equal(t, golden(t, want["assignments"]), d.assignments())
			for _, studentized := range []bool{false, true} {
				p := newRIPanel(ds.Store, ds.Outcomes, 0, 1, blocked, studentized)
				res := randomisationInference(ds.Store, &d, p, 5000, 1)
				require.True(t, res.exact)
				require.Len(t, res.draws, int(d.assignments()))
				name := map[bool]string{false: "difference", true: "studentized"}[studentized]
				assert.InDelta(t, golden(t, want[name]), res.observed[0], 1e-12, name)
				pv, mcse := res.pValue(0)
				assert.InDelta(t, golden(t, want["p_"+name]), pv, 1e-12, name)
				assert.Equal(t, 0.0, mcse)
				if !blocked && !studentized {
					assert.InDelta(t, golden(t, want["p_coin"]), pv, 1e-12, "coin")
				}
			}
		})
	}
}
