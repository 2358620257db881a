package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// VarianceType names a heteroskedasticity-robust (HC) or cluster-robust (CR)
// variance estimator of ordinary least squares coefficients. The zero value
// is not a type: a Variance must name one.
type VarianceType int

// The variance estimators of RobustOLS, as estimatr::lm_robust's se_type
// names them (MacKinnon & White 1985; Long & Ervin 2000; Bell & McCaffrey
// 2002; Pustejovsky & Tipton 2018).
const (
	HC0 VarianceType = iota + 1 // Σ eᵢ² xᵢxᵢ' (White)
	HC1                         // HC0 · n/(n − k) (Stata's "robust")
	HC2                         // eᵢ²/(1 − hᵢᵢ); estimatr's default without clusters
	HC3                         // eᵢ²/(1 − hᵢᵢ)², close to the jackknife
	CR2                         // bias-reduced linearisation with clusters; estimatr's default with clusters
)

var varianceNames = [...]string{HC0: "HC0", HC1: "HC1", HC2: "HC2", HC3: "HC3", CR2: "CR2"}

// String returns the estimatr name of the type, "HC0" … "CR2".
func (t VarianceType) String() string {
	if t >= HC0 && t <= CR2 {
		return varianceNames[t]
	}
	return fmt.Sprintf("VarianceType(%d)", int(t))
}

// ParseVarianceType returns the type a name such as "HC2" or "cr2" stands for
// (case and surrounding blanks ignored), or an error naming the valid names.
func ParseVarianceType(s string) (VarianceType, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	for t := HC0; t <= CR2; t++ {
		if varianceNames[t] == u {
			return t, nil
		}
	}
	return 0, fmt.Errorf("stats: unknown variance type %q (want HC0, HC1, HC2, HC3 or CR2)", s)
}

// Variance chooses the variance estimator of a regression: an HC type
// without clusters, or CR2 with Clusters, the cluster of each observation
// (any integers; equal values are one cluster).
type Variance struct {
	Type     VarianceType
	Clusters []int
}

// ErrAliased is returned when the column of the coefficient asked for is
// (within a relative 1e-7) a linear combination of the columns before it,
// so that R's lm reports the coefficient as NA.
var ErrAliased = errors.New("stats: the coefficient of interest is aliased: its column is a linear combination of the columns before it")

// ErrNoResidualDF is returned when a regression has no residual degrees of
// freedom (n ≤ rank of the design), so that no variance can be estimated.
var ErrNoResidualDF = errors.New("stats: no residual degrees of freedom (observations ≤ rank of the design)")

const (
	// rankTol is the tolerance of the rank decision, as in R's lm (LINPACK
	// dqrdc2, tol = 1e-7): taking the columns in order, a column whose norm,
	// after projecting out the columns kept before it, is below rankTol
	// times its own norm is aliased and left out.
	rankTol = 1e-7
	// exactFitTol: a fit whose residual sum of squares is at most
	// exactFitTol·Σyᵢ² (a residual norm 1e-10 of the outcome's) is exact,
	// such as a constant outcome with an intercept; its residuals are
	// rounding noise and are taken as 0.
	exactFitTol = 1e-20
	// leverageTol: an observation with 1 − hᵢᵢ ≤ leverageTol has leverage
	// one (its residual is 0 up to rounding); HC2 and HC3 give it weight 0,
	// as estimatr does when 1 − hᵢᵢ comes out as exactly 0.
	leverageTol = 1e-12
	// eigenTol is CR2's cut-off for the eigenvalues of I − H_gg: smaller
	// ones count as 0 in the inverse square root (a pseudo-inverse), as in
	// estimatr and clubSandwich.
	eigenTol = 1e-12
	// qrChunk is the number of rows factorised at a time.
	qrChunk = 1024
)

// RobustOLS fits y on the columns x by ordinary least squares and returns
// coefficient coef with a robust standard error, its degrees of freedom, a
// t-based confidence interval at the given level and a two-sided p-value. x
// holds the design's columns, each of length n = len(y); the caller includes
// the intercept column (all 1) when it wants one. It equals
//
//	estimatr::lm_robust(y ~ X - 1, se_type = "HC0" | "HC1" | "HC2" | "HC3")
//	estimatr::lm_robust(y ~ X - 1, clusters = c, se_type = "CR2")
//
// for that coefficient (the Estimate's arm counts and means are left 0).
// With β̂ = (X'X)⁻¹X'y, residuals eᵢ, leverages
// hᵢᵢ = xᵢ'(X'X)⁻¹xᵢ and aᵢ = [(X'X)⁻¹xᵢ]_coef (so that β̂_coef = Σ aᵢyᵢ):
//
//	HC0: V = Σ aᵢ² eᵢ²                HC1: V = n/(n−k) · Σ aᵢ² eᵢ²
//	HC2: V = Σ aᵢ² eᵢ²/(1 − hᵢᵢ)      HC3: V = Σ aᵢ² eᵢ²/(1 − hᵢᵢ)²
//
// (MacKinnon & White 1985), with df = n − k, k the rank of X; an observation
// with leverage one (1 − hᵢᵢ ≤ 1e-12) adds nothing to HC2 and HC3. CR2 is the
// bias-reduced linearisation of Bell & McCaffrey (2002) with working
// covariance I, as in Pustejovsky & Tipton (2018) and estimatr: per cluster
// g, A_g = (I − H_gg)^(−1/2), the symmetric inverse square root (eigenvalues
// of I − H_gg at or below 1e-12 count as 0: a pseudo-inverse),
// w_g = A_g a_g and
//
//	V = Σ_g (w_g'e_g)²,
//
// and its degrees of freedom are the Bell–McCaffrey/Satterthwaite ones
// estimatr computes (lm_robust_helper.cpp, which clubSandwich's
// coef_test(test = "Satterthwaite") equals without weights):
//
//	df = (tr P)² / ‖P‖²_F,  P_gh = δ_gh w_g'w_g − w_g'X_g (X'X)⁻¹ X_h'w_h,
//
// P being the J×J Gram matrix of the columns (I − H)_{·g} w_g; it is computed
// as tr P = Σ p_g − tr S and ‖P‖²_F = Σ p_g² − 2 Σ p_g v_g'v_g + ‖S‖²_F with
// p_g = w_g'w_g, v_g = R⁻ᵀX_g'w_g and S = Σ v_g v_g', in O(J k²).
//
// The fit is a QR decomposition X = QR (Householder, taken 1024 rows at a
// time and stacked, at a cost O(n k²)), with the n×k factor Q formed
// explicitly (memory n·k): β̂ = R⁻¹Q'y, e = y − QQ'y, hᵢᵢ = ‖qᵢ‖² and
// aᵢ = [R⁻¹qᵢ]_coef, qᵢ the rows of Q, without forming the hat matrix; CR2
// costs O(n_g k² + min(n_g, k)³) per cluster. RobustOLS is PrepareOLS
// followed by Estimate: to regress several outcomes on one design, prepare
// it once; then each outcome costs O(n k).
//
// A rank-deficient design loses columns as in R's lm: taking the columns in
// order, one within a relative 1e-7 of the span of the columns kept before
// it is aliased (lm's NA) and left out, and k above is the rank. If coef's
// column is aliased, RobustOLS returns ErrAliased. estimatr's pivoted QR may
// leave out a different column of a dependent set (with a tolerance near
// machine precision); when coef's column is not in the span of all the
// others every such choice gives the same estimate, SE and df, and these
// equal estimatr's; when it is in that span together with later columns
// (e.g. a covariate that copies the treatment), the value reported is lm's
// choice, which estimatr may not share.
//
// influence, when not nil, receives per-observation influence values ψᵢ of
// the estimate: for the HC types ψᵢ = aᵢeᵢ·cᵢ with cᵢ = 1 (HC0),
// √(n/(n−k)) (HC1), 1/√(1−hᵢᵢ) (HC2), 1/(1−hᵢᵢ) (HC3), so that Σψᵢ² = V; for
// CR2 ψᵢ = w_gᵢeᵢ, so that the cluster sums Ψ_g = Σ_{i∈g}ψᵢ give V = ΣΨ_g²
// (sum ψ within clusters before multiplying; see the package documentation).
// It is written only when the error is nil.
//
// When the fit is exact (residual sum of squares ≤ 1e-20·Σyᵢ², e.g. a
// constant y with an intercept), the residuals are taken as 0: SE is 0 and
// the interval and p-value NaN (estimatr reports rounding noise there, e.g.
// SE 3e-16, and the estimate itself may be such noise). It returns errors
// for data problems: n = 0, a NaN or infinite value, ErrAliased,
// ErrNoResidualDF (n ≤ rank), an unset variance type, clusters with an HC
// type or none with CR2, fewer than two clusters. It panics if a column,
// the clusters or influence differ in length from y, if coef is not a column
// index, or if level is not in (0, 1).
func RobustOLS(y []float64, x [][]float64, coef int, v Variance, level float64, influence []float64) (Estimate, error) {
	n := len(y)
	for _, c := range x {
		if len(c) != n {
			panic("stats: RobustOLS: a column of x differs in length from y")
		}
	}
	if coef < 0 || coef >= len(x) {
		panic("stats: RobustOLS: coef is not a column of x")
	}
	checkLevel(level)
	if influence != nil && len(influence) != n {
		panic("stats: RobustOLS: influence differs in length from y")
	}
	d, err := PrepareOLS(x, coef, v)
	if err != nil {
		return Estimate{}, err
	}
	return d.Estimate(y, level, influence)
}

// keepColumns decides the rank of the first k columns of the rows×p
// row-major w (upper-triangular in those columns) as R's lm does: columns in
// order, each kept when its norm after projecting out the kept columns
// before it is more than rankTol times its own norm. The Householder
// reflectors that do so are applied to the other p − k columns too. It
// returns the kept columns, their r×r upper-triangular factor and the first
// r rows of the other columns (r×(p − k)), all row-major.
func keepColumns(r []float64, rows, p, k int) (kept []int, rk, rest []float64) {
	w := slices.Clone(r)
	norms := make([]float64, k)
	for j := range k {
		norms[j] = colNorm(w, p, j, 0)
	}
	top := 0 // rows above top are done
	for j := range k {
		s := colNorm(w, p, j, top)
		if !(s > rankTol*norms[j]) {
			continue // aliased
		}
		// Householder reflector zeroing w[top+1:, j].
		alpha := s
		if w[top*p+j] > 0 {
			alpha = -s
		}
		v := make([]float64, rows-top)
		for i := range v {
			v[i] = w[(top+i)*p+j]
		}
		v[0] -= alpha
		vv := 0.0
		for _, x := range v {
			vv += x * x
		}
		if vv > 0 {
			for c := j + 1; c < p; c++ {
				dot := 0.0
				for i, x := range v {
					dot += x * w[(top+i)*p+c]
				}
				f := 2 * dot / vv
				for i, x := range v {
					w[(top+i)*p+c] -= f * x
				}
			}
		}
		w[top*p+j] = alpha
		for i := top + 1; i < rows; i++ {
			w[i*p+j] = 0
		}
		kept = append(kept, j)
		top++
	}
	rank := len(kept)
	rk = make([]float64, rank*rank)
	rest = make([]float64, rank*(p-k))
	for a := range rank {
		for b, j := range kept {
			rk[a*rank+b] = w[a*p+j]
		}
		copy(rest[a*(p-k):(a+1)*(p-k)], w[a*p+k:(a+1)*p])
	}
	return kept, rk, rest
}

// colNorm is the Euclidean norm of rows from… of column j of the p-column
// row-major w, scaled against overflow.
func colNorm(w []float64, p, j, from int) float64 {
	scale, ssq := 0.0, 1.0
	for i := from; i < len(w)/p; i++ {
		x := math.Abs(w[i*p+j])
		if x == 0 {
			continue
		}
		if scale < x {
			ssq = 1 + ssq*(scale/x)*(scale/x)
			scale = x
		} else {
			ssq += (x / scale) * (x / scale)
		}
	}
	return scale * math.Sqrt(ssq)
}

// backSolve solves R b = c for the r×r upper-triangular row-major R.
func backSolve(rk []float64, r int, c []float64) []float64 {
	b := slices.Clone(c)
	for i := r - 1; i >= 0; i-- {
		for j := i + 1; j < r; j++ {
			b[i] -= rk[i*r+j] * b[j]
		}
		b[i] /= rk[i*r+i]
	}
	return b
}

// upperInverse returns R⁻¹ of the r×r upper-triangular row-major R.
func upperInverse(rk []float64, r int) []float64 {
	inv := make([]float64, r*r)
	col := make([]float64, r)
	for c := range r {
		clear(col)
		col[c] = 1
		b := backSolve(rk, r, col)
		for i := range r {
			inv[i*r+c] = b[i]
		}
	}
	return inv
}

// adjust returns w = (I − Z Z')^(−1/2) a for the n×r row-major Z of one
// cluster (Z Z' = H_gg), the inverse square root taken over the eigenvalues
// above eigenTol (0 for the others). With n ≤ r it decomposes I − ZZ'
// itself, as estimatr does; with n > r it uses Z'Z = V diag(s²) V': then
// I − ZZ' has eigenvalues 1 − s_m² on the columns of U = ZV diag(1/s) and 1
// elsewhere, so w = a + Z V diag(c_m) V'Z'a with
// c_m = ((1 − s_m²)^(−1/2) − 1)/s_m² = 1/(√(1−s²)(1+√(1−s²))), or −1/s_m²
// when 1 − s_m² ≤ eigenTol.
func adjust(z []float64, n, r int, a []float64) []float64 {
	w := make([]float64, n)
	if n == 1 {
		lam := 1.0
		for _, x := range z {
			lam -= x * x
		}
		if lam > eigenTol {
			w[0] = a[0] / math.Sqrt(lam)
		}
		return w
	}
	var eig mat.EigenSym
	var vecs mat.Dense
	if n <= r {
		b := mat.NewSymDense(n, nil)
		for i := range n {
			for j := i; j < n; j++ {
				dot := 0.0
				for m := range r {
					dot += z[i*r+m] * z[j*r+m]
				}
				id := 0.0
				if i == j {
					id = 1
				}
				b.SetSym(i, j, id-dot)
			}
		}
		if !eig.Factorize(b, true) {
			panic("stats: CR2: eigendecomposition failed")
		}
		eig.VectorsTo(&vecs)
		vals := eig.Values(nil)
		// w = V f(Λ) V'a
		for m, lam := range vals {
			f := 0.0
			if lam > eigenTol {
				f = 1 / math.Sqrt(lam)
			}
			if f == 0 {
				continue
			}
			t := 0.0
			for i := range n {
				t += vecs.At(i, m) * a[i]
			}
			for i := range n {
				w[i] += f * t * vecs.At(i, m)
			}
		}
		return w
	}
	g := mat.NewSymDense(r, nil)
	for m := range r {
		for l := m; l < r; l++ {
			dot := 0.0
			for i := range n {
				dot += z[i*r+m] * z[i*r+l]
			}
			g.SetSym(m, l, dot)
		}
	}
	if !eig.Factorize(g, true) {
		panic("stats: CR2: eigendecomposition failed")
	}
	eig.VectorsTo(&vecs)
	vals := eig.Values(nil)
	za := make([]float64, r) // Z'a
	for i := range n {
		for m := range r {
			za[m] += z[i*r+m] * a[i]
		}
	}
	u := make([]float64, r) // V diag(c) V'Z'a
	for m, s2 := range vals {
		t := 0.0
		for l := range r {
			t += vecs.At(l, m) * za[l]
		}
		var c float64
		if lam := 1 - s2; lam > eigenTol {
			sq := math.Sqrt(lam)
			c = 1 / (sq * (1 + sq))
		} else {
			c = -1 / s2
		}
		for l := range r {
			u[l] += c * t * vecs.At(l, m)
		}
	}
	copy(w, a)
	for i := range n {
		for m := range r {
			w[i] += z[i*r+m] * u[m]
		}
	}
	return w
}
