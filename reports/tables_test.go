package reports

import (
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval"
	"rcteval/pipeline/analysis"
	"rcteval/pipeline/ingest"
)

var demoOnce = sync.OnceValues(func() (*ingest.Config, error) {
	cfg := ingest.Default()
	in := func(name string) (ingest.Input, error) {
		b, err := io.ReadAll(rcteval.DemoFile(name))
		return ingest.BytesInput(name, b), err
	}
	var err error
	if cfg.Assignment, err = in(rcteval.DemoAssignment); err != nil {
		return nil, err
	}
	w, err := in(rcteval.DemoWeeks)
	cfg.Weeks = []ingest.Input{w}
	return &cfg, err
})

// demoDisclosed runs the embedded demo trial under the default plan
// changed by edit, with 200 RI draws (enough to fill every column).
func demoDisclosed(t *testing.T, edit func(*analysis.Plan)) *analysis.Disclosed {
	t.Helper()
	cfg, err := demoOnce()
	require.NoError(t, err)
	ds, err := ingest.Load(*cfg)
	require.NoError(t, err)
	plan := analysis.DefaultPlan()
	plan.RIDraws = 200
	if edit != nil {
		edit(&plan)
	}
	r, err := analysis.Run(ds, plan)
	require.NoError(t, err)
	return analysis.Disclose(r)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

func csvBytes(t *testing.T, table *DataTable) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), table.Name+".csv")
	require.NoError(t, WriteCSV(path, table))
	return readFile(t, path)
}

// The CSV files written from the table model are byte for byte what the
// hand-written writers they replaced wrote, on the demo under three plans
// (with suppressed cells, Lin's estimator, no cohort) and on a small trial
// with rejected rows.
func TestCSVUnchangedByTableModel(t *testing.T) {
	cases := map[string]*analysis.Disclosed{
		"demo":             demoDisclosed(t, nil),
		"demo lin min 40":  demoDisclosed(t, func(p *analysis.Plan) { p.Estimator, p.MinCell = analysis.Lin, 40 }),
		"demo plain min 0": demoDisclosed(t, func(p *analysis.Plan) { p.Estimator, p.MinCell, p.Cohort, p.RIDraws = analysis.Plain, 0, -1, 0 }),
		"small, rejects":   disclosed(t, dataset(t, smallAssignment, smallWeeks+"x9,2016-W10,1,\nt1,2016-W10,3,\n"), 0),
	}
	for name, d := range cases {
		for _, c := range []struct {
			table  *DataTable
			legacy []byte
		}{
			{EffectsTable(d), legacyEffects(d)}, {CohortTable(d), legacyCohort(d)}, {BandsTable(d), legacyBands(d)},
			{AttritionTable(d), legacyAttrition(d)}, {SubgroupsTable(d), legacySubgroups(d)}, {SubgroupTestsTable(d), legacySubgroupTests(d)},
			{KMTable(d), legacyKM(d)}, {RatioTable(d), legacyRatio(d)}, {MultiplicityTable(d), legacyMultiplicity(d)},
			{BalanceTable(d), legacyBalance(d)}, {RejectsTable(d.Accounting()), legacyRejects(d.Accounting())},
		} {
			assert.Equal(t, string(c.legacy), string(csvBytes(t, c.table)), "%s: %s.csv", name, c.table.Name)
		}
	}
	// The cases reach what they are meant to.
	d := cases["demo lin min 40"]
	assert.Contains(t, string(csvBytes(t, EffectsTable(d))), ",count<40,lin,")
	small := cases["small, rejects"].Accounting()
	assert.Equal(t, 2, small.RejectCount())
}

// Every cell holds its column's type (or nil); no float is NaN.
func TestTablesAreTyped(t *testing.T) {
	d := demoDisclosed(t, func(p *analysis.Plan) { p.MinCell = 40 })
	for _, table := range append(EffectTables(d), BalanceTables(d)...) {
		n := 0
		table.EachRow(func(row []any) {
			n++
			require.Len(t, row, len(table.Columns), table.Name)
			for i, v := range row {
				if v == nil {
					continue
				}
				col := table.Columns[i]
				switch col.Kind {
				case KindText:
					assert.IsType(t, "", v, "%s.%s", table.Name, col.Name)
					assert.NotEmpty(t, v, "%s.%s: an empty text is nil", table.Name, col.Name)
				case KindInt:
					assert.IsType(t, int64(0), v, "%s.%s", table.Name, col.Name)
				case KindUint:
					assert.IsType(t, uint64(0), v, "%s.%s", table.Name, col.Name)
				case KindFloat:
					require.IsType(t, float64(0), v, "%s.%s", table.Name, col.Name)
					assert.False(t, math.IsNaN(v.(float64)), "%s.%s", table.Name, col.Name)
				}
			}
		})
		if !table.Listing && table.Name != "rejected" {
			assert.Greater(t, n, 0, "%s has rows", table.Name)
		}
	}
}

// rejected counts the listing's rows by file and reason.
func TestRejectedTable(t *testing.T) {
	ds := dataset(t, smallAssignment, smallWeeks+"x9,2016-W10,1,\nx8,2016-W11,1,\nt1,2016-W10,3,\n")
	table := RejectedTable(ds.Accounting)
	assert.Equal(t, [][]any{{"weeks.csv", "duplicate_person_week", int64(1)}, {"weeks.csv", "unknown_person", int64(2)}}, table.Rows)
}

func TestCSVText(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{{nil, ""}, {"a,b", "a,b"}, {int64(-3), "-3"}, {uint64(math.MaxUint64), "18446744073709551615"},
		{0.1, "0.1"}, {1e-7, "1e-07"}, {math.Inf(1), "+Inf"}, {math.Inf(-1), "-Inf"}} {
		assert.Equal(t, c.want, csvText(c.v), "%v", c.v)
	}
}

// Every column of every table has a heading in both languages for the chart
// page and its copy, and TableText uses it.
func TestColumnHeadings(t *testing.T) {
	all := [][]DataColumn{effectColumns, bandsColumns, attritionColumns, subgroupTestsColumns, kmColumns, ratioColumns,
		multiplicityColumns, balanceColumns, hoursDistributionColumns, rejectedColumns, subgroupsColumns, rejectsColumns}
	for _, cols := range all {
		for _, c := range cols {
			for _, lang := range []Lang{Danish, English} {
				assert.NotEmpty(t, columnHeadings[c.Name][lang], "column %q has no heading in %s", c.Name, lang)
			}
		}
	}
	table := &DataTable{Name: "attrition", Columns: attritionColumns}
	head, _, _ := strings.Cut(TableText(table, Danish), "\n")
	assert.Equal(t, "Uge\tFulgt, deltagere\tFulgt, kontrol\tAndel deltagere\tAndel kontrol\tForskel\tp-værdi\tUndertrykt", head)
}
