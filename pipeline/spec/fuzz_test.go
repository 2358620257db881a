package spec

import (
	"errors"
	"os"
	"slices"
	"testing"
)

// FuzzParse checks that no input makes Parse panic, and that what it returns
// is either a spec that honours its own invariants or positioned problems.
func FuzzParse(f *testing.F) {
	example, err := os.ReadFile("testdata/jobfirst.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	for _, seed := range []string{
		"",
		"inputs:\n",
		"confidence: high\nweeks: \"44:0\"\nextract_end: 2016-W53\n",
		"status_codes: {praktik: [1-3], wage_subsidy: 2, benefit: [3, 130-136]}\n",
		"outcomes:\n  - {name: s, kind: sustained, run: 0}\n  - {name: s, kind: status_share, categories: [x]}\n",
		"inputs: {weeks: [&w {path: a.csv, layout: wide}, {<<: *w, path: b.csv}]}\n",
		"a: &a [*a]\n",
		"- 1\n---\n- 2\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error is not a non-empty Errors: %v", err)
			}
			for _, e := range es {
				if e.File != "fuzz.yaml" || e.Msg == "" || e.Line < 0 || e.Column < 0 {
					t.Fatalf("bad problem %#v", e)
				}
			}
			return
		}
		if s.Confidence <= 0 || s.Confidence >= 1 || s.MinCell < 0 || s.MaxMissing < 0 || s.MaxMissing > 1 || s.PreWeeks < 0 {
			t.Fatalf("settings out of range: %+v", s)
		}
		if !s.Weeks.All && (s.Weeks.From < 0 || s.Weeks.From > s.Weeks.To) {
			t.Fatalf("bad weeks %+v", s.Weeks)
		}
		if len(s.Outcomes) == 0 || len(s.Arms.Treatment) == 0 || len(s.Arms.Control) == 0 {
			t.Fatal("defaults missing")
		}
		cats := s.Categories()
		for _, o := range s.Outcomes {
			if !slices.Contains(Kinds(), o.Kind) {
				t.Fatalf("unknown kind %q", o.Kind)
			}
			for _, c := range o.Categories {
				if !slices.Contains(cats, c) {
					t.Fatalf("outcome %q: unknown category %q", o.Name, c)
				}
			}
			if o.Kind == KindSustained && (o.Run < 1 || o.MaxGap < 0) {
				t.Fatalf("sustained outcome %+v", o)
			}
		}
		for _, in := range append([]*Input{s.Inputs.Assignment, s.Inputs.Hours}, s.Inputs.Weeks...) {
			if in != nil && (in.Path == "" || in.Format == "") {
				t.Fatalf("input without path or format: %+v", in)
			}
		}
	})
}
