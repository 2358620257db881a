package analysis

import (
	"errors"
	"math"
	"slices"
	"sort"

	"rcteval/pipeline"
	"rcteval/stats"
)

// SubgroupEffect is the effect among the persons of one level of a
// categorical variable (a jobcentre, a target group) in one week: the
// tidy row of subgroups.csv and of a forest plot.
type SubgroupEffect struct {
	Variable, Level string
	Effect
	total [2]int // the level's persons by arm (control, treatment), all weeks: published in the balance table
}

// SubgroupTest is the test that a variable's subgroups share one effect.
type SubgroupTest struct {
	Outcome  string
	Week     int
	Variable string
	stats.ChiSquare
	Subgroups int // subgroups tested: those estimated and published
}

// subgroups estimates every outcome at the landmark weeks within each level
// of the stratum and of every categorical covariate, with the plain (or,
// with clusters, clustered) difference in means, and tests equal effects
// across a variable's levels (Cochran's Q). Levels held by fewer than
// MinCell persons of an arm are pooled into OtherLevel first, as in the
// balance table, so that no level is published for a handful of persons;
// a subgroup that is still small in a week is suppressed there, and left
// out of that week's test.
func subgroups(ds *pipeline.Dataset, plan Plan, d *design) ([]SubgroupEffect, []SubgroupTest) {
	s := ds.Store
	vars := slices.Clone(s.Covariates)
	if s.Stratum != nil {
		vars = append([]pipeline.Covariate{*s.Stratum}, vars...)
	}
	type variable struct {
		name    string
		names   []string
		totals  [][2]int
		members [][]int // group → its persons, in store order
	}
	var groupings []variable
	for vi := range vars {
		v := &vars[vi]
		if v.Numeric {
			continue
		}
		names, group, totals := subgroupLevels(v, s.Treated, plan.MinCell)
		if len(names) < 2 {
			continue
		}
		members := make([][]int, len(names))
		for j, g := range group {
			members[g] = append(members[g], j)
		}
		groupings = append(groupings, variable{v.Name, names, totals, members})
	}
	// Each outcome on a core of its own (an outcome's weeks are read in
	// order), its rows kept by variable: the tables list variable by
	// variable, then outcome, landmark and level.
	type part struct {
		rows  []SubgroupEffect
		tests []SubgroupTest
	}
	parts := make([][]part, len(ds.Outcomes)) // outcome → variable → its rows
	parallelEach(len(ds.Outcomes), func(oi int) {
		o := ds.Outcomes[oi]
		parts[oi] = make([]part, len(groupings))
		var (
			y, yg []float64
			tg    []bool
			cg    []int
		)
		for _, k := range plan.Landmarks {
			if k < 0 || k >= s.Weeks {
				continue
			}
			y = o.Week(k, y)
			for vi, v := range groupings {
				p := &parts[oi][vi]
				var est, se []float64
				for g, name := range v.names {
					// The group's persons at risk in week k: those before len(y).
					at := v.members[g][:sort.SearchInts(v.members[g], len(y))]
					yg, tg, cg = yg[:0], tg[:0], cg[:0]
					for _, j := range at {
						yg, tg = append(yg, y[j]), append(tg, s.Treated[j])
						if d.clusters != nil {
							cg = append(cg, d.clusters[j])
						}
					}
					if len(cg) == 0 {
						cg = nil // unclustered, as an empty group is
					}
					e, err := subgroupEstimate(yg, tg, cg, plan.Level)
					row := SubgroupEffect{Variable: v.name, Level: name, Effect: Effect{Outcome: o.Def.Name, Binary: o.Def.Binary(), Unit: o.Def.Unit(),
						Week: k, Estimate: e, Estimated: err == nil, Estimator: Plain, Variance: "neyman",
						BandLow: math.NaN(), BandHigh: math.NaN(), RIPValue: math.NaN(), RIMCSE: math.NaN(), cumulative: o.Def.Cumulative()}}
					row.nonzero, _ = nonzeroCounts(yg, tg, 0)
					row.total = v.totals[g]
					if cg != nil {
						row.Variance = "CR2"
					}
					p.rows = append(p.rows, row)
					if row.Estimated && row.SE > 0 && !suppressedAt(&row.Effect, plan.MinCell) {
						est, se = append(est, e.Estimate), append(se, e.SE)
					}
				}
				test := SubgroupTest{Outcome: o.Def.Name, Week: k, Variable: v.name, Subgroups: len(est),
					ChiSquare: stats.ChiSquare{Statistic: math.NaN(), DF: math.NaN(), PValue: math.NaN()}}
				if q, err := stats.EqualEffects(est, se); err == nil {
					test.ChiSquare = q
				}
				p.tests = append(p.tests, test)
			}
		}
	})
	var rows []SubgroupEffect
	var tests []SubgroupTest
	for vi := range groupings {
		for oi := range ds.Outcomes {
			rows, tests = append(rows, parts[oi][vi].rows...), append(tests, parts[oi][vi].tests...)
		}
	}
	return rows, tests
}

// subgroupEstimate is the difference in means within a subgroup, clustered
// when clusters is not nil; arm counts are kept when it cannot be estimated.
func subgroupEstimate(y []float64, treated []bool, clusters []int, level float64) (stats.Estimate, error) {
	var e stats.Estimate
	var err error
	if clusters != nil {
		e, err = stats.ClusteredDifferenceInMeans(y, treated, clusters, level, nil)
	} else {
		e, err = stats.DifferenceInMeans(y, treated, level)
	}
	if err != nil {
		e = armSizes(treated)
		if !errors.Is(err, stats.ErrTooFew) {
			return e, err
		}
	}
	return e, err
}

// subgroupLevels pools a categorical variable's small levels as the
// balance table does (missing values are the level "(missing)") and
// returns the names shown, each person's group and each group's persons by
// arm (control, treatment).
func subgroupLevels(v *pipeline.Covariate, treated []bool, minCell int) (names []string, group []int, totals [][2]int) {
	levels := append(slices.Clone(v.Levels), MissingLevel)
	counts := make([][2]int, len(levels))
	code := codes(v)
	for j, t := range treated {
		counts[code[j]][b2i(t)]++
	}
	if counts[len(levels)-1] == [2]int{} {
		levels, counts = levels[:len(levels)-1], counts[:len(counts)-1]
	}
	names, byLevel := poolLevels(levels, counts, minCell)
	group = make([]int, len(treated))
	totals = make([][2]int, len(names))
	for j, t := range treated {
		group[j] = byLevel[code[j]]
		totals[group[j]][b2i(t)]++
	}
	return names, group, totals
}

// suppressedAt reports whether disclosure control with minCell would blank
// the effect.
func suppressedAt(e *Effect, minCell int) bool {
	return minCell > 0 && (e.NTreatment < minCell || e.NControl < minCell || small(e.smallestCount(), minCell))
}
