package ingest

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"runtime"

	"rcteval/pipeline"
	"rcteval/pipeline/ingest/csvtable"
	"rcteval/pipeline/ingest/table"
)

// Canonical column names: the keys of Input.Columns.
const (
	ColPersonID   = "person_id"
	ColArm        = "arm"
	ColRandomised = "randomised_on"
	ColStratum    = "stratum"
	ColCluster    = "cluster"
	ColWeek       = "week"
	ColHours      = "hours"
	ColStatus     = "status"
)

// Input is one input file and how to read it.
type Input struct {
	Path string
	// Open, when set, opens the table instead of Path (the embedded demo).
	Open func() (table.Table, error)
	// Format is "csv", "parquet" or "arrow"; empty: from the extension.
	Format string
	// Wide marks a DREAM-wide weekly file: one row per person, a column per
	// week matching WidePattern (default "y_YYWW").
	Wide        bool
	WidePattern string
	// CSV dialect; zero values are detected.
	Separator    byte
	DecimalComma *bool
	Latin1       *bool
	// WeekFormat and DateFormat name the text forms (see package parse);
	// empty: detected from the first rows.
	WeekFormat, DateFormat string
	// Columns maps canonical names to the file's own; missing keys are the
	// canonical name itself.
	Columns map[string]string
}

// NewInput is an input at path with the configuration's column names.
func (c *Config) NewInput(path string) Input { return Input{Path: path, Columns: c.Columns} }

// Column is the file's name for a canonical column.
func (in *Input) Column(canonical string) string {
	if n, ok := in.Columns[canonical]; ok && n != "" {
		return n
	}
	return canonical
}

// Name is the input as named in messages.
func (in *Input) Name() string { return filepath.Base(in.Path) }

// CovariateSpec declares a covariate column and its type.
type CovariateSpec struct {
	Name string
	Type pipeline.CovariateType
}

// NoPreWeeks as Config.PreWeeks keeps no week before randomisation.
const NoPreWeeks = -1

// Unmapped says what a status code that maps to no category means.
type Unmapped uint8

const (
	UnmappedError   Unmapped = iota // the run stops, listing every unmapped code
	UnmappedBenefit                 // counted as benefit, and reported
	UnmappedNone                    // counted as no benefit, and reported
)

// Config is everything Load needs; Default gives today's canonical inputs.
type Config struct {
	Assignment Input
	Weeks      []Input
	Hours      *Input // separate hours file; the weekly files' hours are then not read
	// Columns are the spec's column names, for inputs given outside the
	// spec (command-line flags): NewInput applies them.
	Columns map[string]string

	Treatment, Control []string // arm labels
	// Covariates, when non-nil, lists the covariate columns; nil means every
	// assignment column that has no other role, typed automatically.
	Covariates []CovariateSpec
	// Categories names the status categories after "" (none); Codes maps a
	// register code to its index in Categories.
	Categories []string
	Codes      map[string]pipeline.Status
	Unmapped   Unmapped

	ExtractEnd pipeline.ISOWeek // zero: from the data
	Today      pipeline.ISOWeek // weeks after it are errors; zero: the current week
	PreWeeks   int              // 0: 104; NoPreWeeks: none
	Duplicates pipeline.Duplicates
	// RejectBadRows rejects malformed rows with a reason instead of stopping.
	RejectBadRows bool
	// MaxMissing is the share of persons without weekly data (or of weekly
	// ids matching no person) beyond which the run stops.
	MaxMissing float64
	Outcomes   []pipeline.OutcomeDef
	Workers    int       // parallel parsing; 0: all cores
	Log        io.Writer // progress and notes; nil: discarded
	// Watch, when set, is given the read of each input as it starts (its
	// name and unit, "bytes" or "rows") and follows its progress.
	Watch func(name, unit string) Watcher
}

// Default returns the configuration of rcteval's canonical long CSV inputs.
func Default() Config {
	codes := map[string]pipeline.Status{}
	for i, c := range pipeline.CanonicalCategories[1:] {
		codes[c] = pipeline.Status(i + 1)
	}
	return Config{
		Treatment: []string{"treatment"}, Control: []string{"control"},
		Categories: pipeline.CanonicalCategories, Codes: codes,
		MaxMissing: 0.01, Outcomes: pipeline.DefaultOutcomes(),
	}
}

func (c *Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}

func (c *Config) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}

func (c *Config) today() pipeline.ISOWeek {
	if c.Today != (pipeline.ISOWeek{}) {
		return c.Today
	}
	return pipeline.Today()
}

// BytesInput is a delimited-text input held in memory (the embedded demo,
// tests); name is used in messages and a ".gz" name is decompressed.
func BytesInput(name string, data []byte) Input {
	in := Input{Path: name}
	in.Open = func() (table.Table, error) { return csvtable.New(name, bytes.NewReader(data), in.csvOptions()) }
	return in
}
