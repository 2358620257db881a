package main

import (
	"bytes"
	"errors"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
)

// rootWith returns the root command with one more subcommand, "boom", running f.
func rootWith(f func() error) (*cobra.Command, *bytes.Buffer) {
	var out, log bytes.Buffer
	root := newRootCmd(&out, &log)
	root.AddCommand(&cobra.Command{Use: "boom", RunE: func(*cobra.Command, []string) error { return f() }})
	root.SetArgs([]string{"boom"})
	return root, &log
}

func TestExecutePanicIsOneLine(t *testing.T) {
	t.Setenv("RCTEVAL_DEBUG", "")
	root, log := rootWith(func() error { panic("cephes: parameter out of bounds\nsecond line") })
	assert.Equal(t, 2, execute(root, log))
	assert.Equal(t, "rcteval: internal error: cephes: parameter out of bounds second line (please report this with the command you ran)\n", log.String())

	root, log = rootWith(func() error {
		var m map[string]int
		m["x"]++ // a runtime error
		return nil
	})
	assert.Equal(t, 2, execute(root, log))
	assert.Contains(t, log.String(), "rcteval: internal error: assignment to entry in nil map (please report")
	assert.NotContains(t, log.String(), "goroutine")
}

func TestExecutePanicStackWithDebug(t *testing.T) {
	t.Setenv("RCTEVAL_DEBUG", "1")
	root, log := rootWith(func() error { panic("boom") })
	assert.Equal(t, 2, execute(root, log))
	s := log.String()
	assert.Contains(t, s, "rcteval: internal error: boom (please report this with the command you ran)\n")
	assert.Contains(t, s, "goroutine")
	assert.Contains(t, s, "main_test.go") // the panicking function
}

func TestExecuteErrorAndSuccess(t *testing.T) {
	root, log := rootWith(func() error { return errors.New("weeks.csv:3:3: bad week") })
	assert.Equal(t, 1, execute(root, log))
	assert.Equal(t, "rcteval: weeks.csv:3:3: bad week\n", log.String())

	root, log = rootWith(func() error { return nil })
	assert.Equal(t, 0, execute(root, log))
	assert.Empty(t, log.String())
}

func TestRunMain(t *testing.T) {
	var out, log bytes.Buffer
	assert.Equal(t, 1, runMain([]string{"no-such-command"}, &out, &log))
	assert.Contains(t, log.String(), "rcteval: unknown command")
	out.Reset()
	log.Reset()
	assert.Equal(t, 0, runMain([]string{"--help"}, &out, &log))
	assert.Contains(t, out.String(), "rcteval")
}
