package analysis

import (
	"errors"
	"fmt"
	"slices"

	"rcteval/pipeline"
	"rcteval/stats"
)

// The estimators of a plan.
const (
	// Plain is the difference in means with the Neyman SE and Welch df
	// (estimatr::difference_in_means(y ~ z)), or with clusters the CR2 SE
	// (difference_in_means(y ~ z, clusters = c)).
	Plain = "plain"
	// Blocked is the difference in means within strata, weighted by their
	// size (difference_in_means(y ~ z, blocks = b)).
	Blocked = "blocked"
	// Lin is Lin's (2013) covariate-adjusted estimator (estimatr::lm_lin).
	Lin = "lin"
)

// design is the estimator chosen for a panel and what it needs, resolved
// once from the plan: the design declared once, the right variance follows.
type design struct {
	estimator string
	variance  string // as named in outputs: neyman, HC2, CR2, …
	vtype     stats.VarianceType
	blocks    []int // store order; nil unless blocked
	nBlocks   int
	clusters  []int // store order; nil unless clustered
	adjust    []pipeline.Covariate
	// assignment is how the trial was randomised, for randomisation
	// inference; resolving it checks that clusters were assigned whole.
	assignment riDesign
}

// resolve picks the estimator: the plan's, or blocked when the panel has a
// stratum and plain otherwise.
func resolve(s *pipeline.Store, plan Plan) (*design, error) {
	d := &design{estimator: plan.Estimator}
	if d.estimator == "" {
		d.estimator = Plain
		if s.Stratum != nil {
			d.estimator = Blocked
		}
	}
	if s.Cluster != nil {
		d.clusters = codes(s.Cluster)
	}
	var err error
	if d.assignment, err = newRIDesign(s); err != nil {
		return nil, err
	}
	switch d.estimator {
	case Plain:
		d.variance = "neyman"
		if d.clusters != nil {
			d.variance, d.vtype = "CR2", stats.CR2
		}
	case Blocked:
		if s.Stratum == nil {
			return nil, fmt.Errorf("estimator blocked needs a stratum column in the assignment (columns: stratum in the spec)")
		}
		if d.clusters != nil {
			return nil, fmt.Errorf("estimator blocked with a cluster column is not supported; use lin, which adjusts for the strata and takes CR2 from the clusters, or plain")
		}
		d.variance, d.blocks, d.nBlocks = "neyman", codes(s.Stratum), len(s.Stratum.Levels)+1
	case Lin:
		d.vtype = plan.Variance
		if d.vtype == 0 {
			d.vtype = stats.HC2
		}
		if d.clusters != nil {
			d.vtype = stats.CR2
		}
		if d.vtype == stats.CR2 && d.clusters == nil {
			return nil, fmt.Errorf("variance CR2 needs a cluster column (columns: cluster in the spec, or --cluster)")
		}
		d.variance = d.vtype.String()
		covs, err := adjustment(s, plan.Adjust)
		if err != nil {
			return nil, err
		}
		d.adjust = covs
	default:
		return nil, fmt.Errorf("unknown estimator %q; expected plain, blocked or lin", d.estimator)
	}
	return d, nil
}

// adjustment is the covariates of Lin's estimator: those named, or the
// stratum and every covariate when none are.
func adjustment(s *pipeline.Store, names []string) ([]pipeline.Covariate, error) {
	all := slices.Clone(s.Covariates)
	if s.Stratum != nil {
		all = append([]pipeline.Covariate{*s.Stratum}, all...)
	}
	if names == nil {
		return all, nil
	}
	var out []pipeline.Covariate
	for _, name := range names {
		i := slices.IndexFunc(all, func(c pipeline.Covariate) bool { return c.Name == name })
		if i < 0 {
			var have []string
			for _, c := range all {
				have = append(have, c.Name)
			}
			return nil, fmt.Errorf("covariate %q to adjust for is not in the assignment; its covariates are %v", name, have)
		}
		out = append(out, all[i])
	}
	return out, nil
}

// codes are a categorical column's codes, a missing value a code of its own.
func codes(c *pipeline.Covariate) []int {
	out := make([]int, len(c.Codes))
	for i, v := range c.Codes {
		if v < 0 {
			v = len(c.Levels)
		}
		out[i] = v
	}
	return out
}

// estimate applies the design's estimator to the persons at risk, y in store
// order, writing their influence values into infl (length len(y)).
// dropped counts the blocks left out (blocked: blocks with fewer than two
// persons at risk in an arm).
//
// week holds what the week's persons share across outcomes: Lin's design
// matrix, built once per week (see forWeek); nil for the other estimators.
func (d *design) estimate(week *weekDesign, y []float64, treated []bool, level float64, infl []float64) (e stats.Estimate, dropped int, err error) {
	n := len(y)
	switch d.estimator {
	case Plain:
		if d.clusters != nil {
			e, err = stats.ClusteredDifferenceInMeans(y, treated, d.clusters[:n], level, infl)
			return e, 0, err
		}
		e, err = stats.DifferenceInMeans(y, treated, level)
		if err == nil {
			stats.NeymanInfluence(e, y, treated, infl)
		}
		return e, 0, err
	case Blocked:
		return d.blocked(y, treated, level, infl)
	}
	if week.err != nil {
		e, err = stats.Lin(y, treated, week.x, week.variance, level, infl) // the design's error, with the arm counts
		return e, 0, err
	}
	e, err = week.lin.Estimate(y, level, infl)
	return e, 0, err
}

// influenceCells gives each person its cell when the estimator's influence
// values within a cell depend only on the outcome: the arm for the
// difference in means, the arm within the block for the blocked one
// (stats.NeymanInfluence, stats.BlockedNeyman). It returns nil for Lin's
// estimator and with clusters, whose values depend on more.
func (d *design) influenceCells(treated []bool) (cellOf []int32, cells int) {
	if d.clusters != nil || (d.estimator != Plain && d.estimator != Blocked) {
		return nil, 0
	}
	cellOf, cells = make([]int32, len(treated)), 2
	if d.blocks != nil {
		cells = 2 * d.nBlocks
	}
	for j, t := range treated {
		if t {
			cellOf[j] = 1
		}
		if d.blocks != nil {
			cellOf[j] += 2 * int32(d.blocks[j])
		}
	}
	return cellOf, cells
}

// weekDesign is the part of an estimator that depends only on who is at
// risk in a week, shared by the outcomes: Lin's design matrix, factored
// once (stats.PrepareLin), so that each outcome costs O(n·k).
type weekDesign struct {
	x        [][]float64
	variance stats.Variance
	lin      *stats.LinDesign
	err      error // why the design cannot be used (too few persons, aliased)
}

// forWeek prepares Lin's estimator for the week with n persons at risk.
func (d *design) forWeek(n int, treated []bool) *weekDesign {
	w := &weekDesign{x: BuildDesign(d.adjust, n).Columns, variance: stats.Variance{Type: d.vtype}}
	if d.clusters != nil {
		w.variance.Clusters = d.clusters[:n]
	}
	w.lin, w.err = stats.PrepareLin(treated, w.x, w.variance)
	return w
}

// blocked is the blocked difference in means over the blocks with at least
// two persons at risk in each arm; the others are dropped and counted
// (estimatr would stop with an error, or switch to the matched-pairs
// variance, both of which would make late weeks of a staggered trial
// unestimable as small jobcentres run out of followed persons).
//
// The arm sizes are of everyone at risk, as for the other estimators (the
// dropped blocks' persons included); the means are the kept blocks'
// weighted means.
func (d *design) blocked(y []float64, treated []bool, level float64, infl []float64) (stats.Estimate, int, error) {
	b, err := stats.BlockedNeyman(y, treated, d.blocks[:len(y)], d.nBlocks, level, infl)
	sizes := armSizes(treated)
	b.NTreatment, b.NControl = sizes.NTreatment, sizes.NControl
	return b.Estimate, b.DroppedBlocks, err
}

// unestimable reports whether err means the week has no estimate (too few
// persons, an aliased design), rather than a bug.
func unestimable(err error) bool {
	var be *stats.BlockError
	return errors.Is(err, stats.ErrTooFew) || errors.Is(err, stats.ErrAliased) || errors.Is(err, stats.ErrNoResidualDF) || errors.As(err, &be)
}
