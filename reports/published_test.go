package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every chart drawn from the published results read back is the chart
// drawn from the results themselves, byte for byte, in both languages.
func TestPublishedDrawsTheSameCharts(t *testing.T) {
	t.Parallel()
	d := demoResults(t)
	path := filepath.Join(t.TempDir(), PublishedFile)
	in := &Published{Trial: "JobFirst", Kind: Midterm, WarnAtRisk: 0.5,
		Titles:     map[Lang]map[string]string{Danish: {"hours": "Ordinære timer"}},
		Labels:     map[Lang]Labels{Danish: {Covariates: map[string]string{"stratum": "Jobcenter"}}},
		Provenance: Provenance{Version: "v1", Inputs: []Fingerprint{{Role: "weeks", Path: "w.csv", SHA256: "ab", Bytes: 3}}},
		Results:    d}
	require.NoError(t, WritePublished(path, in))
	p, err := OpenPublished(filepath.Dir(path))
	require.NoError(t, err)
	assert.Equal(t, in.Provenance, p.Provenance)
	byFile, err := OpenPublished(path)
	require.NoError(t, err, "the published file itself is taken too")
	assert.Equal(t, p.Trial, byFile.Trial)
	assert.Equal(t, in.Titles, p.Titles)

	drawn := 0
	for _, lang := range []Lang{English, Danish} {
		for _, c := range Charts() {
			for _, outcome := range c.Outcomes(d) {
				want := in.ChartOptions(lang)
				got := p.ChartOptions(lang)
				want.Outcome, got.Outcome = outcome, outcome
				a, err := BuildChart(c.Name, want)
				require.NoError(t, err)
				b, err := BuildChart(c.Name, got)
				require.NoError(t, err)
				x, err := a.Encode("svg")
				require.NoError(t, err)
				y, err := b.Encode("svg")
				require.NoError(t, err)
				if !assert.True(t, bytes.Equal(x, y), "%s %s %s differs", lang, c.Name, outcome) {
					return
				}
				drawn++
			}
		}
	}
	assert.Greater(t, drawn, 40)

	// Writing it again gives the same bytes.
	again := filepath.Join(t.TempDir(), PublishedFile)
	require.NoError(t, WritePublished(again, p))
	b1, _ := os.ReadFile(path)
	b2, _ := os.ReadFile(again)
	assert.Equal(t, string(b1), string(b2))
}

func TestReadPublishedRefuses(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"empty.json": "", "other.json": `{"format": 1}`, "future.json": `{"format": 9, "results": {}}`} {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
		_, err := ReadPublished(path)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), path)
	}
	_, err := ReadPublished(filepath.Join(dir, "missing.json"))
	assert.Error(t, err)
	_, err = OpenPublished(filepath.Join(dir, "empty.json"))
	assert.ErrorContains(t, err, "is a file; give the folder")
	_, err = OpenPublished(dir)
	assert.ErrorContains(t, err, "holds no published results")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "array.json"), []byte("[]"), 0o644))
	_, err = ReadPublished(filepath.Join(dir, "array.json"))
	assert.ErrorContains(t, err, "expected an object with format and results")
}

// The page's brief says what the report's summary says: a midterm warns
// about the late weeks, a final one tallies the success criteria.
func TestBrief(t *testing.T) {
	p := &Published{Trial: "JobFirst", Kind: Midterm, WarnAtRisk: 0.5, Results: demoResults(t), Provenance: Provenance{Version: "v1", GoVersion: "go1.26"}}
	b := p.Brief(Danish)
	assert.Equal(t, "Effektevaluering: JobFirst", b.Title)
	assert.NotEmpty(t, b.Headline)
	assert.Contains(t, b.Warning, "50 %")
	assert.Empty(t, b.Criteria)
	assert.Contains(t, b.Methods, "95 %")
	assert.Equal(t, "v1 (go1.26)", b.Version)
	p.Kind, p.WarnAtRisk = Final, 0
	b = p.Brief(English)
	assert.Empty(t, b.Warning)
	assert.Equal(t, T(English, "summary.no_criteria"), b.Criteria, "the demo's plan has no criteria")
}
