package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"rcteval/pipeline"
	"rcteval/pipeline/analysis"
	"rcteval/pipeline/ingest"
	"rcteval/pipeline/spec"
	"rcteval/reports"
	"rcteval/stats"
)

// inputOptions are the flags shared by the commands that read a trial; a
// spec file gives the same settings, and a flag given overrides the spec.
type inputOptions struct {
	Spec       string
	Assignment string
	Weeks      string
	Hours      string
	Out        string
	ExtractEnd string
	Level      float64
	MinCell    int
	Lang       string
	Quiet      bool
	// Analysis flags; see addAnalysisFlags.
	Estimator  string
	Covariates []string
	Cluster    string
	HC         string
	RIDraws    int
	Seed       uint64
	Cohort     int
	// Kind is the report's kind (report only); "": the spec's.
	Kind string
	// Tables are the table formats written; see addTableFlags.
	Tables []string
	// Figures are the formats of the figures a report writes (nil: all;
	// "none": none); see addKindFlag.
	Figures []string

	cmd   *cobra.Command
	flags *pflag.FlagSet
	// embedded opens an embedded input by name (the demo's), for its
	// fingerprint.
	embedded func(name string) io.Reader
	prov     *reports.Provenance // the run's, once computed
	// hashes are the inputs' fingerprints, hashed once; with hashEarly
	// (a command that may write them) load starts them beside the reading
	// (whose assignment leaves a core idle) when the run will write them:
	// results.json and a report (report marks a command that writes one).
	hashes    func() ([]reports.Fingerprint, error)
	hashEarly bool
	report    bool
	// Set by validate.
	variance stats.VarianceType
	lang     reports.Lang
	spec     *spec.Spec
	config   ingest.Config
}

func (o *inputOptions) addFlags(cmd *cobra.Command, withData bool) {
	f := cmd.Flags()
	o.cmd, o.flags = cmd, f
	if withData {
		f.StringVar(&o.Spec, "spec", "", "analysis spec (YAML): inputs, columns, codes, outcomes and settings (see docs/spec.md)")
		f.StringVar(&o.Assignment, "assignment", "", "assignment file: person_id,arm,randomised_on[,stratum,covariates…] (CSV, Parquet or Arrow)")
		f.StringVar(&o.Weeks, "weeks", "", "weekly file: person_id,week,hours,status, or DREAM wide with a spec")
		f.StringVar(&o.Hours, "hours", "", "separate hours file: person_id,week,hours (then the weekly file's hours are not read)")
	}
	outUsage := "output directory (required); replaced as a whole by each run"
	if o.Out != "" {
		outUsage = "output directory; replaced as a whole by each run"
	}
	f.StringVar(&o.Out, "out", o.Out, outUsage)
	f.StringVar(&o.ExtractEnd, "extract-end", "", "last week of the extract, YYYY-Www (default: the last week with full data)")
	f.Float64Var(&o.Level, "level", 0.95, "confidence level of the intervals")
	f.IntVar(&o.MinCell, "min-cell", 5, "suppress estimates resting on fewer persons than this in a cell (0: off)")
	f.StringVar(&o.Lang, "lang", "en", "language of charts and report: en or da")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print only errors")
}

// addAnalysisFlags adds the flags of the commands that estimate effects.
func (o *inputOptions) addAnalysisFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.Estimator, "estimator", "", "plain, blocked or lin (default: blocked when the assignment has a stratum, else plain)")
	f.StringSliceVar(&o.Covariates, "covariates", nil, "covariates Lin's estimator adjusts for, e.g. age,sex (default: the stratum and every covariate)")
	f.StringVar(&o.Cluster, "cluster", "", "assignment column of the clusters of a cluster-randomised trial (variance CR2)")
	f.StringVar(&o.HC, "hc", "", "robust variance of Lin's estimator: HC0, HC1, HC2 or HC3 (default HC2)")
	f.IntVar(&o.RIDraws, "ri-draws", 2000, "re-drawn assignments for randomisation inference (0: none; every assignment when the design has fewer)")
	f.Uint64Var(&o.Seed, "seed", stats.SupTSeed, "seed of randomisation inference and of the sup-t band's simulation")
	f.IntVar(&o.Cohort, "cohort", 0, "week K of the fixed cohort (persons followed to week K) estimated beside the staggered effects (0: the last landmark followed; -1: none)")
}

// set reports whether a flag was given on the command line.
func (o *inputOptions) set(name string) bool { return o.flags != nil && o.flags.Changed(name) }

// validate checks the flags, reads the spec and sets lang, spec and config.
func (o *inputOptions) validate() error {
	lang, err := reports.ParseLang(o.Lang)
	if err != nil {
		return fmt.Errorf("--lang: %w", err)
	}
	o.lang = lang
	o.spec = spec.Default()
	if o.Spec != "" {
		if o.spec, err = spec.Load(o.Spec); err != nil {
			return err
		}
	}
	if !o.set("level") && o.spec.Set("confidence") {
		o.Level = o.spec.Confidence
	}
	if !o.set("min-cell") && o.spec.Set("min_cell") {
		o.MinCell = o.spec.MinCell
	}
	if !(o.Level > 0 && o.Level < 1) {
		return fmt.Errorf("--level %g: expected a confidence level between 0 and 1, such as 0.95", o.Level)
	}
	if o.MinCell < 0 {
		return fmt.Errorf("--min-cell %d: expected 0 or more", o.MinCell)
	}
	switch {
	case o.Kind == "":
		o.Kind = o.spec.Report.Kind
	case o.Kind != reports.Midterm && o.Kind != reports.Final:
		return fmt.Errorf("--kind %q: expected midterm or final", o.Kind)
	}
	if o.config, err = ingest.FromSpec(o.spec); err != nil {
		return err
	}
	if err := o.validateAnalysis(); err != nil {
		return err
	}
	if err := o.validateFigures(); err != nil {
		return err
	}
	if err := o.validateTables(); err != nil {
		return err
	}
	// A path given by flag keeps the spec's settings for that input, but its
	// format follows the new file's extension.
	c := &o.config
	override := func(in *ingest.Input, path string) {
		in.Path, in.Format = path, ""
	}
	if o.Assignment != "" {
		override(&c.Assignment, o.Assignment)
	}
	if o.Weeks != "" {
		in := c.NewInput(o.Weeks)
		if len(c.Weeks) > 0 {
			in = c.Weeks[0]
			override(&in, o.Weeks)
		}
		c.Weeks = []ingest.Input{in}
	}
	if o.Hours != "" {
		in := c.NewInput(o.Hours)
		if c.Hours != nil {
			in = *c.Hours
			override(&in, o.Hours)
		}
		c.Hours = &in
	}
	if o.ExtractEnd != "" {
		w, err := pipeline.ParseISOWeek(o.ExtractEnd)
		if err != nil {
			return fmt.Errorf("--extract-end: %w", err)
		}
		c.ExtractEnd = w
	}
	return nil
}

// validateAnalysis checks the analysis flags and applies --cluster.
func (o *inputOptions) validateAnalysis() error {
	switch o.Estimator {
	case "", analysis.Plain, analysis.Blocked, analysis.Lin:
	default:
		return fmt.Errorf("--estimator %q: expected plain, blocked or lin", o.Estimator)
	}
	hc := o.spec.Analysis.Variance
	if o.set("hc") {
		hc = o.HC
	}
	if hc != "" {
		v, err := stats.ParseVarianceType(hc)
		if err != nil || v == stats.CR2 {
			return fmt.Errorf("--hc %q: expected HC0, HC1, HC2 or HC3 (CR2 follows from --cluster)", hc)
		}
		o.variance = v
	}
	estimator := o.spec.Analysis.Estimator
	if o.set("estimator") {
		estimator = o.Estimator
	}
	if (o.set("hc") || o.spec.Set("analysis.variance")) && estimator != analysis.Lin {
		return fmt.Errorf("--hc %s (or variance in the spec) applies to Lin's estimator; add --estimator lin, or leave it out: the %s estimator's variance follows from the design",
			hc, map[string]string{"": "default"}[estimator]+estimator)
	}
	if o.RIDraws < 0 {
		return fmt.Errorf("--ri-draws %d: expected 0 (none) or more", o.RIDraws)
	}
	if o.Cluster != "" {
		in := &o.config.Assignment
		cols := maps.Clone(in.Columns)
		if cols == nil {
			cols = map[string]string{}
		}
		cols[ingest.ColCluster] = o.Cluster
		in.Columns = cols
	}
	return nil
}

// plan is the analysis plan of the spec and flags; o is validated.
func (o *inputOptions) plan() analysis.Plan {
	p := analysis.FromSpec(o.spec)
	p.Level, p.MinCell, p.Variance = o.Level, o.MinCell, o.variance
	if o.set("estimator") {
		p.Estimator = o.Estimator
	}
	if o.set("covariates") {
		p.Adjust = o.Covariates
	}
	if o.set("ri-draws") {
		p.RIDraws, p.RIDefault = o.RIDraws, false
	}
	if o.set("seed") {
		p.Seed = o.Seed
	}
	if o.set("cohort") {
		p.Cohort = o.Cohort
	}
	return p
}

// load validates the flags and reads the trial, reporting progress on log.
func (o *inputOptions) load(log io.Writer) (*pipeline.Dataset, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if o.config.Assignment.Path == "" {
		return nil, fmt.Errorf("no assignment file: give --assignment, or --spec with inputs.assignment")
	}
	if len(o.config.Weeks) == 0 || o.config.Weeks[0].Path == "" {
		return nil, fmt.Errorf("no weekly file: give --weeks, or --spec with inputs.weeks")
	}
	return o.loadConfig(log)
}

func (o *inputOptions) loadConfig(log io.Writer) (*pipeline.Dataset, error) {
	log = o.log(log)
	o.config.Log = log
	if !o.Quiet {
		o.config.Watch = progressWatch(log)
	}
	if o.hashEarly && (o.report || o.Tables == nil || slices.Contains(o.Tables, "json")) {
		o.hashes = sync.OnceValues(o.hashInputs)
		go o.hashes()
	}
	ds, err := ingest.Load(o.config)
	if err != nil {
		return nil, err
	}
	setGCPhase(&gcAnalysis)
	printAccounting(log, ds)
	return ds, nil
}

// printAccounting writes the row accounting and notes of a load.
func printAccounting(log io.Writer, ds *pipeline.Dataset) {
	acc := ds.Accounting
	for _, s := range acc.Sources {
		fmt.Fprintf(log, "read %s\n", s)
	}
	for _, r := range acc.Rejected() {
		fmt.Fprintf(log, "  rejected %d: %s\n", r.Rows, r.Reason)
	}
	t, c := pipeline.Treatment, pipeline.Control
	if n := acc.NoRows[t] + acc.NoRows[c]; n > 0 {
		fmt.Fprintf(log, "  %d persons at risk have no weekly row (%d treatment, %d control): their weeks count as 0 hours, no benefit\n", n, acc.NoRows[t], acc.NoRows[c])
	}
	if n := acc.NeverAtRisk[t] + acc.NeverAtRisk[c]; n > 0 {
		fmt.Fprintf(log, "  %d persons randomised after the extract end are never at risk (%d treatment, %d control)\n", n, acc.NeverAtRisk[t], acc.NeverAtRisk[c])
	}
	if acc.UnknownIDs > 0 {
		fmt.Fprintf(log, "  %d distinct ids in the weekly data match no person in the assignment\n", acc.UnknownIDs)
	}
	for _, n := range append(ds.Assignment.Notes, acc.Notes...) {
		fmt.Fprintf(log, "note: %s\n", n)
	}
	s := ds.Store
	fmt.Fprintf(log, "aligned on weeks since randomisation: extract end %s, follow-up up to %d weeks (panel of %d persons × %d weeks: %.1f MB; assignment %.1f MB)\n",
		s.ExtractEnd, s.Weeks, s.N, s.Pre+s.Weeks, float64(s.CellBytes())/1e6, float64(ds.Assignment.Bytes())/1e6)
}

// log is where progress goes: log, or nowhere with --quiet.
func (o *inputOptions) log(log io.Writer) io.Writer {
	if o.Quiet {
		return io.Discard
	}
	return log
}
