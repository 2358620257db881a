package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"rcteval/pipeline"
	"rcteval/pipeline/sim"
)

type simulateOptions struct {
	Out        string
	Persons    int
	Seed       uint64
	Gzip       bool
	Format     string
	ExtractEnd string
}

func newSimulateCmd() *cobra.Command {
	d := sim.DefaultOptions()
	o := &simulateOptions{Persons: d.Persons, Seed: d.Seed, Format: "csv", ExtractEnd: d.ExtractEnd.String()}
	cmd := &cobra.Command{
		Use:   "simulate --out DIR [--persons N] [--seed S] [--format csv|danish|parquet]",
		Short: "Write the input files of a simulated JobFirst-like trial",
		Long: `Simulate a JobFirst-like trial: referral over March–December 2016 in 15 jobcentres
(the strata), randomisation in blocks of two within jobcentre, covariates (age,
sex, target group, weeks on benefit in the prior year), and weekly hours and
status from 2016-W01 through the extract end, with group curves shaped like the
JobFirst midterm evaluation's.

Formats: csv writes rcteval's canonical assignment.csv and weeks.csv; danish
writes the same trial as a Danish register extract (visitation.csv, DREAM-wide
dream.csv and eindkomst.csv hours: ';', decimal comma, Latin-1), read with a spec
like examples/jobfirst.yaml; parquet writes assignment.parquet and
weeks.parquet with typed columns.`,
		Example: `  rcteval simulate --out data --persons 5000
  rcteval simulate --out data/dk --format danish --persons 400
  rcteval simulate --out data/big --format parquet --persons 1000000 --extract-end 2021-W03`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSimulate(o, cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Out, "out", "", "output directory (required)")
	f.IntVar(&o.Persons, "persons", o.Persons, "number of persons randomised")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "random seed; the same seed gives the same files")
	f.StringVar(&o.Format, "format", o.Format, "csv, danish or parquet")
	f.BoolVar(&o.Gzip, "gzip", false, "gzip the CSV files (.csv.gz)")
	f.StringVar(&o.ExtractEnd, "extract-end", o.ExtractEnd, "last week simulated, YYYY-Www (a later end gives a longer follow-up)")
	cmd.MarkFlagRequired("out")
	return cmd
}

func runSimulate(o *simulateOptions, log io.Writer) error {
	if o.Persons < 1 {
		return fmt.Errorf("--persons %d: expected at least 1", o.Persons)
	}
	opt := sim.DefaultOptions()
	opt.Persons, opt.Seed = o.Persons, o.Seed
	end, err := pipeline.ParseISOWeek(o.ExtractEnd)
	if err != nil || end.Index() < opt.ExtractEnd.Index() || end.Index() > pipeline.Today().Index() {
		return fmt.Errorf("--extract-end %q: expected a week from %s to this week", o.ExtractEnd, opt.ExtractEnd)
	}
	opt.ExtractEnd = end
	t := sim.New(opt)
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return err
	}
	switch o.Format {
	case "csv":
		err = writeFiles(log, o, []string{"assignment.csv", "weeks.csv"}, func(w []io.Writer) error {
			if err := t.WriteAssignment(w[0]); err != nil {
				return err
			}
			return t.WriteWeeks(w[1])
		})
	case "danish":
		err = writeFiles(log, o, []string{"visitation.csv", "dream.csv", "eindkomst.csv"}, func(w []io.Writer) error {
			return t.WriteDanish(w[0], w[1], w[2])
		})
	case "parquet":
		a, w := filepath.Join(o.Out, "assignment.parquet"), filepath.Join(o.Out, "weeks.parquet")
		if err = t.WriteParquet(a, w); err == nil {
			fmt.Fprintf(log, "wrote %s\nwrote %s\n", a, w)
		}
	default:
		return fmt.Errorf("--format %q: expected csv, danish or parquet", o.Format)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "simulated %d persons, seed %d, extract end %s\n", o.Persons, o.Seed, opt.ExtractEnd)
	return nil
}

// writeFiles streams the files of a simulation, each through a temporary
// file renamed into place, gzipped with --gzip (deterministically: no name
// or time in the header).
func writeFiles(log io.Writer, o *simulateOptions, names []string, write func([]io.Writer) error) error {
	var (
		files   []*os.File
		writers []io.Writer
		zips    []*gzip.Writer
	)
	defer func() {
		for _, f := range files {
			f.Close()
			os.Remove(f.Name()) // gone after a successful rename
		}
	}()
	for _, name := range names {
		f, err := os.CreateTemp(o.Out, "."+name+".tmp*")
		if err != nil {
			return err
		}
		files = append(files, f)
		var w io.Writer = f
		if o.Gzip {
			z, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
			zips, w = append(zips, z), z
		}
		writers = append(writers, w)
	}
	if err := write(writers); err != nil {
		return err
	}
	for i, f := range files {
		if o.Gzip {
			if err := zips[i].Close(); err != nil {
				return err
			}
		}
		if err := f.Chmod(0o644); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		name := filepath.Join(o.Out, names[i])
		if o.Gzip {
			name += ".gz"
		}
		if err := os.Rename(f.Name(), name); err != nil {
			return err
		}
		fmt.Fprintf(log, "wrote %s\n", name)
	}
	return nil
}
