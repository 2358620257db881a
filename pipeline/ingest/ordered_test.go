package ingest

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/pipeline/ingest/csvtable"
	"rcteval/pipeline/ingest/table"
)

// Batches parsed on several goroutines are applied in file order, one at a
// time; the first error of apply ends the scan and is returned; a panic in
// parse or apply reaches the caller.
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
	var inApply atomic.Int32
	err := scanOrdered(open(), []int{0}, 4, func(bt table.Batch) []int {
		var l []int
		for i := range bt.Len() {
			line, _ := bt.Pos(i, 0)
			l = append(l, line)
		}
		return l
	}, func(l []int) error {
		if inApply.Add(1) != 1 {
			t.Error("apply called while another apply runs")
		}
		lines = append(lines, l...)
		inApply.Add(-1)
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, 200000, len(lines))
	for i, l := range lines {
		if l != i+2 {
			t.Fatalf("row %d applied as line %d", i, l)
		}
	}
	stop := errors.New("stop")
	applied := 0
	err = scanOrdered(open(), []int{0}, 4, func(bt table.Batch) int { return bt.Seq() }, func(seq int) error {
		applied++
		if seq == 3 {
			return stop
		}
		return nil
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 4, applied, "nothing is applied after the error")
	assert.PanicsWithValue(t, "boom", func() {
		scanOrdered(open(), []int{0}, 2, func(bt table.Batch) int {
			if bt.Seq() == 0 {
				panic("boom")
			}
			return 0
		}, func(int) error { return nil })
	})
	assert.PanicsWithValue(t, "bang", func() {
		scanOrdered(open(), []int{0}, 2, func(bt table.Batch) int { return bt.Seq() }, func(seq int) error {
			if seq == 2 {
				panic("bang")
			}
			return nil
		})
	})
}
