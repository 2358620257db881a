package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedBuffer is an io.Writer that a test can read while a server writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs rcteval serve over dirs on a free loopback port until
// the test ends, and returns the page's address.
func startServe(t *testing.T, o *serveOptions, dirs ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, log lockedBuffer
	done := make(chan error, 1)
	o.Results, o.Addr = dirs, "127.0.0.1:0"
	go func() { done <- runServe(ctx, o, &out, &log) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err, "rcteval serve stops cleanly")
		case <-time.After(10 * time.Second):
			t.Error("rcteval serve did not stop")
		}
	})
	address := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("rcteval serve stopped: %v\n%s", err, log.String())
		default:
		}
		if url := address.FindString(out.String()); url != "" {
			if !o.AllowUndisclosed {
				assert.Empty(t, log.String(), "no warning on the loopback address")
			}
			return url
		}
	}
	t.Fatal("rcteval serve printed no address")
	return ""
}

// serveDemo serves the demo's published results in dir and reads them back.
func serveDemo(t *testing.T, dir string) {
	url := startServe(t, &serveOptions{}, dir)
	res, err := http.Get(url + "api/sets?lang=en")
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	var sets struct {
		Sets []struct {
			Brief struct{ Title string }
		}
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&sets))
	require.Len(t, sets.Sets, 1)
	assert.Equal(t, "Effect evaluation: JobFirst demo (simulated)", sets.Sets[0].Brief.Title)
	chart, err := http.Get(url + "api/chart?chart=fig5_hours&format=png")
	require.NoError(t, err)
	b, _ := io.ReadAll(chart.Body)
	chart.Body.Close()
	assert.Equal(t, http.StatusOK, chart.StatusCode)
	assert.True(t, strings.HasPrefix(string(b), "\x89PNG"))
}

func TestServeFlags(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"serve"}, `required flag(s) "results" not set`},
		{[]string{"serve", "--results", dir}, "holds no published results"},
		{[]string{"serve", "--results", dir, "--addr", "0.0.0.0:0"}, "add --public"},
		{[]string{"serve", "--results", dir, "--addr", ":8080"}, "add --public"},
		{[]string{"serve", "--results", dir, "--addr", "8080"}, "expected HOST:PORT"},
		{[]string{"chart", "fig5_hours", "--results", dir}, "holds no published results"},
		{[]string{"chart", "fig5_hours", "--results", dir, "--estimator", "lin"}, "--estimator with --results"},
	} {
		log, err := run(t, c.args...)
		require.Error(t, err, "%v", c.args)
		assert.Contains(t, err.Error()+log, c.says, "%v", c.args)
	}
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "localhost:0": true, "[::1]:80": true, "127.3.4.5:1": true,
		"0.0.0.0:80": false, ":80": false, "192.168.1.4:80": false, "[::]:80": false, "example.org:80": false} {
		got, err := loopback(addr)
		require.NoError(t, err, addr)
		assert.Equal(t, want, got, addr)
	}
}

func TestBrowserCommand(t *testing.T) {
	url := "http://127.0.0.1:8080/"
	assert.Equal(t, []string{"rundll32", "url.dll,FileProtocolHandler", url}, browserCommand("windows", url))
	assert.Equal(t, []string{"open", url}, browserCommand("darwin", url))
	assert.Equal(t, []string{"xdg-open", url}, browserCommand("linux", url))
}
