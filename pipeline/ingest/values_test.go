package ingest

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

	"rcteval/pipeline"
	"rcteval/pipeline/ingest/parse"
	"rcteval/pipeline/ingest/table"
)

// texts is a text column for tests.
type texts []string

func (c texts) Kind() table.Kind   { return table.Text }
func (c texts) Null(int) bool      { return false }
func (c texts) Bytes(i int) []byte { return []byte(c[i]) }
func (c texts) Int(int) int64      { panic("text") }
func (c texts) Float(int) float64  { panic("text") }
func (c texts) Date(int) int32     { panic("text") }

// The week cache answers exactly as parsing does, for texts that share
// bytes but differ in length, bad texts and texts longer than it keeps.
func TestWeekCacheMatchesParsing(t *testing.T) {
	values := []string{"201610", "201611", "2016101", "20161", "2016-W10", "2016-W1", "2016W10", "2016W1",
		"201653", "201652", " 201610", "201610 ", "2016-W10 ", "", "2016-03-07", "999999", "210001",
		"20161\x00", "201610\x00", "201610\xf0"}
	rng := rand.New(rand.NewPCG(3, 4))
	col := make(texts, 5000)
	for i := range col {
		col[i] = values[rng.IntN(len(values))]
	}
	for _, format := range []parse.WeekFormat{parse.WeekYYYYWW, parse.WeekISO} {
		w := &weekReader{format: format, today: pipeline.ISOWeek{Year: 2026, Week: 47}.Index()}
		var cache shortTexts
		c := columnOf(col)
		for i := range col {
			wantCal, wantMsg := w.read(c, i)
			cal, msg := w.readCached(&cache, c, i)
			assert.Equal(t, wantMsg, msg, "%q", col[i])
			assert.Equal(t, wantCal, cal, "%q", col[i])
		}
	}
}

// numbers is an integer or date column for tests.
type numbers struct {
	kind   table.Kind
	values []int64
}

func (c numbers) Kind() table.Kind  { return c.kind }
func (c numbers) Null(int) bool     { return false }
func (c numbers) Bytes(int) []byte  { panic("number") }
func (c numbers) Int(i int) int64   { return c.values[i] }
func (c numbers) Float(int) float64 { panic("number") }
func (c numbers) Date(i int) int32  { return int32(c.values[i]) }

// The cache answers for integer weeks (YYYYWW) and dates exactly as reading
// does, bad weeks included, with one cache for both kinds (some dates with
// an integer week's number) and more values than it has slots.
func TestWeekCacheMatchesReadingNumbers(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	w := &weekReader{today: pipeline.ISOWeek{Year: 2026, Week: 47}.Index()}
	var cache shortTexts
	for range 3 {
		for _, kind := range []table.Kind{table.Int, table.Date} {
			c := numbers{kind: kind, values: make([]int64, 5000)}
			for i := range c.values {
				if kind == table.Int {
					c.values[i] = int64(2000+rng.IntN(40))*100 + int64(rng.IntN(56)) // weeks 0, 53 … 55 are bad
				} else {
					c.values[i] = int64(rng.IntN(30_000)) // days from 1970 to after today
					if rng.IntN(10) == 0 {
						c.values[i] = int64(2000+rng.IntN(40))*100 + int64(rng.IntN(56)) // an integer week's number
					}
				}
			}
			col := columnOf(c)
			for i := range c.values {
				wantCal, wantMsg := w.read(col, i)
				cal, msg := w.readCached(&cache, col, i)
				assert.Equal(t, wantMsg, msg, "%v %d", kind, c.values[i])
				assert.Equal(t, wantCal, cal, "%v %d", kind, c.values[i])
			}
		}
	}
}

// Status codes read from a batch with ranges (through the cache of the
// last code, compared as a word) map and count as mapping each trimmed code
// does: codes of up to 8 bytes and longer, with spaces, empty, unmapped,
// with a NUL byte, in runs and switching, and at the very end of the text
// (not loadable as a word).
func TestStatusCacheMatchesMapping(t *testing.T) {
	cfg := Default()
	cfg.Codes = map[string]pipeline.Status{"523": pipeline.StatusPraktik, "ledig": pipeline.StatusBenefit,
		"sygedagpenge": pipeline.StatusBenefit, "12345678": pipeline.StatusWageSubsidy}
	values := []string{"523", " 523", "523 ", "", "  ", "ledig", "sygedagpenge", "12345678", "123456789", "x99", "52", "5230", "523\x00"}
	rng := rand.New(rand.NewPCG(5, 6))
	var col table.RangeColumn
	var want []string
	for range 5000 {
		v := values[rng.IntN(len(values))]
		for range rng.IntN(4) + 1 { // runs
			col.Spans = append(col.Spans, uint64(len(col.Text))|uint64(len(col.Text)+len(v))<<32)
			col.Text = append(append(col.Text, v...), ',')
			want = append(want, v)
		}
	}
	col.Text = col.Text[:len(col.Text)-1] // the last value ends the text
	col.Stride = 1

	tab := newCodeTable(&cfg)
	cached, plain := tab.newCounts(), tab.newCounts()
	for i, v := range want {
		got := cached.statusAt(&col, i)
		assert.Equal(t, plain.status(trim([]byte(v))), got, "row %d: %q", i, v)
	}
	assert.Equal(t, plain.counts, cached.counts)
	assert.Equal(t, plain.unmapped, cached.unmapped)
	assert.Equal(t, plain.empty, cached.empty)
}

// TestRecentTextsMatchMap compares recentTexts with a map from text to
// value: texts of 0 to 20 bytes from a small alphabet (so that many share
// their first or last eight bytes), with NUL bytes, each looked up before
// and after it is kept. A hit must give the value last kept for that very
// text; texts longer than 16 bytes or empty are never kept.
func TestRecentTextsMatchMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, bits := range []int{2, 6} {
		c, want := newRecentTexts(bits), map[string]int32{}
		hits := 0
		for i := range 20000 {
			b := make([]byte, rng.IntN(21))
			for j := range b {
				b[j] = "ab\x00"[rng.IntN(3)]
			}
			k, ok := longKeyOf(b)
			if !assert.Equal(t, len(b) > 0 && len(b) <= 16, ok, "%q", b) || !ok {
				continue
			}
			if v, hit := c.get(k); hit {
				hits++
				if !assert.Equal(t, want[string(b)], v, "%q", b) {
					return
				}
			}
			c.put(k, int32(i))
			want[string(b)] = int32(i)
			v, hit := c.get(k)
			assert.True(t, hit, "%q just kept", b)
			assert.Equal(t, int32(i), v)
		}
		assert.Greater(t, hits, 100, "hits before keeping with %d bits", bits)
	}
	// Texts of one repeated byte share every word: only the length tells them apart.
	seen := map[longKey]int{}
	for n := 1; n <= 16; n++ {
		k, _ := longKeyOf(bytes.Repeat([]byte{'a'}, n))
		assert.NotContains(t, seen, k, "a×%d has the key of a×%d", n, seen[k])
		seen[k] = n
	}
	_, hit := newRecentTexts(4).get(longKey{})
	assert.False(t, hit, "the empty key is never found")
}
