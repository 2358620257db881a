package pipeline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseISOWeek(t *testing.T) {
	w, err := ParseISOWeek("2016-W10")
	require.NoError(t, err)
	assert.Equal(t, ISOWeek{2016, 10}, w)
	assert.Equal(t, time.Date(2016, 3, 7, 0, 0, 0, 0, time.UTC), w.Monday())
	assert.Equal(t, "2016-W10", w.String())

	_, err = ParseISOWeek("2015-W53") // 2015 has 53 ISO weeks
	assert.NoError(t, err)
	for _, bad := range []string{"2016-W54", "2016-W53", "2016-W00", "2016W10", "2016-10", "16-W10", "2016-W1x", "", "1899-W10", "2200-W01"} {
		_, err := ParseISOWeek(bad)
		assert.Error(t, err, bad)
	}
}

func TestWeekIndexAcrossYears(t *testing.T) {
	// 2015 has 53 weeks, so 2015-W52 → 2016-W01 is two weeks.
	a, _ := ParseISOWeek("2015-W52")
	b, _ := ParseISOWeek("2016-W01")
	assert.Equal(t, 2, b.Index()-a.Index())
	// 1 January 2016 (a Friday) belongs to 2015-W53.
	assert.Equal(t, ISOWeek{2015, 53}, WeekOf(time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)))
	for _, w := range []ISOWeek{{2016, 1}, {2015, 53}, {2020, 53}, {1999, 7}} {
		assert.Equal(t, w, WeekFromIndex(w.Index()))
	}
}
