package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"rcteval/pipeline/sim"
	"rcteval/reports"
)

type simulateOptions struct {
	Out     string
	Persons int
	Seed    uint64
	Gzip    bool
	Danish  bool
}

func newSimulateCmd() *cobra.Command {
	d := sim.DefaultOptions()
	o := &simulateOptions{Persons: d.Persons, Seed: d.Seed}
	cmd := &cobra.Command{
		Use:   "simulate --out DIR [--persons N] [--seed S]",
		Short: "Write assignment.csv and weeks.csv of a simulated JobFirst-like trial",
		Long: `Simulate a JobFirst-like trial: referral over March–December 2016 in 15 jobcentres
(the strata), randomisation in blocks of two within jobcentre, covariates (age,
sex, target group, weeks on benefit in the prior year), and weekly hours and
status through the extract end 2016-W52, with group curves shaped like the
JobFirst midterm evaluation's.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSimulate(o, cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Out, "out", "", "output directory (required)")
	f.IntVar(&o.Persons, "persons", o.Persons, "number of persons randomised")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "random seed; the same seed gives the same files")
	f.BoolVar(&o.Gzip, "gzip", false, "write gzipped files (.csv.gz)")
	f.BoolVar(&o.Danish, "danish", false, "write the trial as a Danish register extract: visitation.csv, DREAM-wide dream.csv and eindkomst.csv (';', decimal comma, Latin-1; read with a spec like examples/jobfirst.yaml)")
	cmd.MarkFlagRequired("out")
	return cmd
}

func runSimulate(o *simulateOptions, log io.Writer) error {
	if o.Persons < 1 {
		return fmt.Errorf("--persons %d: expected at least 1", o.Persons)
	}
	opt := sim.DefaultOptions()
	opt.Persons, opt.Seed = o.Persons, o.Seed
	t := sim.New(opt)
	files := map[string]*bytes.Buffer{}
	names := []string{"assignment.csv", "weeks.csv"}
	if o.Danish {
		names = []string{"visitation.csv", "dream.csv", "eindkomst.csv"}
	}
	for _, n := range names {
		files[n] = &bytes.Buffer{}
	}
	var err error
	if o.Danish {
		err = t.WriteDanish(files[names[0]], files[names[1]], files[names[2]])
	} else if err = t.WriteAssignment(files[names[0]]); err == nil {
		err = t.WriteWeeks(files[names[1]])
	}
	if err != nil {
		return err
	}
	for _, name := range names {
		data := files[name].Bytes()
		if o.Gzip {
			data, name = gzipBytes(data), name+".gz"
		}
		path := filepath.Join(o.Out, name)
		if err := reports.WriteFileAtomic(path, data); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		fmt.Fprintf(log, "wrote %s\n", path)
	}
	fmt.Fprintf(log, "simulated %d persons, seed %d, extract end %s\n", o.Persons, o.Seed, opt.ExtractEnd)
	return nil
}

// gzipBytes compresses deterministically (no name or time in the header).
func gzipBytes(b []byte) []byte {
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}
