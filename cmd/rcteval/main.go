// Command rcteval evaluates randomised labour-market trials week by week.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func main() {
	if os.Getenv("GOGC") == "" { // GOGC still overrides it
		tuneGC()
	}
	os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
}

// runMain runs rcteval with args (without the program name) and returns the
// exit code: 0 on success, 1 for an error (a bad flag or input, reported as
// one line "rcteval: …"), 2 for an internal error (see execute).
func runMain(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	return execute(root, stderr)
}

// execute runs cmd and returns the exit code. Data problems are errors; a
// panic is a bug in rcteval, and a stack trace would mean nothing to the user:
// it becomes one line on stderr,
//
//	rcteval: internal error: <value> (please report this with the command you ran)
//
// and exit code 2. The stack trace follows only when the environment variable
// RCTEVAL_DEBUG is set. The readers raise a panic of their parsing workers
// again on the calling goroutine, so it is caught here too.
func execute(cmd *cobra.Command, stderr io.Writer) (code int) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		msg := strings.Join(strings.Fields(fmt.Sprint(r)), " ") // one line
		fmt.Fprintf(stderr, "rcteval: internal error: %s (please report this with the command you ran)\n", msg)
		if os.Getenv("RCTEVAL_DEBUG") != "" {
			stderr.Write(debug.Stack())
		}
		code = 2
	}()
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(stderr, "rcteval:", err)
		return 1
	}
	return 0
}
