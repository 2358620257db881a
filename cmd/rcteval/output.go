package main

import (
	"fmt"
	"io"
	"path/filepath"

	"rcteval/reports"
)

// output is a run's output set being written: files go into a temporary
// folder that replaces dir as a whole when every file is written.
type output struct {
	tmp, dir string
	log      io.Writer
}

// writeOutputSet writes the files of fill into dir as one set.
func writeOutputSet(log io.Writer, dir string, fill func(output) error) error {
	return reports.WriteOutputSet(dir, func(tmp string) error { return fill(output{tmp, dir, log}) })
}

// file writes one file of the set; name may contain a sub-folder.
func (w output) file(name string, write func(path string) error) error {
	if err := write(filepath.Join(w.tmp, name)); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Join(w.dir, name), err)
	}
	fmt.Fprintf(w.log, "wrote %s\n", filepath.Join(w.dir, name))
	return nil
}
