package reports

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"math"
	"strings"

	"rcteval/pipeline"
	"rcteval/pipeline/analysis"
)

// DefaultLandmarks are the weeks shown in the report's effect tables when
// the spec names none.
var DefaultLandmarks = []int{13, 26, 35, 44}

// ReportInput is everything the HTML report shows: the disclosed results,
// the charts drawn from them and how to present them; never microdata.
type ReportInput struct {
	Trial     string // the trial's name, from the spec; may be empty
	Lang      Lang
	Results   *analysis.Disclosed
	Landmarks []int             // weeks of the effect tables; nil: DefaultLandmarks
	Titles    map[string]string // outcome → title (the spec's label); missing: the catalogue's
	Labels    Labels
	Charts    []*Figure
}

// Labels are display names in the report's language, from the spec: of
// covariates (by their name in the results; "stratum" for the stratum) and
// of their levels. A name without a label is shown as it is, except the
// panel's own rows (stratum, follow-up, pre-period), which the catalogue
// names.
type Labels struct {
	Covariates map[string]string
	Levels     map[string]map[string]string // covariate → level → label
}

// covariate is the display name of a covariate.
func (l Labels) covariate(lang Lang, name string) string {
	if t := l.Covariates[name]; t != "" {
		return t
	}
	if key := "covariate." + name; hasText(key) {
		return T(lang, key)
	}
	return name
}

// level is the display name of a covariate's level.
func (l Labels) level(covariate, level string) string {
	if t := l.Levels[covariate][level]; t != "" {
		return t
	}
	return level
}

type reportView struct {
	ReportInput
	Level               float64
	MinCell             int
	Summary             analysis.Trial
	EffectsNote         string
	Method              string
	Definitions         []definitionView
	Family              []familyView
	FamilyNote          string
	Accounting          *pipeline.Accounting
	Rejected            []pipeline.ReasonCount
	NoRows, NeverAtRisk int
	DataNotes           []string
	BalanceRows         []balanceView
	BalanceNotes        []string
	Outcomes            []outcomeView
}

// balanceView is a balance row as shown: the covariate is named on its
// first row only, covariate and level by their labels.
type balanceView struct {
	analysis.BalanceRow
	Name, LevelText string
}

type outcomeView struct {
	Name, Title string
	Binary      bool
	Landmarks   []landmarkView
	PNG         template.URL
}

// familyView is a member of the multiplicity family with its outcome's title.
type familyView struct {
	analysis.FamilyRow
	Title string
}

// definitionView is an outcome's definition in words.
type definitionView struct {
	Title, Text string
}

// landmarkView is a row of a landmark table: an estimated week, or a
// landmark beyond the follow-up (NotYet, with the last week followed).
type landmarkView struct {
	analysis.Effect
	NotYet   bool
	LastWeek int
}

// WriteReport renders the self-contained HTML report.
func WriteReport(path string, in ReportInput) error {
	b, err := RenderReport(in)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, b)
}

// RenderReport renders the HTML report to bytes.
func RenderReport(in ReportInput) ([]byte, error) {
	d := in.Results
	acc := d.Accounting()
	v := reportView{ReportInput: in, Level: d.Plan().Level, MinCell: d.Plan().MinCell, Summary: d.Trial(), Accounting: acc,
		Rejected: acc.Rejected(), NoRows: acc.NoRows[0] + acc.NoRows[1],
		NeverAtRisk: acc.NeverAtRisk[0] + acc.NeverAtRisk[1], DataNotes: d.DataNotes()}
	est, variance := d.Estimator()
	if est == analysis.Plain && variance == "CR2" {
		est = "plain_cr2"
	}
	v.EffectsNote = T(in.Lang, "effects_note."+est) + " " + T(in.Lang, "effects_note.common")
	v.Method = T(in.Lang, "method."+est)
	if ri := d.RI(); ri != nil && ri.Skipped == "" {
		if ri.Exact {
			v.Method += "; " + fmt.Sprintf(T(in.Lang, "method.ri_exact"), thousands(in.Lang, ri.Draws))
		} else {
			v.Method += "; " + fmt.Sprintf(T(in.Lang, "method.ri"), thousands(in.Lang, ri.Draws), ri.Seed)
		}
	}
	for _, o := range d.Trial().Outcomes {
		title := in.Titles[o.Name]
		if title == "" {
			title = OutcomeTitle(in.Lang, o.Name)
		}
		if key := "definition." + o.Name; hasText(key) {
			v.Definitions = append(v.Definitions, definitionView{Title: title, Text: T(in.Lang, key)})
		}
	}
	for _, f := range d.Family() {
		title := in.Titles[f.Outcome]
		if title == "" {
			title = OutcomeTitle(in.Lang, f.Outcome)
		}
		v.Family = append(v.Family, familyView{FamilyRow: f, Title: title})
	}
	if ri := d.RI(); ri == nil || ri.Skipped != "" {
		v.FamilyNote = T(in.Lang, "family_note.no_ri")
	}
	balance := d.Balance()
	for i, r := range balance.Rows {
		bv := balanceView{BalanceRow: r, LevelText: in.Labels.level(r.Covariate, r.Level)}
		if i == 0 || balance.Rows[i-1].Covariate != r.Covariate {
			bv.Name = in.Labels.covariate(in.Lang, r.Covariate)
		}
		v.BalanceRows = append(v.BalanceRows, bv)
	}
	for _, n := range balance.Notes {
		v.BalanceNotes = append(v.BalanceNotes, BalanceNoteText(in.Lang, n))
	}
	byOutcome := map[string][]analysis.Effect{}
	var order []string
	for _, r := range d.Effects() {
		if _, ok := byOutcome[r.Outcome]; !ok {
			order = append(order, r.Outcome)
		}
		byOutcome[r.Outcome] = append(byOutcome[r.Outcome], r)
	}
	charts := map[string]*Figure{}
	for _, c := range in.Charts {
		charts[c.Name] = c
	}
	for _, name := range order {
		rows := byOutcome[name]
		title := in.Titles[name]
		if title == "" {
			title = OutcomeTitle(in.Lang, name)
		}
		ov := outcomeView{Name: name, Title: title, Binary: rows[0].Binary}
		landmarks := in.Landmarks
		if landmarks == nil {
			landmarks = DefaultLandmarks
		}
		ov.Landmarks = landmarkRows(rows, landmarks)
		if c, ok := charts[name]; ok {
			png, err := c.Encode("png")
			if err != nil {
				return nil, err
			}
			ov.PNG = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		}
		v.Outcomes = append(v.Outcomes, ov)
	}
	var b bytes.Buffer
	if err := reportTemplate(in.Lang, v.Level).Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// landmarkRows are the rows of the landmark weeks; a landmark beyond the
// follow-up is shown as not yet observable, and the last week followed is
// offered in its place.
func landmarkRows(rows []analysis.Effect, landmarks []int) []landmarkView {
	var out []landmarkView
	last := rows[len(rows)-1].Week
	shownLast := false
	for _, lm := range landmarks {
		if lm > last {
			if !shownLast {
				out = append(out, landmarkView{Effect: rows[len(rows)-1]})
				shownLast = true
			}
			out = append(out, landmarkView{Effect: analysis.Effect{Week: lm}, NotYet: true, LastWeek: last})
			continue
		}
		for _, r := range rows {
			if r.Week == lm {
				out = append(out, landmarkView{Effect: r})
				shownLast = shownLast || lm == last
			}
		}
	}
	return out
}

// signed formats v with a sign, but never "-0.0": a value that rounds to
// zero is shown unsigned.
func signed(format string, v float64) string {
	t := fmt.Sprintf(format, v)
	if strings.Trim(t, "+-0.,") == "" {
		return strings.TrimLeft(t, "+-")
	}
	return t
}

// BalanceNoteText is a balance note in lang.
func BalanceNoteText(lang Lang, n analysis.BalanceNote) string {
	key := "balance_note." + n.Kind
	switch n.Kind {
	case analysis.NoteAllPooled:
		return fmt.Sprintf(T(lang, key), n.Covariate, n.MinCell, analysis.OtherLevel)
	case analysis.NoteFewValues:
		return fmt.Sprintf(T(lang, key), n.Covariate, n.MinCell)
	case analysis.NoteJointPerfectFit:
		return T(lang, key)
	}
	return fmt.Sprintf(T(lang, key), n.Covariate)
}

func reportTemplate(lang Lang, level float64) *template.Template {
	dec := func(s string) string {
		if lang == Danish {
			return strings.NewReplacer(".", ",", ",", ".").Replace(s)
		}
		return s
	}
	funcs := template.FuncMap{
		"t":      func(key string) string { return T(lang, key) },
		"tl":     func(key string) string { return TLevel(lang, key, level) },
		"reason": func(code string) string { return T(lang, "reject."+code) },
		"int":    func(n int) string { return dec(groupThousands(n)) },
		"pct":    func(v float64) string { return dec(fmtOr(v, "%.1f %%", 100)) },
		"pp": func(v float64) string {
			if math.IsNaN(v) {
				return "–"
			}
			return dec(signed("%+.1f", 100*v))
		},
		"num": func(v float64) string { return dec(fmtOr(v, "%.2f", 1)) },
		"snum": func(v float64) string {
			if math.IsNaN(v) {
				return "–"
			}
			return dec(signed("%+.2f", v))
		},
		"smd": func(v float64) string { return dec(fmtOr(v, "%+.3f", 1)) },
		"p": func(v float64) string {
			if v < 0.001 {
				return dec("< 0.001")
			}
			return dec(fmtOr(v, "%.3f", 1))
		},
		"level": func(l float64) string { return dec(fmt.Sprintf("%g", 100*l)) },
		"mean": func(binary bool, v float64) string {
			if binary {
				return dec(fmtOr(v, "%.1f %%", 100))
			}
			return dec(fmtOr(v, "%.2f", 1))
		},
		// Effects and their intervals with the same decimals: percentage
		// points with one, hours with two.
		"diff": func(binary bool, v float64) string {
			if math.IsNaN(v) {
				return "–"
			}
			if binary {
				return dec(signed("%+.1f", 100*v))
			}
			return dec(signed("%+.2f", v))
		},
		"ci": func(binary bool, lo, hi float64) string {
			if math.IsNaN(lo) {
				return "–"
			}
			if binary {
				return dec("[" + signed("%+.1f", 100*lo) + "; " + signed("%+.1f", 100*hi) + "]")
			}
			return dec("[" + signed("%+.2f", lo) + "; " + signed("%+.2f", hi) + "]")
		},
		"add": func(a, b int) int { return a + b },
	}
	return template.Must(template.New("report").Funcs(funcs).Parse(reportHTML))
}

func fmtOr(v float64, format string, scale float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf(format, scale*v)
}

func groupThousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
