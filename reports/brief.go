package reports

import (
	"cmp"
	"strings"
)

// Brief is what the chart page shows of a published run, in a language,
// so that a chart taken from it can be traced: the report's title and
// kind, its key facts, the summary's sentence per primary outcome, a
// midterm's warning, the methods line and the provenance.
type Brief struct {
	Title    string   `json:"title"`
	Kind     string   `json:"kind"`
	Facts    []Fact   `json:"facts"`
	Headline []string `json:"headline"`
	Warning  string   `json:"warning"` // empty: none
	// Criteria is a final report's tally of the success criteria.
	Criteria string `json:"criteria"`
	// Methods is one line: the estimator, the intervals, the disclosure
	// rule.
	Methods string `json:"methods"`
	// Version is rcteval's version, commit and Go; Inputs the input files
	// with their SHA-256.
	Version string        `json:"version"`
	Inputs  []Fingerprint `json:"inputs,omitempty"`
}

// Brief is p's brief in lang.
func (p *Published) Brief(lang Lang) Brief {
	landmarks := p.Results.Plan().Landmarks
	if landmarks == nil {
		landmarks = DefaultLandmarks
	}
	r := newReport(ReportInput{Trial: p.Trial, Kind: cmp.Or(p.Kind, Midterm), WarnAtRisk: p.WarnAtRisk, Lang: lang, Results: p.Results,
		Landmarks: landmarks, Titles: p.Titles[lang], Labels: p.Labels[lang], Provenance: &p.Provenance})
	b := Brief{Title: r.docTitle(), Kind: r.t("kind." + r.Kind), Facts: r.facts(), Inputs: p.Provenance.Inputs,
		Version: p.Provenance.Program()}
	for _, o := range r.headlineOutcomes() {
		if e, ok := r.headline(r.d.OutcomeEffects(o.Name)); ok {
			b.Headline = append(b.Headline, r.sentence(e))
		}
	}
	if r.warnWeek >= 0 {
		b.Warning = r.warning()
	}
	if r.Kind == Final {
		b.Criteria = r.criteriaTally()
	}
	plan := r.d.Plan()
	b.Methods = strings.Join([]string{
		r.t("method") + ": " + r.method(),
		r.t("methods.ci") + ": " + r.tf("methods.ci_text", r.n.level(plan.Level)),
		r.tf("disclosure", plan.MinCell),
	}, ". ")
	return b
}
