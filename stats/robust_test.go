package stats

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func ones(n int) []float64 {
	o := make([]float64, n)
	for i := range o {
		o[i] = 1
	}
	return o
}

func indicator(b []bool) []float64 {
	z := make([]float64, len(b))
	for i, t := range b {
		if t {
			z[i] = 1
		}
	}
	return z
}

// The hand case of DifferenceInMeans, y = 1,2,3 (treated) and 4,5,6,7, as a
// regression on an intercept and z: the arms' sums of squares are 2 and 5,
// the leverages 1/3 and 1/4, and aᵢ = ±1/nₐᵣₘ, so
//
//	HC0: 2/9 + 5/16 = 77/144          HC1: 77/144 · 7/5
//	HC2: 2/6 + 5/12 = 3/4 (Neyman)    HC3: 2/4 + 5/9 = 19/18
//
// with df 5. With each person a cluster, CR2 is HC2, and its Bell–McCaffrey
// df is (1/3 + 1/4)² / (1/(3²·2) + 1/(4²·3)) = 49/11: P is block-diagonal,
// (I − J/nₐ)/(nₐ(nₐ−1)) per arm.
func TestRobustOLSByHand(t *testing.T) {
	y := []float64{1, 2, 3, 4, 5, 6, 7}
	z := []float64{1, 1, 1, 0, 0, 0, 0}
	x := [][]float64{ones(7), z}
	for _, c := range []struct {
		v       Variance
		se2, df float64
	}{
		{Variance{Type: HC0}, 77.0 / 144, 5},
		{Variance{Type: HC1}, 77.0 / 144 * 7 / 5, 5},
		{Variance{Type: HC2}, 0.75, 5},
		{Variance{Type: HC3}, 19.0 / 18, 5},
		{Variance{Type: CR2, Clusters: []int{1, 2, 3, 4, 5, 6, 7}}, 0.75, 49.0 / 11},
	} {
		psi := make([]float64, 7)
		e, err := RobustOLS(y, x, 1, c.v, 0.95, psi)
		require.NoError(t, err, c.v.Type)
		assert.InDelta(t, -3.5, e.Estimate, 1e-14, c.v.Type)
		assert.InDelta(t, c.se2, e.SE*e.SE, 1e-14, c.v.Type)
		assert.InDelta(t, c.df, e.DF, 1e-12, c.v.Type)
		assert.InDelta(t, c.se2, sumSquares(psi, nil), 1e-14, c.v.Type)
	}
	// The intercept is the control mean, 5.5, with HC2 SE² = 5/12.
	e, err := RobustOLS(y, x, 0, Variance{Type: HC2}, 0.95, nil)
	require.NoError(t, err)
	assert.InDelta(t, 5.5, e.Estimate, 1e-14)
	assert.InDelta(t, 5.0/12, e.SE*e.SE, 1e-14)
	// HC2 on this design is DifferenceInMeans' Neyman SE.
	dim, err := DifferenceInMeans(y, []bool{true, true, true, false, false, false, false}, 0.95)
	require.NoError(t, err)
	e, _ = RobustOLS(y, x, 1, Variance{Type: HC2}, 0.95, nil)
	assert.InDelta(t, dim.SE, e.SE, 1e-14)
}

// Influence values are linear in y for the HC types (aᵢ and hᵢᵢ depend on X
// only), so that the ψ of y₁ + y₂ are the sums of those of y₁ and y₂ and
// SE²(y₁+y₂) = Σψ₁² + Σψ₂² + 2Σψ₁ψ₂: Σψ₁ψ₂ is the covariance of the two
// estimates.
func TestRobustOLSInfluenceCovariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 200
	x := [][]float64{ones(n), make([]float64, n), make([]float64, n)}
	y1, y2, sum := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		x[1][i] = float64(rng.IntN(2))
		x[2][i] = rng.NormFloat64()
		y1[i] = x[1][i] + rng.ExpFloat64()
		y2[i] = 0.5*y1[i] + rng.NormFloat64()
		sum[i] = y1[i] + y2[i]
	}
	for _, vt := range []VarianceType{HC0, HC1, HC2, HC3} {
		p1, p2, ps := make([]float64, n), make([]float64, n), make([]float64, n)
		_, err := RobustOLS(y1, x, 1, Variance{Type: vt}, 0.95, p1)
		require.NoError(t, err)
		_, err = RobustOLS(y2, x, 1, Variance{Type: vt}, 0.95, p2)
		require.NoError(t, err)
		es, err := RobustOLS(sum, x, 1, Variance{Type: vt}, 0.95, ps)
		require.NoError(t, err)
		cov := 0.0
		for i := range n {
			assert.InDelta(t, p1[i]+p2[i], ps[i], 1e-14)
			cov += p1[i] * p2[i]
		}
		assert.InDelta(t, es.SE*es.SE, sumSquares(p1, nil)+sumSquares(p2, nil)+2*cov, 1e-12)
	}
}

// reference is a direct implementation of RobustOLS for a full-rank X, from
// (X'X)⁻¹ formed by inversion, the n×n I − H per cluster block and, for CR2,
// the df from the explicit n×J matrix G = (I − H)W.
func reference(t *testing.T, y []float64, cols [][]float64, coef int, v Variance) (est, se, df float64) {
	n, k := len(y), len(cols)
	X := mat.NewDense(n, k, nil)
	for j, c := range cols {
		for i, w := range c {
			X.Set(i, j, w)
		}
	}
	var xtx, m mat.Dense
	xtx.Mul(X.T(), X)
	require.NoError(t, m.Inverse(&xtx))
	var beta, fit mat.VecDense
	yv := mat.NewVecDense(n, y)
	var xty mat.VecDense
	xty.MulVec(X.T(), yv)
	beta.MulVec(&m, &xty)
	fit.MulVec(X, &beta)
	e := make([]float64, n)
	for i := range e {
		e[i] = y[i] - fit.AtVec(i)
	}
	c := m.RowView(coef) // M e_coef
	a := make([]float64, n)
	h := make([]float64, n)
	for i := range n {
		a[i] = mat.Dot(c, X.RowView(i))
		var mx mat.VecDense
		mx.MulVec(&m, X.RowView(i))
		h[i] = mat.Dot(X.RowView(i), &mx)
	}
	if v.Type != CR2 {
		vr := 0.0
		for i := range n {
			w := e[i] * e[i]
			switch v.Type {
			case HC1:
				w *= float64(n) / float64(n-k)
			case HC2:
				w /= 1 - h[i]
			case HC3:
				w /= (1 - h[i]) * (1 - h[i])
			}
			vr += a[i] * a[i] * w
		}
		return beta.AtVec(coef), math.Sqrt(vr), float64(n - k)
	}
	groups := map[int][]int{}
	var ids []int
	for i, g := range v.Clusters {
		if _, ok := groups[g]; !ok {
			ids = append(ids, g)
		}
		groups[g] = append(groups[g], i)
	}
	W := mat.NewDense(n, len(ids), nil)
	vr := 0.0
	for col, g := range ids {
		rows := groups[g]
		ng := len(rows)
		b := mat.NewSymDense(ng, nil)
		for p, i := range rows {
			for q, j := range rows {
				var mx mat.VecDense
				mx.MulVec(&m, X.RowView(j))
				id := 0.0
				if p == q {
					id = 1
				}
				b.SetSym(p, q, id-mat.Dot(X.RowView(i), &mx))
			}
		}
		var eig mat.EigenSym
		require.True(t, eig.Factorize(b, true))
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		vals := eig.Values(nil)
		f := make([]float64, ng)
		for q, l := range vals {
			if l > 1e-12 {
				f[q] = 1 / math.Sqrt(l)
			}
		}
		var adj, tmp mat.Dense
		tmp.Mul(&vecs, mat.NewDiagDense(ng, f))
		adj.Mul(&tmp, vecs.T())
		ag := make([]float64, ng)
		for p, i := range rows {
			ag[p] = a[i]
		}
		var wg mat.VecDense
		wg.MulVec(&adj, mat.NewVecDense(ng, ag))
		psi := 0.0
		for p, i := range rows {
			W.Set(i, col, wg.AtVec(p))
			psi += wg.AtVec(p) * e[i]
		}
		vr += psi * psi
	}
	// G = (I − H)W = W − X M X'W; P = G'G.
	var xtw, mxtw, hw, g, p mat.Dense
	xtw.Mul(X.T(), W)
	mxtw.Mul(&m, &xtw)
	hw.Mul(X, &mxtw)
	g.Sub(W, &hw)
	p.Mul(g.T(), &g)
	tr, fro := 0.0, 0.0
	r, _ := p.Dims()
	for i := range r {
		tr += p.At(i, i)
		for j := range r {
			fro += p.At(i, j) * p.At(i, j)
		}
	}
	return beta.AtVec(coef), math.Sqrt(vr), tr * tr / fro
}

// A larger design than the goldens: 2500 rows cross the QR's 1024-row
// chunks, 60 clusters of 1 to 90 persons take both ways of computing
// (I − H_gg)^(−1/2) (n_g ≤ k and n_g > k).
func TestRobustOLSMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n, k := 2500, 6
	cols := make([][]float64, k)
	cols[0] = ones(n)
	for j := 1; j < k; j++ {
		cols[j] = make([]float64, n)
	}
	y := make([]float64, n)
	cl := make([]int, n)
	for i := range n {
		cols[1][i] = float64(rng.IntN(2))
		cols[2][i] = 30 + 30*rng.Float64()
		cols[3][i] = float64(rng.IntN(3) / 2)
		cols[4][i] = rng.NormFloat64()
		cols[5][i] = rng.ExpFloat64()
		y[i] = cols[1][i] + 0.1*cols[2][i] + rng.ExpFloat64()*(1+cols[3][i])
		// cluster sizes from 1 (i < 5) upwards
		switch {
		case i < 5:
			cl[i] = i
		case i < 25:
			cl[i] = 5 + (i-5)/4
		default:
			cl[i] = 10 + rng.IntN(50)
		}
	}
	for _, v := range []Variance{{Type: HC0}, {Type: HC1}, {Type: HC2}, {Type: HC3}, {Type: CR2, Clusters: cl}} {
		for _, coef := range []int{1, 2} {
			est, se, df := reference(t, y, cols, coef, v)
			got, err := RobustOLS(y, cols, coef, v, 0.95, nil)
			require.NoError(t, err)
			assert.InDelta(t, est, got.Estimate, 1e-10*math.Abs(est), v.Type)
			assert.InDelta(t, se, got.SE, 1e-10*se, v.Type)
			assert.InDelta(t, df, got.DF, 1e-10*df, v.Type)
		}
	}
}

// The QR keeps accuracy where the normal equations lose it: shifting a
// covariate by 10⁶ changes only the intercept, not its slope's SE (the
// condition number of X'X grows by ~10¹², that of X by ~10⁶).
func TestRobustOLSShiftedCovariate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 3000
	x, shifted, y := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		x[i] = rng.NormFloat64()
		shifted[i] = x[i] + 1e6
		y[i] = 2*x[i] + rng.NormFloat64()*(1+math.Abs(x[i]))
	}
	for _, v := range []Variance{{Type: HC2}, {Type: HC3}} {
		a, err := RobustOLS(y, [][]float64{ones(n), x}, 1, v, 0.95, nil)
		require.NoError(t, err)
		b, err := RobustOLS(y, [][]float64{ones(n), shifted}, 1, v, 0.95, nil)
		require.NoError(t, err)
		assert.InDelta(t, a.Estimate, b.Estimate, 1e-8*math.Abs(a.Estimate))
		assert.InDelta(t, a.SE, b.SE, 1e-8*a.SE)
	}
}

func TestRobustOLSRankDeficient(t *testing.T) {
	y := []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3}
	z := []float64{1, 0, 1, 0, 1, 0, 1, 0, 1, 0}
	x := []float64{2, 7, 1, 8, 2, 8, 1, 8, 2, 8}
	twice := make([]float64, 10)
	for i := range x {
		twice[i] = 2 * x[i]
	}
	full, err := RobustOLS(y, [][]float64{ones(10), z, x}, 1, Variance{Type: HC2}, 0.95, nil)
	require.NoError(t, err)
	// A copy of x after it adds nothing: same estimate, SE and df (rank 3).
	dup, err := RobustOLS(y, [][]float64{ones(10), z, x, twice}, 1, Variance{Type: HC2}, 0.95, nil)
	require.NoError(t, err)
	assert.InDelta(t, full.Estimate, dup.Estimate, 1e-12)
	assert.InDelta(t, full.SE, dup.SE, 1e-12)
	assert.Equal(t, full.DF, dup.DF)
	// The copy itself is aliased (lm: NA); x, before it, is estimated.
	_, err = RobustOLS(y, [][]float64{ones(10), z, x, twice}, 3, Variance{Type: HC2}, 0.95, nil)
	assert.ErrorIs(t, err, ErrAliased)
	_, err = RobustOLS(y, [][]float64{ones(10), z, x, twice}, 2, Variance{Type: HC2}, 0.95, nil)
	assert.NoError(t, err)
	// A zero column is aliased.
	_, err = RobustOLS(y, [][]float64{ones(10), make([]float64, 10)}, 1, Variance{Type: HC2}, 0.95, nil)
	assert.ErrorIs(t, err, ErrAliased)
}

func TestRobustOLSEdgeCases(t *testing.T) {
	y := []float64{1, 2, 3, 4}
	z := []float64{1, 1, 0, 0}
	x := [][]float64{ones(4), z}
	hc2 := Variance{Type: HC2}

	// n ≤ rank.
	_, err := RobustOLS([]float64{1, 2}, [][]float64{ones(2), {0, 1}}, 1, hc2, 0.95, nil)
	assert.ErrorIs(t, err, ErrNoResidualDF)
	_, err = RobustOLS(nil, [][]float64{nil}, 0, hc2, 0.95, nil)
	assert.Error(t, err)

	// NaN and infinity.
	_, err = RobustOLS([]float64{1, math.NaN(), 3, 4}, x, 1, hc2, 0.95, nil)
	assert.Error(t, err)
	_, err = RobustOLS(y, [][]float64{ones(4), {1, math.Inf(1), 0, 0}}, 1, hc2, 0.95, nil)
	assert.Error(t, err)

	// Variance settings.
	_, err = RobustOLS(y, x, 1, Variance{}, 0.95, nil)
	assert.Error(t, err)
	_, err = RobustOLS(y, x, 1, Variance{Type: HC1, Clusters: []int{1, 1, 2, 2}}, 0.95, nil)
	assert.Error(t, err)
	_, err = RobustOLS(y, x, 1, Variance{Type: CR2}, 0.95, nil)
	assert.Error(t, err)
	_, err = RobustOLS(y, x, 1, Variance{Type: CR2, Clusters: []int{5, 5, 5, 5}}, 0.95, nil)
	assert.Error(t, err)

	// A constant y: an exact fit, SE 0, no interval.
	for _, v := range []Variance{hc2, {Type: HC3}, {Type: CR2, Clusters: []int{1, 2, 3, 3}}} {
		e, err := RobustOLS([]float64{0.1, 0.1, 0.1, 0.1}, x, 1, v, 0.95, nil)
		require.NoError(t, err)
		assert.InDelta(t, 0, e.Estimate, 1e-15)
		assert.Zero(t, e.SE)
		assert.True(t, math.IsNaN(e.CILow) && math.IsNaN(e.CIHigh) && math.IsNaN(e.PValue))
	}

	// Programmer errors panic.
	assert.Panics(t, func() { RobustOLS(y, [][]float64{ones(3)}, 0, hc2, 0.95, nil) })
	assert.Panics(t, func() { RobustOLS(y, x, 2, hc2, 0.95, nil) })
	assert.Panics(t, func() { RobustOLS(y, x, -1, hc2, 0.95, nil) })
	assert.Panics(t, func() { RobustOLS(y, x, 1, hc2, 1, nil) })
	assert.Panics(t, func() { RobustOLS(y, x, 1, hc2, 0.95, make([]float64, 3)) })
	assert.Panics(t, func() { RobustOLS(y, x, 1, Variance{Type: CR2, Clusters: []int{1}}, 0.95, nil) })
}

// A leverage-one observation (the only one with x = 1) adds nothing to HC2
// and HC3 rather than dividing 0 by 0.
func TestRobustOLSLeverageOne(t *testing.T) {
	y := []float64{1, 4, 2, 8, 5, 7}
	z := []float64{1, 0, 1, 0, 1, 0}
	d := []float64{0, 0, 0, 0, 0, 1}
	for _, vt := range []VarianceType{HC2, HC3} {
		e, err := RobustOLS(y, [][]float64{ones(6), z, d}, 1, Variance{Type: vt}, 0.95, nil)
		require.NoError(t, err)
		assert.False(t, math.IsNaN(e.SE) || math.IsInf(e.SE, 0), vt)
		// Without the last person (fitted exactly by d), the same SE.
		f, err := RobustOLS(y[:5], [][]float64{ones(5), z[:5]}, 1, Variance{Type: vt}, 0.95, nil)
		require.NoError(t, err)
		assert.InDelta(t, f.SE, e.SE, 1e-12, vt)
	}
}

func TestVarianceTypeNames(t *testing.T) {
	for vt := HC0; vt <= CR2; vt++ {
		got, err := ParseVarianceType(" " + vt.String() + " ")
		require.NoError(t, err)
		assert.Equal(t, vt, got)
	}
	got, err := ParseVarianceType("cr2")
	require.NoError(t, err)
	assert.Equal(t, CR2, got)
	assert.Equal(t, "HC2", HC2.String())
	assert.Equal(t, "VarianceType(0)", VarianceType(0).String())
	_, err = ParseVarianceType("stata")
	assert.Error(t, err)
	_, err = ParseVarianceType("")
	assert.Error(t, err)
}

func benchDesign(n, k int) ([]float64, [][]float64) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := make([][]float64, k)
	x[0] = ones(n)
	for j := 1; j < k; j++ {
		x[j] = make([]float64, n)
		for i := range n {
			if j == 1 {
				x[j][i] = float64(rng.IntN(2))
			} else {
				x[j][i] = rng.NormFloat64()
			}
		}
	}
	y := make([]float64, n)
	for i := range y {
		y[i] = x[1][i] + 0.3*x[2][i] + rng.ExpFloat64()
	}
	return y, x
}

// HC2 at n = 100 000, k = 12: O(n k²), no n×n matrix.
func BenchmarkRobustOLSHC2(b *testing.B) {
	y, x := benchDesign(100_000, 12)
	psi := make([]float64, len(y))
	b.ResetTimer()
	for b.Loop() {
		if _, err := RobustOLS(y, x, 1, Variance{Type: HC2}, 0.95, psi); err != nil {
			b.Fatal(err)
		}
	}
}

// CR2 at n = 100 000, k = 12 with 2000 clusters of about 50.
func BenchmarkRobustOLSCR2(b *testing.B) {
	y, x := benchDesign(100_000, 12)
	cl := make([]int, len(y))
	for i := range cl {
		cl[i] = i % 2000
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := RobustOLS(y, x, 1, Variance{Type: CR2, Clusters: cl}, 0.95, nil); err != nil {
			b.Fatal(err)
		}
	}
}
