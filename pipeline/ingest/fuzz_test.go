package ingest

import (
	"errors"
	"reflect"
	"testing"

	"rcteval/pipeline"
)

// The readers never panic, and every failure names a file: whatever the
// bytes, Load ends in a Dataset whose rows add up or in an error that says
// where the problem is.
func FuzzLoadWeeks(f *testing.F) {
	f.Add(handWeeks)
	f.Add("person_id,week,hours,status\na,2016-W53,1e400,\n")
	f.Add("person_id,week,hours,status\n\"a\nb\",2016-W10,-0,praktik\n")
	f.Add("person_id;week;hours;status\na;201610;7,5;benefit\nb;201611;0;\n")
	f.Add("person_id\tweek\thours\tstatus\na\t2016:10\t1\tpraktik\n")
	f.Add("person_id,week,hours,status\n a ,2016-W10 , 7.5 , praktik \nb,2016-W11,0 ,\"benefit\"\n")
	f.Add("person_id,week,hours,status\na,2016-W10,1,praktik\nz,2016-W11,2,benefit\na,2016-W10,3,\n\nb,2016-W11\n")
	f.Add("person_id,week,hours,status\n\"x\ny\",2016-W10,1,praktik\nzz,2016-W11,1,praktik\na,2016-W12,1,\n")
	f.Add("person_id,week,hours,status\na,2016-W10,1,praktik\na,2016-W11,1,praktik\n a,2016-W12,1, praktik\nzz,2016-W10,1,praktik\nzz,2016-W11,1,xx\nb,2016-W10,1,xx\nb,2016-W11,1,\nb,2016-W12,1,\nb,2016-W13,1,benefit\n")
	f.Fuzz(func(t *testing.T, weeks string) {
		cfg := config(handAssignment, weeks)
		cfg.MaxMissing = 1
		ds, err := Load(cfg)
		check(t, ds, err)
		sameByColumns(t, cfg, ds, err)
	})
}

// sameByColumns fails unless reading cfg column by column, without the
// ranges of CSV batches, gives the same dataset or error as ds and err.
func sameByColumns(t *testing.T, cfg Config, ds *pipeline.Dataset, err error) {
	t.Helper()
	readByRanges = false
	defer func() { readByRanges = true }()
	ds2, err2 := Load(cfg)
	if (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() {
		t.Fatalf("by ranges: %v; by columns: %v", err, err2)
	}
	if err != nil {
		return
	}
	if !reflect.DeepEqual(ds.Accounting, ds2.Accounting) {
		t.Fatalf("by ranges: %+v; by columns: %+v", ds.Accounting, ds2.Accounting)
	}
	s, s2 := ds.Store, ds2.Store
	if s.N != s2.N || s.Weeks != s2.Weeks || s.Pre != s2.Pre || !reflect.DeepEqual(s.Person, s2.Person) {
		t.Fatal("by ranges and by columns, the panels differ in shape")
	}
	for k := -s.Pre; k < s.Weeks; k++ {
		h, h2, st, st2 := s.HoursAt(k), s2.HoursAt(k), s.StatusAt(k), s2.StatusAt(k)
		for j := range s.N {
			if h.At(j) != h2.At(j) || len(st) != len(st2) || len(st) > 0 && st[j] != st2[j] {
				t.Fatalf("by ranges and by columns, week %d of person %d differs", k, j)
			}
		}
	}
}

// The DREAM-wide reader, with a separate hours file, never panics either.
func FuzzLoadWide(f *testing.F) {
	f.Add("person_id;y_1610;y_1611;y_1612\na;praktik;;benefit\nb;;benefit;\n", "person_id;week;hours\na;201610;7,5\n")
	f.Add("person_id,y_1653,y_9901\na,x,\n", "person_id,week,hours\nc,2016-W10,1\n")
	f.Add("person_id,y_16,10\n\"a\nb\",,\n", "")
	f.Fuzz(func(t *testing.T, wide, hours string) {
		cfg := config(handAssignment, wide)
		cfg.Weeks[0].Wide = true
		h := BytesInput("hours.csv", []byte(hours))
		cfg.Hours = &h
		cfg.MaxMissing, cfg.Unmapped = 1, UnmappedBenefit
		ds, err := Load(cfg)
		check(t, ds, err)
		sameByColumns(t, cfg, ds, err) // the hours file is long
	})
}

func FuzzLoadAssignment(f *testing.F) {
	f.Add(handAssignment)
	f.Add("person_id,arm,randomised_on,x\na,control,2016-02-30,NA\n")
	f.Add("person_id;arm;randomised_on\na;treatment;09.03.2016\nb;control;10.03.2016\n")
	f.Fuzz(func(t *testing.T, assignment string) {
		cfg := config(assignment, handWeeks)
		cfg.MaxMissing = 1
		ds, err := Load(cfg)
		check(t, ds, err)
	})
}

func check(t *testing.T, ds *pipeline.Dataset, err error) {
	t.Helper()
	if err == nil {
		if !ds.Accounting.Balanced() {
			t.Fatalf("accounting does not add up: %+v", ds.Accounting.Sources)
		}
		return
	}
	var ie *pipeline.InputError
	var ies *pipeline.InputErrors
	if errors.As(err, &ie) || errors.As(err, &ies) {
		return
	}
	// Whole-trial problems (no data, one arm, codes) are plain errors with a sentence.
	if len(err.Error()) < 20 {
		t.Fatalf("unhelpful error %q", err)
	}
}
