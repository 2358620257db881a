package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An assignment of many batches, read on several cores, reports its
// problems in file order, each where it is: a second row of an id (found
// only when persons are added, with its column found by reading again), an
// unknown arm label counted over batches and placed at its first row, a
// bad date; and the persons and their covariate come out as in the file.
func TestReadAssignmentInBatches(t *testing.T) {
	var b strings.Builder
	b.WriteString("arm,person_id,randomised_on,sex\n")
	const n = 40000 // about 1.3 MB: many chunks
	for i := range n {
		arm, id, date := []string{"treatment", "control"}[i%2], fmt.Sprintf("P%06d", i), "2016-03-09"
		switch i {
		case 10000:
			id = "P000005"
		case 20000, 30000:
			arm = "placebo"
		case 25000:
			date = "2016-02-30"
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s\n", arm, id, date, []string{"m", "f", "NA"}[i%3])
	}
	read := func(workers int) error {
		cfg := config(b.String(), handWeeks)
		cfg.Workers = workers
		_, err := ReadAssignment(&cfg)
		return err
	}
	err := read(4)
	require.Error(t, err)
	assert.Equal(t, read(1).Error(), err.Error())
	want := []string{
		"3 problems in the input:",
		`assignment.csv:10002:11: column "person_id": person id appears twice (first on line 7); expected one row per person`,
		`assignment.csv:25002:19: column "randomised_on": "2016-02-30": February 2016 has only 29 days`,
		`assignment.csv:20002:1: column "arm": unknown arm "placebo" (2 rows)`,
	}
	for _, w := range want {
		assert.Contains(t, err.Error(), w)
	}

	// Without the problems: every person, in file order, with the covariate.
	var clean strings.Builder
	for i, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if i != 10001 && i != 20001 && i != 30001 && i != 25001 {
			clean.WriteString(line + "\n")
		}
	}
	cfg := config(clean.String(), handWeeks)
	cfg.Workers = 4
	a, err := ReadAssignment(&cfg)
	require.NoError(t, err)
	require.Equal(t, n-4, a.Len())
	require.Len(t, a.Covariates, 1)
	sex := a.Covariates[0]
	assert.Equal(t, []string{"f", "m"}, sex.Levels)
	for j := range a.Len() {
		i := j // the file's row of person j
		for _, dropped := range []int{10000, 20000, 25000, 30000} {
			if i >= dropped {
				i++
			}
		}
		pos, ok := a.Lookup(fmt.Sprintf("P%06d", i))
		require.True(t, ok, "row %d", i)
		require.Equal(t, j, pos)
		require.Equal(t, []int{1, 0, -1}[i%3], sex.Codes[j], "row %d", i)
	}
}
