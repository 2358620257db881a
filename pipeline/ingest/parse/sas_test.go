package parse

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// SAS's DATE9 (DDMONYYYY), as SAS exports dates by default.
func TestSASDates(t *testing.T) {
	good := map[string][3]int{
		"14MAR2016":          {2016, 3, 14},
		"01maj2016":          {2016, 5, 1},
		"31Okt2016":          {2016, 10, 31},
		"29FEB2016":          {2016, 2, 29},
		"05DEC1999":          {1999, 12, 5},
		"14MAR2016:00:00:00": {2016, 3, 14},
		"14MAR2016 00:00:00": {2016, 3, 14},
	}
	for in, want := range good {
		y, m, d, err := ParseDate([]byte(in), DateSAS)
		require.NoError(t, err, in)
		assert.Equal(t, want, [3]int{y, m, d}, in)
	}
	for _, in := range []string{"14XYZ2016", "29FEB2015", "1MAR2016", "14MAR16", "14MAR2016:08:00:00", "32JAN2016"} {
		_, _, _, err := ParseDate([]byte(in), DateSAS)
		assert.Error(t, err, in)
		if err != nil {
			assert.Contains(t, err.Error(), in)
		}
	}
	f, err := DetectDate([][]byte{[]byte("14MAR2016"), []byte("01maj2016")})
	require.NoError(t, err)
	assert.Equal(t, DateSAS, f)
	f, err = ParseDateFormat("DDMONYYYY")
	require.NoError(t, err)
	assert.Equal(t, DateSAS, f)
	wf, df, err := DetectWeek([][]byte{[]byte("14MAR2016")})
	require.NoError(t, err)
	assert.Equal(t, [2]any{WeekDate, DateSAS}, [2]any{wf, df})
}
