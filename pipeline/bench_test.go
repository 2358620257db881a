package pipeline_test

import (
	"bytes"
	"testing"

	"rcteval/pipeline"
	"rcteval/pipeline/sim"
)

// BenchmarkLoad measures reading, aligning and deriving outcomes for a
// simulated trial of 20 000 persons × 52 weeks.
func BenchmarkLoad(b *testing.B) {
	opt := sim.DefaultOptions()
	opt.Persons = 20000
	tr := sim.New(opt)
	var a, w bytes.Buffer
	tr.WriteAssignment(&a)
	tr.WriteWeeks(&w)
	b.SetBytes(int64(a.Len() + w.Len()))
	b.ResetTimer()
	for b.Loop() {
		asg, err := pipeline.ReadAssignmentFrom("assignment.csv", bytes.NewReader(a.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		src, _ := pipeline.WeeksFrom("weeks.csv", bytes.NewReader(w.Bytes()))
		if _, err := pipeline.Load(asg, src, pipeline.Options{}, pipeline.DefaultOutcomes()); err != nil {
			b.Fatal(err)
		}
	}
}
