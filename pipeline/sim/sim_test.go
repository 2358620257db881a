package sim

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline"
	"rcteval/pipeline/ingest"
	"rcteval/stats"
)

func simulate(t *testing.T, opt Options) *pipeline.Dataset {
	t.Helper()
	tr := New(opt)
	var a, w bytes.Buffer
	require.NoError(t, tr.WriteAssignment(&a))
	require.NoError(t, tr.WriteWeeks(&w))
	cfg := ingest.Default()
	cfg.Assignment = ingest.BytesInput("assignment.csv", a.Bytes())
	cfg.Weeks = []ingest.Input{ingest.BytesInput("weeks.csv", w.Bytes())}
	ds, err := ingest.Load(cfg)
	require.NoError(t, err)
	return ds
}

func TestDeterministic(t *testing.T) {
	opt := DefaultOptions()
	opt.Persons = 200
	out := func() string {
		tr := New(opt)
		var b bytes.Buffer
		require.NoError(t, tr.WriteAssignment(&b))
		require.NoError(t, tr.WriteWeeks(&b))
		var again bytes.Buffer
		require.NoError(t, tr.WriteWeeks(&again))
		assert.True(t, strings.HasSuffix(b.String(), again.String()), "a second call writes the same weeks")
		return b.String()
	}
	assert.Equal(t, out(), out())
}

// The simulated trial has the shape of the JobFirst midterm numbers.
func TestMidtermShape(t *testing.T) {
	opt := DefaultOptions()
	opt.Persons = 12000
	ds := simulate(t, opt)
	s := ds.Store
	at := func(name string, k int) stats.Estimate {
		for _, o := range ds.Outcomes {
			if o.Def.Name == name {
				y := o.Week(k, nil)
				e, err := stats.DifferenceInMeans(y, s.Treated[:len(y)], 0.95)
				require.NoError(t, err)
				return e
			}
		}
		t.Fatalf("no outcome %s", name)
		return stats.Estimate{}
	}
	for _, name := range []string{"hours", "employed", "praktik", "wage_subsidy", "sustained13"} {
		for _, k := range []int{0, 5, 13, 20, 26, 35, 40} {
			e := at(name, k)
			t.Logf("%-13s week %2d  n=%4d/%4d  treatment %.3f  control %.3f  effect %+.3f (p %.3g)",
				name, k, e.NTreatment, e.NControl, e.MeanTreatment, e.MeanControl, e.Estimate, e.PValue)
		}
	}
	in := func(v, lo, hi float64, what string) {
		assert.True(t, v >= lo && v <= hi, "%s = %.3f, want %.3f–%.3f", what, v, lo, hi)
	}
	e := at("employed", 35)
	in(e.MeanControl, 0.05, 0.09, "control employed w35")
	in(e.MeanTreatment, 0.10, 0.14, "treatment employed w35")
	h0, h := at("hours", 0), at("hours", 35)
	in(h0.MeanControl, 0.3, 0.8, "control hours w0")
	in(h.MeanControl, 0.9, 1.6, "control hours w35")
	in(h.MeanTreatment, 1.7, 2.5, "treatment hours w35")
	p := at("praktik", 15)
	in(p.MeanControl, 0.07, 0.13, "control praktik w15")
	in(p.MeanTreatment, 0.30, 0.42, "treatment praktik w15")
	w := at("wage_subsidy", 26)
	in(w.MeanControl, 0.0, 0.03, "control wage subsidy w26")
	in(w.Estimate, 0.003, 0.02, "wage subsidy effect w26")
	s35 := at("sustained13", 35)
	in(s35.Estimate, 0.18, 0.32, "sustained13 effect w35")
	in(s35.MeanControl, 0.10, 0.25, "control sustained13 w35")
}
