package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"rcteval/pipeline/ingest"
)

// showAfter is how long a read runs before its progress is shown.
const showAfter = time.Second

// progressWatch returns the ingest.Config.Watch of a command: a progress bar
// on log when it is a terminal, otherwise a plain line at every tenth of the
// way (when the total is known) or every ten seconds; nothing for reads
// shorter than showAfter.
func progressWatch(log io.Writer) func(name, unit string) ingest.Watcher {
	f, ok := log.(*os.File)
	tty := ok && term.IsTerminal(int(f.Fd()))
	return func(name, unit string) ingest.Watcher {
		return &watcher{log: log, tty: tty, name: name, unit: unit, start: time.Now()}
	}
}

type watcher struct {
	log         io.Writer
	tty         bool
	name, unit  string
	start, last time.Time
	bar         *progressbar.ProgressBar
	step        int64 // tenths reported (plain lines)
	total       int64
	shown       bool
}

func (w *watcher) Update(done, total int64) {
	if time.Since(w.start) < showAfter {
		return
	}
	w.shown, w.total = true, total
	if w.tty {
		if w.bar == nil {
			max := total
			if max == 0 {
				max = -1 // a spinner: the length is unknown
			}
			w.bar = progressbar.NewOptions64(max, progressbar.OptionSetWriter(w.log),
				progressbar.OptionSetDescription("reading "+w.name), progressbar.OptionShowBytes(w.unit == "bytes"),
				progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
		}
		w.bar.Set64(done)
		return
	}
	if total > 0 {
		if step := 10 * done / total; step > w.step && step < 10 {
			w.step = step
			fmt.Fprintf(w.log, "reading %s: %d %% (%s of %s)\n", w.name, 10*step, amount(done, w.unit), amount(total, w.unit))
		}
		return
	}
	if time.Since(w.last) >= 10*time.Second {
		w.last = time.Now()
		fmt.Fprintf(w.log, "reading %s: %s\n", w.name, amount(done, w.unit))
	}
}

func (w *watcher) Done() {
	if w.bar != nil {
		w.bar.Finish()
	}
	if w.shown {
		fmt.Fprintf(w.log, "reading %s: done in %.1f s\n", w.name, time.Since(w.start).Seconds())
	}
}

// amount formats a count of bytes in MB, or of rows.
func amount(n int64, unit string) string {
	if unit == "bytes" {
		return fmt.Sprintf("%.0f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%d rows", n)
}
