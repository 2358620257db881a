package rcteval

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"rcteval/pipeline/sim"
)

// The embedded demo trial is what `rcteval simulate --gzip` writes with the
// default options: regenerate it with
//
//	go run ./cmd/rcteval simulate --gzip --out testdata/demo
func TestDemoIsTheDefaultSimulation(t *testing.T) {
	tr := sim.New(sim.DefaultOptions())
	var a, w bytes.Buffer
	require.NoError(t, tr.WriteAssignment(&a))
	require.NoError(t, tr.WriteWeeks(&w))
	for name, want := range map[string][]byte{DemoAssignment: a.Bytes(), DemoWeeks: w.Bytes()} {
		zr, err := gzip.NewReader(DemoFile(name))
		require.NoError(t, err)
		got, err := io.ReadAll(zr)
		require.NoError(t, err)
		require.True(t, bytes.Equal(want, got), "%s differs from a fresh simulation; regenerate it", name)
	}
}
