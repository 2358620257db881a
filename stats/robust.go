package stats

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
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
// The fit is a QR decomposition (Householder, taken 1024 rows at a time and
// stacked, so memory is O(n) for the residuals and the cost O(n k²)); the
// leverages come from R⁻¹ without forming the hat matrix, and CR2 costs
// O(n_g k² + min(n_g, k)³) per cluster.
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
	n, k := len(y), len(x)
	for _, c := range x {
		if len(c) != n {
			panic("stats: RobustOLS: a column of x differs in length from y")
		}
	}
	if coef < 0 || coef >= k {
		panic("stats: RobustOLS: coef is not a column of x")
	}
	checkLevel(level)
	fill := func(i int, dst []float64) {
		for j, c := range x {
			dst[j] = c[i]
		}
	}
	fit, err := robustFit(y, design{n: n, k: k, row: fill}, coef, v, influence)
	if err != nil {
		return Estimate{}, err
	}
	return fit.estimate(level), nil
}

// design is an n×k design matrix given row by row: row(i, dst) writes row i
// into dst (length k). Rows are asked for in order, and again by cluster.
type design struct {
	n, k int
	row  func(i int, dst []float64)
}

// olsFit is one coefficient's estimate with its robust variance.
type olsFit struct {
	est, se, df float64
	rank        int
	exact       bool // residuals 0: SE 0, no interval
}

func (f olsFit) estimate(level float64) Estimate {
	e := Estimate{Estimate: f.est, SE: f.se, DF: f.df}
	if f.exact {
		e.CILow, e.CIHigh, e.PValue = math.NaN(), math.NaN(), math.NaN()
	} else {
		e.CILow, e.CIHigh, e.PValue = rInference(f.est, f.se, f.df, level)
	}
	return e
}

// robustFit is RobustOLS on a design given by rows.
func robustFit(y []float64, d design, coef int, v Variance, influence []float64) (olsFit, error) {
	n, k := d.n, d.k
	if influence != nil && len(influence) != n {
		panic("stats: influence differs in length from y")
	}
	switch v.Type {
	case HC0, HC1, HC2, HC3:
		if v.Clusters != nil {
			return olsFit{}, fmt.Errorf("stats: variance %v takes no clusters (use CR2)", v.Type)
		}
	case CR2:
		if v.Clusters == nil {
			return olsFit{}, errors.New("stats: variance CR2 needs clusters")
		}
		if len(v.Clusters) != n {
			panic("stats: clusters differ in length from y")
		}
	default:
		return olsFit{}, fmt.Errorf("stats: variance type not set (%v)", v.Type)
	}
	if n == 0 {
		return olsFit{}, errors.New("stats: regression: no observations")
	}
	for _, yi := range y {
		if math.IsNaN(yi) || math.IsInf(yi, 0) {
			return olsFit{}, errors.New("stats: regression: the outcome has a NaN or infinite value")
		}
	}

	p := k + 1
	r, err := stackedQR(y, d)
	if err != nil {
		return olsFit{}, err
	}
	cols, rk, qty := keepColumns(r, p, k)
	rank := len(cols)
	at := slices.Index(cols, coef) // coef's place among the kept columns
	if at < 0 {
		return olsFit{}, ErrAliased
	}
	if n <= rank {
		return olsFit{}, ErrNoResidualDF
	}
	beta := backSolve(rk, rank, qty)
	rinv := upperInverse(rk, rank)
	rit := transpose(rinv, rank)
	// aᵢ = e_coef'(X'X)⁻¹xᵢ = (row at of R⁻¹)·zᵢ, zᵢ = R⁻ᵀxᵢ.
	rowAt := rinv[at*rank : (at+1)*rank]

	// One pass over the rows, qrChunk at a time: residuals, then
	// Z = X R⁻¹ (rows zᵢ = R⁻ᵀxᵢ), the leverages ‖zᵢ‖² and the aᵢ.
	e := make([]float64, n)
	a := make([]float64, n)
	h := make([]float64, n)
	row := make([]float64, k)
	xb := make([]float64, min(n, qrChunk)*rank)
	zb := make([]float64, rank)
	var rss, yy float64
	for start := 0; start < n; start += qrChunk {
		m := min(qrChunk, n-start)
		for q := range m {
			i := start + q
			xk := xb[q*rank : (q+1)*rank]
			d.row(i, row)
			keptRow(row, cols, xk)
			fit := 0.0
			for l, b := range beta {
				fit += xk[l] * b
			}
			e[i] = y[i] - fit
			rss += e[i] * e[i]
			yy += y[i] * y[i]
		}
		for q := range m {
			z := xb[q*rank : (q+1)*rank]
			upperTimes(z, rinv, rank, zb)
			var hi, ai float64
			for _, w := range z {
				hi += w * w
			}
			for l := at; l < rank; l++ {
				ai += rowAt[l] * z[l]
			}
			h[start+q], a[start+q] = hi, ai
		}
	}
	out := olsFit{est: beta[at], rank: rank, df: float64(n - rank)}
	if rss <= exactFitTol*yy {
		out.exact = true
		clear(e)
	}

	if v.Type == CR2 {
		return cr2(d, v.Clusters, cols, rit, a, e, out, influence)
	}
	var vr float64
	psi := influence
	if psi == nil {
		psi = make([]float64, n)
	}
	hc1 := math.Sqrt(float64(n) / float64(n-rank))
	for i := range n {
		c := 1.0
		switch v.Type {
		case HC1:
			c = hc1
		case HC2:
			if 1-h[i] > leverageTol {
				c = 1 / math.Sqrt(1-h[i])
			} else {
				c = 0
			}
		case HC3:
			if 1-h[i] > leverageTol {
				c = 1 / (1 - h[i])
			} else {
				c = 0
			}
		}
		psi[i] = a[i] * e[i] * c
		vr += psi[i] * psi[i]
	}
	out.se = math.Sqrt(vr)
	return out, nil
}

// keptRow writes the kept columns of a full design row into xk.
func keptRow(row []float64, cols []int, xk []float64) {
	for m, j := range cols {
		xk[m] = row[j]
	}
}

// zRow sets z = R⁻ᵀx (rit the r×r lower-triangular R⁻ᵀ, row-major) and
// returns the leverage ‖z‖² = x'(X'X)⁻¹x.
func zRow(rit []float64, r int, x, z []float64) float64 {
	var h float64
	for m := range r {
		row := rit[m*r : m*r+m+1]
		xs := x[:len(row)]
		s := 0.0
		for l, w := range row {
			s += w * xs[l]
		}
		z[m] = s
		h += s * s
	}
	return h
}

// upperTimes overwrites the row vector x with xU for the r×r row-major
// upper-triangular U, using tmp (length r).
func upperTimes(x, u []float64, r int, tmp []float64) {
	clear(tmp)
	for l, xl := range x[:r] {
		if xl == 0 {
			continue
		}
		ur := u[l*r+l : (l+1)*r]
		t := tmp[l:r]
		t = t[:len(ur)]
		for m, w := range ur {
			t[m] += xl * w
		}
	}
	copy(x, tmp)
}

// transpose returns the transpose of the r×r row-major a.
func transpose(a []float64, r int) []float64 {
	t := make([]float64, r*r)
	for i := range r {
		for j := range r {
			t[j*r+i] = a[i*r+j]
		}
	}
	return t
}

// stackedQR returns the p×p (p = k+1) upper-triangular factor R of the QR
// decomposition of [X y], row-major, factorising qrChunk rows at a time
// below the R of the rows before (Householder QR is backward stable, so
// R'R = [X y]'[X y] to rounding). It returns an error for a NaN or infinite x.
func stackedQR(y []float64, d design) ([]float64, error) {
	n, k, p := d.n, d.k, d.k+1
	rows := p + qrChunk
	buf := make([]float64, rows*p)
	tau := make([]float64, p)
	work := []float64{0}
	lapack64.Geqrf(blas64.General{Rows: rows, Cols: p, Stride: p, Data: buf}, tau, work, -1)
	work = make([]float64, int(work[0]))
	row := make([]float64, k)
	m := 0 // data rows in the buffer, below the p rows of R
	flush := func() {
		a := blas64.General{Rows: p + m, Cols: p, Stride: p, Data: buf[:(p+m)*p]}
		lapack64.Geqrf(a, tau, work, len(work))
		for i := range p {
			clear(buf[i*p : i*p+i]) // the reflectors below the diagonal
		}
		m = 0
	}
	for i := range n {
		d.row(i, row)
		dst := buf[(p+m)*p : (p+m+1)*p]
		for j, w := range row {
			if math.IsNaN(w) || math.IsInf(w, 0) {
				return nil, fmt.Errorf("stats: regression: column %d has a NaN or infinite value", j)
			}
		}
		copy(dst, row)
		dst[p-1] = y[i]
		m++
		if m == qrChunk {
			flush()
		}
	}
	if m > 0 {
		flush()
	}
	return buf[:p*p], nil
}

// keepColumns decides the rank of the first k columns of the p×p triangular
// factor r (row-major; column k is y) as R's lm does: columns in order, each
// kept when its norm after projecting out the kept columns before it is more
// than rankTol times its own norm. It returns the kept columns, their r×r
// upper-triangular factor (row-major) and the first r entries of Q'y.
func keepColumns(r []float64, p, k int) (kept []int, rk, qty []float64) {
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
		v := make([]float64, p-top)
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
		for i := top + 1; i < p; i++ {
			w[i*p+j] = 0
		}
		kept = append(kept, j)
		top++
	}
	rank := len(kept)
	rk = make([]float64, rank*rank)
	qty = make([]float64, rank)
	for a := range rank {
		for b, j := range kept {
			rk[a*rank+b] = w[a*p+j]
		}
		qty[a] = w[a*p+k]
	}
	return kept, rk, qty
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

// cr2 completes a fit with the CR2 variance and its Bell–McCaffrey degrees
// of freedom (see RobustOLS).
func cr2(d design, clusters []int, cols []int, rit []float64, a, e []float64, out olsFit, influence []float64) (olsFit, error) {
	n, r := d.n, len(cols)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(clusters[i], clusters[j]) })
	nclusters := 0
	for q := range order {
		if q == 0 || clusters[order[q]] != clusters[order[q-1]] {
			nclusters++
		}
	}
	if nclusters < 2 {
		return olsFit{}, errors.New("stats: CR2 needs at least two clusters")
	}
	row := make([]float64, d.k)
	xk := make([]float64, r)
	var (
		vr, sumP, sumP2, cross, trS float64
		s                           = make([]float64, r*r)
		vg                          = make([]float64, r)
	)
	for start := 0; start < n; {
		end := start + 1
		for end < n && clusters[order[end]] == clusters[order[start]] {
			end++
		}
		idx := order[start:end]
		ng := len(idx)
		zg := make([]float64, ng*r) // Z_g = X_g R⁻¹, row-major
		ag := make([]float64, ng)
		for q, i := range idx {
			d.row(i, row)
			keptRow(row, cols, xk)
			zRow(rit, r, xk, zg[q*r:(q+1)*r])
			ag[q] = a[i]
		}
		wg := adjust(zg, ng, r, ag)
		// Ψ_g, p_g, v_g = Z_g'w_g.
		var psiG, pg float64
		for q, i := range idx {
			psiG += wg[q] * e[i]
			pg += wg[q] * wg[q]
			if influence != nil {
				influence[i] = wg[q] * e[i]
			}
		}
		clear(vg)
		for q := range ng {
			for m := range r {
				vg[m] += zg[q*r+m] * wg[q]
			}
		}
		vv := 0.0
		for m, x := range vg {
			vv += x * x
			for l := range r {
				s[m*r+l] += x * vg[l]
			}
		}
		vr += psiG * psiG
		sumP += pg
		sumP2 += pg * pg
		cross += pg * vv
		trS += vv
		start = end
	}
	ss := 0.0
	for _, x := range s {
		ss += x * x
	}
	tr := sumP - trS
	out.se = math.Sqrt(vr)
	out.df = tr * tr / (sumP2 - 2*cross + ss)
	return out, nil
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
