package pipeline

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Three persons, hand-worked (the same as ingest's CSV test).
//
//	a: randomised in 2016-W10, b in 2016-W11, c in 2016-W14; extract end 2016-W14.
func handBuilder(end ISOWeek) (*Assignment, *Builder) {
	a := NewAssignment("hand")
	a.Add("c", Treatment, ISOWeek{2016, 14}.Index(), 4)
	a.Add("a", Treatment, ISOWeek{2016, 10}.Index(), 2)
	a.Add("b", Control, ISOWeek{2016, 11}.Index(), 3)
	return a, NewBuilder(a, end, 104, CanonicalCategories)
}

func TestBuilderPlacesAndOrders(t *testing.T) {
	a, b := handBuilder(ISOWeek{})
	place := func(p int, w ISOWeek) (Place, int) { return b.Place(int32(p), w.Index()) }
	pl, k := place(1, ISOWeek{2016, 12})
	assert.Equal(t, PlaceFollowUp, pl)
	assert.Equal(t, 2, k)
	pl, k = place(1, ISOWeek{2016, 8})
	assert.Equal(t, PlacePre, pl)
	assert.Equal(t, -2, k)
	pl, _ = place(1, ISOWeek{2014, 10})
	assert.Equal(t, PlaceBeforePre, pl, "105 weeks before is beyond the default 104")

	require.True(t, b.Set(int32(1), 2, 7.5, true, StatusPraktik, true, DupReject))
	require.True(t, b.Set(int32(1), -2, 3, true, StatusBenefit, true, DupReject))
	require.True(t, b.Set(int32(2), 3, 10, true, StatusBenefit, true, DupReject))
	assert.False(t, b.Set(int32(2), 3, 99, true, StatusNone, true, DupReject), "a duplicate is refused")
	require.True(t, b.Set(int32(0), 0, 0.1, true, StatusNone, true, DupReject))
	assert.Equal(t, 0, b.AfterEnd(ISOWeek{2016, 14}))
	assert.Equal(t, 2, b.AfterEnd(ISOWeek{2016, 13}), "b's week 3 and c's week 0 are 2016-W14")

	s, err := b.Finish(ISOWeek{2016, 14})
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 0}, s.Person)
	assert.Equal(t, []bool{true, false, true}, s.Treated)
	assert.Equal(t, []int{5, 4, 1}, s.FollowUp)
	assert.Equal(t, 5, s.Weeks)
	assert.Equal(t, 2, s.Pre)
	for k, want := range []int{3, 2, 2, 2, 1, 0} {
		assert.Equal(t, want, s.AtRisk(k), "at risk in week %d", k)
	}
	assert.Equal(t, 7.5, s.HoursAt(2).At(0))
	assert.Equal(t, StatusPraktik, s.StatusAt(2)[0])
	assert.Equal(t, 3.0, s.HoursAt(-2).At(0))
	assert.True(t, s.HoursAt(1).Empty(), "no data in week 1")
	assert.Nil(t, s.StatusAt(-1))
	assert.Equal(t, 10.0, s.HoursAt(3).At(1))
	assert.Equal(t, 0.1, s.HoursAt(0).At(2))
	_ = a
}

func TestBuilderDuplicatePolicies(t *testing.T) {
	_, b := handBuilder(ISOWeek{2016, 14})
	j := int32(1)
	require.True(t, b.Set(j, 1, 2.25, true, StatusNone, true, DupSum))
	require.True(t, b.Set(j, 1, 1.5, true, StatusBenefit, true, DupSum), "sum adds")
	require.True(t, b.Set(j, 1, 1, true, StatusPraktik, true, DupSum))
	// Hours-only and status-only rows of two sources do not collide.
	require.True(t, b.Set(j, 2, 4, true, 0, false, DupReject))
	require.True(t, b.Set(j, 2, 0, false, StatusWageSubsidy, true, DupReject))
	assert.False(t, b.Set(j, 2, 0, false, StatusBenefit, true, DupReject))
	s, err := b.Finish(ISOWeek{2016, 14})
	require.NoError(t, err)
	assert.Equal(t, 4.75, s.HoursAt(1).At(0))
	assert.Equal(t, StatusBenefit, s.StatusAt(1)[0], "the first non-empty status is kept")
	assert.Equal(t, 4.0, s.HoursAt(2).At(0))
	assert.Equal(t, StatusWageSubsidy, s.StatusAt(2)[0])
}

// Hours are stored without loss: hundredths while they are, float64 after.
func TestHoursColumnIsLossless(t *testing.T) {
	var c HoursColumn
	values := []float64{0, 7.5, 4.62, 168, 0.01, 37.37}
	for j, v := range values {
		c.set(j, 10, v)
	}
	assert.NotNil(t, c.hundredths)
	assert.Equal(t, 20, c.Bytes())
	for j, v := range values {
		assert.Equal(t, v, c.At(j), "value %d", j)
	}
	odd := 37.0 / 4.33 // hours spread from a monthly report
	c.set(7, 10, odd)
	assert.Nil(t, c.hundredths)
	assert.Equal(t, 80, c.Bytes())
	for j, v := range values {
		assert.Equal(t, v, c.At(j), "value %d after promotion", j)
	}
	assert.Equal(t, odd, c.At(7))
	assert.Equal(t, 0.0, HoursColumn{}.At(3))
	assert.False(t, math.IsNaN(c.At(9)))
}

func TestWeekIndexMatchesCalendar(t *testing.T) {
	for y := MinYear; y <= MaxYear; y += 7 {
		for _, w := range []int{1, 26, WeeksInYear(y)} {
			iw := ISOWeek{y, w}
			assert.Equal(t, int((iw.Monday().Unix()-epochMonday.Unix())/(7*24*3600)), WeekIndex(y, w), "%s", iw)
			assert.Equal(t, iw, WeekFromIndex(iw.Index()))
		}
	}
}

// Persons are ordered by randomisation week, keeping assignment order
// within a week.
func TestByWeekIsStable(t *testing.T) {
	assert.Equal(t, []int{1, 4, 0, 3, 5, 2}, byWeek([]int{12, 10, 15, 12, 10, 12}))
	assert.Equal(t, []int{}, byWeek(nil))
	assert.Equal(t, []int{0}, byWeek([]int{7}))
}

// A builder without an extract end refuses to finish at an end its cells
// pass; with one, Place has kept such cells out already.
func TestBuilderFinishBeforeCells(t *testing.T) {
	_, b := handBuilder(ISOWeek{})
	require.True(t, b.Set(int32(2), 3, 10, true, StatusBenefit, true, DupReject))
	_, err := b.Finish(ISOWeek{2016, 13})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1 cells after the extract end 2016-W13")
}

// Set against a model of its rules, on random rows: cells written once and
// again, under each duplicates policy, hours-only and status-only rows,
// hours of 0, in whole hundredths and not (which moves a column to
// float64), so that the path for a cell's first row and the general one
// agree.
func TestBuilderSetAgainstModel(t *testing.T) {
	type cell struct {
		hasH, hasS bool
		h          float64
		st         Status
	}
	hours := []float64{0, 0, 7.5, 37, 4.62, 0.01, 168, 37.0 / 4.33}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, dup := range []Duplicates{DupReject, DupSum} {
		a := NewAssignment("model")
		start := ISOWeek{2016, 1}.Index()
		const persons, weeks = 40, 30
		for p := range persons {
			a.Add(fmt.Sprint(p), Arm(p%2), start+p%5, p+2)
		}
		b := NewBuilder(a, ISOWeek{}, 104, CanonicalCategories)
		model := map[[2]int]*cell{}
		for range 3000 {
			j, k := rng.IntN(persons), rng.IntN(weeks)
			if k == weeks-1 && rng.IntN(2) == 0 {
				k = 0
			}
			h := hours[rng.IntN(len(hours))]
			if k%7 != 3 && h == 37.0/4.33 {
				h = 7.5 // only some weeks move to float64
			}
			st := Status(rng.IntN(4))
			hasH, hasS := rng.IntN(5) > 0, rng.IntN(5) > 0
			c := model[[2]int{j, k}]
			if c == nil {
				c = &cell{}
				model[[2]int{j, k}] = c
			}
			seenH, seenS := hasH && c.hasH, hasS && c.hasS
			want := !((seenH || seenS) && dup != DupSum)
			if want {
				if hasH {
					c.h += h
					c.hasH = true
				}
				if hasS && (!seenS || c.st == StatusNone) {
					c.st, c.hasS = st, true
				}
			}
			require.Equal(t, want, b.Set(int32(j), k, h, hasH, st, hasS, dup), "person %d week %d", j, k)
		}
		s, err := b.Finish(WeekFromIndex(start + 4 + weeks))
		require.NoError(t, err)
		for pos, j := range s.Person {
			for k := range weeks {
				c := model[[2]int{j, k}]
				if c == nil {
					c = &cell{}
				}
				assert.InDelta(t, c.h, s.HoursAt(k).At(pos), 1e-9, "hours of person %d in week %d", j, k)
				got := StatusNone
				if st := s.StatusAt(k); st != nil {
					got = st[pos]
				}
				assert.Equal(t, c.st, got, "status of person %d in week %d", j, k)
			}
		}
	}
}
