package pipeline

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// The readers never panic, and every failure is an *InputError with a place.
func FuzzReadWeeks(f *testing.F) {
	f.Add(handWeeks)
	f.Add("person_id,week,hours,status\na,2016-W53,1e400,\n")
	f.Add("person_id,week,hours,status\n\"a\nb\",2016-W10,-0,praktik\n")
	f.Fuzz(func(t *testing.T, weeks string) {
		a, err := ReadAssignmentFrom("assignment.csv", strings.NewReader(handAssignment))
		if err != nil {
			t.Fatal(err)
		}
		src, err := WeeksFrom("weeks.csv", strings.NewReader(weeks))
		if err != nil {
			checkInputError(t, err)
			return
		}
		_, acc, err := Build(a, src, Options{})
		if err != nil {
			checkInputError(t, err)
			return
		}
		if !acc.Balanced() {
			t.Fatalf("accounting does not add up: %+v", acc)
		}
	})
}

func FuzzReadAssignment(f *testing.F) {
	f.Add(handAssignment)
	f.Add("person_id,arm,randomised_on,x\na,control,2016-02-30,NA\n")
	f.Fuzz(func(t *testing.T, assignment string) {
		_, err := ReadAssignmentFrom("assignment.csv", strings.NewReader(assignment))
		if err != nil {
			checkInputError(t, err)
		}
	})
}

func checkInputError(t *testing.T, err error) {
	var ie *InputError
	if !errors.As(err, &ie) || ie.File == "" || err == io.EOF {
		t.Fatalf("want an *InputError naming the file, got %T %v", err, err)
	}
}
