// Package sim simulates a JobFirst-like trial in rcteval's long input format:
// staggered referral over March–December 2016 in 15 jobcentres, randomisation
// in permuted blocks of two within jobcentre, baseline covariates, and weekly
// hours and register status whose group curves follow the shape reported in
// the JobFirst midterm evaluation (see shared/domain.md). It exists for the
// demo, for tests and for benchmarks; nothing in it is an estimate.
package sim

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"rcteval/pipeline"
)

// Options configure a simulated trial.
type Options struct {
	Persons    int
	Seed       uint64
	FirstWeek  pipeline.ISOWeek // first calendar week written (pre-period starts here)
	ExtractEnd pipeline.ISOWeek
}

// DefaultOptions is the trial behind the demo.
func DefaultOptions() Options {
	return Options{Persons: 3000, Seed: 2016, FirstWeek: pipeline.ISOWeek{Year: 2016, Week: 1},
		ExtractEnd: pipeline.ISOWeek{Year: 2016, Week: 52}}
}

// Jobcentres and their relative sizes.
var jobcentres = []struct {
	name   string
	weight float64
}{
	{"København", 18}, {"Aarhus", 12}, {"Aalborg", 9}, {"Odense", 8}, {"Esbjerg", 6}, {"Randers", 6},
	{"Viborg", 5}, {"Lolland", 5}, {"Syddjurs", 4}, {"Hillerød", 4}, {"Skanderborg", 4}, {"Hedensted", 4},
	{"Jammerbugt", 4}, {"Sorø", 3}, {"Vallensbæk", 3},
}

type person struct {
	id          string
	treated     bool
	randomised  time.Time
	jobcentre   string
	age         int
	sex         string
	targetGroup string
	priorWeeks  int
	propensity  float64
}

// Trial is a simulated trial.
type Trial struct {
	opt     Options
	persons []person
}

// New draws the persons of a trial.
func New(opt Options) *Trial {
	t := &Trial{opt: opt}
	r := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	first := time.Date(2016, 3, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2016, 12, 16, 0, 0, 0, 0, time.UTC).Sub(first).Hours() / 24)
	var total float64
	for _, j := range jobcentres {
		total += j.weight
	}
	for i := range opt.Persons {
		// Referral is front-loaded: the programme opened with a backlog of citizens.
		day := int(math.Pow(r.Float64(), 1.6) * float64(days))
		p := person{id: fmt.Sprintf("P%06d", i+1), randomised: first.AddDate(0, 0, day)}
		u := r.Float64() * total
		for _, j := range jobcentres {
			if u -= j.weight; u < 0 || j.name == jobcentres[len(jobcentres)-1].name {
				p.jobcentre = j.name
				break
			}
		}
		p.age = 30 + int(math.Min(34, math.Abs(r.NormFloat64())*12))
		p.sex = "male"
		if r.Float64() < 0.46 {
			p.sex = "female"
		}
		p.targetGroup = "kontanthjælp"
		p.priorWeeks = 40 + r.IntN(13)
		if r.Float64() < 0.21 {
			p.targetGroup = "ressourceforløb"
			p.priorWeeks = 52
		}
		// Labour-market propensity: lower with age and for the rehabilitation group.
		p.propensity = math.Exp(0.6*r.NormFloat64() - 0.02*float64(p.age-40))
		if p.targetGroup == "ressourceforløb" {
			p.propensity *= 0.5
		}
		t.persons = append(t.persons, p)
	}
	t.randomise(r)
	return t
}

// randomise assigns arms in permuted blocks of two within each jobcentre, in
// order of referral.
func (t *Trial) randomise(r *rand.Rand) {
	order := make([]int, len(t.persons))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		pa, pb := t.persons[order[a]], t.persons[order[b]]
		if pa.jobcentre != pb.jobcentre {
			return pa.jobcentre < pb.jobcentre
		}
		return pa.randomised.Before(pb.randomised)
	})
	for b := 0; b < len(order); b += 2 {
		first := r.IntN(2) == 0
		t.persons[order[b]].treated = first
		if b+1 < len(order) && t.persons[order[b+1]].jobcentre == t.persons[order[b]].jobcentre {
			t.persons[order[b+1]].treated = !first
		}
	}
}

// WriteAssignment writes assignment.csv.
func (t *Trial) WriteAssignment(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "person_id,arm,randomised_on,stratum,age,sex,target_group,prior_benefit_weeks")
	for _, p := range t.persons {
		arm := "control"
		if p.treated {
			arm = "treatment"
		}
		fmt.Fprintf(bw, "%s,%s,%s,%s,%d,%s,%s,%d\n", p.id, arm, p.randomised.Format("2006-01-02"),
			p.jobcentre, p.age, p.sex, p.targetGroup, p.priorWeeks)
	}
	return bw.Flush()
}

// target curves: share of an arm in a state by week since randomisation.
func employedTarget(treated bool, k int) float64 {
	ramp := math.Min(float64(k), 35) / 35
	if treated {
		return 0.022 + 0.1*ramp
	}
	return 0.022 + 0.05*ramp
}

func wageTarget(treated bool, k int) float64 {
	if treated && k >= 13 {
		return 0.025
	}
	return 0.012
}

// markovStep moves a two-state chain with persistence stay so that an arm's
// share follows target: the entry probability is solved from
// target(k) = target(k−1)·stay + (1 − target(k−1))·enter, scaled by the
// person's propensity.
func markovStep(r *rand.Rand, in bool, prev, cur, stay, propensity float64) bool {
	if in {
		return r.Float64() < stay
	}
	enter := math.Max(0, (cur-prev*stay)/(1-prev)) * propensity
	return r.Float64() < enter
}

// WriteWeeks writes weeks.csv: a row for every person and calendar week from
// FirstWeek to ExtractEnd with hours or a status. It draws from its own
// stream of the seed, so it writes the same file however often it is called.
func (t *Trial) WriteWeeks(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "person_id,week,hours,status")
	t.eachWeek(func(p *person, cw int, hours float64, status string) {
		if hours == 0 && status == "" {
			return
		}
		fmt.Fprintf(bw, "%s,%s,%s,%s\n", p.id, pipeline.WeekFromIndex(cw), formatHours(hours), status)
	})
	return bw.Flush()
}

// eachWeek draws every person's hours and status in every calendar week from
// FirstWeek to ExtractEnd, person by person, from the trial's own stream of
// the seed: every export of the trial sees the same draws.
func (t *Trial) eachWeek(fn func(p *person, cw int, hours float64, status string)) {
	first, end := t.opt.FirstWeek.Index(), t.opt.ExtractEnd.Index()
	r := rand.New(rand.NewPCG(t.opt.Seed, 0x77656b73)) // "weks"
	for i := range t.persons {
		p := &t.persons[i]
		w0 := pipeline.WeekOf(p.randomised).Index()
		var (
			employed, wage, basePraktik bool
			jobHours                    float64
			programme                   = p.treated && r.Float64() < 0.6 // takes part in the programme
			progStart                   = 1 + r.IntN(3)
			progEnd                     = progStart + 12 + r.IntN(31)
			intensity                   = 0.2 + 0.6*r.Float64() // share of programme weeks in placement
			inBenefit                   = true
		)
		for cw := first; cw <= end; cw++ {
			k := cw - w0
			tr := p.treated && k > 0
			kk := max(k, 0)
			// Employment.
			was := employed
			employed = markovStep(r, employed, employedTarget(tr, kk-1), employedTarget(tr, kk), 0.9, p.propensity)
			if employed && !was {
				jobHours = drawJobHours(r, tr)
			}
			// Wage subsidy.
			wage = markovStep(r, wage, wageTarget(tr, kk-1), wageTarget(tr, kk), 0.94, p.propensity)
			// Internship: the ordinary process (about 10 %), or the programme's placements.
			basePraktik = markovStep(r, basePraktik, 0.10, 0.10, 0.93, 1)
			praktik := basePraktik || programme && k >= progStart && k < progEnd && r.Float64() < intensity
			if k >= 0 && r.Float64() < 0.002 {
				inBenefit = false // leaves public support (education, moves)
			}
			hours := 0.0
			if employed {
				hours = math.Round(jobHours*(0.8+0.4*r.Float64())*100) / 100
			}
			status := "benefit"
			switch {
			case wage:
				status = "wage_subsidy"
			case praktik:
				status = "praktik"
			case hours >= 30 || !inBenefit:
				status = ""
			}
			fn(p, cw, hours, status)
		}
	}
}

// drawJobHours draws a job's weekly hours: participants' extra jobs were
// mostly small (5–10 h) or full time.
func drawJobHours(r *rand.Rand, treated bool) float64 {
	small, mid := 0.38, 0.25
	if treated {
		small = 0.45
	}
	switch u := r.Float64(); {
	case u < small:
		return 5 + 5*r.Float64()
	case u < small+mid:
		return 10 + 15*r.Float64()
	default:
		return 28 + 9*r.Float64()
	}
}

func formatHours(h float64) string {
	if h == 0 {
		return "0"
	}
	return fmt.Sprintf("%.2f", h)
}
