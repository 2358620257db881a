package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcteval/internal/demotest"
	"rcteval/pipeline/analysis"
	"rcteval/reports"
)

var (
	demoOnce sync.Once
	demoPub  *reports.Published
	demoErr  error
)

// demo is the embedded demo trial's published results, as rcteval report
// would write them, with a Windows path among the inputs.
func demo(t *testing.T) *reports.Published {
	t.Helper()
	demoOnce.Do(func() {
		var d *analysis.Disclosed
		if d, demoErr = demotest.Disclosed(); demoErr != nil {
			return
		}
		demoPub = &reports.Published{Trial: "JobFirst demo", Kind: reports.Midterm, WarnAtRisk: 0.5, Results: d,
			Titles: map[reports.Lang]map[string]string{reports.Danish: {"hours": "Ordinære timer"}},
			Provenance: reports.Provenance{Version: "v9.9.9", GoVersion: "go1.26", Inputs: []reports.Fingerprint{
				{Role: "assignment", Path: `C:\Data\Sikker\tildeling.csv`, SHA256: strings.Repeat("ab", 32), Bytes: 1234},
				{Role: "weeks", Path: "/srv/secure/uger.csv", SHA256: strings.Repeat("cd", 32), Bytes: 56789}}}}
	})
	require.NoError(t, demoErr)
	return demoPub
}

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(Handler([]Set{{ID: "midterm", Published: demo(t)}}))
	t.Cleanup(srv.Close)
	return srv
}

// get fetches path and returns the status, the headers and the body.
func get(t *testing.T, srv *httptest.Server, path string) (int, http.Header, []byte) {
	t.Helper()
	res, err := srv.Client().Get(srv.URL + path)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, res.Header, b
}

func TestPageAndAssets(t *testing.T) {
	srv := newServer(t)
	for path, want := range map[string]string{"/": "text/html", "/app.js": "text/javascript", "/app.css": "text/css"} {
		status, h, body := get(t, srv, path)
		assert.Equal(t, http.StatusOK, status, path)
		assert.Contains(t, h.Get("Content-Type"), want, path)
		assert.Contains(t, h.Get("Content-Security-Policy"), "default-src 'self'", path)
		assert.NotEmpty(t, body)
	}
	_, _, html := get(t, srv, "/")
	assert.Contains(t, string(html), `<script src="app.js"`)
	assert.NotContains(t, string(html), "http://", "nothing fetched from the network")
	assert.NotContains(t, string(html), "https://")
}

func TestSets(t *testing.T) {
	srv := newServer(t)
	status, h, body := get(t, srv, "/api/sets?lang=en")
	require.Equal(t, http.StatusOK, status, string(body))
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	var got setsJSON
	require.NoError(t, json.Unmarshal(body, &got))
	require.Len(t, got.Sets, 1)
	s := got.Sets[0]
	assert.Equal(t, "midterm", s.ID)
	assert.Equal(t, "Effect evaluation: JobFirst demo", s.Brief.Title)
	require.NotEmpty(t, s.Brief.Headline)
	assert.Contains(t, s.Brief.Headline[0], "treatment group")
	assert.Contains(t, s.Brief.Warning, "50 %", "a midterm's warning")
	assert.Contains(t, s.Brief.Methods, "95 %")
	assert.Contains(t, s.Brief.Methods, "fewer than 5 persons")
	assert.Contains(t, s.Brief.Version, "v9.9.9")
	assert.Equal(t, []inputJSON{{"assignment", "tildeling.csv", strings.Repeat("ab", 32), 1234}, {"weeks", "uger.csv", strings.Repeat("cd", 32), 56789}},
		s.Inputs, "file names only, never where they lay")
	assert.NotContains(t, string(body), "Sikker")
	assert.NotContains(t, string(body), "/srv/")

	d := demo(t).Results
	var want []string
	for _, c := range reports.Charts() {
		if len(c.Outcomes(d)) > 0 {
			want = append(want, c.Name)
		}
	}
	var names []string
	for _, c := range s.Charts {
		names = append(names, c.Name)
		if c.Name == "effect" {
			assert.Contains(t, c.Outcomes, "hours")
			assert.True(t, c.Weekly)
		}
		assert.NotContains(t, c.Description, "--", "no command-line flags on the page")
		if c.Name == "forest" {
			assert.Equal(t, []int{13, 26, 35}, c.Weeks["hours"], "the landmarks followed")
		} else {
			assert.Nil(t, c.Weeks)
		}
		if c.Name == "balance" {
			assert.Empty(t, c.Outcomes)
			assert.False(t, c.Weekly)
		}
	}
	assert.Equal(t, want, names, "every chart the results can draw")
	assert.Equal(t, 0, s.Weeks[0])
	assert.Equal(t, d.Trial().FollowUpWeeks-1, s.Weeks[1])

	_, _, da := get(t, srv, "/api/sets")
	assert.Contains(t, string(da), "Ordinære timer", "Danish by default, with the spec's titles")
	assert.Contains(t, string(da), "deltagergruppen")
}

// A chart from the page is the chart rcteval chart draws, byte for byte.
func TestChartIsTheHouseChart(t *testing.T) {
	srv := newServer(t)
	status, h, body := get(t, srv, "/api/chart?chart=effect&outcome=hours&from=5&to=30&lang=en&band=0&format=svg")
	require.Equal(t, http.StatusOK, status, string(body))
	assert.Equal(t, "image/svg+xml", h.Get("Content-Type"))
	assert.Empty(t, h.Get("Content-Disposition"))
	opts := demo(t).ChartOptions(reports.English)
	opts.Outcome, opts.FromWeek, opts.ToWeek, opts.HideBand = "hours", 5, 30, true
	fig, err := reports.BuildChart("effect", opts)
	require.NoError(t, err)
	want, err := fig.Encode("svg")
	require.NoError(t, err)
	assert.True(t, bytes.Equal(want, body), "the same SVG as reports.BuildChart")

	_, _, again := get(t, srv, "/api/chart?chart=effect&outcome=hours&from=5&to=30&lang=en&band=0&format=svg")
	assert.Equal(t, body, again)
	_, _, withBand := get(t, srv, "/api/chart?chart=effect&outcome=hours&from=5&to=30&lang=en&format=svg")
	assert.NotEqual(t, body, withBand, "band=0 hides the band")
	_, _, danish := get(t, srv, "/api/chart?chart=effect&outcome=hours&from=5&to=30&band=0&format=svg")
	assert.NotEqual(t, body, danish)
	assert.Contains(t, string(danish), "Ordinære timer")
}

func TestChartFormatsAndDownload(t *testing.T) {
	srv := newServer(t)
	for _, c := range []struct{ format, magic, ctype string }{
		{"png", "\x89PNG", "image/png"}, {"svg", "<?xml", "image/svg+xml"}, {"pdf", "%PDF", "application/pdf"},
	} {
		status, h, body := get(t, srv, "/api/chart?chart=fig5_hours&width=12&height=8&download=1&lang=en&format="+c.format)
		require.Equal(t, http.StatusOK, status, string(body))
		assert.Equal(t, c.ctype, h.Get("Content-Type"))
		assert.True(t, bytes.HasPrefix(body, []byte(c.magic)), c.format)
		assert.Equal(t, fmt.Sprintf(`attachment; filename="fig5_hours_en.%s"`, c.format), h.Get("Content-Disposition"))
		if c.format == "png" {
			img, err := png.Decode(bytes.NewReader(body))
			require.NoError(t, err)
			px := func(cm float64) int { return int(math.Round(cm / 2.54 * reports.PNGDPI)) }
			assert.InDelta(t, px(12), img.Bounds().Dx(), 1)
			assert.InDelta(t, px(8), img.Bounds().Dy(), 1)
		}
	}
	// The default size is the chart's own: a forest plot grows with its rows.
	_, _, body := get(t, srv, "/api/chart?chart=forest&outcome=hours&format=png")
	img, err := png.Decode(bytes.NewReader(body))
	require.NoError(t, err)
	assert.Greater(t, img.Bounds().Dy(), int(math.Round(10/2.54*reports.PNGDPI)))
}

func TestTable(t *testing.T) {
	srv := newServer(t)
	status, h, body := get(t, srv, "/api/table?chart=effect&outcome=employed&from=10&to=12&format=csv&download=1")
	require.Equal(t, http.StatusOK, status, string(body))
	assert.Equal(t, "text/csv; charset=utf-8", h.Get("Content-Type"))
	assert.Equal(t, `attachment; filename="effect_employed_effects.csv"`, h.Get("Content-Disposition"))
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	require.Len(t, lines, 4, "the header and weeks 10 to 12")
	assert.True(t, strings.HasPrefix(lines[0], "outcome,week,n_treatment"))
	for i, l := range lines[1:] {
		assert.True(t, strings.HasPrefix(l, fmt.Sprintf("employed,%d,", 10+i)), l)
	}
	// The CSV's numbers are the published ones, every digit.
	var row analysis.Effect
	for _, e := range demo(t).Results.OutcomeEffects("employed") {
		if e.Week == 10 {
			row = e
		}
	}
	assert.Contains(t, lines[1], fmt.Sprintf(",%s,", formatG(row.Estimate.Estimate)))

	_, _, tsv := get(t, srv, "/api/table?chart=effect&outcome=employed&from=10&to=10&format=tsv&lang=da")
	fields := strings.Split(strings.Split(string(tsv), "\n")[1], "\t")
	assert.Equal(t, strings.Replace(fmt.Sprintf("%.3f", row.Estimate.Estimate), ".", ",", 1), fields[6], "Danish decimal comma, three decimals")

	status, h, xlsx := get(t, srv, "/api/table?chart=balance&format=xlsx")
	require.Equal(t, http.StatusOK, status)
	assert.True(t, bytes.HasPrefix(xlsx, []byte("PK")), "an XLSX is a zip")
	assert.Contains(t, h.Get("Content-Type"), "spreadsheetml")

	// A forest plot's table is its week's subgroups.
	_, _, forest := get(t, srv, "/api/table?chart=forest&outcome=hours&week=26&format=csv")
	for _, l := range strings.Split(strings.TrimSpace(string(forest)), "\n")[1:] {
		assert.Contains(t, l, ",hours,26,")
	}
}

func formatG(f float64) string { return fmt.Sprint(f) }

// Every bad request gets a 4xx and a reason, never a panic or a file.
func TestBadRequests(t *testing.T) {
	srv := newServer(t)
	for _, c := range []struct {
		path   string
		status int
		says   string
	}{
		{"/api/chart?chart=nope", 404, `unknown chart "nope"`},
		{"/api/chart", 400, "name the chart"},
		{"/api/chart?chart=fig5_hours&set=final", 404, `no results "final"`},
		{"/api/chart?chart=effect", 400, "needs an outcome"},
		{"/api/chart?chart=effect&outcome=salary", 400, `outcome "salary"`},
		{"/api/chart?chart=fig5_hours&outcome=employed", 400, "takes no outcome"},
		{"/api/chart?chart=fig5_hours&from=500", 400, "the results end at week"},
		{"/api/chart?chart=fig5_hours&from=abc", 400, `from="abc": expected a whole number`},
		{"/api/chart?chart=fig5_hours&from=-3", 400, "expected a whole number from 0"},
		{"/api/chart?chart=fig5_hours&from=20&to=10", 400, "comes after the last"},
		{"/api/chart?chart=fig5_hours&width=1000", 400, "width"},
		{"/api/chart?chart=fig5_hours&width=NaN", 400, "width"},
		{"/api/chart?chart=fig5_hours&format=gif", 400, "expected one of png, svg, pdf"},
		{"/api/chart?chart=fig5_hours&lang=fr", 400, "expected one of da, en"},
		{"/api/chart?chart=fig5_hours&ci=maybe", 400, "expected 1 or 0"},
		{"/api/chart?chart=fig5_hours&colour=red", 400, `unknown parameter "colour"`},
		{"/api/chart?chart=fig5_hours&chart=fig6_employed", 400, "given 2 times"},
		{"/api/chart?chart=fig5_hours&from=%zz", 400, "malformed query"},
		{"/api/chart?chart=forest&outcome=hours&week=3", 400, "week"},
		{"/api/table?chart=fig5_hours&format=png", 400, "expected one of csv, xlsx, tsv"},
		{"/api/sets?lang=de", 400, "expected one of da, en"},
		{"/api/sets?x=1", 400, "unknown parameter"},
		{"/app.js?v=2", 400, "takes no parameters"},
		{"/../../etc/passwd", 400, "no such page"},
		{"/api/../published.json", 400, "no such page"},
		{"/%2e%2e/%2e%2e/etc/passwd", 400, "no such page"},
		{"/published.json", 404, ""},
		{"/api/nothing", 404, ""},
		{"/page/index.html", 404, ""},
	} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
		require.NoError(t, err)
		req.URL.Opaque = c.path // sent as written: no client-side cleaning of ../
		res, err := srv.Client().Do(req)
		require.NoError(t, err, c.path)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		assert.Equal(t, c.status, res.StatusCode, "%s: %s", c.path, body)
		assert.Contains(t, string(body), c.says, c.path)
		assert.NotContains(t, string(body), "goroutine", c.path)
	}
	res, err := srv.Client().Post(srv.URL+"/api/chart?chart=fig5_hours", "text/plain", strings.NewReader("x"))
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	assert.Equal(t, "GET, HEAD", res.Header.Get("Allow"))
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a", "out"), filepath.Join(dir, "b", "out")
	for _, d := range []string{a, b} {
		require.NoError(t, os.MkdirAll(d, 0o755))
		require.NoError(t, reports.WritePublished(filepath.Join(d, reports.PublishedFile), demo(t)))
	}
	sets, err := Open([]string{a, filepath.Join(b, reports.PublishedFile)})
	require.NoError(t, err)
	assert.Equal(t, []string{"out", "out-2"}, []string{sets[0].ID, sets[1].ID}, "ids made unique; a published file named is its folder")
	assert.Equal(t, demo(t).Trial, sets[0].Published.Trial)

	_, err = Open([]string{filepath.Join(dir, "nothing")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "holds no published results")
	_, err = Open(nil)
	assert.ErrorContains(t, err, "no results folder")

	assert.Equal(t, "results", idOf(".."))
	assert.Equal(t, "midt_vej", idOf("/x/midt vej"))
}

// The load check of the issue: 200 chart requests from 8 goroutines, in
// every format, complete without error; the p95 latency is printed.
func TestLoadCheck(t *testing.T) {
	srv := newServer(t)
	d := demo(t).Results
	var paths []string
	for _, c := range reports.Charts() {
		for _, o := range c.Outcomes(d) {
			paths = append(paths, fmt.Sprintf("/api/chart?chart=%s&outcome=%s", c.Name, o))
		}
	}
	const requests, workers = 200, 8
	formats := []string{"svg", "svg", "svg", "svg", "svg", "svg", "svg", "svg", "png", "pdf"}
	latencies := make([]time.Duration, requests)
	errs := make(chan error, requests)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				url := fmt.Sprintf("%s%s&lang=%s&format=%s", srv.URL, paths[i%len(paths)], []string{"da", "en"}[i%2], formats[i%len(formats)])
				start := time.Now()
				res, err := srv.Client().Get(url)
				if err != nil {
					errs <- err
					continue
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				latencies[i] = time.Since(start)
				if err != nil || res.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("%s: status %d, %v", url, res.StatusCode, err)
				}
			}
		})
	}
	for i := range requests {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	t.Logf("%d chart requests from %d goroutines: median %v, p95 %v, max %v", requests, workers,
		latencies[requests/2].Round(time.Millisecond), latencies[requests*95/100-1].Round(time.Millisecond), latencies[requests-1].Round(time.Millisecond))
	assert.True(t, slices.IsSorted(latencies))
}
