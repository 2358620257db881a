package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRandomizationPValueByHand(t *testing.T) {
	// |t| = 2: draws 2.5, −2 (equal counts), 1, −0.5: 2 of 4 exceed.
	p, se := RandomizationPValue(-2, []float64{2.5, -2, 1, -0.5})
	assert.InDelta(t, 3.0/5, p, 1e-15)
	assert.InDelta(t, math.Sqrt(0.6*0.4/4), se, 1e-15)
	assert.InDelta(t, 2.0/4, ExactPValue(-2, []float64{2.5, -2, 1, -0.5}), 1e-15)
	// The same statistic, off in the last bits, counts.
	assert.InDelta(t, 1.0, ExactPValue(0.1+0.2, []float64{0.3}), 0)
	p, _ = RandomizationPValue(math.NaN(), []float64{1})
	assert.True(t, math.IsNaN(p))
}

// Hand-worked: hypotheses ordered j0 (|3|), j1 (|1|); per draw the maxima
// over {j0, j1} and {j1} are (2, 0.5), (2.5, 2.5), (1, 1): none reaches 3,
// two reach 1. p̃(j0) = 1/4, p̃(j1) = 3/4.
func TestWestfallYoungByHand(t *testing.T) {
	adj := WestfallYoung([]float64{3, -1, math.NaN()}, [][]float64{{2, 0.5, 9}, {0.5, -2.5, 9}, {1, 1, 9}}, false)
	assert.InDelta(t, 0.25, adj[0], 1e-15)
	assert.InDelta(t, 0.75, adj[1], 1e-15)
	assert.True(t, math.IsNaN(adj[2]))
	// Monotone: a smaller statistic never gets a smaller adjusted p.
	adj = WestfallYoung([]float64{3, 2.9}, [][]float64{{3.5, 0}, {0, 0}, {0, 0}}, false)
	assert.InDelta(t, 0.5, adj[0], 1e-15)
	assert.InDelta(t, 0.5, adj[1], 1e-15)
	// Exact: the draws include the observed assignment; counts over R.
	adj = WestfallYoung([]float64{3, 2.9}, [][]float64{{3, 2.9}, {3.5, 0}, {0, 0}, {0, 0}}, true)
	assert.InDelta(t, 0.5, adj[0], 1e-15)
	assert.InDelta(t, 0.5, adj[1], 1e-15)
}

func TestHolmByHand(t *testing.T) {
	// R: p.adjust(c(.01, .04, .03), "holm") = 0.03 0.06 0.06
	adj := Holm([]float64{0.01, 0.04, 0.03, math.NaN()})
	assert.InDeltaSlice(t, []float64{0.03, 0.06, 0.06}, adj[:3], 1e-15)
	assert.True(t, math.IsNaN(adj[3]))
	assert.Equal(t, []float64{1, 1}, Holm([]float64{0.7, 0.9}))
}

func TestSharpenedQValuesEdges(t *testing.T) {
	// Every p tiny: all rejected at the smallest q.
	assert.Equal(t, []float64{0.001, 0.001}, SharpenedQValues([]float64{1e-9, 1e-8}))
	// A single p: stage one at q/(1+q) rejects iff p ≤ q/(1+q), then all are
	// rejected; the q-value is the smallest grid q with q/(1+q) ≥ p.
	q := SharpenedQValues([]float64{0.2})
	assert.InDelta(t, 0.25, q[0], 1e-12) // 0.25/1.25 = 0.2
	assert.Equal(t, 1.0, SharpenedQValues([]float64{0.6, 0.99})[1])
}
