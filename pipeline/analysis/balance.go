package analysis

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"rcteval/pipeline"
	"rcteval/stats"
)

// BalanceRow is one row of balance.csv. A numeric covariate has one row with
// a Welch test; a categorical one has a row per level (shares) and a row with
// an empty level holding the χ² test; the last row, covariate "joint", holds
// the joint test of all covariates.
type BalanceRow struct {
	Covariate     string
	Level         string
	MeanTreatment float64 // NaN when not applicable
	MeanControl   float64
	Difference    float64
	SMD           float64
	PValue        float64
	// PValueHC2 is the test without equal variances: for a numeric
	// covariate the regression on the arm with HC2 (df n − 2), for a
	// categorical one and the joint row the HC2 Wald test of the arm's
	// regression on its dummies (lm_robust(z ~ x), se_type = "HC2").
	PValueHC2  float64
	Test       string
	Suppressed string
}

// Balance is the balance table with notes, in words, on what it left out.
type Balance struct {
	Rows  []BalanceRow
	Notes []BalanceNote
}

// BalanceNote explains a covariate left out of a test or shown without its
// levels; reports put it in words.
type BalanceNote struct {
	Kind      string // one of the Note… constants
	Covariate string // empty for NoteJointPerfectFit
	MinCell   int    // for NoteAllPooled and NoteFewValues
}

// Kinds of BalanceNote.
const (
	// NotePerfectlyPredicted: the covariate alone predicts the arm perfectly
	// and is left out of the joint test.
	NotePerfectlyPredicted = "perfectly_predicted"
	// NoteJointPerfectFit: the covariates left in the joint test still predict
	// the arm perfectly together, so it has no p-value.
	NoteJointPerfectFit = "joint_perfect_fit"
	// NoteAllPooled: every level of a categorical covariate had to be pooled
	// into OtherLevel, so none is shown.
	NoteAllPooled = "all_pooled"
	// NoteFewValues: fewer than MinCell persons in an arm have a value of a
	// numeric covariate, so its means are not shown.
	NoteFewValues = "few_values"
)

// Names of the tests in balance.csv.
const (
	TestWelch = "welch_t"
	TestChi2  = "chi_squared"
	TestJoint = "ols_f"
	// TestJointWithin is the joint test conditional on the strata.
	TestJointWithin = "ols_f_within_strata"
	// MissingLevel is the level under which missing values are shown.
	MissingLevel = "(missing)"
	// OtherLevel is the level into which small levels are pooled.
	OtherLevel = "(other)"
)

var nan = math.NaN()

// BalanceTable compares the arms on the stratum and every baseline covariate
// of the panel s (every person randomised, whatever their follow-up).
//
// Disclosure control (minCell > 0; 0 turns it off). No level of a
// categorical covariate held by fewer than minCell persons in an arm is
// published, and none can be recovered by differencing:
//
//   - a level (the missing values, MissingLevel, count as a level) held by
//     between 1 and minCell−1 persons in either arm is pooled into the level
//     OtherLevel, "(other)"; counts of 0 are fine, they disclose nobody;
//   - if "(other)" is then itself held by between 1 and minCell−1 persons in
//     an arm, the remaining level held by the fewest persons (the first such
//     in level order on a tie) is merged into it, and again, until "(other)"
//     is not small or is the only level left. A level named "(other)" in the
//     data joins the pool whenever there is one;
//   - if only "(other)" is left the covariate shows no level: one row with
//     Suppressed set, and a NoteAllPooled note.
//
// Since every level shown then has 0 or at least minCell persons in each arm,
// and the levels shown partition the persons, the complement of a level is a
// sum of published levels: no small cell can be recovered. The χ² test and
// the joint test use the pooled levels, so they publish nothing finer than
// the table (a per-person id column, for instance, is pooled away entirely
// and takes no part in the tests). A numeric covariate's missing values
// follow the same rule with the two levels "has a value" and "missing": its
// MissingLevel share row is suppressed when either is held by between 1 and
// minCell−1 persons in an arm. When between 1 and minCell−1 persons in an arm
// have a value, its means, difference, SMD and Welch test are suppressed too,
// as estimates resting on a small cell, and it is left out of the joint test
// (which would otherwise be confined to those few persons), with a
// NoteFewValues note.
//
// Joint test. It regresses the treatment indicator on all covariates (numeric
// ones as they are, categorical ones as dummies of their pooled levels,
// missing as a level of its own) by OLS and reports the overall F test;
// persons with a missing numeric covariate in the test are left out of it. A
// covariate the arm predicts perfectly makes that regression an exact fit,
// whose F statistic is infinite (computed, rounding noise): it is left out of
// the joint test, with a NotePerfectlyPredicted note. Perfectly predicted
// means: both arms occur among the persons with a value, and
//
//   - categorical: every (pooled) level occurs in one arm only, such as an
//     export's group column "D"/"K" beside the arm, or strata that line up
//     with the arm;
//   - numeric: all treated persons have one value and all controls another,
//     such as a 0/1 copy of the treatment indicator (the test is linear in a
//     numeric covariate, so only an affine copy of the indicator fits
//     exactly; a covariate whose every value is unique does not).
//
// Its own Welch or χ² test is still shown. If the remaining covariates
// together still predict the arm perfectly, the joint row has no p-value and a
// NoteJointPerfectFit note says so.
func BalanceTable(s *pipeline.Store, minCell int) Balance {
	covs := s.Covariates
	if s.Stratum != nil {
		covs = append([]pipeline.Covariate{*s.Stratum}, covs...)
	}
	own := prePeriod(s)
	covs = append(covs, own...)
	treated := s.Treated
	var b Balance
	var design [][]float64 // columns of the joint test; NaN where missing
	var strata []int       // the strata it conditions on
	for ci := range covs {
		c := &covs[ci]
		var rows []BalanceRow
		var cols [][]float64
		var perfect bool
		if c.Numeric {
			var few bool
			rows, cols, perfect, few = numericBalance(c, treated, minCell)
			if few {
				b.Notes = append(b.Notes, BalanceNote{Kind: NoteFewValues, Covariate: c.Name, MinCell: minCell})
			}
		} else {
			var allPooled bool
			rows, cols, perfect, allPooled = categoricalBalance(c, treated, minCell)
			if allPooled {
				b.Notes = append(b.Notes, BalanceNote{Kind: NoteAllPooled, Covariate: c.Name, MinCell: minCell})
			}
		}
		b.Rows = append(b.Rows, rows...)
		if ci >= len(covs)-len(own) {
			continue // not a baseline covariate of the assignment
		}
		if perfect {
			b.Notes = append(b.Notes, BalanceNote{Kind: NotePerfectlyPredicted, Covariate: c.Name})
			continue
		}
		if ci == 0 && s.Stratum != nil {
			strata = codes(s.Stratum) // conditioned on, not tested
			continue
		}
		design = append(design, cols...)
	}
	joint, err := jointRow(design, treated, strata)
	if errors.Is(err, stats.ErrPerfectFit) {
		b.Notes = append(b.Notes, BalanceNote{Kind: NoteJointPerfectFit})
	}
	b.Rows = append(b.Rows, joint)
	return b
}

// numericBalance returns the rows of a numeric covariate, its column of the
// joint test (none when few persons have a value), whether the arm predicts it
// perfectly and whether few persons in an arm have a value.
func numericBalance(c *pipeline.Covariate, treated []bool, minCell int) (rows []BalanceRow, cols [][]float64, perfect, few bool) {
	var t, k []float64
	var missing [2]int
	for i, v := range c.Values {
		switch {
		case math.IsNaN(v):
			missing[b2i(treated[i])]++
		case treated[i]:
			t = append(t, v)
		default:
			k = append(k, v)
		}
	}
	row := BalanceRow{Covariate: c.Name, Test: TestWelch, MeanTreatment: nan, MeanControl: nan, Difference: nan, SMD: nan, PValue: nan, PValueHC2: nan}
	few = small(len(t), minCell) || small(len(k), minCell)
	if few {
		suppress(&row, minCell)
	} else if e, err := stats.WelchTest(t, k, 0.95); err == nil {
		_, vt := stat.MeanVariance(t, nil)
		_, vc := stat.MeanVariance(k, nil)
		row.MeanTreatment, row.MeanControl, row.Difference = e.MeanTreatment, e.MeanControl, e.Estimate
		row.SMD = stats.StandardizedMeanDifference(e.MeanTreatment, e.MeanControl, vt, vc)
		row.PValue = e.PValue
		row.PValueHC2 = hc2Difference(t, k)
	}
	rows = []BalanceRow{row}
	if missing[0]+missing[1] > 0 {
		r := shareRow(c.Name, MissingLevel, treated, c.Missing)
		if few || small(missing[1], minCell) || small(missing[0], minCell) {
			suppress(&r, minCell)
		}
		rows = append(rows, r)
	}
	if few {
		return rows, nil, false, true
	}
	// Perfectly predicted: one value among the treated, another among the controls.
	perfect = len(t) > 0 && len(k) > 0 && t[0] != k[0] && allEqual(t) && allEqual(k)
	return rows, [][]float64{c.Values}, perfect, false
}

// categoricalBalance returns the rows of a categorical covariate, the dummy
// columns of its pooled levels for the joint test (the first level is the
// reference), whether the arm predicts it perfectly and whether every level
// was pooled away.
func categoricalBalance(c *pipeline.Covariate, treated []bool, minCell int) (rows []BalanceRow, cols [][]float64, perfect, allPooled bool) {
	levels := c.Levels
	code := func(i int) int { return c.Codes[i] }
	if hasMissing(c) {
		levels = append(append([]string{}, levels...), MissingLevel)
		code = func(i int) int {
			if c.Codes[i] < 0 {
				return len(c.Levels)
			}
			return c.Codes[i]
		}
	}
	counts := make([][2]int, len(levels))
	for i, t := range treated {
		counts[code(i)][b2i(t)]++
	}
	names, group := poolLevels(levels, counts, minCell)
	if len(names) == 1 && names[0] == OtherLevel {
		row := BalanceRow{Covariate: c.Name, MeanTreatment: nan, MeanControl: nan, Difference: nan, SMD: nan, PValue: nan}
		suppress(&row, minCell)
		return []BalanceRow{row}, nil, false, true
	}
	table := [][]float64{make([]float64, len(names)), make([]float64, len(names))}
	pooled := make([][2]int, len(names))
	for l, g := range group {
		for arm := range 2 {
			table[arm][g] += float64(counts[l][arm])
			pooled[g][arm] += counts[l][arm]
		}
	}
	n := len(treated)
	for g, name := range names {
		in := func(i int) bool { return group[code(i)] == g }
		r := shareRow(c.Name, name, treated, in)
		if small(pooled[g][0], minCell) || small(pooled[g][1], minCell) {
			suppress(&r, minCell) // cannot happen after pooling; kept as a safeguard
		}
		rows = append(rows, r)
		if g > 0 {
			col := make([]float64, n)
			for i := range col {
				col[i] = float64(b2i(in(i)))
			}
			cols = append(cols, col)
		}
	}
	row := BalanceRow{Covariate: c.Name, Test: TestChi2, MeanTreatment: nan, MeanControl: nan, Difference: nan, SMD: nan, PValue: nan, PValueHC2: nan}
	if chi, err := stats.ChiSquareIndependence(table); err == nil {
		row.PValue = chi.PValue
	}
	if len(cols) > 0 {
		row.PValueHC2 = hc2Wald(cols, treated, nil)
	}
	rows = append(rows, row)
	// Perfectly predicted: both arms occur and every level is in one arm only.
	var arms [2]int
	pure := true
	for _, p := range pooled {
		arms[0] += p[0]
		arms[1] += p[1]
		pure = pure && (p[0] == 0 || p[1] == 0)
	}
	perfect = pure && arms[0] > 0 && arms[1] > 0
	return rows, cols, perfect, false
}

// poolLevels applies the pooling rule of BalanceTable to levels with counts
// per arm (control, treatment). It returns the names of the levels shown, the
// kept ones in their order and then OtherLevel if any was pooled, and for
// each original level the index of the level it is shown under.
func poolLevels(levels []string, counts [][2]int, minCell int) (names []string, group []int) {
	isSmall := func(c [2]int) bool { return small(c[0], minCell) || small(c[1], minCell) }
	pooled := make([]bool, len(levels))
	var other [2]int
	pooling := false
	for l, c := range counts {
		if isSmall(c) {
			pooled[l], pooling = true, true
		}
	}
	for l, name := range levels {
		if pooling && name == OtherLevel {
			pooled[l] = true
		}
		if pooled[l] {
			other[0] += counts[l][0]
			other[1] += counts[l][1]
		}
	}
	for pooling && isSmall(other) {
		smallest := -1
		for l, c := range counts {
			if !pooled[l] && (smallest < 0 || c[0]+c[1] < counts[smallest][0]+counts[smallest][1]) {
				smallest = l
			}
		}
		if smallest < 0 {
			break // only (other) is left
		}
		pooled[smallest] = true
		other[0] += counts[smallest][0]
		other[1] += counts[smallest][1]
	}
	group = make([]int, len(levels))
	for l, name := range levels {
		if !pooled[l] {
			group[l] = len(names)
			names = append(names, name)
		}
	}
	if pooling {
		for l := range levels {
			if pooled[l] {
				group[l] = len(names)
			}
		}
		names = append(names, OtherLevel)
	}
	return names, group
}

// jointRow is the joint F test of the design columns, within strata when
// strata is not nil; persons with a NaN in any column are left out. The
// error is the F test's, if any.
func jointRow(design [][]float64, treated []bool, strata []int) (BalanceRow, error) {
	row := BalanceRow{Covariate: "joint", Test: TestJoint, MeanTreatment: nan, MeanControl: nan, Difference: nan, SMD: nan, PValue: nan, PValueHC2: nan}
	if strata != nil {
		row.Test = TestJointWithin
	}
	row.PValueHC2 = hc2Wald(design, treated, strata)
	keep := completeRows(design, len(treated))
	if len(design) == 0 || len(keep) == 0 {
		return row, nil
	}
	x := mat.NewDense(len(keep), len(design), nil)
	z := make([]float64, len(keep))
	var st []int
	for r, i := range keep {
		z[r] = float64(b2i(treated[i]))
		for j, col := range design {
			x.Set(r, j, col[i])
		}
		if strata != nil {
			st = append(st, strata[i])
		}
	}
	f, err := stats.RegressionFTestWithin(x, z, st)
	if err == nil {
		row.PValue = f.PValue
	}
	return row, err
}

// completeRows are the persons (of n) with a value in every column.
func completeRows(cols [][]float64, n int) []int {
	var keep []int
	for i := range n {
		complete := true
		for _, c := range cols {
			complete = complete && !math.IsNaN(c[i])
		}
		if complete {
			keep = append(keep, i)
		}
	}
	return keep
}

// hc2Difference is the HC2 p-value of the difference in means of t and k
// (the regression of the values on the arm: lm_robust(x ~ z), whose HC2
// SE is the Neyman SE, with df n − 2).
func hc2Difference(t, k []float64) float64 {
	y := append(append([]float64{}, t...), k...)
	z := make([]float64, len(y))
	one := make([]float64, len(y))
	for i := range y {
		one[i] = 1
		if i < len(t) {
			z[i] = 1
		}
	}
	e, err := stats.RobustOLS(y, [][]float64{one, z}, 1, stats.Variance{Type: stats.HC2}, 0.95, nil)
	if err != nil {
		return nan
	}
	return e.PValue
}

// hc2Wald is the HC2 Wald test that the columns (persons with a NaN in one
// are left out) do not predict the arm, given stratum fixed effects when
// strata is not nil; NaN when it cannot be computed.
func hc2Wald(cols [][]float64, treated []bool, strata []int) float64 {
	keep := completeRows(cols, len(treated))
	if len(cols) == 0 || len(keep) == 0 {
		return nan
	}
	n := len(keep)
	x := [][]float64{make([]float64, n)}
	for r := range n {
		x[0][r] = 1
	}
	var test []int
	for _, c := range cols {
		col := make([]float64, n)
		for r, i := range keep {
			col[r] = c[i]
		}
		test = append(test, len(x))
		x = append(x, col)
	}
	if strata != nil {
		dummy := map[int]int{}
		for r, i := range keep {
			if r == 0 {
				dummy[strata[i]] = -1 // the first stratum seen is the reference
			}
			j, ok := dummy[strata[i]]
			if !ok {
				j = len(x)
				dummy[strata[i]] = j
				x = append(x, make([]float64, n))
			}
			if j >= 0 {
				x[j][r] = 1
			}
		}
	}
	z := make([]float64, n)
	for r, i := range keep {
		z[r] = float64(b2i(treated[i]))
	}
	f, err := stats.RobustWaldTest(z, x, test, stats.HC2)
	if err != nil {
		return nan
	}
	return f.PValue
}

// prePeriodNames are the balance rows computed from the panel rather than
// read from the assignment, in order.
var prePeriodNames = []string{"follow_up_weeks", "pre_mean_hours_52w", "pre_benefit_weeks_52w"}

// prePeriod returns the panel's own baseline measures as numeric columns:
// the weeks each person can be followed (set by the randomisation date and
// the extract end), and over the 52 weeks before randomisation (as far as
// the panel keeps them: pre_weeks) the mean ordinary hours and the number
// of weeks with any public benefit (any status category). A week without
// data counts as 0 hours and no benefit, in both arms alike. Without
// pre-period weeks only the follow-up is returned; a panel without
// follow-up (made by hand) has none of them.
func prePeriod(s *pipeline.Store) []pipeline.Covariate {
	if len(s.FollowUp) != s.N || s.N == 0 {
		return nil
	}
	follow := make([]float64, s.N)
	for j, f := range s.FollowUp {
		follow[j] = float64(f)
	}
	out := []pipeline.Covariate{{Name: prePeriodNames[0], Numeric: true, Values: follow}}
	weeks := min(52, s.Pre)
	hours, benefit := make([]float64, s.N), make([]float64, s.N)
	for k := -weeks; k < 0; k++ {
		h, st := s.HoursAt(k), s.StatusAt(k)
		for j := range s.N {
			hours[j] += h.At(j) / float64(weeks)
			if st != nil && st[j] != pipeline.StatusNone {
				benefit[j]++
			}
		}
	}
	if weeks > 0 {
		out = append(out, pipeline.Covariate{Name: prePeriodNames[1], Numeric: true, Values: hours},
			pipeline.Covariate{Name: prePeriodNames[2], Numeric: true, Values: benefit})
	}
	return out
}

// shareRow compares the share of persons for whom in(i) holds.
func shareRow(cov, level string, treated []bool, in func(int) bool) BalanceRow {
	var n, k [2]float64
	for i, t := range treated {
		n[b2i(t)]++
		if in(i) {
			k[b2i(t)]++
		}
	}
	pt, pc := k[1]/n[1], k[0]/n[0]
	// Sample variances of the 0/1 indicator (divisor n−1), as for numeric covariates.
	vt, vc := pt*(1-pt)*n[1]/(n[1]-1), pc*(1-pc)*n[0]/(n[0]-1)
	return BalanceRow{Covariate: cov, Level: level, MeanTreatment: pt, MeanControl: pc, Difference: pt - pc,
		SMD: stats.StandardizedMeanDifference(pt, pc, vt, vc), PValue: nan, PValueHC2: nan}
}

// suppress blanks a row's estimates for a small cell.
func suppress(r *BalanceRow, minCell int) {
	r.MeanTreatment, r.MeanControl, r.Difference, r.SMD, r.PValue, r.PValueHC2 = nan, nan, nan, nan, nan, nan
	r.Suppressed = fmt.Sprintf("count<%d", minCell)
}

// small reports whether a count of persons is a small cell: 1 to minCell−1.
func small(count, minCell int) bool { return count > 0 && count < minCell }

func allEqual(v []float64) bool {
	for _, x := range v {
		if x != v[0] {
			return false
		}
	}
	return true
}

func hasMissing(c *pipeline.Covariate) bool {
	for _, v := range c.Codes {
		if v < 0 {
			return true
		}
	}
	return false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
