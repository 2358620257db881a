package stats

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// OLSDesign is a regression design prepared by PrepareOLS for the robust
// variance of one coefficient, so that RobustOLS can be run on many
// outcomes over the same design (the same x, coef and Variance) at O(n·k)
// each: everything that depends only on the design — the QR factorisation,
// the rank decision, the aᵢ of coef, the leverages hᵢᵢ and for CR2 the
// adjusted w_g = (I − H_gg)^(−1/2) a_g and the Bell–McCaffrey degrees of
// freedom — is computed once; Estimate computes what depends on y (the fit,
// the residuals and the meat of the sandwich).
//
// A prepared design holds the n×k orthonormal factor Q of the design (8·n·k
// bytes, 37 MB at n = 100 000 and k = 46) and a few values per observation;
// it keeps no reference to the slices it was prepared from. Estimate does
// not modify it and allocates its own scratch (O(k) and, for CR2, one value
// per cluster), so it may be called from several goroutines at once.
type OLSDesign struct {
	n, rank, at int
	vt          VarianceType
	// q is the n×rank Q of the kept columns, X_kept = Q R with R the
	// rank×rank upper-triangular r; q holds it transposed by chunks of
	// qrChunk rows (see thinQ).
	q, r []float64
	// u is, per observation, what ψᵢ = uᵢeᵢ takes: aᵢcᵢ for the HC types
	// (see RobustOLS), w_gᵢ for CR2.
	u []float64
	// cluster is each observation's cluster as 0 … nclusters−1 (CR2).
	cluster   []int
	nclusters int
	df        float64
}

// PrepareOLS prepares the design x (its columns, each of length n, the
// intercept included when wanted) for RobustOLS on coefficient coef with
// variance v; (*OLSDesign).Estimate(y, level, influence) then returns what
// RobustOLS(y, x, coef, v, level, influence) returns (RobustOLS is these two
// calls). PrepareOLS costs O(n·k²), and for CR2 O(n_g·k² + min(n_g, k)³)
// per cluster g; each Estimate costs O(n·k), two passes over Q (β̂ = R⁻¹Q'y,
// e = y − QQ'y). The design's own errors are PrepareOLS's: n = 0, a NaN or
// infinite value, ErrAliased, ErrNoResidualDF (n ≤ rank), an unset variance
// type, clusters with an HC type or none with CR2, fewer than two clusters.
// It panics if the columns differ in length, the clusters differ in length
// from them, or coef is not a column index.
func PrepareOLS(x [][]float64, coef int, v Variance) (*OLSDesign, error) {
	if coef < 0 || coef >= len(x) {
		panic("stats: PrepareOLS: coef is not a column of x")
	}
	n := len(x[0])
	for _, c := range x {
		if len(c) != n {
			panic("stats: PrepareOLS: the columns of x differ in length")
		}
	}
	fill := func(i int, dst []float64) {
		for j, c := range x {
			dst[j] = c[i]
		}
	}
	return prepare(design{n: n, k: len(x), row: fill}, coef, v)
}

// Estimate returns the estimate of the prepared coefficient for the outcome
// y, as RobustOLS does (see there for the formulas, the exact-fit convention
// and the influence values written into influence when it is not nil). It
// returns an error if y has a NaN or infinite value, and panics if y or
// influence differ in length from the design or level is not in (0, 1).
// It is safe for concurrent use.
func (o *OLSDesign) Estimate(y []float64, level float64, influence []float64) (Estimate, error) {
	checkLevel(level)
	f, err := o.fit(y, influence)
	if err != nil {
		return Estimate{}, err
	}
	return f.estimate(level), nil
}

// design is an n×k design matrix given row by row: row(i, dst) writes row i
// into dst (length k). Rows are asked for once, in order.
type design struct {
	n, k int
	row  func(i int, dst []float64)
}

// olsFit is one coefficient's estimate with its robust variance.
type olsFit struct {
	est, se, df float64
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

// prepare is PrepareOLS on a design given by rows.
func prepare(d design, coef int, v Variance) (*OLSDesign, error) {
	n, k := d.n, d.k
	switch v.Type {
	case HC0, HC1, HC2, HC3:
		if v.Clusters != nil {
			return nil, fmt.Errorf("stats: variance %v takes no clusters (use CR2)", v.Type)
		}
	case CR2:
		if v.Clusters == nil {
			return nil, errors.New("stats: variance CR2 needs clusters")
		}
		if len(v.Clusters) != n {
			panic("stats: clusters differ in length from the design")
		}
	default:
		return nil, fmt.Errorf("stats: variance type not set (%v)", v.Type)
	}
	if n == 0 {
		return nil, errors.New("stats: regression: no observations")
	}
	f, err := stackedQR(d)
	if err != nil {
		return nil, err
	}
	// The rank decision on [R | I]: the reflectors that triangularise the
	// kept columns, applied to I, give Q₂' with R = Q₂ [R_kept …].
	ri := make([]float64, k*2*k)
	for i := range k {
		copy(ri[i*2*k:i*2*k+k], f.r[i*k:(i+1)*k])
		ri[i*2*k+k+i] = 1
	}
	cols, rk, q2t := keepColumns(ri, k, 2*k, k)
	rank := len(cols)
	at := slices.Index(cols, coef) // coef's place among the kept columns
	if at < 0 {
		return nil, ErrAliased
	}
	if n <= rank {
		return nil, ErrNoResidualDF
	}
	o := &OLSDesign{n: n, rank: rank, at: at, vt: v.Type, r: rk, df: float64(n - rank)}
	o.q = f.thinQ(q2t, rank)

	// aᵢ = e_at'(X'X)⁻¹xᵢ = (row at of R⁻¹)·qᵢ, qᵢ = R⁻ᵀxᵢ the rows of Q,
	// and the leverages hᵢᵢ = ‖qᵢ‖².
	rowAt := upperInverse(rk, rank)[at*rank : (at+1)*rank]
	a, h := make([]float64, n), make([]float64, n)
	for start := 0; start < n; start += qrChunk {
		m := min(qrChunk, n-start)
		block := o.q[start*rank : (start+m)*rank]
		as, hs := a[start:start+m], h[start:start+m]
		for l := range rank {
			ql := block[l*m : (l+1)*m]
			for i, w := range ql {
				hs[i] += w * w
			}
			if l >= at {
				c := rowAt[l]
				for i, w := range ql {
					as[i] += c * w
				}
			}
		}
	}
	if v.Type == CR2 {
		if err := o.prepareCR2(v.Clusters, a); err != nil {
			return nil, err
		}
		return o, nil
	}
	hc1 := math.Sqrt(float64(n) / float64(n-rank))
	for i := range n {
		c := 1.0
		switch v.Type {
		case HC1:
			c = hc1
		case HC2, HC3:
			switch {
			case 1-h[i] <= leverageTol:
				c = 0
			case v.Type == HC2:
				c = 1 / math.Sqrt(1-h[i])
			default:
				c = 1 / (1 - h[i])
			}
		}
		a[i] *= c
	}
	o.u = a
	return o, nil
}

// fit is Estimate without the inference: β = R⁻¹Q'y, the residuals
// e = y − QQ'y and the variance from the prepared uᵢ.
func (o *OLSDesign) fit(y, influence []float64) (olsFit, error) {
	n, r := o.n, o.rank
	if len(y) != n {
		panic("stats: OLSDesign.Estimate: y differs in length from the design")
	}
	if influence != nil && len(influence) != n {
		panic("stats: influence differs in length from y")
	}
	for _, yi := range y {
		if math.IsNaN(yi) || math.IsInf(yi, 0) {
			return olsFit{}, errors.New("stats: regression: the outcome has a NaN or infinite value")
		}
	}
	qty := make([]float64, r)
	for start := 0; start < n; start += qrChunk {
		m := min(qrChunk, n-start)
		blas64.Gemv(blas.NoTrans, 1, blas64.General{Rows: r, Cols: m, Stride: m, Data: o.q[start*r : (start+m)*r]},
			blas64.Vector{N: m, Inc: 1, Data: y[start : start+m]}, 1, blas64.Vector{N: r, Inc: 1, Data: qty})
	}
	out := olsFit{est: backSolve(o.r, r, qty)[o.at], df: o.df}

	fitted := make([]float64, min(n, qrChunk))
	var sums []float64 // CR2: Ψ_g
	if o.vt == CR2 {
		sums = make([]float64, o.nclusters)
	}
	var rss, yy, vr float64
	for start := 0; start < n; start += qrChunk {
		m := min(qrChunk, n-start)
		blas64.Gemv(blas.Trans, 1, blas64.General{Rows: r, Cols: m, Stride: m, Data: o.q[start*r : (start+m)*r]},
			blas64.Vector{N: r, Inc: 1, Data: qty}, 0, blas64.Vector{N: m, Inc: 1, Data: fitted})
		ys, us := y[start:start+m], o.u[start:start+m]
		for l, f := range fitted[:m] {
			e := ys[l] - f
			rss += e * e
			yy += ys[l] * ys[l]
			psi := us[l] * e
			if influence != nil {
				influence[start+l] = psi
			}
			if sums != nil {
				sums[o.cluster[start+l]] += psi
			} else {
				vr += psi * psi
			}
		}
	}
	if rss <= exactFitTol*yy {
		out.exact = true
		clear(influence)
		return out, nil
	}
	for _, s := range sums {
		vr += s * s
	}
	out.se = math.Sqrt(vr)
	return out, nil
}

// prepareCR2 sets the w_g and the Bell–McCaffrey degrees of freedom of CR2
// (see RobustOLS) from the aᵢ.
func (o *OLSDesign) prepareCR2(clusters []int, a []float64) error {
	n, r := o.n, o.rank
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
		return errors.New("stats: CR2 needs at least two clusters")
	}
	o.u, o.cluster, o.nclusters = make([]float64, n), make([]int, n), nclusters
	var (
		sumP, sumP2, cross, trS float64
		s                       = make([]float64, r*r)
		vg                      = make([]float64, r)
	)
	for start, g := 0, 0; start < n; g++ {
		end := start + 1
		for end < n && clusters[order[end]] == clusters[order[start]] {
			end++
		}
		idx := order[start:end]
		ng := len(idx)
		zg := make([]float64, ng*r) // Z_g = X_g R⁻¹ = Q_g, row-major
		ag := make([]float64, ng)
		for q, i := range idx {
			o.qRow(i, zg[q*r:(q+1)*r])
			ag[q] = a[i]
		}
		wg := adjust(zg, ng, r, ag)
		// p_g = w_g'w_g, v_g = Z_g'w_g.
		pg := 0.0
		clear(vg)
		for q, i := range idx {
			o.u[i], o.cluster[i] = wg[q], g
			pg += wg[q] * wg[q]
			for m, z := range zg[q*r : (q+1)*r] {
				vg[m] += z * wg[q]
			}
		}
		vv := 0.0
		for m, x := range vg {
			vv += x * x
			for l := range r {
				s[m*r+l] += x * vg[l]
			}
		}
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
	o.df = tr * tr / (sumP2 - 2*cross + ss)
	return nil
}

// qRow writes row i of Q into dst.
func (o *OLSDesign) qRow(i int, dst []float64) {
	start := i - i%qrChunk
	m := min(qrChunk, o.n-start)
	block := o.q[start*o.rank : (start+m)*o.rank]
	for l := range dst {
		dst[l] = block[l*m+i-start]
	}
}

// stackedFactors is the QR decomposition of an n×k design X taken qrChunk
// rows at a time: chunk j factorises [R_{j−1}; X_j] = T_j R_j (R₀ = 0), T_j
// with k orthonormal columns split into its top k rows U_j and the rest B_j.
// Then X_j = B_j U_{j+1}⋯U_J R_J, so the thin Q of X = Q R (R = R_J) has
// the rows B_j U_{j+1}⋯U_J, a product of orthonormal factors (orthonormal
// to rounding whatever the conditioning of X). Everything is held
// transposed (chunk j factorised as the LQ decomposition of its k×(k+m)
// transpose), so that the long vectors of the Householder reflections run
// along the rows.
type stackedFactors struct {
	n, k int
	bt   []float64 // the B_jᵀ, each k×m row-major, chunk after chunk
	ut   []float64 // the k×k U_jᵀ, one after the other
	r    []float64 // k×k upper-triangular R, row-major
}

// stackedQR factorises the design qrChunk rows at a time (Householder QR is
// backward stable, so R'R = X'X to rounding). It returns an error for a NaN
// or infinite value.
func stackedQR(d design) (*stackedFactors, error) {
	n, k := d.n, d.k
	chunks := (n + qrChunk - 1) / qrChunk
	f := &stackedFactors{n: n, k: k, bt: make([]float64, n*k), ut: make([]float64, chunks*k*k), r: make([]float64, k*k)}
	cols := k + min(n, qrChunk)
	buf := make([]float64, k*cols)
	l := make([]float64, k*k) // L = Rᵀ of the rows so far
	tau := make([]float64, k)
	full := blas64.General{Rows: k, Cols: cols, Stride: cols, Data: buf}
	query := []float64{0}
	lapack64.Gelqf(full, tau, query, -1)
	lwork := int(query[0])
	lapack64.Orglq(full, tau, query, -1)
	lwork = max(lwork, int(query[0]), k, 1)
	work := make([]float64, lwork)
	row := make([]float64, k)
	for j := range chunks {
		start := j * qrChunk
		m := min(qrChunk, n-start)
		w := k + m // the stride of [R_{j−1}ᵀ | X_jᵀ]
		for c := range k {
			copy(buf[c*w:c*w+k], l[c*k:(c+1)*k])
		}
		for i := range m {
			d.row(start+i, row)
			for c, x := range row {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return nil, fmt.Errorf("stats: regression: column %d has a NaN or infinite value", c)
				}
				buf[c*w+k+i] = x
			}
		}
		a := blas64.General{Rows: k, Cols: w, Stride: w, Data: buf[:k*w]}
		lapack64.Gelqf(a, tau, work, lwork)
		for c := range k {
			copy(l[c*k:c*k+c+1], buf[c*w:c*w+c+1])
			clear(l[c*k+c+1 : (c+1)*k])
		}
		lapack64.Orglq(a, tau, work, lwork)
		for c := range k {
			copy(f.ut[j*k*k+c*k:j*k*k+(c+1)*k], buf[c*w:c*w+k])
			copy(f.bt[start*k+c*m:start*k+(c+1)*m], buf[c*w+k:(c+1)*w])
		}
	}
	for i := range k {
		for c := i; c < k; c++ {
			f.r[i*k+c] = l[c*k+i]
		}
	}
	return f, nil
}

// thinQ returns the Q of the kept columns, X_kept = Q R_kept, transposed
// chunk by chunk (chunk j, rows start … start+m−1, as the rank×m row-major
// block at start·rank), given the first rank rows of Q₂' (rank×k) from
// keepColumns: Q = Q_X Q₂[:, :rank], whose chunk j is B_j M_j with
// M_J = Q₂[:, :rank] and M_{j−1} = U_j M_j, computed from the last chunk as
// M_jᵀB_jᵀ. It reuses f.bt.
func (f *stackedFactors) thinQ(q2t []float64, rank int) []float64 {
	n, k := f.n, f.k
	mt := slices.Clone(q2t) // M_jᵀ, rank×k
	next := make([]float64, rank*k)
	tmp := make([]float64, rank*min(n, qrChunk))
	for j := (n+qrChunk-1)/qrChunk - 1; j >= 0; j-- {
		start := j * qrChunk
		m := min(qrChunk, n-start)
		mg := blas64.General{Rows: rank, Cols: k, Stride: k, Data: mt}
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1,
			mg, blas64.General{Rows: k, Cols: m, Stride: m, Data: f.bt[start*k : (start+m)*k]},
			0, blas64.General{Rows: rank, Cols: m, Stride: m, Data: tmp[:rank*m]})
		copy(f.bt[start*k:], tmp[:rank*m])
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1,
			mg, blas64.General{Rows: k, Cols: k, Stride: k, Data: f.ut[j*k*k : (j+1)*k*k]},
			0, blas64.General{Rows: rank, Cols: k, Stride: k, Data: next})
		mt, next = next, mt
	}
	q := f.bt
	f.bt, f.ut = nil, nil
	if rank == k {
		return q
	}
	for start := 0; start < n; start += qrChunk { // from k·start to rank·start
		m := min(qrChunk, n-start)
		copy(q[start*rank:(start+m)*rank], q[start*k:start*k+m*rank])
	}
	return slices.Clone(q[:n*rank])
}
