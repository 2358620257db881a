// Command rcteval evaluates randomised labour-market trials week by week.
package main

import (
	"fmt"
	"os"
)

func main() {
	cmd := newRootCmd(os.Stdout, os.Stderr)
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "rcteval:", err)
		os.Exit(1)
	}
}
