package stats

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// BlockedEstimate is a block-randomised difference in means.
type BlockedEstimate struct {
	// Estimate has the overall arm counts, and as MeanTreatment and
	// MeanControl the block-weighted arm means Σⱼ (Nⱼ/N) ȳₜⱼ and
	// Σⱼ (Nⱼ/N) ȳ꜀ⱼ, whose difference is the estimate (up to rounding).
	Estimate
	Blocks int // blocks used
	// DroppedBlocks counts blocks left out of the estimate. It is always 0:
	// estimatr leaves out no block, and a block it cannot use is an error
	// (a *BlockError naming the blocks) here too.
	DroppedBlocks int
	// PairMatched is set when the matched-pairs variance was used: all
	// blocks have two units, or some do and the others more (see
	// BlockedDifferenceInMeans).
	PairMatched bool
}

// BlockError is returned by BlockedDifferenceInMeans when blocks cannot be
// used; Blocks are their identifiers, in increasing order.
type BlockError struct {
	Reason string
	Blocks []int
}

func (e *BlockError) Error() string {
	ids := make([]string, 0, 10)
	for i, b := range e.Blocks {
		if i == 10 {
			ids = append(ids, fmt.Sprintf("and %d more", len(e.Blocks)-10))
			break
		}
		ids = append(ids, fmt.Sprint(b))
	}
	return fmt.Sprintf("stats: blocked difference in means: %s: block %s", e.Reason, strings.Join(ids, ", "))
}

// BlockedDifferenceInMeans estimates the average treatment effect of a
// block-randomised trial as the weighted mean of the blocks' differences in
// means, weights the block shares Nⱼ/N,
//
//	τ̂ = Σⱼ (Nⱼ/N)(ȳₜⱼ − ȳ꜀ⱼ),
//
// exactly as R estimatr::difference_in_means(y ~ z, blocks = b) does
// (Gerber & Green 2012, eq. 3.10). Its standard error and degrees of
// freedom depend on the block sizes, as in estimatr:
//
//   - every block has at least 3 units (the "Blocked" design): the Neyman
//     variance within blocks, SE² = Σⱼ (Nⱼ/N)² (s²ₜⱼ/nₜⱼ + s²꜀ⱼ/n꜀ⱼ) (Gerber &
//     Green 2012, p. 74 fn. 17), df = N − 2J. Every block then needs at
//     least two units in each arm;
//   - every block has exactly 2 units (matched pairs), or some blocks have 2
//     and the others more (estimatr then warns that it uses the
//     matched-pairs variance, and so does this function, setting
//     PairMatched): SE² = Σⱼ (dⱼ − τ̂)²/(J(J−1)), dⱼ the block differences,
//     df = J − 1 (Gerber & Green 2012, eq. 3.16; Imai, King & Nall 2009).
//     Blocks may then have a single unit in an arm.
//
// The interval and p-value are t-based with that df. When SE is 0 (the
// outcome constant within each block's arms) estimatr's arithmetic is
// followed: the interval is [τ̂, τ̂] and the p-value 0, or NaN when τ̂ is 0.
//
// It returns, like estimatr, an error rather than an estimate when the
// blocks do not allow one: a *BlockError naming the blocks that have a single
// unit, that have units in one arm only, or (when not matched pairs) that
// have a single unit in an arm; an error for matched pairs with only one
// pair; ErrTooFew (wrapped) when an arm is empty overall; and an error for a
// NaN or infinite y. No block is left out silently (DroppedBlocks is 0).
//
// influence, when not nil, receives per-person influence values ψᵢ. In the
// blocked design ψᵢ = (Nⱼ/N)(yᵢ − ȳₜⱼ)/√(nₜⱼ(nₜⱼ−1)) for a treated person in
// block j and −(Nⱼ/N)(yᵢ − ȳ꜀ⱼ)/√(n꜀ⱼ(n꜀ⱼ−1)) for a control, so that
// Σψᵢ² = SE². With the matched-pairs variance the unit is the block:
// ψᵢ = Ψⱼ/Nⱼ with Ψⱼ = (dⱼ − τ̂)/√(J(J−1)), so the block sums give
// SE² = ΣⱼΨⱼ² (see the package documentation). It is written only when the
// error is nil.
//
// It panics if the slices differ in length or level is not in (0, 1).
func BlockedDifferenceInMeans(y []float64, treated []bool, blocks []int, level float64, influence []float64) (BlockedEstimate, error) {
	n := len(y)
	if len(treated) != n || len(blocks) != n {
		panic("stats: BlockedDifferenceInMeans: y, treated and blocks differ in length")
	}
	if influence != nil && len(influence) != n {
		panic("stats: BlockedDifferenceInMeans: influence differs in length from y")
	}
	checkLevel(level)
	var out BlockedEstimate
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return out, fmt.Errorf("stats: blocked difference in means: y has a NaN or infinite value (row %d)", i)
		}
		if treated[i] {
			out.NTreatment++
		} else {
			out.NControl++
		}
	}
	if out.NTreatment == 0 || out.NControl == 0 {
		return out, fmt.Errorf("stats: blocked difference in means: %d treated and %d control: %w", out.NTreatment, out.NControl, ErrTooFew)
	}

	// The blocks, in increasing order, each with its rows.
	members := map[int][]int{}
	for i, b := range blocks {
		members[b] = append(members[b], i)
	}
	ids := make([]int, 0, len(members))
	for b := range members {
		ids = append(ids, b)
	}
	slices.Sort(ids)
	J := len(ids)
	out.Blocks = J

	var single, oneArm, pairs []int
	for _, b := range ids {
		switch len(members[b]) {
		case 1:
			single = append(single, b)
		case 2:
			pairs = append(pairs, b)
		}
	}
	if len(single) > 0 {
		return out, &BlockError{Reason: "a block has a single unit", Blocks: single}
	}
	out.PairMatched = len(pairs) > 0

	type block struct {
		rows       []int
		nt, nc     int
		mt, mc     float64 // arm means
		vt, vc     float64 // arm variances
		diff, size float64
	}
	bs := make([]block, J)
	var thin []int
	for j, b := range ids {
		bl := block{rows: members[b], size: float64(len(members[b]))}
		var t, c []float64
		for _, i := range bl.rows {
			if treated[i] {
				t = append(t, y[i])
			} else {
				c = append(c, y[i])
			}
		}
		bl.nt, bl.nc = len(t), len(c)
		if bl.nt == 0 || bl.nc == 0 {
			oneArm = append(oneArm, b)
			continue
		}
		if !out.PairMatched && (bl.nt == 1 || bl.nc == 1) {
			thin = append(thin, b)
			continue
		}
		bl.mt, bl.vt = stat.MeanVariance(t, nil)
		bl.mc, bl.vc = stat.MeanVariance(c, nil)
		bl.diff = bl.mt - bl.mc
		bs[j] = bl
	}
	if len(oneArm) > 0 {
		return out, &BlockError{Reason: "a block has units in one arm only", Blocks: oneArm}
	}
	if len(thin) > 0 {
		return out, &BlockError{Reason: "a block has a single unit in an arm (and the design is not matched pairs)", Blocks: thin}
	}
	if out.PairMatched && J < 2 {
		return out, fmt.Errorf("stats: blocked difference in means: matched pairs need at least two pairs")
	}

	N := float64(n)
	for _, bl := range bs {
		out.Estimate.Estimate += bl.diff * bl.size / N
		out.MeanTreatment += bl.mt * bl.size / N
		out.MeanControl += bl.mc * bl.size / N
	}
	tau := out.Estimate.Estimate
	if out.PairMatched {
		ss := 0.0
		for _, bl := range bs {
			ss += (bl.diff - tau) * (bl.diff - tau)
		}
		jj := float64(J) * float64(J-1)
		out.SE = math.Sqrt(ss / jj)
		out.DF = float64(J - 1)
		if influence != nil {
			for _, bl := range bs {
				psi := (bl.diff - tau) / math.Sqrt(jj) / bl.size
				for _, i := range bl.rows {
					influence[i] = psi
				}
			}
		}
	} else {
		v := 0.0
		for _, bl := range bs {
			w := bl.size / N
			v += (bl.vt/float64(bl.nt) + bl.vc/float64(bl.nc)) * w * w
			if influence != nil {
				ft := w / math.Sqrt(float64(bl.nt)*float64(bl.nt-1))
				fc := w / math.Sqrt(float64(bl.nc)*float64(bl.nc-1))
				for _, i := range bl.rows {
					if treated[i] {
						influence[i] = (y[i] - bl.mt) * ft
					} else {
						influence[i] = -(y[i] - bl.mc) * fc
					}
				}
			}
		}
		out.SE = math.Sqrt(v)
		out.DF = N - 2*float64(J)
	}
	out.CILow, out.CIHigh, out.PValue = rInference(tau, out.SE, out.DF, level)
	return out, nil
}

// rInference is estimatr's add_cis_pvals: with t = est/se, the p-value
// 2·P(T_df > |t|) and the interval est ∓ t₍₁₊level₎⸝₂,df·se, computed as R
// does also when se is 0 (interval [est, est]; p-value 0, or NaN when est is
// 0). A NaN or non-positive df (estimatr makes it NA) gives NaN for all three.
func rInference(est, se, df, level float64) (lo, hi, p float64) {
	if math.IsNaN(df) || df <= 0 || math.IsNaN(se) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	q := dist.Quantile(0.5 + level/2)
	switch t := est / se; {
	case math.IsNaN(t):
		p = math.NaN()
	case math.IsInf(t, 0):
		p = 0
	default:
		p = 2 * dist.Survival(math.Abs(t))
	}
	return est - q*se, est + q*se, p
}

// BlockedNeyman is BlockedDifferenceInMeans for blocks coded 0 … nBlocks−1
// that leaves out, rather than refuses, the blocks with fewer than two units
// in an arm: they are counted in DroppedBlocks, take no part in N, and their
// units get influence 0. The blocks kept all have the blocked (Neyman)
// design, so on their units it equals BlockedDifferenceInMeans:
//
//	τ̂ = Σⱼ (Nⱼ/N)(ȳₜⱼ − ȳ꜀ⱼ),  SE² = Σⱼ (Nⱼ/N)² (s²ₜⱼ/nₜⱼ + s²꜀ⱼ/n꜀ⱼ),  df = N − 2J,
//
// over the kept blocks (estimatr::difference_in_means(y ~ z, blocks = b)
// on them). It needs O(nBlocks) memory, not O(n), for it runs on every
// outcome and week of a panel that may hold a million persons: a
// staggered trial's late weeks leave small blocks with too few persons in
// an arm, which estimatr would refuse. Variances are the corrected
// two-pass sums of stat.MeanVariance. It returns ErrTooFew (wrapped) when
// no block is kept, and an error for a NaN or infinite y. It panics if the
// slices differ in length, a block code is out of range, or level is not in
// (0, 1).
func BlockedNeyman(y []float64, treated []bool, blocks []int, nBlocks int, level float64, influence []float64) (BlockedEstimate, error) {
	n := len(y)
	if len(treated) != n || len(blocks) != n || (influence != nil && len(influence) != n) {
		panic("stats: BlockedNeyman: y, treated, blocks and influence differ in length")
	}
	checkLevel(level)
	var out BlockedEstimate
	type arm struct{ n, sum, ss, comp, mean, v float64 }
	st := make([][2]arm, nBlocks)
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return out, fmt.Errorf("stats: blocked difference in means: y has a NaN or infinite value (row %d)", i)
		}
		a := &st[blocks[i]][boolIndex(treated[i])]
		a.n++
		a.sum += v
	}
	kept := func(b int) bool { return st[b][0].n >= 2 && st[b][1].n >= 2 }
	var N float64
	for b := range st {
		switch {
		case kept(b):
			out.Blocks++
			N += st[b][0].n + st[b][1].n
			for k := range 2 {
				st[b][k].mean = st[b][k].sum / st[b][k].n
			}
		case st[b][0].n+st[b][1].n > 0:
			out.DroppedBlocks++
		}
	}
	for i, v := range y {
		if b := blocks[i]; kept(b) {
			a := &st[b][boolIndex(treated[i])]
			d := v - a.mean
			a.ss += d * d
			a.comp += d
		}
	}
	for b := range st {
		if !kept(b) {
			continue
		}
		t, c := &st[b][1], &st[b][0]
		for _, a := range []*arm{t, c} {
			a.v = (a.ss - a.comp*a.comp/a.n) / (a.n - 1)
		}
		w := (t.n + c.n) / N
		out.NTreatment += int(t.n)
		out.NControl += int(c.n)
		out.Estimate.Estimate += (t.mean - c.mean) * w
		out.MeanTreatment += t.mean * w
		out.MeanControl += c.mean * w
		out.SE += w * w * (t.v/t.n + c.v/c.n)
	}
	if out.Blocks == 0 {
		return out, fmt.Errorf("stats: blocked difference in means: no block has two units in each arm: %w", ErrTooFew)
	}
	out.SE = math.Sqrt(out.SE)
	out.DF = N - 2*float64(out.Blocks)
	if influence != nil {
		// ψᵢ = (Nⱼ/N)(yᵢ − ȳₐⱼ)/√(nₐⱼ(nₐⱼ−1)), negated for a control: each
		// block's weight and each arm's scale once, not per unit, a
		// control's scale carrying the sign (x/(−d) = −(x/d) exactly) and a
		// dropped block's weight 0.
		type cell struct{ weight, mean, scale float64 }
		cells := make([][2]cell, nBlocks)
		for b := range st {
			if !kept(b) {
				continue
			}
			for k := range 2 {
				a := st[b][k]
				cells[b][k] = cell{(st[b][0].n + st[b][1].n) / N, a.mean, math.Sqrt(a.n * (a.n - 1))}
			}
			cells[b][0].scale = -cells[b][0].scale
		}
		for i, v := range y {
			if c := cells[blocks[i]][boolIndex(treated[i])]; c.weight != 0 {
				influence[i] = c.weight * (v - c.mean) / c.scale
			} else {
				influence[i] = 0
			}
		}
	}
	out.CILow, out.CIHigh, out.PValue = rInference(out.Estimate.Estimate, out.SE, out.DF, level)
	return out, nil
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// b2f is 1 for true and 0 for false.
func b2f(b bool) float64 { return float64(boolIndex(b)) }
