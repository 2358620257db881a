package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"rcteval/reports/serve"
)

// serveOptions are the flags of rcteval serve.
type serveOptions struct {
	Results []string
	Addr    string
	Public  bool
	Open    bool
	// AllowUndisclosed serves results made without disclosure control
	// (--min-cell 0), for an evaluator inside the secure environment.
	AllowUndisclosed bool
}

func newServeCmd() *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve --results DIR [--results DIR2 …] [--addr 127.0.0.1:8080]",
		Short: "Serve a page on which anyone can draw the charts of published results (no microdata)",
		Long: `Serve a local web page over the published results of earlier "rcteval report"
runs (each folder's published.json): pick a chart, the outcome, the weeks and
the language, see it at once, download it as PNG, SVG or PDF at a chosen size,
and copy or download the table behind it. Under each chart the page shows the
trial's headline numbers, the methods line and the fingerprints of the inputs.

The page reads nothing but the published results, which have been through
disclosure control; it needs no network and no other program than a browser.
It listens on this computer only (127.0.0.1) unless --public is given.
--open opens the page in the default browser. Ctrl+C stops it.`,
		Example: `  rcteval serve --results out/jobfirst --open
  rcteval serve --results out/midterm --results out/final --addr 127.0.0.1:9000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return runServe(ctx, o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.Results, "results", nil, "results folder written by rcteval report (repeat to serve several)")
	f.StringVar(&o.Addr, "addr", "127.0.0.1:8080", "address to listen on (port 0: any free port)")
	f.BoolVar(&o.Open, "open", false, "open the page in the default browser")
	f.BoolVar(&o.AllowUndisclosed, "allow-undisclosed", false, "also serve results made without disclosure control (--min-cell 0); the page then says so on every chart")
	f.BoolVar(&o.Public, "public", false, "allow an address other computers can reach (the page is then open to anyone on the network)")
	cmd.MarkFlagRequired("results")
	return cmd
}

// browserCommand is the command that opens url in the default browser on
// goos.
func browserCommand(goos, url string) []string {
	switch goos {
	case "windows":
		return []string{"rundll32", "url.dll,FileProtocolHandler", url}
	case "darwin":
		return []string{"open", url}
	}
	return []string{"xdg-open", url}
}

// loopback says whether addr's host can be reached from this computer
// only.
func loopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("--addr %q: expected HOST:PORT, such as 127.0.0.1:8080", addr)
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}

// runServe serves until ctx is done; it writes the page's address to out
// once it listens.
func runServe(ctx context.Context, o *serveOptions, out, log io.Writer) error {
	local, err := loopback(o.Addr)
	if err != nil {
		return err
	}
	if !local && !o.Public {
		return fmt.Errorf("--addr %s can be reached from other computers; the page shows published results only, but if that is what you want, add --public", o.Addr)
	}
	sets, err := serve.Open(o.Results)
	if err != nil {
		return err
	}
	for _, s := range sets {
		if s.Published.Results.Plan().MinCell > 0 {
			continue
		}
		if !o.AllowUndisclosed {
			return fmt.Errorf("%s was made without disclosure control (--min-cell 0): the page serves disclosed results only; rerun rcteval report with --min-cell 5, or add --allow-undisclosed to look at it yourself", s.Dir)
		}
		fmt.Fprintf(log, "warning: %s was made without disclosure control (--min-cell 0); do not share the page or its charts\n", s.Dir)
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w (is another program using the port? try --addr 127.0.0.1:0)", o.Addr, err)
	}
	if !local {
		fmt.Fprintf(log, "warning: listening on %s: anyone who can reach this computer can open the page\n", ln.Addr())
	}
	srv := &http.Server{Handler: serve.Handler(sets), ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 2 * time.Minute}
	url := fmt.Sprintf("http://%s/", ln.Addr())
	fmt.Fprintf(out, "serving %d results folder(s) at %s — open it in a browser; Ctrl+C stops\n", len(sets), url)
	if o.Open {
		args := browserCommand(runtime.GOOS, url)
		if c := exec.Command(args[0], args[1:]...); c.Start() != nil {
			fmt.Fprintf(log, "could not open a browser: open %s yourself\n", url)
		} else {
			go c.Wait() // reaps the opener, which exits at once
		}
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shut); err != nil {
			return err
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
