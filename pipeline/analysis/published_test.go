package analysis

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The disclosed results written and read back are the same results: the
// same bytes when written again, NaN and ±Inf kept, unexported counts and
// the row accounting left out.
func TestDisclosedJSONRoundTrip(t *testing.T) {
	var ps []trialPerson
	ps = append(ps, people(12, true, 0, "a", 8, 0, 8, 8)...)
	ps = append(ps, people(12, false, 0, "b", 4, 4, 0, 4)...)
	ps = append(ps, people(3, true, 1, "c", 1, 2, 3)...) // a level too small to publish
	ds := trialData(t, ps)
	plan := DefaultPlan()
	plan.RIDraws, plan.Landmarks = 0, []int{2}
	r, err := Run(ds, plan)
	require.NoError(t, err)
	d := Disclose(r)
	d.r.Effects[0].BandHigh = math.Inf(1) // an unbounded band, as a Fieller set can be

	b, err := json.Marshal(d)
	require.NoError(t, err)
	back, err := UnmarshalDisclosed(b)
	require.NoError(t, err)
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.Equal(t, string(b), string(again))

	assert.Nil(t, back.Accounting(), "the row accounting belongs to the report")
	assert.Equal(t, d.Trial(), back.Trial())
	assert.Equal(t, d.Plan().Landmarks, back.Plan().Landmarks)
	assert.True(t, math.IsInf(back.Effects()[0].BandHigh, 1))
	var blanked int
	for i, e := range back.Effects() {
		if e.Suppressed != "" {
			blanked++
			assert.True(t, math.IsNaN(e.BandLow), "a blanked row's band is NaN, written as null")
		}
		if e.Estimated {
			assert.Equal(t, fmt.Sprintf("%#v", d.Effects()[i].Estimate), fmt.Sprintf("%#v", e.Estimate), "estimates kept to the last bit (NaN too)")
		}
	}
	assert.Positive(t, blanked, "the test needs a blanked row")
	for _, key := range []string{"nonzero", "atRisk", "withHours", "events"} {
		assert.NotContains(t, string(b), `"`+key+`"`)
	}
}

// A file whose effect rows show arms smaller than the minimum cell has not
// been through disclosure control and is refused; a malformed one names
// the place.
func TestUnmarshalDisclosedRefuses(t *testing.T) {
	ps := append(people(3, true, 0, "a", 8, 8, 8, 8), people(12, false, 0, "a", 4, 4, 4, 4)...)
	plan := DefaultPlan()
	plan.RIDraws = 0
	r, err := Run(trialData(t, ps), plan)
	require.NoError(t, err)
	b, err := json.Marshal(&Disclosed{r: *r}) // not disclosed
	require.NoError(t, err)
	_, err = UnmarshalDisclosed(b)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not been through disclosure control")

	b, err = json.Marshal(Disclose(r))
	require.NoError(t, err)
	_, err = UnmarshalDisclosed(b)
	require.NoError(t, err, "the same results disclosed are served")

	bad := strings.Replace(string(b), `"Week":0`, `"Week":"nought"`, 1)
	_, err = UnmarshalDisclosed([]byte(bad))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `results.Effects[0].Week: expected an integer, got "nought"`)
	_, err = UnmarshalDisclosed([]byte(`{"Plan": [`))
	assert.ErrorContains(t, err, "not the JSON of rcteval's results")
}
