package serve

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/plot/vg"

	"rcteval/reports"
)

//go:embed page
var page embed.FS

// Set is one results folder served.
type Set struct {
	// ID names the set in URLs: the folder's name, made unique; Dir is
	// the folder as given (the page shows it in the command that draws
	// the same chart).
	ID, Dir   string
	Published *reports.Published
}

// Open reads the published results of each folder, in order; a folder
// without them is an error that says how to make them.
func Open(dirs []string) ([]Set, error) {
	if len(dirs) == 0 {
		return nil, errors.New("no results folder: give --results DIR, a folder written by rcteval report")
	}
	var sets []Set
	seen := map[string]int{}
	for _, dir := range dirs {
		p, err := reports.OpenPublished(dir)
		if err != nil {
			return nil, err
		}
		id := idOf(dir)
		if filepath.Base(dir) == reports.PublishedFile {
			id = idOf(filepath.Dir(dir))
		}
		if seen[id]++; seen[id] > 1 {
			id = fmt.Sprintf("%s-%d", id, seen[id])
		}
		sets = append(sets, Set{ID: id, Dir: dir, Published: p})
	}
	return sets, nil
}

// idOf is a folder's name made safe for a URL.
func idOf(dir string) string {
	name := filepath.Base(filepath.Clean(dir))
	id := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, name)
	if strings.Trim(id, "._") == "" {
		return "results"
	}
	return id
}

// server answers the routes of the package doc over its sets, which it
// only reads: requests are served concurrently.
type server struct {
	sets []Set
}

// Handler serves the chart page over sets.
func Handler(sets []Set) http.Handler {
	s := &server{sets: sets}
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", static("page/index.html", "text/html; charset=utf-8"))
	mux.HandleFunc("/app.js", static("page/app.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("/app.css", static("page/app.css", "text/css; charset=utf-8"))
	mux.HandleFunc("/api/sets", s.handleSets)
	mux.HandleFunc("/api/chart", s.handleChart)
	mux.HandleFunc("/api/table", s.handleTable)
	return guard(mux)
}

// guard allows GET and HEAD only, sets the headers every answer has, and
// turns a panic into a 500 rather than a dropped connection.
func guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				http.Error(w, fmt.Sprintf("internal error: %v (please report it)", v), http.StatusInternalServerError)
			}
		}()
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
		h.Set("Referrer-Policy", "no-referrer")
		if p := r.URL.Path; p != "/" && (path.Clean(p) != p || strings.Contains(r.URL.RawPath, "%")) {
			http.Error(w, fmt.Sprintf("no such page %q: only the page and its /api addresses are served", p), http.StatusBadRequest)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "only GET and HEAD are served", http.StatusMethodNotAllowed)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// static serves an embedded file of the page.
func static(name, contentType string) http.HandlerFunc {
	b, err := page.ReadFile(name)
	if err != nil {
		panic(err) // the page is embedded at build time
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if len(r.URL.Query()) > 0 && name != "page/index.html" {
			http.Error(w, "this file takes no parameters", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(b)
	}
}

// badRequest is a request the server cannot answer: its status and reason.
type badRequest struct {
	status int
	msg    string
}

func (e *badRequest) Error() string { return e.msg }

func bad(format string, args ...any) error {
	return &badRequest{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &badRequest{http.StatusNotFound, fmt.Sprintf(format, args...)}
}

// fail answers with err's status (500 for an error that is not a
// badRequest) and reason as plain text.
func fail(w http.ResponseWriter, err error) {
	var b *badRequest
	if errors.As(err, &b) {
		http.Error(w, b.msg, b.status)
		return
	}
	http.Error(w, "internal error: "+err.Error(), http.StatusInternalServerError)
}

// query reads a request's parameters: each known at most once, no
// parameter it does not know.
type query struct {
	v   url.Values
	err error
}

func readQuery(r *http.Request, known ...string) (*query, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, bad("malformed query: %v", err)
	}
	for k, vals := range v {
		if !slices.Contains(known, k) {
			return nil, bad("unknown parameter %q; this address takes %s", k, strings.Join(known, ", "))
		}
		if len(vals) > 1 {
			return nil, bad("parameter %q given %d times; give it once", k, len(vals))
		}
	}
	return &query{v: v}, nil
}

func (q *query) str(k string) string { return q.v.Get(k) }

// int reads a whole number in [lo, hi]; def when absent.
func (q *query) int(k string, def, lo, hi int) int {
	s := q.v.Get(k)
	if s == "" || q.err != nil {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		q.err = bad("%s=%q: expected a whole number from %d to %d", k, s, lo, hi)
		return def
	}
	return n
}

// float reads a number in [lo, hi]; def when absent.
func (q *query) float(k string, def, lo, hi float64) float64 {
	s := q.v.Get(k)
	if s == "" || q.err != nil {
		return def
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || f < lo || f > hi {
		q.err = bad("%s=%q: expected a number from %g to %g", k, s, lo, hi)
		return def
	}
	return f
}

// bool reads 1/0 or true/false; def when absent.
func (q *query) bool(k string, def bool) bool {
	s := q.v.Get(k)
	if s == "" || q.err != nil {
		return def
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.err = bad("%s=%q: expected 1 or 0", k, s)
		return def
	}
	return b
}

// oneOf reads a value from a list; the first when absent.
func (q *query) oneOf(k string, allowed ...string) string {
	s := q.v.Get(k)
	if s == "" || q.err != nil {
		return allowed[0]
	}
	if !slices.Contains(allowed, s) {
		q.err = bad("%s=%q: expected one of %s", k, s, strings.Join(allowed, ", "))
		return allowed[0]
	}
	return s
}

func (q *query) lang() reports.Lang { return reports.Lang(q.oneOf("lang", "da", "en")) }

// set finds the set a request names (the first when it names none).
func (s *server) set(q *query) (*Set, error) {
	id := q.str("set")
	if id == "" {
		return &s.sets[0], nil
	}
	for i := range s.sets {
		if s.sets[i].ID == id {
			return &s.sets[i], nil
		}
	}
	ids := make([]string, len(s.sets))
	for i, st := range s.sets {
		ids[i] = st.ID
	}
	return nil, notFound("no results %q here; these are served: %s", id, strings.Join(ids, ", "))
}

// chartParams are the parameters of /api/chart and /api/table.
var chartParams = []string{"set", "chart", "outcome", "from", "to", "week", "lang", "ci", "band", "width", "height", "format", "download"}

// chartRequest is a request of /api/chart or /api/table: the chart, how
// to draw it, the format and whether to send it as a file to save.
type chartRequest struct {
	name     string
	opts     reports.ChartOptions
	format   string
	download bool
}

// readChartRequest reads a chart request; formats lists the formats the
// route offers, its default first.
func (s *server) readChartRequest(r *http.Request, formats ...string) (*chartRequest, error) {
	q, err := readQuery(r, chartParams...)
	if err != nil {
		return nil, err
	}
	set, err := s.set(q)
	if err != nil {
		return nil, err
	}
	c := &chartRequest{name: q.str("chart")}
	if c.name == "" {
		return nil, bad("name the chart: chart=NAME (/api/sets lists them)")
	}
	if !slices.ContainsFunc(reports.Charts(), func(info reports.ChartInfo) bool { return info.Name == c.name }) {
		_, err := reports.BuildChart(c.name, reports.ChartOptions{})
		return nil, notFound("%v", err)
	}
	o := set.Published.ChartOptions(q.lang())
	o.Outcome = q.str("outcome")
	o.FromWeek = q.int("from", 0, 0, 10000)
	o.ToWeek = q.int("to", 0, 0, 10000)
	o.Week = q.int("week", 0, 0, 10000)
	o.HideCI = !q.bool("ci", true)
	o.HideBand = !q.bool("band", true)
	// 0: the chart's own size (16 × 10 cm, taller for long plots).
	o.Width = vg.Length(q.float("width", 0, 4, 60)) * vg.Centimeter
	o.Height = vg.Length(q.float("height", 0, 3, 60)) * vg.Centimeter
	c.opts = o
	c.format = q.oneOf("format", formats...)
	c.download = q.bool("download", false)
	if q.err != nil {
		return nil, q.err
	}
	if o.ToWeek > 0 && o.ToWeek < o.FromWeek {
		return nil, bad("from=%d to=%d: the first week comes after the last", o.FromWeek, o.ToWeek)
	}
	return c, nil
}

var contentTypes = map[string]string{
	"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
	"csv": "text/csv; charset=utf-8", "tsv": "text/plain; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// send writes b as format, as a file to save when download.
func send(w http.ResponseWriter, b []byte, format, file string, download bool) {
	h := w.Header()
	h.Set("Content-Type", contentTypes[format])
	h.Set("Cache-Control", "no-cache")
	if download {
		h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", file))
	}
	w.Write(b)
}

func (s *server) handleChart(w http.ResponseWriter, r *http.Request) {
	c, err := s.readChartRequest(r, "png", "svg", "pdf")
	if err != nil {
		fail(w, err)
		return
	}
	fig, err := reports.BuildChart(c.name, c.opts)
	if err != nil {
		fail(w, bad("%v", err))
		return
	}
	b, err := fig.Encode(c.format)
	if err != nil {
		fail(w, err)
		return
	}
	send(w, b, c.format, fmt.Sprintf("%s_%s.%s", fig.Name, c.opts.Lang, c.format), c.download)
}

func (s *server) handleTable(w http.ResponseWriter, r *http.Request) {
	c, err := s.readChartRequest(r, "csv", "xlsx", "tsv")
	if err != nil {
		fail(w, err)
		return
	}
	t, err := reports.ChartTable(c.name, c.opts)
	if err != nil {
		fail(w, bad("%v", err))
		return
	}
	var b []byte
	switch c.format {
	case "csv":
		var buf bytes.Buffer
		err = reports.EncodeCSV(&buf, t)
		b = buf.Bytes()
	case "xlsx":
		b, err = reports.XLSX([]*reports.DataTable{t})
	case "tsv":
		b = []byte(reports.TableText(t, c.opts.Lang))
	}
	if err != nil {
		fail(w, err)
		return
	}
	file := c.name
	if c.opts.Outcome != "" {
		file += "_" + c.opts.Outcome
	}
	send(w, b, c.format, fmt.Sprintf("%s_%s.%s", file, t.Name, c.format), c.download)
}

// The answer of /api/sets.
type setsJSON struct {
	Sets []setJSON `json:"sets"`
}

type setJSON struct {
	ID       string        `json:"id"`
	Dir      string        `json:"dir"`
	Brief    reports.Brief `json:"brief"`
	Charts   []chartJSON   `json:"charts"`
	Weeks    [2]int        `json:"weeks"` // the first and last week estimated
	Outcomes []outcomeJSON `json:"outcomes"`
	Inputs   []inputJSON   `json:"inputs"`
	// MinCell is the disclosure rule's minimum cell; 0: no disclosure
	// control, which the page then says on every chart.
	MinCell int `json:"min_cell"`
}

type chartJSON struct {
	Name        string   `json:"name"`
	Number      int      `json:"number"`
	Description string   `json:"description"`
	Weekly      bool     `json:"weekly"`
	Outcomes    []string `json:"outcomes"` // empty for a chart without one
	// Weeks are, by outcome, the weeks a forest plot can be drawn at.
	Weeks map[string][]int `json:"weeks,omitempty"`
}

type outcomeJSON struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}

type inputJSON struct {
	Role   string `json:"role"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

func (s *server) handleSets(w http.ResponseWriter, r *http.Request) {
	q, err := readQuery(r, "lang")
	if err != nil {
		fail(w, err)
		return
	}
	lang := q.lang()
	if q.err != nil {
		fail(w, q.err)
		return
	}
	var out setsJSON
	for _, set := range s.sets {
		p := set.Published
		d := p.Results
		sj := setJSON{ID: set.ID, Dir: set.Dir, MinCell: d.Plan().MinCell, Brief: p.Brief(lang), Weeks: [2]int{-1, -1}}
		for _, c := range reports.Charts() {
			outcomes := c.Outcomes(d)
			if len(outcomes) == 0 {
				continue
			}
			if !c.TakesOutcome {
				outcomes = []string{}
			}
			cj := chartJSON{Name: c.Name, Number: c.Number, Description: pageDescription(c.Description(lang)), Weekly: c.Weekly(), Outcomes: outcomes}
			if c.Name == "forest" {
				cj.Weeks = map[string][]int{}
				for _, o := range outcomes {
					cj.Weeks[o] = reports.ForestWeeks(d, o)
				}
			}
			sj.Charts = append(sj.Charts, cj)
		}
		for _, o := range d.Trial().Outcomes {
			title := p.Titles[lang][o.Name]
			if title == "" {
				title = reports.OutcomeTitle(lang, o.Name)
			}
			sj.Outcomes = append(sj.Outcomes, outcomeJSON{o.Name, title})
		}
		for _, e := range d.Effects() {
			if sj.Weeks[0] < 0 || e.Week < sj.Weeks[0] {
				sj.Weeks[0] = e.Week
			}
			sj.Weeks[1] = max(sj.Weeks[1], e.Week)
		}
		for _, in := range sj.Brief.Inputs {
			// The file's name only: where it lay on the evaluator's machine
			// is no one's business on the page.
			sj.Inputs = append(sj.Inputs, inputJSON{in.Role, baseName(in.Path), in.SHA256, in.Bytes})
		}
		sj.Brief.Inputs = nil
		out.Sets = append(out.Sets, sj)
	}
	b, err := json.Marshal(out)
	if err != nil {
		fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

// pageDescription is a chart's description for the page: without the
// command-line flags it names, with a capital letter.
func pageDescription(s string) string {
	if i := strings.Index(s, " (--"); i >= 0 && strings.HasSuffix(s, ")") {
		s = s[:i]
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// baseName is the last element of a path written on any system.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
