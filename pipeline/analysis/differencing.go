package analysis

import (
	"fmt"
	"slices"
)

// The differencing rules ("diff<5"). Each published number is a count or a
// sum over a set of persons; two published numbers over nested sets can be
// subtracted to give the count or sum over the persons in one set and not
// the other: a derived cell. The rules blank the fewest cells needed so that
// every derived cell an attacker can form passes the per-cell rules: 0 or
// at least m persons in each arm, and none or at least m of them with a
// non-zero value (for a binary outcome, with a zero value too). The sets,
// and why each rule is enough, are in docs/disclosure.md:
//
//  1. at-risk weeks: the persons at risk in week k+1 are a subset of those
//     in week k, and the arms' sizes are published, so the at-risk counts
//     of consecutive published weeks may differ by 0 or at least m in each
//     arm; a week that would differ by 1 to m−1 is not published (every
//     outcome's row, the attrition row), and the next week is compared
//     with the last published one (the weeks are, in effect, aggregated).
//     The landmarks, the fixed cohort's week and the ratio's last week are
//     kept in preference to the weeks before them; if one cannot be kept,
//     what rests on it goes (the cohort's rows, the ratio, the subgroups).
//  2. fixed cohort: a cohort row in week j is over the persons followed to
//     week K, the staggered row over those followed to week j, a superset;
//     their difference is a cell of the persons followed to j but not K.
//  3. cumulative outcomes (cumulative hours, benefit weeks, sustained):
//     the value in week k+1 less that week's increment (published as the
//     weekly outcome, or by the Kaplan–Meier events) is the value in week
//     k over the persons at risk in k+1, so adjacent weeks difference to a
//     cell of the persons who left between them.
//  4. subgroups: a variable's levels partition the persons at risk, so the
//     whole less the published levels is the sum of the blanked levels;
//     and a level's counts at two landmarks difference to those who left.
//  5. Kaplan–Meier: the at-risk counts and incidences of two published
//     weeks give the events and censorings between them.
//  6. ratio: the weekly hours rows over the window less the ratio's mean
//     give the hours of those followed into but not through the window.
func preventDifferencing(d, orig *Results) {
	m := d.Plan.MinCell
	rule := fmt.Sprintf("diff<%d", m)
	node := atRiskChain(d, m, rule)
	cohortDifferencing(d, node, m, rule)
	kmDifferencing(d, m, rule)
	cumulativeDifferencing(d, node, m, rule)
	subgroupDifferencing(d, orig, node, m, rule)
	ratioDifferencing(d, node, m, rule)
}

// gapOK reports whether two counts by arm of nested sets differ by 0 or
// by at least m persons in each arm.
func gapOK(before, after [2]int, m int) bool {
	for a := range 2 {
		if d := before[a] - after[a]; d != 0 && d < m {
			return false
		}
	}
	return true
}

// unsafeCell reports whether a derived cell of n persons by arm, nonzero
// of them with a non-zero value, fails the per-cell rules.
func unsafeCell(n, nonzero [2]int, binary bool, m int) bool {
	for a := range 2 {
		if small(n[a], m) || small(nonzero[a], m) || (binary && small(n[a]-nonzero[a], m)) {
			return true
		}
	}
	return false
}

// atRisk is the persons at risk in week k by arm; none outside the panel.
func (r *Results) atRiskAt(k int) [2]int {
	if k < 0 || k >= len(r.atRisk) {
		return [2]int{}
	}
	return r.atRisk[k]
}

// atRiskChain is rule 1. It returns the weeks whose at-risk counts are
// published (the chain's nodes) and blanks the other weeks' rows.
func atRiskChain(d *Results, m int, rule string) map[int]bool {
	weeks := map[int]bool{}
	for _, e := range d.Effects {
		weeks[e.Week] = true
	}
	for _, a := range d.Attrition {
		weeks[a.Week] = true
	}
	forced := map[int]bool{}
	for _, k := range d.Plan.Landmarks {
		if weeks[k] {
			forced[k] = true
		}
	}
	cohort := len(d.Cohort) > 0 && d.CohortWeek >= 0
	if cohort {
		weeks[d.CohortWeek], forced[d.CohortWeek] = true, true
	}
	ratio := d.Ratio != nil && d.Ratio.Suppressed == "" && d.Ratio.NTreatment > 0
	if ratio {
		weeks[d.Ratio.ToWeek], forced[d.Ratio.ToWeek] = true, true
	}
	order := make([]int, 0, len(weeks))
	for k := range weeks {
		order = append(order, k)
	}
	slices.Sort(order)

	start := [2]int{d.Trial.Control, d.Trial.Treatment} // the arms' sizes, always published
	count := func(k int) [2]int {
		if k < 0 {
			return start
		}
		return d.atRiskAt(k)
	}
	chain := []int{-1}
	for _, k := range order {
		n := count(k)
		if n[0] < m || n[1] < m {
			continue // not published: "n<5"
		}
		if gapOK(count(chain[len(chain)-1]), n, m) {
			chain = append(chain, k)
			continue
		}
		if !forced[k] {
			continue
		}
		// Keep a landmark (cohort, ratio) week by giving up the unforced
		// weeks just before it.
		q := len(chain) - 1
		for q >= 0 && !gapOK(count(chain[q]), n, m) {
			if chain[q] < 0 || forced[chain[q]] {
				q = -1
				break
			}
			q--
		}
		if q >= 0 {
			chain = append(chain[:q+1], k)
		}
	}
	node := map[int]bool{}
	for _, k := range chain[1:] {
		node[k] = true
	}

	for i := range d.Effects {
		if e := &d.Effects[i]; !node[e.Week] {
			blankEffect(e, rule, true)
		}
	}
	for i := range d.Attrition {
		if a := &d.Attrition[i]; !node[a.Week] && a.Suppressed == "" {
			blankAttrition(a, rule)
		}
	}
	if cohort && !node[d.CohortWeek] {
		for i := range d.Cohort {
			blankEffect(&d.Cohort[i], rule, true)
		}
	}
	if ratio && !node[d.Ratio.ToWeek] {
		blankRatio(d.Ratio, rule)
	}
	return node
}

// effectIndex finds a row by outcome and week.
func effectIndex(rows []Effect) map[outcomeWeek]int {
	idx := make(map[outcomeWeek]int, len(rows))
	for i, e := range rows {
		idx[outcomeWeek{e.Outcome, e.Week}] = i
	}
	return idx
}

type outcomeWeek struct {
	outcome string
	week    int
}

// blankRun blanks an outcome's staggered rows (estimates only) in every
// week whose at-risk set is that of week k: a cumulative outcome's total
// over that set can be carried from one such week to another by its
// increments.
func blankRun(d *Results, idx map[outcomeWeek]int, outcome string, k int, rule string) {
	n := d.atRiskAt(k)
	for w := k; d.atRiskAt(w) == n; w-- {
		if i, ok := idx[outcomeWeek{outcome, w}]; ok {
			blankEffect(&d.Effects[i], rule, false)
		}
		if w == 0 {
			break
		}
	}
	for w := k + 1; w < len(d.atRisk) && d.atRiskAt(w) == n; w++ {
		if i, ok := idx[outcomeWeek{outcome, w}]; ok {
			blankEffect(&d.Effects[i], rule, false)
		}
	}
}

// cohortDifferencing is rule 2: the cell of the persons followed to week j
// but not to the cohort's week K has counts that rule 1 keeps safe (both
// weeks are published), but few of them may have a non-zero value. Then
// the cohort's row is blanked; for a cumulative outcome, whose cohort
// totals can be carried from week to week by the increments, the
// staggered rows over that set are blanked instead. For a cumulative
// outcome the set is also published one week before its first week (its
// total there is the first week's less the increment), so that week is
// checked too.
func cohortDifferencing(d *Results, node map[int]bool, m int, rule string) {
	if len(d.Cohort) == 0 || !node[d.CohortWeek] {
		return
	}
	k := d.CohortWeek
	stag, coh := effectIndex(d.Effects), effectIndex(d.Cohort)
	for i := range d.Cohort {
		c := &d.Cohort[i]
		j := c.Week
		si, ok := stag[outcomeWeek{c.Outcome, j}]
		if !ok || !node[j] {
			continue
		}
		s := &d.Effects[si]
		n := sub(d.atRiskAt(j), d.atRiskAt(k))
		switch {
		case !c.cumulative:
			if c.Estimated && s.Estimated && unsafeCell(n, sub(s.nonzero, c.nonzero), c.Binary, m) {
				blankEffect(c, rule, false)
			}
		case unsafeCell(n, sub(s.nonzero, c.nonzero), c.Binary, m):
			blankRun(d, stag, c.Outcome, j, rule)
		case j > 0 && d.atRiskAt(j-1) != d.atRiskAt(j):
			before, okS := stag[outcomeWeek{c.Outcome, j - 1}]
			cb, okC := coh[outcomeWeek{c.Outcome, j - 1}]
			if okS && okC && unsafeCell(n, sub(d.Effects[before].nonzeroNext, d.Cohort[cb].nonzero), c.Binary, m) {
				blankRun(d, stag, c.Outcome, j, rule)
			}
		}
	}
}

// cumulativeDifferencing is rule 3: for a cumulative outcome published in
// adjacent weeks p and k = p+1 with different at-risk sets, the persons at
// risk in p but not k form a cell of their values in week p; when it is
// unsafe the outcome's rows over k's set are blanked. The increment of a
// sustained outcome in week k is published only as the Kaplan–Meier events
// of week k, which two published Kaplan–Meier weeks in a row give: then
// the Kaplan–Meier week k is blanked instead, keeping the weekly share.
// The increments of cumulative hours or benefit weeks are taken to be
// published always (as the hours or a status outcome).
func cumulativeDifferencing(d *Results, node map[int]bool, m int, rule string) {
	idx := effectIndex(d.Effects)
	km := map[outcomeWeek]int{}
	for i, r := range d.KM {
		if r.Suppressed == "" {
			km[outcomeWeek{r.Outcome, r.Week}] = i + 1
		}
	}
	published := func(outcome string, k int) bool { // some row over k's set shows estimates
		n := d.atRiskAt(k)
		for w := k; w >= 0 && d.atRiskAt(w) == n; w-- {
			if i, ok := idx[outcomeWeek{outcome, w}]; ok && d.Effects[i].Estimated {
				return true
			}
		}
		for w := k + 1; w < len(d.atRisk) && d.atRiskAt(w) == n; w++ {
			if i, ok := idx[outcomeWeek{outcome, w}]; ok && d.Effects[i].Estimated {
				return true
			}
		}
		return false
	}
	for i := range d.Effects {
		p := &d.Effects[i]
		k := p.Week + 1
		if !p.cumulative || !node[p.Week] || !node[k] || d.atRiskAt(p.Week) == d.atRiskAt(k) {
			continue
		}
		kmAt := km[outcomeWeek{p.Outcome, k}]
		if p.Binary && (km[outcomeWeek{p.Outcome, p.Week}] == 0 || kmAt == 0) {
			continue // a sustained outcome whose increment in week k is not published
		}
		if !published(p.Outcome, p.Week) || !published(p.Outcome, k) {
			continue
		}
		if !unsafeCell(sub(d.atRiskAt(p.Week), d.atRiskAt(k)), sub(p.nonzero, p.nonzeroNext), p.Binary, m) {
			continue
		}
		if p.Binary {
			// The Kaplan–Meier week goes rather than the weekly share; the
			// Kaplan–Meier weeks around it still differ by 0 or ≥ m events.
			blankKM(&d.KM[kmAt-1], rule)
			delete(km, outcomeWeek{p.Outcome, k})
			continue
		}
		blankRun(d, idx, p.Outcome, k, rule)
	}
}

// subgroupDifferencing is rule 4, variable by variable, landmark by
// landmark. Counts first (the same in every outcome's rows): a level whose
// counts are hidden stays hidden at later landmarks; a level whose count
// fell by 1 to m−1 in an arm since the last landmark (or since the
// balance table's count of the level) is hidden; then, while the hidden
// levels together are a small cell, or fell by 1 to m−1, the smallest
// level shown is hidden too. Then estimates, outcome by outcome: while the
// levels without estimates together are an unsafe cell (counted on their
// values), the smallest level with estimates loses them; and if the whole
// has no estimates, at least one level has none, so the levels cannot add
// up to it. A landmark whose whole is not published publishes no level.
func subgroupDifferencing(d, orig *Results, node map[int]bool, m int, rule string) {
	rows := d.Subgroups
	stag := effectIndex(d.Effects)
	type cell struct {
		variable, level string
		week            int
	}
	var variables []string
	levels := map[string][]string{}
	weeks := map[string][]int{}
	at := map[cell][]int{} // rows of a level in a week, one per outcome
	for i, r := range rows {
		if !slices.Contains(variables, r.Variable) {
			variables = append(variables, r.Variable)
		}
		if !slices.Contains(levels[r.Variable], r.Level) {
			levels[r.Variable] = append(levels[r.Variable], r.Level)
		}
		if !slices.Contains(weeks[r.Variable], r.Week) {
			weeks[r.Variable] = append(weeks[r.Variable], r.Week)
		}
		c := cell{r.Variable, r.Level, r.Week}
		at[c] = append(at[c], i)
	}
	for _, v := range variables {
		slices.Sort(weeks[v])
		prev := map[string][2]int{} // each level's persons at the last node
		hidden := map[string]bool{}
		for _, l := range levels[v] {
			if is := at[cell{v, l, weeks[v][0]}]; len(is) > 0 {
				prev[l] = orig.Subgroups[is[0]].total
			}
		}
		for _, k := range weeks[v] {
			if !node[k] {
				for _, l := range levels[v] {
					for _, i := range at[cell{v, l, k}] {
						blankEffect(&rows[i].Effect, rule, true)
					}
				}
				continue
			}
			now := map[string][2]int{}
			for _, l := range levels[v] {
				if is := at[cell{v, l, k}]; len(is) > 0 {
					o := orig.Subgroups[is[0]]
					now[l] = [2]int{o.NControl, o.NTreatment}
				}
				n := now[l]
				if n[0] < m || n[1] < m || !gapOK(prev[l], n, m) {
					hidden[l] = true
				}
			}
			for {
				var before, after [2]int
				for l := range hidden {
					before, after = add(before, prev[l]), add(after, now[l])
				}
				if !small(after[0], m) && !small(after[1], m) && gapOK(before, after, m) {
					break
				}
				l := smallestLevel(levels[v], now, func(l string) bool { return !hidden[l] })
				if l == "" {
					break
				}
				hidden[l] = true
			}
			for l := range hidden {
				for _, i := range at[cell{v, l, k}] {
					blankEffect(&rows[i].Effect, rule, true)
				}
			}
			prev = now

			for _, i := range at[cell{v, levels[v][0], k}] {
				outcome := rows[i].Outcome
				row := func(l string) int {
					for _, j := range at[cell{v, l, k}] {
						if rows[j].Outcome == outcome {
							return j
						}
					}
					return -1
				}
				shown := func(l string) bool { j := row(l); return j >= 0 && rows[j].Estimated }
				wi, ok := stag[outcomeWeek{outcome, k}]
				whole := ok && d.Effects[wi].Estimated
				for {
					var n, nonzero [2]int
					blanked := 0
					for _, l := range levels[v] {
						if j := row(l); j >= 0 && !rows[j].Estimated {
							o := orig.Subgroups[j]
							n, nonzero = add(n, [2]int{o.NControl, o.NTreatment}), add(nonzero, o.nonzero)
							blanked++
						}
					}
					if whole && !unsafeCell(n, nonzero, rows[i].Binary, m) || !whole && blanked > 0 {
						break
					}
					l := smallestLevel(levels[v], now, shown)
					if l == "" {
						break
					}
					blankEffect(&rows[row(l)].Effect, rule, false)
				}
			}
		}
	}
}

// smallestLevel is the level with the fewest persons (the first on a tie)
// among those for which ok holds; "" if none.
func smallestLevel(levels []string, n map[string][2]int, ok func(string) bool) string {
	best := ""
	for _, l := range levels {
		if ok(l) && (best == "" || n[l][0]+n[l][1] < n[best][0]+n[best][1]) {
			best = l
		}
	}
	return best
}

// kmDifferencing is rule 5: between two published weeks of a Kaplan–Meier
// curve the at-risk counts and incidences give how many persons reached
// the outcome and how many were censored; each must be 0 or at least m in
// each arm, and so must the fall in the persons at risk from the arm's
// size. A week that fails is blanked and the next compared with the last
// published.
func kmDifferencing(d *Results, m int, rule string) {
	type state struct{ events, censored, risk [2]int }
	start := state{risk: [2]int{d.Trial.Control, d.Trial.Treatment}}
	last := map[string]state{}
	for i := range d.KM {
		r := &d.KM[i]
		if r.Suppressed != "" {
			continue
		}
		l, ok := last[r.Outcome]
		if !ok {
			l = start
		}
		now := state{events: r.events, censored: r.censored, risk: [2]int{r.NRiskControl, r.NRiskTreatment}}
		if gapOK(now.events, l.events, m) && gapOK(now.censored, l.censored, m) && gapOK(l.risk, now.risk, m) {
			last[r.Outcome] = now
			continue
		}
		blankKM(r, rule)
	}
}

// ratioDifferencing is rule 6: the hours rows of the window's weeks, summed
// by at-risk count, less the ratio's treated and control totals are the
// hours in the window of the persons followed into but not through it;
// and with the fixed cohort's week beyond the window, the cohort's hours
// rows over the window less the ratio's are those of the persons followed
// through the window but not to the cohort's week. The ratio is blanked
// when either cell is unsafe.
func ratioDifferencing(d *Results, node map[int]bool, m int, rule string) {
	r := d.Ratio
	if r == nil || r.Suppressed != "" || r.NTreatment == 0 {
		return
	}
	stag, coh := effectIndex(d.Effects), effectIndex(d.Cohort)
	all := func(idx map[outcomeWeek]int, rows []Effect) bool {
		for k := r.FromWeek; k <= r.ToWeek; k++ {
			if i, ok := idx[outcomeWeek{r.outcome, k}]; !ok || !rows[i].Estimated {
				return false
			}
		}
		return true
	}
	to := d.atRiskAt(r.ToWeek)
	if all(stag, d.Effects) && unsafeCell(sub(d.atRiskAt(r.FromWeek), to), r.leaversWithHours, false, m) {
		blankRatio(r, rule)
		return
	}
	if len(d.Cohort) > 0 && d.CohortWeek > r.ToWeek && node[d.CohortWeek] && all(coh, d.Cohort) &&
		unsafeCell(sub(to, d.atRiskAt(d.CohortWeek)), sub(r.withHours, r.cohortWithHours), false, m) {
		blankRatio(r, rule)
	}
}

func sub(a, b [2]int) [2]int { return [2]int{a[0] - b[0], a[1] - b[1]} }
func add(a, b [2]int) [2]int { return [2]int{a[0] + b[0], a[1] + b[1]} }
