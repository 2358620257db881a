package analysis

import (
	"bytes"
	"testing"

	"rcteval/pipeline"
	"rcteval/pipeline/ingest"
	"rcteval/pipeline/sim"
)

// simulated is a simulated trial of n persons followed to extractEnd.
func simulated(tb testing.TB, n int, extractEnd pipeline.ISOWeek) *pipeline.Dataset {
	tb.Helper()
	opt := sim.DefaultOptions()
	opt.Persons, opt.ExtractEnd = n, extractEnd
	tr := sim.New(opt)
	var a, w bytes.Buffer
	if err := tr.WriteAssignment(&a); err != nil {
		tb.Fatal(err)
	}
	if err := tr.WriteWeeks(&w); err != nil {
		tb.Fatal(err)
	}
	cfg := ingest.Default()
	cfg.Assignment = ingest.BytesInput("assignment.csv", a.Bytes())
	cfg.Weeks = []ingest.Input{ingest.BytesInput("weeks.csv", w.Bytes())}
	ds, err := ingest.Load(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return ds
}

// BenchmarkRandomisationInference: 2 000 draws × 10 000 persons × 52 weeks
// × 5 outcomes, blocked by jobcentre (the goal: under 30 s on 2
// cores).
func BenchmarkRandomisationInference(b *testing.B) {
	ds := simulated(b, 10000, pipeline.ISOWeek{Year: 2017, Week: 30})
	if ds.Store.Weeks < 52 {
		b.Fatalf("only %d weeks of follow-up", ds.Store.Weeks)
	}
	d, err := newRIDesign(ds.Store)
	if err != nil {
		b.Fatal(err)
	}
	p := newRIPanel(ds.Store, ds.Outcomes, 0, 52, true, true)
	for b.Loop() {
		randomisationInference(ds.Store, &d, p, 2000, 1)
	}
}
