package ingest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/ingest/csvtable"
	"rcteval/pipeline/ingest/table"
)

// Batches parsed on several goroutines are applied in file order, and a
// panic on a worker reaches the caller.
func TestScanOrdered(t *testing.T) {
	var b strings.Builder
	b.WriteString("n\n")
	for i := range 200000 {
		b.WriteString(strings.Repeat("x", 1+i%7))
		b.WriteString("\n")
	}
	open := func() table.Table {
		tb, err := csvtable.New("n.csv", strings.NewReader(b.String()), csvtable.Options{})
		require.NoError(t, err)
		return tb
	}
	var lines []int
	err := scanOrdered(open(), []int{0}, 4, func(bt table.Batch) []int {
		var l []int
		for i := range bt.Len() {
			line, _ := bt.Pos(i, 0)
			l = append(l, line)
		}
		return l
	}, func(l []int) error { lines = append(lines, l...); return nil })
	require.NoError(t, err)
	require.Equal(t, 200000, len(lines))
	for i, l := range lines {
		if l != i+2 {
			t.Fatalf("row %d applied as line %d", i, l)
		}
	}
	assert.PanicsWithValue(t, "boom", func() {
		scanOrdered(open(), []int{0}, 2, func(bt table.Batch) int {
			if bt.Seq() == 0 {
				panic("boom")
			}
			return 0
		}, func(int) error { return nil })
	})
}
