package pipeline

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parseNumber(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// Covariates are typed from their distinct texts as a reading of every
// person's text would type them: numbers with missing cells, a number
// written two ways, categories in sorted order, a declared type, and a
// column that looks like an id.
func TestAddCovariate(t *testing.T) {
	nan := math.NaN()
	ids := make([]string, 40)
	for i := range ids {
		ids[i] = fmt.Sprintf("%06d-%04d", i*7919%1000, i)
	}
	cases := []struct {
		name   string
		values []string
		typ    CovariateType
		want   *Covariate // nil: left out
		note   string
	}{
		{"age", []string{"36", "NA", "54", "", "36", ".", "07", "7"}, Auto,
			&Covariate{Numeric: true, Values: []float64{36, nan, 54, nan, 36, nan, 7, 7}}, ""},
		{"sex", []string{"male", "female", "NA", "male", "Female"}, Auto,
			&Covariate{Levels: []string{"Female", "female", "male"}, Codes: []int{2, 1, -1, 2, 0}}, ""},
		{"code", []string{"3", "1", "3", ""}, Categorical,
			&Covariate{Levels: []string{"1", "3"}, Codes: []int{1, 0, 1, -1}}, ""},
		{"weeks", []string{"3", "x", "3"}, Numeric,
			&Covariate{Levels: []string{"3", "x"}, Codes: []int{0, 1, 0}}, `covariate "weeks" is declared numeric but has values that are not numbers: typed categorical`},
		{"cpr", ids, Auto, nil, `column "cpr" looks like an id (40 distinct values in 40 rows): not used as a covariate; declare it under covariates in the spec to use it`},
		{"cpr", ids, Categorical, &Covariate{Levels: sortedCopy(ids), Codes: sortedCodes(ids)}, ""},
		{"income", []string{"1.5", "2.5", "3.5", "4.5", "5.5", "6.5", "7.5", "8.5", "9.5", "10.5"}, Auto,
			&Covariate{Numeric: true, Values: []float64{1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5}}, ""},
	}
	for _, c := range cases {
		a := NewAssignment("t")
		a.AddCovariate(c.name, TextColumnOf(c.values), c.typ, parseNumber)
		if c.note != "" {
			assert.Equal(t, []string{c.note}, a.Notes, c.name)
		} else {
			assert.Empty(t, a.Notes, c.name)
		}
		if c.want == nil {
			assert.Empty(t, a.Covariates, c.name)
			continue
		}
		require.Len(t, a.Covariates, 1, c.name)
		got := a.Covariates[0]
		assert.Equal(t, c.name, got.Name)
		assert.Equal(t, c.want.Numeric, got.Numeric, c.name)
		assert.Equal(t, c.want.Levels, got.Levels, c.name)
		assert.Equal(t, c.want.Codes, got.Codes, c.name)
		require.Len(t, got.Values, len(c.want.Values), c.name)
		for i, v := range c.want.Values {
			if math.IsNaN(v) {
				assert.True(t, math.IsNaN(got.Values[i]), "%s %d", c.name, i)
			} else {
				assert.Equal(t, v, got.Values[i], "%s %d", c.name, i)
			}
		}
	}
}

func sortedCopy(xs []string) []string { return slices.Sorted(slices.Values(xs)) }

func sortedCodes(xs []string) []int {
	levels := sortedCopy(xs)
	codes := make([]int, len(xs))
	for i, x := range xs {
		codes[i] = slices.Index(levels, x)
	}
	return codes
}
