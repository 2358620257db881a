package stats

import (
	"math"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Golden tests of the estimators added with blocked.go, robust.go and lin.go
// against testdata/golden/{blocked,ols,lin,cr2}_*.csv (make.R).

// deviation tracks the largest |got − want|/max(1, |want|) seen, per file.
var deviation struct {
	sync.Mutex
	max map[string]float64
}

// closeTo is assertClose that also records the deviation under file.
func closeTo(t *testing.T, file string, want, got float64, what string) {
	t.Helper()
	assertClose(t, want, got, what)
	if math.IsNaN(want) || math.IsNaN(got) {
		return
	}
	d := math.Abs(got-want) / math.Max(1, math.Abs(want))
	deviation.Lock()
	defer deviation.Unlock()
	if deviation.max == nil {
		deviation.max = map[string]float64{}
	}
	if d > deviation.max[file] {
		deviation.max[file] = d
	}
}

func logDeviation(t *testing.T, file string) {
	deviation.Lock()
	defer deviation.Unlock()
	t.Logf("%s: largest deviation from R %.3g", file, deviation.max[file])
}

// compareEstimate checks estimate, se, df, ci_low, ci_high, p_value.
func compareEstimate(t *testing.T, file string, want map[string]string, got Estimate) {
	t.Helper()
	for _, f := range []struct {
		col string
		got float64
	}{
		{"estimate", got.Estimate}, {"se", got.SE}, {"df", got.DF},
		{"ci_low", got.CILow}, {"ci_high", got.CIHigh}, {"p_value", got.PValue},
	} {
		closeTo(t, file, num(t, want[f.col]), f.got, f.col)
	}
}

// goldenCases groups the rows of a data file by case.
func goldenCases(t *testing.T, name string) map[string][]map[string]string {
	out := map[string][]map[string]string{}
	for _, r := range readGolden(t, name) {
		out[r["case"]] = append(out[r["case"]], r)
	}
	return out
}

// numCols returns the columns prefix0, prefix1, … that are filled in rows.
func numCols(t *testing.T, rows []map[string]string, prefix string) [][]float64 {
	var cols [][]float64
	for j := 0; ; j++ {
		name := prefix + strconv.Itoa(j)
		if s, ok := rows[0][name]; !ok || s == "" {
			return cols
		}
		c := make([]float64, len(rows))
		for i, r := range rows {
			c[i] = num(t, r[name])
		}
		cols = append(cols, c)
	}
}

func intCol(t *testing.T, rows []map[string]string, name string) []int {
	out := make([]int, len(rows))
	for i, r := range rows {
		v, err := strconv.Atoi(r[name])
		require.NoError(t, err)
		out[i] = v
	}
	return out
}

func floatCol(t *testing.T, rows []map[string]string, name string) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = num(t, r[name])
	}
	return out
}

func boolCol(rows []map[string]string, name string) []bool {
	out := make([]bool, len(rows))
	for i, r := range rows {
		out[i] = r[name] == "1"
	}
	return out
}

// sumSquares is Σψᵢ², or with groups Σ_g (Σ_{i∈g} ψᵢ)².
func sumSquares(psi []float64, groups []int) float64 {
	if groups == nil {
		s := 0.0
		for _, v := range psi {
			s += v * v
		}
		return s
	}
	sums := map[int]float64{}
	for i, v := range psi {
		sums[groups[i]] += v
	}
	s := 0.0
	for _, v := range sums {
		s += v * v
	}
	return s
}

func TestBlockedDifferenceInMeansGolden(t *testing.T) {
	const file = "blocked"
	data := goldenCases(t, "blocked_data.csv")
	expected := readGolden(t, "blocked_expected.csv")
	require.Len(t, expected, 9)
	for _, want := range expected {
		c := want["case"]
		t.Run(c, func(t *testing.T) {
			rows := data[c]
			y, z, b := floatCol(t, rows, "y"), boolCol(rows, "z"), intCol(t, rows, "block")
			psi := make([]float64, len(y))
			got, err := BlockedDifferenceInMeans(y, z, b, num(t, want["level"]), psi)
			require.NoError(t, err)
			assert.Equal(t, want["blocks"], strconv.Itoa(got.Blocks))
			assert.Equal(t, want["n_treatment"], strconv.Itoa(got.NTreatment))
			assert.Equal(t, want["n_control"], strconv.Itoa(got.NControl))
			assert.Equal(t, want["design"] == "Matched-pair", got.PairMatched, "design")
			assert.Zero(t, got.DroppedBlocks)
			compareEstimate(t, file, want, got.Estimate)
			assert.InDelta(t, got.Estimate.Estimate, got.MeanTreatment-got.MeanControl, 1e-12)
			var groups []int
			if got.PairMatched {
				groups = b
			}
			assert.InDelta(t, got.SE*got.SE, sumSquares(psi, groups), 1e-12*math.Max(1, got.SE*got.SE))
		})
	}
	logDeviation(t, file)
}

func parseVariance(t *testing.T, name string, clusters []int) Variance {
	vt, err := ParseVarianceType(name)
	require.NoError(t, err)
	v := Variance{Type: vt}
	if vt == CR2 {
		v.Clusters = clusters
	}
	return v
}

func TestRobustOLSGolden(t *testing.T) {
	const file = "ols"
	data := goldenCases(t, "ols_data.csv")
	expected := readGolden(t, "ols_expected.csv")
	require.Len(t, expected, 5*(7+4+3+9))
	for _, want := range expected {
		c := want["case"]
		t.Run(c+"/"+want["se_type"]+"/"+want["coef"], func(t *testing.T) {
			rows := data[c]
			y, x, cl := floatCol(t, rows, "y"), numCols(t, rows, "x"), intCol(t, rows, "cluster")
			coef, _ := strconv.Atoi(want["coef"])
			v := parseVariance(t, want["se_type"], cl)
			psi := make([]float64, len(y))
			got, err := RobustOLS(y, x, coef, v, num(t, want["level"]), psi)
			if want["aliased"] == "TRUE" {
				assert.ErrorIs(t, err, ErrAliased)
				return
			}
			require.NoError(t, err)
			compareEstimate(t, file, want, got)
			if s := want["df_clubsandwich"]; s != "NaN" {
				// clubSandwich's Satterthwaite df agrees with estimatr's.
				assert.InDelta(t, num(t, s), got.DF, 1e-8*got.DF)
			}
			var groups []int
			if v.Type == CR2 {
				groups = cl
			}
			assert.InDelta(t, got.SE*got.SE, sumSquares(psi, groups), 1e-12*math.Max(1, got.SE*got.SE))
		})
	}
	logDeviation(t, file)
}

func TestLinGolden(t *testing.T) {
	const file = "lin"
	data := goldenCases(t, "lin_data.csv")
	expected := readGolden(t, "lin_expected.csv")
	require.Len(t, expected, 15)
	for _, want := range expected {
		c := want["case"]
		t.Run(c+"/"+want["se_type"], func(t *testing.T) {
			rows := data[c]
			y, z, cl := floatCol(t, rows, "y"), boolCol(rows, "z"), intCol(t, rows, "cluster")
			covs := numCols(t, rows, "c")
			v := parseVariance(t, want["se_type"], cl)
			psi := make([]float64, len(y))
			got, err := Lin(y, z, covs, v, num(t, want["level"]), psi)
			require.NoError(t, err)
			assert.Equal(t, want["n_treatment"], strconv.Itoa(got.NTreatment))
			assert.Equal(t, want["n_control"], strconv.Itoa(got.NControl))
			compareEstimate(t, file, want, got)
			var groups []int
			if v.Type == CR2 {
				groups = cl
			}
			assert.InDelta(t, got.SE*got.SE, sumSquares(psi, groups), 1e-12*math.Max(1, got.SE*got.SE))
		})
	}
	logDeviation(t, file)
}

func TestClusteredDifferenceInMeansGolden(t *testing.T) {
	const file = "cr2"
	data := goldenCases(t, "cr2_data.csv")
	expected := readGolden(t, "cr2_expected.csv")
	require.Len(t, expected, 4)
	for _, want := range expected {
		c := want["case"]
		t.Run(c, func(t *testing.T) {
			rows := data[c]
			y, z, cl := floatCol(t, rows, "y"), boolCol(rows, "z"), intCol(t, rows, "cluster")
			psi := make([]float64, len(y))
			got, err := ClusteredDifferenceInMeans(y, z, cl, num(t, want["level"]), psi)
			require.NoError(t, err)
			assert.Equal(t, want["n_treatment"], strconv.Itoa(got.NTreatment))
			assert.Equal(t, want["n_control"], strconv.Itoa(got.NControl))
			compareEstimate(t, file, want, got)
			// lm_robust(CR2) and clubSandwich report the same SE and df.
			closeTo(t, file, num(t, want["lm_robust_se"]), got.SE, "lm_robust se")
			closeTo(t, file, num(t, want["lm_robust_df"]), got.DF, "lm_robust df")
			closeTo(t, file, num(t, want["df_clubsandwich"]), got.DF, "clubSandwich df")
			assert.InDelta(t, got.SE*got.SE, sumSquares(psi, cl), 1e-12*math.Max(1, got.SE*got.SE))
		})
	}
	logDeviation(t, file)
}

// The unblocked difference-in-means goldens (dim_expected.csv) are also the
// HC2 regression of y on an intercept and z (Neyman SE; df n − 2), including
// a case of 5000 rows, which crosses the 1024-row chunks of the QR.
func TestRobustOLSMatchesNeymanGolden(t *testing.T) {
	ys := map[string][]float64{}
	zs := map[string][]float64{}
	for _, r := range readGolden(t, "dim_data.csv") {
		ys[r["case"]] = append(ys[r["case"]], num(t, r["y"]))
		zs[r["case"]] = append(zs[r["case"]], num(t, r["z"]))
	}
	for _, want := range readGolden(t, "dim_expected.csv") {
		c := want["case"]
		if c == "zerovar" || c == "zerovar_t" {
			continue
		}
		y, z := ys[c], zs[c]
		one := make([]float64, len(y))
		for i := range one {
			one[i] = 1
		}
		got, err := RobustOLS(y, [][]float64{one, z}, 1, Variance{Type: HC2}, 0.95, nil)
		require.NoError(t, err, c)
		closeTo(t, "dim", num(t, want["estimate"]), got.Estimate, c+" estimate")
		closeTo(t, "dim", num(t, want["se"]), got.SE, c+" se")
		assert.Equal(t, float64(len(y)-2), got.DF, c)
	}
	logDeviation(t, "dim")
}
