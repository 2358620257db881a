package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/stat"

	"rcteval/pipeline"
	"rcteval/pipeline/analysis"
	"rcteval/pipeline/ingest"
	"rcteval/pipeline/sim"
	"rcteval/stats"
)

// powerOutcomes are the outcomes power plans for, with their default
// control level at the week planned for (domain numbers: controls' mean
// hours rise to about 1.3 h/week, the 13-week sustained share to about 20 %
// by week 44).
var powerOutcomes = []struct {
	name    string
	binary  bool
	control float64
}{{"hours", false, 1.3}, {"employed", true, 0.07}, {"sustained13", true, 0.12}}

// sdPersons is the size of the simulated trial whose control SD of hours is
// the default --sd.
const sdPersons = 10000

// simReferralOpens is the simulator's first week of referral (sim.New: from
// 1 March 2016); a simulated extract ends --follow-up-weeks after it.
var simReferralOpens = pipeline.ISOWeek{Year: 2016, Week: 9}

// simReferralCloses is the simulator's last week of referral (sim.New:
// before 16 December 2016).
var simReferralCloses = pipeline.ISOWeek{Year: 2016, Week: 50}

// optionalFloat is a float flag that may be left unset (then its default
// depends on other flags); it shows no default in the help.
type optionalFloat struct {
	v   float64
	set bool
}

func some(v float64) optionalFloat { return optionalFloat{v, true} }

func (f *optionalFloat) String() string {
	if !f.set {
		return ""
	}
	return strconv.FormatFloat(f.v, 'g', -1, 64)
}

func (f *optionalFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("expected a number")
	}
	*f = some(v)
	return nil
}

func (f *optionalFloat) Type() string { return "float" }

type powerOptions struct {
	Persons       int
	TreatedShare  float64
	Week          int
	FollowUpWeeks int
	ReferralWeeks int
	Outcome       string
	ControlLevel  optionalFloat // unset: the outcome's default
	SD            optionalFloat // unset: the simulator's control SD (hours)
	Alpha         float64
	Power         float64
	Simulate      int
	Seed          uint64
}

func defaultPowerOptions() *powerOptions {
	return &powerOptions{Persons: 3000, TreatedShare: 0.5, Week: 26, FollowUpWeeks: 52, ReferralWeeks: 40,
		Outcome: "hours", Alpha: 0.05, Power: 0.8, Seed: sim.DefaultOptions().Seed}
}

func newPowerCmd() *cobra.Command {
	o := defaultPowerOptions()
	cmd := &cobra.Command{
		Use:   "power [--persons N] [--week K] [--outcome hours|employed|sustained13] [--simulate DRAWS]",
		Short: "Minimum detectable effect at a week since randomisation, analytic and simulated",
		Long: `Tell how small an effect a trial can detect at week K since randomisation: the
minimum detectable effect (MDE, Bloom 1995) of a two-sided test at level
--alpha with probability --power,

  MDE = (z(1-alpha/2) + z(power)) * SD * sqrt(1/n_treatment + 1/n_control),

with the SD of the outcome the same in both arms. For employed and sustained13
(shares) the MDE is the smallest rise over the control share at which the z
test of two proportions (unpooled variance) has that power, found numerically.

Only persons followable to week K count. Randomisation is assumed spread
evenly over --referral-weeks R from the first randomisation, and the extract
to end --follow-up-weeks F after it, so the share followable to week K is
clamp((F - K) / R, 0, 1), rounded down to whole persons per arm.

The SD of hours defaults to the simulator's control SD at week K (a simulated
trial of 10 000 persons, all followed to week K, seed --seed); give --sd from
your own data. A share's SD is sqrt(p(1-p)) at --control-level.

--simulate DRAWS checks the analytic answer: it simulates DRAWS trials of
--persons persons (seeds --seed, --seed+1, ...) with rcteval's simulator,
estimates the effect at week K with the plain difference in means, and
reports the power to detect the simulator's built-in effect (the share of
trials with p < alpha) and the SE of the estimate across trials. The
simulator has its own referral pattern (front-loaded over March–December
2016) and 1:1 randomisation, so --referral-weeks does not apply to it and
--treated-share must be 0.5.`,
		Example: `  rcteval power                                   # hours at week 26, 3000 persons
  rcteval power --outcome employed --week 35 --persons 2000
  rcteval power --sd 5.2 --control-level 1.3 --follow-up-weeks 78
  rcteval power --persons 3000 --simulate 200      # the analytic answer beside 200 simulated trials`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPower(o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Persons, "persons", o.Persons, "persons randomised in all")
	f.Float64Var(&o.TreatedShare, "treated-share", o.TreatedShare, "share of persons randomised to treatment")
	f.IntVar(&o.Week, "week", o.Week, "week since randomisation K the effect is planned for")
	f.IntVar(&o.FollowUpWeeks, "follow-up-weeks", o.FollowUpWeeks, "weeks from the first randomisation to the extract end")
	f.IntVar(&o.ReferralWeeks, "referral-weeks", o.ReferralWeeks, "weeks over which randomisation is spread evenly")
	f.StringVar(&o.Outcome, "outcome", o.Outcome, "hours, employed or sustained13")
	f.Var(&o.ControlLevel, "control-level", "control group's mean at week K: hours per week, or a share for employed and sustained13 (default, from the JobFirst midterm: hours 1.3, employed 0.07, sustained13 0.12)")
	f.Var(&o.SD, "sd", "SD of hours per week at week K (default: the simulator's control SD at week K)")
	f.Float64Var(&o.Alpha, "alpha", o.Alpha, "level of the two-sided test")
	f.Float64Var(&o.Power, "power", o.Power, "probability of detecting the MDE")
	f.IntVar(&o.Simulate, "simulate", 0, "simulated trials to check the analytic answer (0: analytic only)")
	f.Uint64Var(&o.Seed, "seed", o.Seed, "seed of the simulations (the SD of hours and --simulate)")
	return cmd
}

// powerPlan is what runPower computes analytically.
type powerPlan struct {
	binary              bool
	nT, nC              int     // randomised per arm
	followable          float64 // share followable to week K
	fT, fC              int     // followable per arm
	control, sd, mde    float64
	sdFrom, controlFrom string
	simulated           *powerSim
}

// powerSim is the result of --simulate.
type powerSim struct {
	draws, estimated, rejected int
	nT, nC                     float64 // mean persons followed to week K per arm
	meanControl, meanEffect    float64
	sdEffect, meanSE           float64
}

func runPower(o *powerOptions, w io.Writer) error {
	p, err := planPower(o)
	if err != nil {
		return err
	}
	if o.Simulate > 0 {
		if p.simulated, err = simulatePower(o); err != nil {
			return err
		}
	}
	writePower(w, o, p)
	return nil
}

// planPower checks the options and computes the analytic MDE.
func planPower(o *powerOptions) (*powerPlan, error) {
	inUnit := func(name string, v float64) error {
		if !(v > 0 && v < 1) {
			return fmt.Errorf("--%s %g: expected a number between 0 and 1 (exclusive)", name, v)
		}
		return nil
	}
	if err := inUnit("treated-share", o.TreatedShare); err != nil {
		return nil, err
	}
	if err := inUnit("alpha", o.Alpha); err != nil {
		return nil, err
	}
	if err := inUnit("power", o.Power); err != nil {
		return nil, err
	}
	p := &powerPlan{}
	i := -1
	for j, out := range powerOutcomes {
		if out.name == o.Outcome {
			i = j
		}
	}
	switch {
	case i < 0:
		return nil, fmt.Errorf("--outcome %q: expected hours, employed or sustained13", o.Outcome)
	case o.Week < 0:
		return nil, fmt.Errorf("--week %d: expected a week since randomisation, 0 or more", o.Week)
	case o.FollowUpWeeks < 1:
		return nil, fmt.Errorf("--follow-up-weeks %d: expected 1 or more", o.FollowUpWeeks)
	case o.ReferralWeeks < 1:
		return nil, fmt.Errorf("--referral-weeks %d: expected 1 or more", o.ReferralWeeks)
	case o.Simulate < 0:
		return nil, fmt.Errorf("--simulate %d: expected 0 (analytic only) or more", o.Simulate)
	case o.Simulate > 0 && o.TreatedShare != 0.5:
		return nil, fmt.Errorf("--treated-share %g with --simulate: the simulator randomises 1:1; expected 0.5", o.TreatedShare)
	}
	out := powerOutcomes[i]
	p.binary = out.binary
	p.control, p.controlFrom = out.control, "default"
	if o.ControlLevel.set {
		p.control, p.controlFrom = o.ControlLevel.v, "--control-level"
	}
	switch {
	case p.binary && !(p.control > 0 && p.control < 1):
		return nil, fmt.Errorf("--control-level %g: expected the control group's share of %s, between 0 and 1 (exclusive)", p.control, o.Outcome)
	case !p.binary && !(p.control >= 0 && !math.IsInf(p.control, 1)):
		return nil, fmt.Errorf("--control-level %g: expected the control group's mean hours per week, 0 or more", p.control)
	case p.binary && o.SD.set:
		return nil, fmt.Errorf("--sd with --outcome %s: the SD of a share follows from --control-level; --sd is for hours", o.Outcome)
	case o.SD.set && !(o.SD.v > 0 && !math.IsInf(o.SD.v, 1)):
		return nil, fmt.Errorf("--sd %g: expected a positive SD of hours per week", o.SD.v)
	}

	p.nT = int(math.Round(float64(o.Persons) * o.TreatedShare))
	p.nC = o.Persons - p.nT
	if p.nT < 2 || p.nC < 2 {
		return nil, fmt.Errorf("--persons %d with --treated-share %g: %d treated and %d controls; expected at least 2 in each arm", o.Persons, o.TreatedShare, p.nT, p.nC)
	}
	p.followable = math.Min(1, math.Max(0, float64(o.FollowUpWeeks-o.Week)/float64(o.ReferralWeeks)))
	if p.followable == 0 {
		return nil, fmt.Errorf("--week %d: no one is followable to week %d when the extract ends %d weeks after the first randomisation (--follow-up-weeks); expected a --week below %d, or more --follow-up-weeks",
			o.Week, o.Week, o.FollowUpWeeks, o.FollowUpWeeks)
	}
	p.fT, p.fC = int(float64(p.nT)*p.followable), int(float64(p.nC)*p.followable)
	if p.fT < 2 || p.fC < 2 {
		return nil, fmt.Errorf("--week %d: only %d treated and %d controls are followable to week %d (%.0f %% of --persons %d); expected at least 2 in each arm: raise --persons or --follow-up-weeks, or lower --week",
			o.Week, p.fT, p.fC, o.Week, 100*p.followable, o.Persons)
	}

	if p.binary {
		p.sd, p.sdFrom = math.Sqrt(p.control*(1-p.control)), "√(p(1−p)) at the control level"
		p.mde = stats.MinimumDetectableShare(p.control, p.fT, p.fC, o.Alpha, o.Power)
		return p, nil
	}
	if o.SD.set {
		p.sd, p.sdFrom = o.SD.v, "--sd"
	} else {
		sd, err := simulatedControlSD(o.Week, o.Seed)
		if err != nil {
			return nil, err
		}
		p.sd, p.sdFrom = sd, fmt.Sprintf("the simulator's control SD at week %d: %d simulated persons,\n seed %d; give --sd from your data", o.Week, sdPersons, o.Seed)
	}
	p.mde = stats.MinimumDetectableEffect(p.sd, p.fT, p.fC, o.Alpha, o.Power)
	return p, nil
}

// loadSimulated simulates a trial and reads it as rcteval reads input
// files, from memory.
func loadSimulated(opt sim.Options, workers int) (*pipeline.Dataset, error) {
	tr := sim.New(opt)
	var a, w bytes.Buffer
	if err := tr.WriteAssignment(&a); err != nil {
		return nil, err
	}
	if err := tr.WriteWeeks(&w); err != nil {
		return nil, err
	}
	cfg := ingest.Default()
	cfg.Assignment = ingest.BytesInput("assignment.csv", a.Bytes())
	cfg.Weeks = []ingest.Input{ingest.BytesInput("weeks.csv", w.Bytes())}
	cfg.ExtractEnd, cfg.Today = opt.ExtractEnd, opt.ExtractEnd // a simulated extract may end after today
	cfg.PreWeeks, cfg.Workers = ingest.NoPreWeeks, workers
	return ingest.Load(cfg)
}

// simulatedControlSD is the SD of the control group's hours at week k in
// a simulated trial of sdPersons persons, all followed to week k.
func simulatedControlSD(k int, seed uint64) (float64, error) {
	opt := sim.DefaultOptions()
	opt.Persons, opt.Seed = sdPersons, seed
	opt.ExtractEnd = pipeline.WeekFromIndex(simReferralCloses.Index() + k)
	ds, err := loadSimulated(opt, 0)
	if err != nil {
		return 0, fmt.Errorf("simulating the SD of hours: %w", err)
	}
	if k >= ds.Store.Weeks {
		return 0, fmt.Errorf("simulating the SD of hours: no simulated person is followed to week %d; give --sd", k)
	}
	for _, out := range ds.Outcomes {
		if out.Def.Name != "hours" {
			continue
		}
		var c []float64
		for j, v := range out.Week(k, nil) {
			if !ds.Store.Treated[j] {
				c = append(c, v)
			}
		}
		if sd := stat.StdDev(c, nil); len(c) >= 2 && sd > 0 {
			return sd, nil
		}
		break
	}
	return 0, fmt.Errorf("simulating the SD of hours: no spread of control hours at week %d; give --sd", k)
}

// simulatePower simulates o.Simulate trials and estimates the effect on
// the outcome at week K in each with the plain difference in means.
func simulatePower(o *powerOptions) (*powerSim, error) {
	end := pipeline.WeekFromIndex(simReferralOpens.Index() + o.FollowUpWeeks)
	plan := analysis.DefaultPlan()
	plan.Estimator, plan.RIDraws, plan.BandDraws, plan.MinCell = analysis.Plain, 0, 1, 0
	plan.FromWeek, plan.ToWeek, plan.Cohort, plan.Landmarks = o.Week, o.Week, -1, []int{o.Week}
	plan.Level = 1 - o.Alpha

	type draw struct {
		e   analysis.Effect
		ok  bool // the week has an estimate
		err error
	}
	draws := make([]draw, o.Simulate)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), o.Simulate) {
		wg.Go(func() {
			for d := range next {
				draws[d].e, draws[d].ok, draws[d].err = simulateOne(o, plan, end, o.Seed+uint64(d))
			}
		})
	}
	for d := range o.Simulate {
		next <- d
	}
	close(next)
	wg.Wait()

	s := &powerSim{draws: o.Simulate}
	var est, se []float64
	for d, r := range draws {
		if r.err != nil {
			return nil, fmt.Errorf("--simulate: trial %d (seed %d): %w", d+1, o.Seed+uint64(d), r.err)
		}
		s.nT += float64(r.e.NTreatment) / float64(o.Simulate)
		s.nC += float64(r.e.NControl) / float64(o.Simulate)
		if !r.ok {
			continue
		}
		s.estimated++
		if r.e.PValue < o.Alpha {
			s.rejected++
		}
		est, se = append(est, r.e.Estimate.Estimate), append(se, r.e.SE)
		s.meanControl += r.e.MeanControl
	}
	if s.estimated == 0 {
		return nil, fmt.Errorf("--simulate: no simulated trial of %d persons has an estimate at week %d (at least 2 persons followed in each arm); raise --persons or --follow-up-weeks", o.Persons, o.Week)
	}
	s.meanControl /= float64(s.estimated)
	s.meanEffect = stat.Mean(est, nil)
	s.sdEffect = math.NaN()
	if len(est) > 1 {
		s.sdEffect = stat.StdDev(est, nil)
	}
	s.meanSE = stat.Mean(se, nil)
	return s, nil
}

// simulateOne simulates one trial and estimates the effect on the outcome
// at week K; ok is false when the week has no estimate.
func simulateOne(o *powerOptions, plan analysis.Plan, end pipeline.ISOWeek, seed uint64) (e analysis.Effect, ok bool, err error) {
	opt := sim.DefaultOptions()
	opt.Persons, opt.Seed, opt.ExtractEnd = o.Persons, seed, end
	ds, err := loadSimulated(opt, 1)
	if err != nil {
		return e, false, err
	}
	if o.Week >= ds.Store.Weeks {
		return e, false, nil // no one followed to week K
	}
	r, err := analysis.Run(ds, plan)
	if err != nil {
		return e, false, err
	}
	for _, row := range r.Effects {
		if row.Outcome == o.Outcome && row.Week == o.Week {
			return row, row.Estimated && !math.IsNaN(row.PValue), nil
		}
	}
	return e, false, nil
}

// writePower writes the plan as a small table.
func writePower(w io.Writer, o *powerOptions, p *powerPlan) {
	unit := "hours/week"
	level := func(v float64) string { return fmt.Sprintf("%.2f %s", v, unit) }
	if p.binary {
		unit = "share"
		level = func(v float64) string { return fmt.Sprintf("%.1f %%", 100*v) }
	}
	fmt.Fprintf(w, "Minimum detectable effect on %s at week %d since randomisation\n(two-sided test at level %g, power %g)\n\n", o.Outcome, o.Week, o.Alpha, o.Power)
	// row writes a row of the table; a value with line breaks continues on
	// rows without a name.
	row := func(name, format string, args ...any) {
		for line := range strings.SplitSeq(fmt.Sprintf(format, args...), "\n") {
			fmt.Fprintf(w, "%-23s %s\n", name, line)
			name = ""
		}
	}
	row("persons randomised", "%d: %d treatment, %d control", o.Persons, p.nT, p.nC)
	row(fmt.Sprintf("followable to week %d", o.Week), "%.0f %%: %d treatment, %d control", 100*p.followable, p.fT, p.fC)
	row("", "(extract end %d weeks after the first randomisation, randomisation\n spread evenly over %d weeks)", o.FollowUpWeeks, o.ReferralWeeks)
	row("control level", "%s (%s)", level(p.control), p.controlFrom)
	row("SD", "%.3g (%s)", p.sd, p.sdFrom)
	switch {
	case p.binary && math.IsNaN(p.mde):
		row("MDE", "none: even a treatment share of 100 %% is not detected with power %g", o.Power)
	case p.binary:
		row("MDE", "%.4f: %.1f percentage points (%s against %s)", p.mde, 100*p.mde, level(p.control+p.mde), level(p.control))
	default:
		rel := ""
		if p.control > 0 {
			rel = fmt.Sprintf(" (%.0f %% of the control level)", 100*p.mde/p.control)
		}
		row("MDE", "%.2f %s%s", p.mde, unit, rel)
	}
	if s := p.simulated; s != nil {
		fmt.Fprintln(w)
		row("simulated trials", "%d of %d persons (seeds %d–%d), plain difference in means", s.draws, o.Persons, o.Seed, o.Seed+uint64(s.draws)-1)
		row(fmt.Sprintf("followed to week %d", o.Week), "%.0f treatment, %.0f control (mean over the trials; the simulator's\nreferral is front-loaded over March–December 2016)", s.nT, s.nC)
		if s.estimated < s.draws {
			row("without an estimate", "%d trials (count as not detected)", s.draws-s.estimated)
		}
		row("built-in effect", "%s (mean estimate; control level %s)", signed(s.meanEffect, p.binary, unit), level(s.meanControl))
		row("SE of the estimate", "%.3g (SD over the trials; mean estimated SE %.3g)", s.sdEffect, s.meanSE)
		pw := float64(s.rejected) / float64(s.draws)
		row("simulated power", "%.2f ± %.2f (share of trials with p < %g, ± its Monte Carlo SE)", pw, math.Sqrt(pw*(1-pw)/float64(s.draws)), o.Alpha)
		nT, nC := int(math.Round(s.nT)), int(math.Round(s.nC))
		if nT >= 2 && nC >= 2 && (!p.binary || s.meanControl > 0 && s.meanControl < 1) {
			var analytic float64
			if p.binary {
				analytic = stats.PowerShare(s.meanControl, math.Min(1, math.Max(0, s.meanControl+s.meanEffect)), nT, nC, o.Alpha)
			} else {
				analytic = stats.Power(s.meanEffect, p.sd, nT, nC, o.Alpha)
			}
			sdNote := "the SD above"
			if p.binary {
				sdNote = "the simulated control share"
			}
			row("analytic power", "%.2f (for the built-in effect at the simulated sizes,\n with %s)", analytic, sdNote)
		}
	}
}

// signed formats an effect with its sign: hours, or percentage points for a
// share.
func signed(v float64, binary bool, unit string) string {
	if binary {
		return fmt.Sprintf("%+.1f percentage points", 100*v)
	}
	return fmt.Sprintf("%+.2f %s", v, unit)
}
