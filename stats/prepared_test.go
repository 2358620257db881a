package stats

import (
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sameEstimate asserts that got equals want to a relative 1e-12 (NaN equal
// to NaN), the arm counts exactly.
func sameEstimate(t *testing.T, want, got Estimate, what string) {
	t.Helper()
	for _, f := range []struct {
		name      string
		want, got float64
	}{
		{"estimate", want.Estimate, got.Estimate}, {"se", want.SE, got.SE}, {"df", want.DF, got.DF},
		{"ci_low", want.CILow, got.CILow}, {"ci_high", want.CIHigh, got.CIHigh}, {"p_value", want.PValue, got.PValue},
		{"mean_treatment", want.MeanTreatment, got.MeanTreatment}, {"mean_control", want.MeanControl, got.MeanControl},
	} {
		if math.IsNaN(f.want) {
			assert.True(t, math.IsNaN(f.got), "%s %s: want NaN, got %v", what, f.name, f.got)
			continue
		}
		assert.InDelta(t, f.want, f.got, 1e-12*math.Max(math.Abs(f.want), 1e-300), "%s %s", what, f.name)
	}
	assert.Equal(t, want.NTreatment, got.NTreatment, what)
	assert.Equal(t, want.NControl, got.NControl, what)
}

// outcomes are y, 2y + 1 and y permuted: the outcomes estimated on one
// prepared design.
func outcomes(y []float64, seed uint64) map[string][]float64 {
	affine, perm := make([]float64, len(y)), make([]float64, len(y))
	for i, v := range y {
		affine[i] = 2*v + 1
	}
	for i, j := range rand.New(rand.NewPCG(seed, 1)).Perm(len(y)) {
		perm[i] = y[j]
	}
	return map[string][]float64{"y": y, "2y+1": affine, "permuted": perm}
}

func allOnes(c []float64) bool {
	for _, v := range c {
		if v != 1 {
			return false
		}
	}
	return true
}

// One PrepareOLS per golden case, type and coefficient, several outcomes:
// each Estimate is RobustOLS afresh (and R's on the golden y), the influence
// values too; with an intercept, 2y + 1 doubles the SE.
func TestOLSDesignGolden(t *testing.T) {
	data := goldenCases(t, "ols_data.csv")
	for _, want := range readGolden(t, "ols_expected.csv") {
		c := want["case"]
		t.Run(c+"/"+want["se_type"]+"/"+want["coef"], func(t *testing.T) {
			rows := data[c]
			y, x, cl := floatCol(t, rows, "y"), numCols(t, rows, "x"), intCol(t, rows, "cluster")
			coef, _ := strconv.Atoi(want["coef"])
			v := parseVariance(t, want["se_type"], cl)
			level := num(t, want["level"])
			d, err := PrepareOLS(x, coef, v)
			if want["aliased"] == "TRUE" {
				assert.ErrorIs(t, err, ErrAliased)
				return
			}
			require.NoError(t, err)
			ys := outcomes(y, 3)
			got := map[string]Estimate{}
			for _, name := range []string{"y", "2y+1", "permuted", "y"} {
				psi, fresh := make([]float64, len(y)), make([]float64, len(y))
				g, err := d.Estimate(ys[name], level, psi)
				require.NoError(t, err)
				f, err := RobustOLS(ys[name], x, coef, v, level, fresh)
				require.NoError(t, err)
				sameEstimate(t, f, g, name)
				assert.InDeltaSlice(t, fresh, psi, 1e-12*math.Max(1, g.SE), name)
				got[name] = g
			}
			compareEstimate(t, "ols", want, got["y"])
			if allOnes(x[0]) {
				assert.InDelta(t, 2*got["y"].SE, got["2y+1"].SE, 1e-12*got["y"].SE)
				assert.Equal(t, got["y"].DF, got["2y+1"].DF)
			}
			_, err = d.Estimate(append([]float64{math.NaN()}, y[1:]...), level, nil)
			assert.Error(t, err)
		})
	}
}

func TestLinDesignGolden(t *testing.T) {
	data := goldenCases(t, "lin_data.csv")
	for _, want := range readGolden(t, "lin_expected.csv") {
		c := want["case"]
		t.Run(c+"/"+want["se_type"], func(t *testing.T) {
			rows := data[c]
			y, z, cl := floatCol(t, rows, "y"), boolCol(rows, "z"), intCol(t, rows, "cluster")
			covs := numCols(t, rows, "c")
			v := parseVariance(t, want["se_type"], cl)
			level := num(t, want["level"])
			d, err := PrepareLin(z, covs, v)
			require.NoError(t, err)
			ys := outcomes(y, 4)
			got := map[string]Estimate{}
			for _, name := range []string{"y", "2y+1", "permuted", "y"} {
				psi, fresh := make([]float64, len(y)), make([]float64, len(y))
				g, err := d.Estimate(ys[name], level, psi)
				require.NoError(t, err)
				f, err := Lin(ys[name], z, covs, v, level, fresh)
				require.NoError(t, err)
				sameEstimate(t, f, g, name)
				assert.InDeltaSlice(t, fresh, psi, 1e-12*math.Max(1, g.SE), name)
				got[name] = g
			}
			compareEstimate(t, "lin", want, got["y"])
			assert.InDelta(t, 2*got["y"].Estimate, got["2y+1"].Estimate, 1e-12*math.Max(1, math.Abs(got["y"].Estimate)))
			assert.InDelta(t, 2*got["y"].SE, got["2y+1"].SE, 1e-12*got["y"].SE)
			assert.InDelta(t, 2*got["y"].MeanTreatment+1, got["2y+1"].MeanTreatment, 1e-12*math.Max(1, got["y"].MeanTreatment))
		})
	}
}

// ClusteredDifferenceInMeans is the CR2 regression on an intercept and z:
// a design prepared for it gives its SE and df on every outcome.
func TestOLSDesignClusteredGolden(t *testing.T) {
	data := goldenCases(t, "cr2_data.csv")
	for _, want := range readGolden(t, "cr2_expected.csv") {
		c := want["case"]
		t.Run(c, func(t *testing.T) {
			rows := data[c]
			y, z, cl := floatCol(t, rows, "y"), boolCol(rows, "z"), intCol(t, rows, "cluster")
			level := num(t, want["level"])
			v := Variance{Type: CR2, Clusters: cl}
			x := [][]float64{ones(len(y)), indicator(z)}
			d, err := PrepareOLS(x, 1, v)
			require.NoError(t, err)
			ys := outcomes(y, 5)
			for _, name := range []string{"y", "2y+1", "permuted"} {
				g, err := d.Estimate(ys[name], level, nil)
				require.NoError(t, err)
				f, err := RobustOLS(ys[name], x, 1, v, level, nil)
				require.NoError(t, err)
				sameEstimate(t, f, g, name)
				cd, err := ClusteredDifferenceInMeans(ys[name], z, cl, level, nil)
				require.NoError(t, err)
				assert.InDelta(t, cd.Estimate, g.Estimate, 1e-12*math.Max(1, math.Abs(cd.Estimate)), name)
				assert.InDelta(t, cd.SE, g.SE, 1e-12*cd.SE, name)
				assert.InDelta(t, cd.DF, g.DF, 1e-12*cd.DF, name)
				if name == "y" {
					compareEstimate(t, "cr2", want, g)
				}
			}
		})
	}
}

// The design's errors come from Prepare, the outcome's from Estimate; the
// exact-fit and constant-y conventions hold per outcome.
func TestPreparedErrors(t *testing.T) {
	z := []bool{true, true, true, false, false, false}
	x := []float64{0, 1, 2, 1, 3, 5}
	hc2 := Variance{Type: HC2}
	_, err := PrepareLin(make([]bool, 6), [][]float64{x}, hc2)
	assert.ErrorIs(t, err, ErrTooFew)
	_, err = PrepareLin(z[1:5], [][]float64{x[1:5]}, hc2)
	assert.ErrorIs(t, err, ErrNoResidualDF)
	_, err = PrepareLin(z, [][]float64{{0, 1, math.NaN(), 1, 3, 5}}, hc2)
	assert.Error(t, err)
	_, err = PrepareLin(z, [][]float64{x}, Variance{Type: CR2})
	assert.Error(t, err)
	_, err = PrepareLin(z, [][]float64{x}, Variance{Type: CR2, Clusters: []int{1, 1, 1, 1, 1, 1}})
	assert.Error(t, err)
	_, err = PrepareOLS([][]float64{ones(4), {1, 1, 0, 0}, {2, 2, 0, 0}}, 2, hc2)
	assert.ErrorIs(t, err, ErrAliased)
	_, err = PrepareOLS([][]float64{ones(4), {1, math.Inf(1), 0, 0}}, 1, hc2)
	assert.Error(t, err)
	_, err = PrepareOLS([][]float64{nil}, 0, hc2)
	assert.Error(t, err)
	_, err = PrepareOLS([][]float64{ones(4)}, 0, Variance{})
	assert.Error(t, err)

	d, err := PrepareLin(z, [][]float64{x}, hc2)
	require.NoError(t, err)
	_, err = d.Estimate([]float64{1, 3, math.NaN(), 0, 4, 2}, 0.95, nil)
	assert.Error(t, err)
	psi := []float64{9, 9, 9, 9, 9, 9}
	k, err := d.Estimate([]float64{2, 2, 2, 2, 2, 2}, 0.95, psi)
	require.NoError(t, err)
	assert.True(t, k.Estimate == 0 && k.SE == 0 && k.CILow == 0 && k.CIHigh == 0 && math.IsNaN(k.PValue))
	assert.Equal(t, make([]float64, 6), psi)
	e, err := d.Estimate([]float64{1, 3, 2, 0, 4, 2}, 0.95, nil)
	require.NoError(t, err)
	assert.InDelta(t, 2, e.SE, 1e-14) // TestLinByHand
	assert.Panics(t, func() { d.Estimate(make([]float64, 5), 0.95, nil) })
	assert.Panics(t, func() { d.Estimate(make([]float64, 6), 0.95, make([]float64, 5)) })
	assert.Panics(t, func() { d.Estimate(make([]float64, 6), 1.5, nil) })
	assert.Panics(t, func() { PrepareLin(z, [][]float64{x[:5]}, hc2) })

	o, err := PrepareOLS([][]float64{ones(4), {1, 1, 0, 0}}, 1, Variance{Type: HC3})
	require.NoError(t, err)
	f, err := o.Estimate([]float64{0.1, 0.1, 0.1, 0.1}, 0.95, nil) // exact fit
	require.NoError(t, err)
	assert.Zero(t, f.SE)
	assert.True(t, math.IsNaN(f.CILow) && math.IsNaN(f.PValue))
	f, err = o.Estimate([]float64{1, 2, 3, 4}, 0.95, nil)
	require.NoError(t, err)
	assert.InDelta(t, -2, f.Estimate, 1e-14)
	assert.Panics(t, func() { o.Estimate(make([]float64, 3), 0.95, nil) })
	assert.Panics(t, func() { PrepareOLS([][]float64{ones(4), ones(3)}, 1, hc2) })
	assert.Panics(t, func() { PrepareOLS([][]float64{ones(4)}, 1, hc2) })
}

// Estimate on one prepared design from several goroutines at once gives
// what it gives alone (run with -race to check that nothing is shared).
func TestPreparedConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	n := 3000
	treated := make([]bool, n)
	covs := [][]float64{make([]float64, n), make([]float64, n)}
	cl := make([]int, n)
	ys := make([][]float64, 8)
	for i := range n {
		treated[i] = rng.IntN(2) == 0
		covs[0][i], covs[1][i] = rng.NormFloat64(), float64(rng.IntN(3))
		cl[i] = rng.IntN(150)
	}
	for o := range ys {
		ys[o] = make([]float64, n)
		for i := range n {
			ys[o][i] = float64(o)*covs[0][i] + rng.ExpFloat64()
		}
	}
	for _, v := range []Variance{{Type: HC2}, {Type: CR2, Clusters: cl}} {
		d, err := PrepareLin(treated, covs, v)
		require.NoError(t, err)
		want := make([]Estimate, len(ys))
		for o, y := range ys {
			want[o], err = d.Estimate(y, 0.95, nil)
			require.NoError(t, err)
		}
		got := make([]Estimate, len(ys))
		psi := make([][]float64, len(ys))
		var wg sync.WaitGroup
		for o, y := range ys {
			wg.Go(func() {
				psi[o] = make([]float64, n)
				got[o], _ = d.Estimate(y, 0.95, psi[o])
			})
		}
		wg.Wait()
		for o := range ys {
			assert.Equal(t, want[o], got[o], v.Type)
			assert.InDelta(t, got[o].SE*got[o].SE, sumSquares(psi[o], v.Clusters), 1e-12*got[o].SE*got[o].SE)
		}
	}
}

// The weekly analysis: one design of n = 100 000 persons, 12 covariates (26
// design columns) and HC2, prepared once, and 7 outcomes estimated on it.
// ns/prepare and ns/estimate are the cost of each call.
func BenchmarkLinPrepared(b *testing.B) {
	const n, m, outcomes = 100_000, 12, 7
	rng := rand.New(rand.NewPCG(13, 14))
	treated := make([]bool, n)
	covs := make([][]float64, m)
	for j := range covs {
		covs[j] = make([]float64, n)
	}
	ys := make([][]float64, outcomes)
	for o := range ys {
		ys[o] = make([]float64, n)
	}
	for i := range n {
		treated[i] = rng.IntN(2) == 0
		for j := range covs {
			if j%2 == 0 {
				covs[j][i] = rng.NormFloat64()
			} else {
				covs[j][i] = float64(rng.IntN(2))
			}
		}
		for o := range ys {
			ys[o][i] = covs[0][i] + float64(o)*covs[1][i] + rng.ExpFloat64()
			if treated[i] {
				ys[o][i]++
			}
		}
	}
	psi := make([]float64, n)
	var prep, est time.Duration
	for b.Loop() {
		t0 := time.Now()
		d, err := PrepareLin(treated, covs, Variance{Type: HC2})
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		for _, y := range ys {
			if _, err := d.Estimate(y, 0.95, psi); err != nil {
				b.Fatal(err)
			}
		}
		prep, est = prep+t1.Sub(t0), est+time.Since(t1)
	}
	b.ReportMetric(float64(prep.Nanoseconds())/float64(b.N), "ns/prepare")
	b.ReportMetric(float64(est.Nanoseconds())/float64(b.N*outcomes), "ns/estimate")
}
