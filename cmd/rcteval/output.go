package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

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

// sideBySide runs the writers on every core, taking them in turn, each
// logging to a buffer of its own, then logs their lines in the writers'
// order, up to the first that failed, and returns its error. A panic in a
// writer is raised again here.
func (w output) sideBySide(writers ...func(output) error) error {
	logs := make([]bytes.Buffer, len(writers))
	errs := make([]error, len(writers))
	crashes := make([]any, len(writers))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(writers)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(writers); i = int(next.Add(1) - 1) {
				func() {
					defer func() { crashes[i] = recover() }()
					errs[i] = writers[i](output{w.tmp, w.dir, &logs[i]})
				}()
			}
		})
	}
	wg.Wait()
	for i := range writers {
		if crashes[i] != nil {
			panic(crashes[i])
		}
		w.log.Write(logs[i].Bytes())
		if errs[i] != nil {
			return errs[i]
		}
	}
	return nil
}
