package main

import (
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/reports"
)

// browserNames are the programs the browser test looks for in PATH, in
// order: Debian's package chromium installs the first.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome"}

// findBrowser returns the path of an installed Chromium or Chrome, or "".
func findBrowser() string {
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestServeInBrowser uses the chart page as a person does, in headless
// Chromium: it picks a chart, changes the language, sets a size and
// downloads the PNG behind the page's own link, and makes a bad choice.
// With RCTEVAL_SCREENSHOTS=DIR it also saves screenshots of the page in
// DIR (serve-da.png, serve-en-forest.png), which the README shows:
//
//	RCTEVAL_SCREENSHOTS=$PWD/docs/img go test -run TestServeInBrowser ./cmd/rcteval
func TestServeInBrowser(t *testing.T) {
	shots := os.Getenv("RCTEVAL_SCREENSHOTS")
	if shots == "" {
		t.Parallel() // screenshots change the working folder, below
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	browser := findBrowser()
	if browser == "" {
		t.Skipf("no Chromium or Chrome found in PATH (looked for %s); install it with: apt-get install chromium", strings.Join(browserNames, ", "))
	}

	// Published results of a midterm and a final report, served together.
	root := t.TempDir()
	midterm, final := filepath.Join(root, "midterm"), filepath.Join(root, "final")
	if shots != "" {
		// The page shows the command that draws its chart, with the results
		// folder as given: for the README, folders named as a user's are.
		abs, err := filepath.Abs(shots)
		require.NoError(t, err)
		shots = abs
		t.Chdir(root)
		midterm, final = filepath.Join("out", "midterm"), filepath.Join("out", "final")
	}
	for _, r := range []struct{ dir, kind string }{{midterm, "midterm"}, {final, "final"}} {
		log, err := run(t, "demo", "--out", r.dir, "--kind", r.kind, "--quiet", "--figures", "none", "--tables", "csv", "--ri-draws", "0")
		require.NoError(t, err, log)
	}
	base := startServe(t, &serveOptions{}, midterm, final)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900))
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(ctx, chromedp.WithErrorf(t.Logf))
	defer cancelTab()
	p := &pageDriver{t: t, ctx: ctx}

	// The page opens in Danish with the first results folder's first chart.
	p.do(chromedp.Navigate(base))
	p.waitChart("")
	assert.Equal(t, "da", p.eval(`document.documentElement.lang`))
	assert.Equal(t, []any{"midterm", "final"}, p.evalAny(`[...document.getElementById("set").options].map(o => o.value)`), "both results folders are offered")
	assert.Equal(t, false, p.evalAny(`document.getElementById("set-row").hidden`), "the results list is shown when there are two")

	// Figure 5 in Danish.
	p.choose("chart", "fig5_hours")
	assert.Contains(t, p.eval(`document.getElementById("brief").textContent`), "deltagergruppen")
	assert.Contains(t, p.eval(`location.hash`), "chart=fig5_hours", "the choice is kept in the address")
	p.screenshot(shots, "serve-da.png")

	// Another chart through the list.
	p.choose("chart", "fig6_employed")
	assert.Equal(t, "fig6_employed", p.eval(`document.getElementById("chart").value`))

	// English: the words of the page and the results' own text change,
	// the chart stays and is drawn again.
	old := p.eval(`document.getElementById("chart-img").src`)
	p.do(chromedp.Click(chromedp.CSS("#lang-en")))
	p.wait("the page in English", `document.documentElement.lang === "en" && document.getElementById("brief").textContent.includes("treatment group")`)
	p.waitChart(old)
	assert.Equal(t, "rcteval – charts", p.eval(`document.title`))
	assert.Equal(t, "fig6_employed", p.eval(`document.getElementById("chart").value`), "the chosen chart survives the change of language")
	assert.Contains(t, p.eval(`location.hash`), "lang=en")
	assert.Contains(t, p.eval(`document.getElementById("figure").textContent`), "Method", "the methods line is under the chart")
	assert.Contains(t, p.eval(`document.getElementById("provenance").textContent`), "SHA-256", "the input fingerprints are under the chart")

	// A size of 12 × 8 cm, then the PNG behind the page's own link: it must
	// be a PNG of 12 × 8 cm at reports.PNGDPI.
	old = p.eval(`document.getElementById("chart-img").src`)
	p.input("width", "12")
	p.input("height", "8")
	href := p.waitValue("the download link with the size", `(() => { const h = document.getElementById("get-png").href; return h.includes("width=12") && h.includes("height=8") ? h : ""; })()`)
	checkDownloadedPNG(t, href, 12, 8)
	p.waitChart(old) // the page shows the chart at that size too
	old = p.eval(`document.getElementById("chart-img").src`)
	p.input("width", "")
	p.input("height", "")
	p.waitChart(old)

	// A week beyond the results: a message, in place of the chart.
	p.input("from", "500")
	msg := p.waitValue("the message about week 500", `(() => { const e = document.getElementById("error"); return !e.hidden && e.offsetHeight > 0 ? e.textContent : ""; })()`)
	assert.Regexp(t, `(?i)week|uge`, msg)
	assert.Equal(t, true, p.evalAny(`document.getElementById("figure").hidden`), "no stale chart beside the message")
	// Clearing the field brings the chart back and the message goes.
	old = p.eval(`document.getElementById("chart-img").src`)
	p.input("from", "")
	p.waitChart(old)

	// The forest plot of the final report, in English.
	p.choose("set", "final")
	p.choose("chart", "forest")
	p.choose("outcome", "hours")
	assert.Contains(t, p.eval(`location.hash`), "set=final")
	assert.Equal(t, false, p.evalAny(`document.getElementById("week-row").hidden`), "the forest plot asks for its week")
	assert.Equal(t, true, p.evalAny(`document.getElementById("weeks-row").hidden`), "the forest plot has no week range")
	p.screenshot(shots, "serve-en-forest.png")
}

// checkDownloadedPNG fetches href, a chart's download link, and checks it
// is an attached PNG of width × height cm at reports.PNGDPI (±1 pixel for
// rounding).
func checkDownloadedPNG(t *testing.T, href string, widthCM, heightCM float64) {
	t.Helper()
	u, err := url.Parse(href)
	require.NoError(t, err)
	assert.Equal(t, "png", u.Query().Get("format"))
	assert.Equal(t, "1", u.Query().Get("download"))
	resp, err := http.Get(href)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "image/png", resp.Header.Get("Content-Type"))
	assert.Regexp(t, `^attachment; filename=".+\.png"$`, resp.Header.Get("Content-Disposition"))
	img, err := png.Decode(resp.Body)
	require.NoError(t, err, "the download is a valid PNG")
	px := func(cm float64) float64 { return math.Round(cm / 2.54 * reports.PNGDPI) }
	size := img.Bounds().Size()
	assert.InDelta(t, px(widthCM), size.X, 1, "width of a %g cm PNG at %d dpi", widthCM, reports.PNGDPI)
	assert.InDelta(t, px(heightCM), size.Y, 1, "height of a %g cm PNG at %d dpi", heightCM, reports.PNGDPI)
}

// pageDriver runs steps in one browser tab and fails the test, with what
// the page shows, when a step fails.
type pageDriver struct {
	t   *testing.T
	ctx context.Context
}

// pageState is what the page shows, for a failure's message.
const pageState = `JSON.stringify({hash: location.hash, error: document.getElementById("error").hidden ? "" : document.getElementById("error").textContent, img: document.getElementById("chart-img").src, width: document.getElementById("chart-img").naturalWidth})`

func (p *pageDriver) fail(what string, err error) {
	p.t.Helper()
	state, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](pageState))
	p.t.Fatalf("%s: %v\npage: %s", what, err, state)
}

func (p *pageDriver) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.fail("browser", err)
	}
}

func (p *pageDriver) eval(js string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		p.fail(js, err)
	}
	return v
}

func (p *pageDriver) evalAny(js string) any {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[any](js))
	if err != nil {
		p.fail(js, err)
	}
	return v
}

// waitValue waits up to 15 s for the expression js to be truthy and
// returns its value.
func (p *pageDriver) waitValue(what, js string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Poll[string](js, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		p.fail("waiting for "+what, err)
	}
	return v
}

func (p *pageDriver) wait(what, js string) {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[any](js, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		p.fail("waiting for "+what, err)
	}
}

// waitChart waits for a chart other than the image old to be shown,
// loaded, with no message.
func (p *pageDriver) waitChart(old string) {
	p.t.Helper()
	p.wait("the chart", fmt.Sprintf(`(() => {
		const img = document.getElementById("chart-img");
		return img.src !== "" && img.src !== %s && img.complete && img.naturalWidth > 0 &&
			document.getElementById("error").hidden && !document.getElementById("figure").hidden;
	})()`, jsString(old)))
}

// choose picks value in the list id as a person does (a change event),
// and waits for the chart drawn for it.
func (p *pageDriver) choose(id, value string) {
	p.t.Helper()
	old := p.eval(`document.getElementById("chart-img").src`)
	got := p.eval(fmt.Sprintf(`(() => {
		const e = document.getElementById(%s);
		e.value = %s;
		e.dispatchEvent(new Event("change", {bubbles: true}));
		return e.value;
	})()`, jsString(id), jsString(value)))
	require.Equal(p.t, value, got, "#%s offers %q", id, value)
	p.waitChart(old)
}

// input types value into the field id (an input event, as typing makes).
func (p *pageDriver) input(id, value string) {
	p.t.Helper()
	p.eval(fmt.Sprintf(`(() => {
		const e = document.getElementById(%s);
		e.value = %s;
		e.dispatchEvent(new Event("input", {bubbles: true}));
		return e.value;
	})()`, jsString(id), jsString(value)))
}

// screenshot saves the whole page as DIR/name when DIR is set.
func (p *pageDriver) screenshot(dir, name string) {
	p.t.Helper()
	if dir == "" {
		return
	}
	b, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.fail("screenshot", err)
	}
	require.NoError(p.t, os.MkdirAll(dir, 0o755))
	require.NoError(p.t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	p.t.Logf("wrote %s (%d bytes)", filepath.Join(dir, name), len(b))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
