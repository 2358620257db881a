package analysis

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/stats"
)

// clusterTrial is 10 clusters of 2 to 7 persons, 5 of them treated whole,
// randomised in 2016-W10 and followed 3 weeks.
func clusterTrial(t *testing.T, split bool) (assignment, weeks string) {
	rng := rand.New(rand.NewPCG(4, 5))
	var a, w strings.Builder
	a.WriteString("person_id,arm,randomised_on,cluster\n")
	w.WriteString("person_id,week,hours,status\n")
	p := 0
	for c := range 10 {
		arm := map[bool]string{true: "treatment", false: "control"}[c%2 == 0]
		for i := range 2 + c%6 {
			armOf := arm
			if split && c == 3 && i == 0 {
				armOf = "treatment" // a cluster with both arms
			}
			fmt.Fprintf(&a, "p%d,%s,2016-03-07,c%d\n", p, armOf, c)
			for k := range 3 {
				fmt.Fprintf(&w, "p%d,2016-W%02d,%.2f,\n", p, 10+k, float64(rng.IntN(4000))/100)
			}
			p++
		}
	}
	return a.String(), w.String()
}

// A cluster column makes the plain estimator clustered (CR2, as
// estimatr::difference_in_means(y ~ z, clusters = c)) and randomisation
// inference re-draw whole clusters: C(10, 5) = 252 assignments, enumerated.
func TestClusteredDesign(t *testing.T) {
	a, w := clusterTrial(t, false)
	ds := dataset(t, a, w)
	plan := DefaultPlan()
	plan.MinCell = 0
	r, err := Run(ds, plan)
	require.NoError(t, err)
	assert.Equal(t, Plain, r.Estimator)
	assert.Equal(t, "CR2", r.Variance)
	require.NotNil(t, r.RI)
	assert.True(t, r.RI.Exact)
	assert.True(t, r.RI.Clustered)
	assert.Equal(t, 252, r.RI.Draws)

	s := ds.Store
	y := ds.Outcomes[0].Week(1, nil)
	want, err := stats.ClusteredDifferenceInMeans(y, s.Treated[:len(y)], codes(s.Cluster)[:len(y)], 0.95, nil)
	require.NoError(t, err)
	got := r.Effects[1]
	assert.Equal(t, 1, got.Week)
	assert.InDelta(t, want.SE, got.SE, 1e-12)
	assert.InDelta(t, want.DF, got.DF, 1e-9)

	// Lin takes CR2 from the clusters too; blocked has no strata here.
	plan.Estimator = Lin
	r, err = Run(ds, plan)
	require.NoError(t, err)
	assert.Equal(t, "CR2", r.Variance)
	plan.Estimator = Blocked
	_, err = Run(ds, plan)
	assert.ErrorContains(t, err, "needs a stratum column")

	// A cluster with persons in both arms is not a cluster-randomised design.
	a, w = clusterTrial(t, true)
	ds = dataset(t, a, w)
	_, err = Run(ds, DefaultPlan())
	assert.ErrorContains(t, err, `cluster "c3" has persons in both arms`)
}
