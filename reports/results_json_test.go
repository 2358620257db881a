package reports

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/analysis"
)

var testProvenance = Provenance{Version: "v1.2.3", Commit: "abc123", Modified: true, GoVersion: "go1.26.8",
	Command: []string{"rcteval", "demo"}, Seed: 7,
	Inputs: []Fingerprint{{Role: "assignment", Path: "assignment.csv.gz", SHA256: strings.Repeat("ab", 32), Bytes: 1234}}}

// results.json is valid JSON with the provenance and settings given, the
// effects' numbers exactly as the table model has them (nulls for blanks),
// keys in the columns' order, and the same bytes on rerun.
func TestResultsJSON(t *testing.T) {
	d := demoDisclosed(t, func(p *analysis.Plan) { p.MinCell = 40 })
	tables := allTables(d)
	b, err := ResultsJSON(testProvenance, d, tables)
	require.NoError(t, err)
	require.True(t, json.Valid(b))
	assert.True(t, bytes.HasSuffix(b, []byte("}\n")))
	again, err := ResultsJSON(testProvenance, d, allTables(d))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(b, again), "results.json differs between writes")

	var doc struct {
		Format  int
		Program struct {
			Version, Commit, Go string
			Modified            bool
		} `json:"rcteval"`
		Command  []string
		Inputs   []struct{ Role, Path, SHA256 string }
		Settings map[string]any
		Trial    map[string]any
		Tables   map[string][]map[string]json.RawMessage
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	assert.Equal(t, 1, doc.Format)
	assert.Equal(t, "v1.2.3", doc.Program.Version)
	assert.Equal(t, "abc123", doc.Program.Commit)
	assert.True(t, doc.Program.Modified)
	assert.Equal(t, "go1.26.8", doc.Program.Go)
	assert.Equal(t, []string{"rcteval", "demo"}, doc.Command)
	assert.Equal(t, "assignment", doc.Inputs[0].Role)
	assert.Equal(t, strings.Repeat("ab", 32), doc.Inputs[0].SHA256)
	plan := d.Plan()
	assert.Equal(t, plan.Level, doc.Settings["level"])
	assert.Equal(t, float64(40), doc.Settings["min_cell"])
	assert.Equal(t, "blocked", doc.Settings["estimator"])
	assert.Equal(t, float64(plan.BandDraws), doc.Settings["band_draws"])
	assert.Equal(t, float64(plan.Seed), doc.Settings["seed"])
	assert.Nil(t, doc.Settings["to_week"])
	ri := doc.Settings["randomisation_inference"].(map[string]any)
	assert.Equal(t, float64(200), ri["draws"])
	assert.Equal(t, float64(1498), doc.Trial["persons_treatment"])

	var names []string
	for _, table := range tables {
		if !table.Listing {
			names = append(names, table.Name)
		}
	}
	assert.Len(t, doc.Tables, len(names))
	assert.NotContains(t, doc.Tables, "rejects")

	// Every effects cell round-trips: numbers to the same float64 (or
	// int), blanks to null.
	effects := EffectsTable(d)
	rows := doc.Tables["effects"]
	require.Len(t, rows, len(effects.Rows))
	nulls := 0
	for i, want := range effects.Rows {
		for j, c := range effects.Columns {
			raw := rows[i][c.Name]
			switch w := want[j].(type) {
			case nil:
				assert.Equal(t, "null", string(raw), "%d %s", i, c.Name)
				nulls++
			case string:
				var s string
				require.NoError(t, json.Unmarshal(raw, &s))
				assert.Equal(t, w, s)
			case int64:
				n, err := strconv.ParseInt(string(raw), 10, 64)
				require.NoError(t, err, "%d %s: %s", i, c.Name, raw)
				assert.Equal(t, w, n)
			case float64:
				x, err := strconv.ParseFloat(string(raw), 64)
				require.NoError(t, err, "%d %s: %s", i, c.Name, raw)
				assert.Equal(t, w, x, "%d %s", i, c.Name)
			}
		}
	}
	assert.Greater(t, nulls, 100)
	assert.Contains(t, string(b), `"suppressed": "count<40"`) // not HTML-escaped

	// Keys come in the columns' order.
	first := string(b[bytes.Index(b, []byte(`"effects": [`)):])
	first = first[:strings.IndexByte(first, '}')]
	last := -1
	for _, c := range effects.Columns {
		at := strings.Index(first, strconv.Quote(c.Name)+":")
		assert.Greater(t, at, last, c.Name)
		last = at
	}
}

// Infinity is written as the CSV's text; an empty table as [].
func TestResultsJSONSpecialValues(t *testing.T) {
	d := demoDisclosed(t, func(p *analysis.Plan) { p.RIDraws = 0 })
	tables := []*DataTable{
		{Name: "special", Columns: columns(floatCol("x", FormatEstimate), uintCol("seed", FormatInteger)),
			Rows: [][]any{{math.Inf(1), uint64(math.MaxUint64)}, {nil, nil}}},
		{Name: "empty", Columns: columns(textCol("a")), Rows: [][]any{}},
	}
	b, err := ResultsJSON(Provenance{}, d, tables)
	require.NoError(t, err)
	require.True(t, json.Valid(b), string(b))
	s := string(b)
	assert.Contains(t, s, `{"x": "+Inf", "seed": 18446744073709551615}`)
	assert.Contains(t, s, `{"x": null, "seed": null}`)
	assert.Contains(t, s, `"empty": []`)
	assert.Contains(t, s, `"inputs": []`)
	assert.Contains(t, s, `"randomisation_inference": null`)
}
