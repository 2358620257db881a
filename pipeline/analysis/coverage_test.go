package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline"
)

// coverageTrial simulates a stratified trial with a known effect τₖ in every
// week: 4 strata of unequal size, randomisation weeks spread over 30 weeks
// (so later weeks rest on fewer persons), and outcomes correlated within a
// person across weeks: yᵢₖ = 10 + 0.1k + uᵢ + eᵢₖ + τₖzᵢ with uᵢ ~ N(0, 3²),
// eᵢₖ an AR(1) with ρ = 0.7 and unit variance, and a heavier tail in the
// treated arm (the effect varies across persons).
func coverageTrial(rng *rand.Rand, n, weeks int, tau func(k int) float64) *pipeline.Dataset {
	start := pipeline.ISOWeek{Year: 2016, Week: 1}.Index()
	end := start + 30 + weeks - 1
	a := pipeline.NewAssignment("coverage")
	strata := make([]string, n)
	for i := range n {
		strata[i] = fmt.Sprint("s", min(3, rng.IntN(6)))
	}
	// Complete randomisation within strata: half of each stratum treated.
	treated := make([]bool, n)
	byStratum := map[string][]int{}
	for i, s := range strata {
		byStratum[s] = append(byStratum[s], i)
	}
	for _, s := range []string{"s0", "s1", "s2", "s3"} {
		idx := byStratum[s]
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for k, i := range idx {
			treated[i] = k < len(idx)/2
		}
	}
	for i := range n {
		arm := pipeline.Control
		if treated[i] {
			arm = pipeline.Treatment
		}
		a.Add(fmt.Sprint(i), arm, start+rng.IntN(30), i+2)
	}
	a.SetStratum("stratum", pipeline.TextColumnOf(strata))
	b := pipeline.NewBuilder(a, pipeline.WeekFromIndex(end), 0, pipeline.CanonicalCategories)
	for i := range n {
		u := 3 * rng.NormFloat64()
		e := rng.NormFloat64()
		gain := 1.0
		if treated[i] {
			gain = 0.5 + rng.ExpFloat64()/2 // heterogeneous effect, mean 1
		}
		for k := 0; a.Week[i]+k <= end; k++ {
			e = 0.7*e + math.Sqrt(1-0.49)*rng.NormFloat64()
			y := 10 + 0.1*float64(k) + u + e
			if treated[i] {
				y += gain * tau(k)
			}
			b.Set(int32(i), k, y, true, pipeline.StatusNone, true, pipeline.DupReject)
		}
	}
	s, err := b.Finish(pipeline.WeekFromIndex(end))
	if err != nil {
		panic(err)
	}
	ds := &pipeline.Dataset{Assignment: a, Store: s, Accounting: &pipeline.Accounting{}}
	if err := ds.Derive([]pipeline.OutcomeDef{{Name: "y", Kind: pipeline.KindHours}}); err != nil {
		panic(err)
	}
	return ds
}

// TestCoverage is make coverage: 1 000 simulated trials with a known effect
// give the coverage of the pointwise interval (over all weeks) and of the
// sup-t band (all weeks at once), and 1 000 trials without an effect the
// size of randomisation inference at 5 %. It runs only with
// RCTEVAL_COVERAGE=1 (a few minutes).
func TestCoverage(t *testing.T) {
	if os.Getenv("RCTEVAL_COVERAGE") == "" {
		t.Skip("set RCTEVAL_COVERAGE=1 (make coverage) to run the coverage simulation")
	}
	const trials, n, weeks = 1000, 2000, 20
	tau := func(k int) float64 { return 0.5 + 0.05*float64(k) }
	rng := rand.New(rand.NewPCG(2016, 12))
	var cover, total, bandCover, bandTotal int
	for _, estimator := range []string{Blocked, Plain, Lin} {
		cover, total, bandCover, bandTotal = 0, 0, 0, 0
		for range trials {
			ds := coverageTrial(rng, n, weeks, tau)
			plan := DefaultPlan()
			plan.Estimator, plan.RIDraws, plan.MinCell, plan.ToWeek, plan.BandDraws = estimator, 0, 0, weeks-1, 2000
			r, err := Run(ds, plan)
			require.NoError(t, err)
			all := true
			for _, e := range r.Effects {
				if !e.Estimated {
					continue
				}
				total++
				if e.CILow <= tau(e.Week) && tau(e.Week) <= e.CIHigh {
					cover++
				}
				all = all && e.BandLow <= tau(e.Week) && tau(e.Week) <= e.BandHigh
			}
			bandTotal++
			if all {
				bandCover++
			}
		}
		ci, band := float64(cover)/float64(total), float64(bandCover)/float64(bandTotal)
		t.Logf("%s: pointwise 95 %% CI coverage %.1f %% (%d intervals), sup-t band coverage %.1f %% (%d trials)", estimator, 100*ci, total, 100*band, bandTotal)
		assert.True(t, ci >= 0.935 && ci <= 0.965, "%s pointwise coverage %.3f", estimator, ci)
		assert.True(t, band >= 0.935 && band <= 0.965, "%s band coverage %.3f", estimator, band)
	}
	rejected, tests := 0, 0
	for range trials {
		ds := coverageTrial(rng, n, weeks, func(int) float64 { return 0 })
		plan := DefaultPlan()
		plan.RIDraws, plan.MinCell, plan.ToWeek, plan.FromWeek, plan.BandDraws = 500, 0, 10, 10, 100
		r, err := Run(ds, plan)
		require.NoError(t, err)
		tests++
		if r.Effects[0].RIPValue <= 0.05 {
			rejected++
		}
	}
	size := float64(rejected) / float64(tests)
	t.Logf("randomisation inference at 5 %%, no effect, week 10: rejects %.1f %% of %d trials", 100*size, tests)
	assert.True(t, size >= 0.035 && size <= 0.065, "RI size %.3f", size)
}
