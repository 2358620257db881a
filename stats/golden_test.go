package stats

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Golden values come from testdata/golden/make.R (R with estimatr).

const tol = 1e-8

// readGolden returns the rows of a golden CSV file as maps by column name.
func readGolden(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open("../testdata/golden/" + name)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err, s)
	return v
}

// close asserts |got − want| ≤ tol·max(1, |want|), with NaN equal to NaN.
func assertClose(t *testing.T, want, got float64, what string) {
	t.Helper()
	if math.IsNaN(want) {
		assert.True(t, math.IsNaN(got), "%s: want NaN, got %v", what, got)
		return
	}
	assert.InDelta(t, want, got, tol*math.Max(1, math.Abs(want)), what)
}

func TestDifferenceInMeansGolden(t *testing.T) {
	ys := map[string][]float64{}
	zs := map[string][]bool{}
	for _, r := range readGolden(t, "dim_data.csv") {
		ys[r["case"]] = append(ys[r["case"]], num(t, r["y"]))
		zs[r["case"]] = append(zs[r["case"]], r["z"] == "1")
	}
	expected := readGolden(t, "dim_expected.csv")
	require.Len(t, expected, 8)
	for _, want := range expected {
		c := want["case"]
		t.Run(c, func(t *testing.T) {
			got, err := DifferenceInMeans(ys[c], zs[c], num(t, want["level"]))
			require.NoError(t, err)
			assert.Equal(t, want["n_treatment"], strconv.Itoa(got.NTreatment))
			assert.Equal(t, want["n_control"], strconv.Itoa(got.NControl))
			for _, f := range []struct {
				col string
				got float64
			}{
				{"mean_treatment", got.MeanTreatment}, {"mean_control", got.MeanControl},
				{"estimate", got.Estimate}, {"se", got.SE}, {"df", got.DF},
				{"ci_low", got.CILow}, {"ci_high", got.CIHigh}, {"p_value", got.PValue},
			} {
				assertClose(t, num(t, want[f.col]), f.got, f.col)
			}
		})
	}
}

func TestDifferenceInMeansTooFew(t *testing.T) {
	e, err := DifferenceInMeans([]float64{1, 2, 3}, []bool{true, false, false}, 0.95)
	assert.ErrorIs(t, err, ErrTooFew)
	assert.Equal(t, 1, e.NTreatment)
	assert.Equal(t, 2, e.NControl)
	_, err = DifferenceInMeans(nil, nil, 0.95)
	assert.ErrorIs(t, err, ErrTooFew)
	assert.Panics(t, func() { DifferenceInMeans([]float64{1}, nil, 0.95) })
	assert.Panics(t, func() { DifferenceInMeans(nil, nil, 95) })
}

// A hand-worked case: y = 1,2,3 (treated) and 4,5,6,7 (control).
// Means 2 and 5.5, variances 1 and 5/3; SE = √(1/3 + 5/12) = √0.75.
func TestDifferenceInMeansByHand(t *testing.T) {
	e, err := DifferenceInMeans([]float64{1, 2, 3, 4, 5, 6, 7}, []bool{true, true, true, false, false, false, false}, 0.95)
	require.NoError(t, err)
	assert.Equal(t, -3.5, e.Estimate)
	assert.InDelta(t, math.Sqrt(0.75), e.SE, 1e-15)
	// df = 0.75² / ((1/3)²/2 + (5/12)²/3) = 0.5625 / (1/18 + 25/432) = 243/49.
	assert.InDelta(t, 243.0/49, e.DF, 1e-12)
}

func TestWelchGolden(t *testing.T) {
	var x, y []float64
	for _, r := range readGolden(t, "welch_data.csv") {
		if r["group"] == "x" {
			x = append(x, num(t, r["value"]))
		} else {
			y = append(y, num(t, r["value"]))
		}
	}
	want := readGolden(t, "welch_expected.csv")[0]
	got, err := WelchTest(x, y, 0.95)
	require.NoError(t, err)
	assertClose(t, num(t, want["statistic"]), got.Estimate/got.SE, "statistic")
	assertClose(t, num(t, want["df"]), got.DF, "df")
	assertClose(t, num(t, want["p_value"]), got.PValue, "p")
	assertClose(t, num(t, want["ci_low"]), got.CILow, "ci_low")
	assertClose(t, num(t, want["ci_high"]), got.CIHigh, "ci_high")
	_, vx := stat.MeanVariance(x, nil)
	_, vy := stat.MeanVariance(y, nil)
	assertClose(t, num(t, want["smd"]), StandardizedMeanDifference(got.MeanTreatment, got.MeanControl, vx, vy), "smd")
}

func TestChiSquareGolden(t *testing.T) {
	for _, want := range readGolden(t, "chisq_expected.csv") {
		cells := strings.Fields(want["cells"])
		nc, _ := strconv.Atoi(want["ncol"])
		table := [][]float64{{}, {}}
		for i, c := range cells {
			table[i/nc] = append(table[i/nc], num(t, c))
		}
		got, err := ChiSquareIndependence(table)
		require.NoError(t, err, want["case"])
		assertClose(t, num(t, want["statistic"]), got.Statistic, want["case"]+" statistic")
		assertClose(t, num(t, want["df"]), got.DF, want["case"]+" df")
		assertClose(t, num(t, want["p_value"]), got.PValue, want["case"]+" p")
	}
	_, err := ChiSquareIndependence([][]float64{{3, 4}, {0, 0}})
	assert.Error(t, err)
}

func TestRegressionFTestGolden(t *testing.T) {
	rows := readGolden(t, "ftest_data.csv")
	cols := []string{"age", "sexm", "groupintegration", "grouprehab", "prior", "collinear"}
	x := mat.NewDense(len(rows), len(cols), nil)
	z := make([]float64, len(rows))
	for i, r := range rows {
		z[i] = num(t, r["z"])
		for j, c := range cols {
			x.Set(i, j, num(t, r[c]))
		}
	}
	want := readGolden(t, "ftest_expected.csv")[0]
	got, err := RegressionFTest(x, z)
	require.NoError(t, err)
	assertClose(t, num(t, want["statistic"]), got.Statistic, "F")
	assertClose(t, num(t, want["df1"]), got.DF1, "df1")
	assertClose(t, num(t, want["df2"]), got.DF2, "df2")
	assertClose(t, num(t, want["p_value"]), got.PValue, "p")
}

func TestSMDHand(t *testing.T) {
	// Means 0.5 and 0.3, variances 0.25 and 0.21: pooled SD √0.23.
	assert.InDelta(t, 0.2/math.Sqrt(0.23), StandardizedMeanDifference(0.5, 0.3, 0.25, 0.21), 1e-15)
	assert.True(t, math.IsNaN(StandardizedMeanDifference(1, 1, 0, 0)))
}
