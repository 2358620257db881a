package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"rcteval/pipeline/analysis"
	"rcteval/pipeline/ingest"
	"rcteval/reports"
)

// tableFormats are the formats --tables accepts, in the order written.
var tableFormats = []string{"csv", "xlsx", "parquet", "json"}

// addTableFlags adds --tables to the commands that write tables.
func (o *inputOptions) addTableFlags(cmd *cobra.Command) {
	o.hashEarly = true // its tables or report name the inputs' fingerprints
	cmd.Flags().StringSliceVar(&o.Tables, "tables", tableFormats,
		"table formats to write: csv (NAME.csv), xlsx (tables.xlsx), parquet (parquet/NAME.parquet), json (results.json with provenance)")
}

// validateTables checks --tables.
func (o *inputOptions) validateTables() error {
	for _, f := range o.Tables {
		if !slices.Contains(tableFormats, f) {
			return fmt.Errorf("--tables %q: expected a list of %s", f, strings.Join(tableFormats, ", "))
		}
	}
	return nil
}

// writeTables writes the tables in the formats of --tables, side by side:
// see tableWriters.
func (o *inputOptions) writeTables(w output, d *analysis.Disclosed, tables []*reports.DataTable) error {
	return w.sideBySide(o.tableWriters(d, tables)...)
}

// tableWriters write the tables in the formats of --tables, one writer a
// format, each into files of its own: each table as NAME.csv and
// parquet/NAME.parquet, all in tables.xlsx, and results.json with them,
// the settings and the run's provenance.
func (o *inputOptions) tableWriters(d *analysis.Disclosed, tables []*reports.DataTable) []func(output) error {
	want := func(format string) bool { return o.Tables == nil || slices.Contains(o.Tables, format) }
	var formats []func(output) error
	if want("csv") {
		formats = append(formats, func(w output) error {
			for _, t := range tables {
				if err := w.file(t.Name+".csv", func(p string) error { return reports.WriteCSV(p, t) }); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if want("xlsx") {
		formats = append(formats, func(w output) error {
			return w.file("tables.xlsx", func(p string) error { return reports.WriteXLSX(p, tables) })
		})
	}
	if want("parquet") {
		formats = append(formats, func(w output) error {
			for _, t := range tables {
				if err := w.file(filepath.Join("parquet", t.Name+".parquet"), func(p string) error { return reports.WriteParquet(p, t) }); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if want("json") {
		formats = append(formats, func(w output) error {
			prov, err := o.provenance(d)
			if err != nil {
				return err
			}
			return w.file("results.json", func(p string) error { return reports.WriteResultsJSON(p, prov, d, tables) })
		})
	}
	return formats
}

// provenance is the run's provenance: rcteval's version, the command line,
// the seed, and the SHA-256 of the spec and of every input read (hashed
// once per run: results.json and the report share it).
func (o *inputOptions) provenance(d *analysis.Disclosed) (reports.Provenance, error) {
	if o.prov != nil {
		return *o.prov, nil
	}
	p, err := o.fingerprint(d)
	if err == nil {
		o.prov = &p
	}
	return p, err
}

func (o *inputOptions) fingerprint(d *analysis.Disclosed) (reports.Provenance, error) {
	v := currentVersion()
	p := reports.Provenance{Version: v.Version, Commit: v.Commit, Modified: v.Modified, GoVersion: v.Go,
		Command: o.commandLine(), Seed: d.Plan().Seed}
	var err error
	p.Inputs, err = o.inputHashes()
	return p, err
}

// inputHashes are the SHA-256 fingerprints of the spec and of every input,
// hashed on the first call; a later call waits for the first.
func (o *inputOptions) inputHashes() ([]reports.Fingerprint, error) {
	if o.hashes == nil {
		o.hashes = sync.OnceValues(o.hashInputs)
	}
	return o.hashes()
}

func (o *inputOptions) hashInputs() ([]reports.Fingerprint, error) {
	var fps []reports.Fingerprint
	add := func(role string, in ingest.Input) error {
		if in.Path == "" {
			return nil
		}
		var fp reports.Fingerprint
		var err error
		if in.Open != nil && o.embedded != nil {
			fp, err = reports.FingerprintReader(role, in.Path, o.embedded(in.Path))
		} else {
			fp, err = reports.FingerprintFile(role, in.Path)
		}
		if err != nil {
			return fmt.Errorf("fingerprinting %s: %w", in.Path, err)
		}
		fps = append(fps, fp)
		return nil
	}
	if o.Spec != "" {
		if err := add("spec", ingest.Input{Path: o.Spec}); err != nil {
			return fps, err
		}
	}
	c := &o.config
	if err := add("assignment", c.Assignment); err != nil {
		return fps, err
	}
	for _, in := range c.Weeks {
		if err := add("weeks", in); err != nil {
			return fps, err
		}
	}
	if c.Hours != nil {
		if err := add("hours", *c.Hours); err != nil {
			return fps, err
		}
	}
	return fps, nil
}

// commandLine is the command as run, rebuilt from the flags given (in
// alphabetical order, as --name value), without --out and --quiet: they
// change no number, and leaving them out lets a rerun into another folder
// write the same results.json.
func (o *inputOptions) commandLine() []string {
	line := []string{"rcteval"}
	if o.cmd != nil {
		line = strings.Fields(o.cmd.CommandPath())
	}
	if o.flags == nil {
		return line
	}
	o.flags.Visit(func(f *pflag.Flag) {
		switch f.Name {
		case "out", "quiet":
			return
		}
		value := f.Value.String()
		if s, ok := f.Value.(pflag.SliceValue); ok {
			value = strings.Join(s.GetSlice(), ",")
		}
		if f.Value.Type() == "bool" {
			line = append(line, "--"+f.Name+"="+value)
			return
		}
		line = append(line, "--"+f.Name, value)
	})
	return line
}

// writeEffectTables says on the log how the effects were estimated and
// writes the effects command's tables: effects, bands, multiplicity,
// subgroups, subgroup_tests, km, ratio, cohort_effects, rejects, rejected.
func (o *inputOptions) writeEffectTables(w output, d *analysis.Disclosed) error {
	logEffects(w.log, d)
	return o.writeTables(w, d, reports.EffectTables(d))
}

// writeBalanceTables prints the balance notes and writes balance and
// attrition.
func (o *inputOptions) writeBalanceTables(w output, d *analysis.Disclosed) error {
	logBalance(w.log, d)
	return o.writeTables(w, d, reports.BalanceTables(d))
}

// logEffects says how the effects were estimated.
func logEffects(log io.Writer, d *analysis.Disclosed) {
	est, variance := d.Estimator()
	fmt.Fprintf(log, "estimator: %s, variance %s\n", est, variance)
	if ri := d.RI(); ri != nil && ri.Skipped != "" {
		fmt.Fprintf(log, "%s\n", ri.Skipped)
	} else if ri != nil {
		how := fmt.Sprintf("%d re-drawn assignments (seed %d)", ri.Draws, ri.Seed)
		if ri.Exact {
			how = fmt.Sprintf("all %d possible assignments (exact)", ri.Draws)
		}
		fmt.Fprintf(log, "randomisation inference: %s, %s statistic\n", how, ri.Statistic)
	}
}

// logBalance prints the balance notes.
func logBalance(log io.Writer, d *analysis.Disclosed) {
	for _, n := range d.Balance().Notes {
		fmt.Fprintf(log, "balance: %s\n", reports.BalanceNoteText(reports.English, n))
	}
}
