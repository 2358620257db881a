package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"rcteval/pipeline/analysis"
)

// DefaultLandmarks are the weeks shown in the report's effect tables when
// the spec names none.
var DefaultLandmarks = []int{13, 26, 35, 44}

// The kinds of report.
const (
	Midterm = "midterm" // effects to date, with warnings where few are followed
	Final   = "final"   // the full follow-up judged against the success criteria
)

// ReportInput is everything a report shows: the disclosed results and how
// to present them; never microdata.
type ReportInput struct {
	Trial string // the trial's name, from the spec; may be empty
	// Kind is Midterm or Final ("": Midterm).
	Kind string
	// WarnAtRisk is the share of an arm still followed below which a
	// midterm report warns (0: never).
	WarnAtRisk float64
	Lang       Lang
	Results    *analysis.Disclosed
	Landmarks  []int             // weeks of the effect tables; nil: DefaultLandmarks
	Titles     map[string]string // outcome → title (the spec's label); missing: the catalogue's
	Labels     Labels
	Provenance *Provenance // nil: the methods section has no fingerprints
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

// report builds a Document from a ReportInput.
type report struct {
	ReportInput
	d        *analysis.Disclosed
	n        numbers
	level    float64
	warnWeek int // the first week a midterm report warns on; −1: none
	tables   int // tables numbered so far
	figures  int
	err      error // the first error drawing a figure
}

func (r *report) t(key string) string { return T(r.Lang, key) }

// tf is the text for key with fmt arguments.
func (r *report) tf(key string, args ...any) string { return fmt.Sprintf(T(r.Lang, key), args...) }

// title is an outcome's title: the spec's label, else the catalogue's.
func (r *report) title(outcome string) string {
	if t := r.Titles[outcome]; t != "" {
		return t
	}
	return OutcomeTitle(r.Lang, outcome)
}

// BuildReport lays out the report of in as a Document: a summary in plain
// words, (final) the success criteria, the data and follow-up, balance, a
// chapter per outcome, multiplicity, (final) the jobcentre effects, and the
// methods with the run's provenance.
func BuildReport(in ReportInput) (*Document, error) {
	if in.Kind == "" {
		in.Kind = Midterm
	}
	if in.Kind != Midterm && in.Kind != Final {
		return nil, fmt.Errorf("unknown report kind %q; expected midterm or final", in.Kind)
	}
	if in.Landmarks == nil {
		in.Landmarks = DefaultLandmarks
	}
	r := newReport(in)
	doc := &Document{Lang: in.Lang, Title: r.docTitle(), Subtitle: r.t("kind." + in.Kind), Facts: r.facts()}
	doc.Sections = append(doc.Sections, r.summary())
	if in.Kind == Final {
		doc.Sections = append(doc.Sections, r.criteria())
	}
	doc.Sections = append(doc.Sections, r.data(), r.balance())
	doc.Sections = append(doc.Sections, r.effects()...)
	if s, ok := r.family(); ok {
		doc.Sections = append(doc.Sections, s)
	}
	if in.Kind == Final {
		if s, ok := r.jobcentres(); ok {
			doc.Sections = append(doc.Sections, s)
		}
	}
	doc.Sections = append(doc.Sections, r.methods())
	return doc, r.err
}

// newReport is the report of in, whose Kind and Landmarks are set.
func newReport(in ReportInput) *report {
	d := in.Results
	r := &report{ReportInput: in, d: d, n: numbers{in.Lang}, level: d.Plan().Level, warnWeek: -1}
	if in.Kind == Midterm {
		r.warnWeek = warnWeek(d.Attrition(), in.WarnAtRisk)
	}
	return r
}

// docTitle is the report's title, with the trial's name.
func (r *report) docTitle() string {
	if r.Trial != "" {
		return r.t("report_title") + ": " + r.Trial
	}
	return r.t("report_title")
}

// facts are the report's key facts: persons, extract end, method, version.
func (r *report) facts() []Fact {
	tr := r.d.Trial()
	facts := []Fact{
		{r.t("persons"), r.tf("persons_text", r.n.int(tr.Treatment+tr.Control), r.n.int(tr.Treatment), r.n.int(tr.Control))},
		{r.t("extract_end"), tr.ExtractEnd.String()},
		{r.t("method"), r.method()},
	}
	if p := r.Provenance; p != nil {
		facts = append(facts, Fact{r.t("version"), p.Version})
	}
	return facts
}

// warnWeek is the first week at which fewer than share of an arm's
// persons are still followed; −1 when there is none.
func warnWeek(rows []analysis.AttritionRow, share float64) int {
	for _, a := range rows {
		if a.Suppressed == "" && (a.ShareTreatment < share || a.ShareControl < share) {
			return a.Week
		}
	}
	return -1
}

// method names the estimator and randomisation inference in a line.
func (r *report) method() string {
	m := r.t("method." + r.estimatorKey())
	if ri := r.d.RI(); ri != nil && ri.Skipped == "" {
		if ri.Exact {
			m += "; " + r.tf("method.ri_exact", r.n.int(ri.Draws))
		} else {
			m += "; " + r.tf("method.ri", r.n.int(ri.Draws), ri.Seed)
		}
	}
	return m
}

// estimatorKey is the catalogue's name of the run's estimator.
func (r *report) estimatorKey() string {
	est, variance := r.d.Estimator()
	if est == analysis.Plain && variance == "CR2" {
		return "plain_cr2"
	}
	if est == "" {
		return analysis.Plain
	}
	return est
}

// headline is the row an outcome's summary speaks of: at the last
// landmark with an estimate, else the last week estimated; ok is false when
// no week is estimated.
func (r *report) headline(rows []analysis.Effect) (e analysis.Effect, ok bool) {
	for _, row := range rows {
		if row.Estimated && r.isLandmark(row.Week) && (!ok || row.Week > e.Week) {
			e, ok = row, true
		}
	}
	for i := len(rows) - 1; i >= 0 && !ok; i-- {
		if rows[i].Estimated {
			e, ok = rows[i], true
		}
	}
	return e, ok
}

// headlineOutcomes are the primary outcomes, or every outcome when none is
// primary.
func (r *report) headlineOutcomes() []analysis.OutcomeInfo {
	var out []analysis.OutcomeInfo
	primary := r.d.Plan().Primary
	for _, o := range r.d.Trial().Outcomes {
		for _, p := range primary {
			if p == o.Name {
				out = append(out, o)
			}
		}
	}
	if len(out) == 0 {
		out = r.d.Trial().Outcomes
	}
	return out
}

// sentence is an outcome's result at a week in plain words.
func (r *report) sentence(e analysis.Effect) string {
	title := r.title(e.Outcome)
	var s string
	if e.Binary {
		s = r.tf("summary.share", e.Week, title, r.n.pct(e.MeanTreatment), r.n.pct(e.MeanControl), r.n.diff(true, e.Estimate.Estimate))
	} else {
		s = r.tf("summary.mean", e.Week, title, r.n.fixed(e.MeanTreatment, 2), r.n.fixed(e.MeanControl, 2), r.n.diff(false, e.Estimate.Estimate))
	}
	s += " (" + r.tf("summary.ci", r.n.level(r.level), r.n.ci(e.Binary, e.CILow, e.CIHigh)) + ")."
	switch {
	case e.CILow > 0 || e.CIHigh < 0:
		s += " " + r.t("summary.significant")
	default:
		s += " " + r.t("summary.not_significant")
	}
	for _, b := range r.d.Bands() {
		if b.Outcome == e.Outcome && b.FirstWeekCIAbove >= 0 && b.FirstWeekCIAbove <= e.Week {
			s += " " + r.tf("summary.from_week", b.FirstWeekCIAbove)
		}
	}
	return s
}

func (r *report) summary() Section {
	s := Section{ID: "summary", Title: r.t("summary_title"), Level: 1}
	tr := r.d.Trial()
	s.Blocks = append(s.Blocks, Paragraph{Text: r.tf("summary.trial", r.n.int(tr.Treatment+tr.Control), tr.FirstRandomised, tr.LastRandomised,
		r.n.int(tr.Treatment), r.n.int(tr.Control), tr.ExtractEnd, tr.FollowUpWeeks)})
	var lines []string
	for _, o := range r.headlineOutcomes() {
		if e, ok := r.headline(r.d.OutcomeEffects(o.Name)); ok {
			lines = append(lines, r.sentence(e))
		}
	}
	if len(lines) > 0 {
		s.Blocks = append(s.Blocks, List{Items: lines})
	}
	if r.Kind == Final {
		if len(r.d.Criteria()) == 0 {
			s.Blocks = append(s.Blocks, Paragraph{Text: r.criteriaTally(), Style: ParagraphNote})
		} else {
			s.Blocks = append(s.Blocks, Paragraph{Text: r.criteriaTally() + " " + r.t("summary.see_criteria")})
		}
	} else {
		s.Blocks = append(s.Blocks, Paragraph{Text: r.t("summary.midterm"), Style: ParagraphNote})
		if r.warnWeek >= 0 {
			s.Blocks = append(s.Blocks, Paragraph{Text: r.warning(), Style: ParagraphWarning})
		}
	}
	for _, b := range r.d.Balance().Rows {
		if b.Covariate == "joint" && !math.IsNaN(b.PValue) {
			key := "summary.balanced"
			if b.PValue < 0.05 {
				key = "summary.imbalanced"
			}
			s.Blocks = append(s.Blocks, Paragraph{Text: r.tf(key, r.n.p(b.PValue))})
		}
	}
	disclosure := r.tf("disclosure", r.d.Plan().MinCell)
	if cells := suppressedCells(r.d.Suppressions()); cells > 0 {
		disclosure += " " + r.tf("summary.suppressed", r.n.int(cells))
	}
	s.Blocks = append(s.Blocks, Paragraph{Text: disclosure, Style: ParagraphNote})
	return s
}

// criteriaTally says how many success criteria were met, not met and not
// shown.
func (r *report) criteriaTally() string {
	count := map[string]int{}
	for _, c := range r.d.Criteria() {
		count[c.Verdict]++
	}
	if n := len(r.d.Criteria()); n > 0 {
		return r.tf("summary.criteria", count[analysis.Met], n, count[analysis.NotMet], count[analysis.NotShown])
	}
	return r.t("summary.no_criteria")
}

// suppressedCells is the number of cells suppressed in all tables.
func suppressedCells(counts []analysis.SuppressionCount) int {
	n := 0
	for _, c := range counts {
		n += c.Cells
	}
	return n
}

// chartWarning is the share followed below which charts are marked: a
// midterm report's, none in a final report.
func (r *report) chartWarning() float64 {
	if r.Kind == Midterm {
		return r.WarnAtRisk
	}
	return 0
}

// warning is the midterm warning on weeks from warnWeek on.
func (r *report) warning() string {
	return r.tf("warn_at_risk", r.warnWeek, r.n.fixed(100*r.WarnAtRisk, 0))
}

func (r *report) criteria() Section {
	s := Section{ID: "criteria", Title: r.t("criteria_title"), Level: 1}
	cs := r.d.Criteria()
	if len(cs) == 0 {
		s.Blocks = append(s.Blocks, Paragraph{Text: r.t("summary.no_criteria")})
		return s
	}
	t := r.table(r.t("criteria_title"), []Column{{Title: r.t("criterion")}, {Title: r.t("weeks_col"), Numeric: true}, {Title: r.t("target"), Numeric: true},
		{Title: r.t("estimate"), Numeric: true}, {Title: r.tf("ci_col", r.n.level(r.level)), Numeric: true}, {Title: r.t("verdict")}})
	for _, c := range cs {
		label := c.Label[string(r.Lang)]
		if label == "" {
			label = r.criterionText(c)
		}
		weeks := ""
		if c.Kind != analysis.CriterionNotInData {
			weeks = fmt.Sprint(c.FromWeek)
			if c.ToWeek != c.FromWeek {
				weeks += "–" + fmt.Sprint(c.ToWeek)
			}
		}
		target, est, ci := "", "–", "–"
		binary := r.binary(c.Outcome)
		switch c.Kind {
		case analysis.CriterionHoursRatio:
			target, est = r.n.fixed(c.Target, 2), r.n.fixed(c.Estimate, 2)
			if !math.IsNaN(c.CILow) {
				ci = "[" + r.n.fixed(c.CILow, 2) + "; " + r.n.fixed(c.CIHigh, 2) + "]"
			}
		case analysis.CriterionEffect:
			target, est, ci = r.n.diff(binary, c.Target), r.n.diff(binary, c.Estimate), r.n.ci(binary, c.CILow, c.CIHigh)
		}
		verdict := r.t("verdict." + c.Verdict)
		if c.Reason != "" {
			verdict += ": " + r.t("reason."+c.Reason)
		}
		t.Rows = append(t.Rows, []Cell{text(label), text(weeks), text(target), {Text: est, Value: c.Estimate}, text(ci), text(verdict)})
	}
	t.Note = r.t("criteria_note")
	s.Blocks = append(s.Blocks, t)
	return s
}

// criterionText words a criterion that has no label.
func (r *report) criterionText(c analysis.CriterionResult) string {
	switch c.Kind {
	case analysis.CriterionHoursRatio:
		return r.tf("criterion.hours_ratio", r.n.fixed(c.Target, 1))
	case analysis.CriterionEffect:
		return r.tf("criterion.effect", r.title(c.Outcome), c.Week, r.n.diff(r.binary(c.Outcome), c.Target))
	}
	return r.t("criterion.not_in_data")
}

// binary reports whether an outcome is a share.
func (r *report) binary(outcome string) bool {
	for _, o := range r.d.Trial().Outcomes {
		if o.Name == outcome {
			return o.Binary
		}
	}
	return false
}

// table starts a numbered table.
func (r *report) table(caption string, cols []Column) Table {
	r.tables++
	return Table{Number: r.tables, Caption: caption, Columns: cols}
}

// indent sets a row under its group's first row (no-break spaces, which
// HTML keeps and the PDF's font has).
const indent = "\u00a0\u00a0\u00a0"

// text is a text cell.
func text(s string) Cell { return Cell{Text: s, Value: math.NaN()} }

// suppressed is a cell blanked by disclosure control, naming the rule.
func (r *report) suppressed(rule string) Cell {
	return Cell{Text: r.t("suppressed") + " (" + rule + ")", Value: math.NaN(), Suppressed: true}
}

// count is a count cell.
func (r *report) count(v int) Cell { return Cell{Text: r.n.int(v), Value: float64(v)} }

func (r *report) data() Section {
	s := Section{ID: "data", Title: r.t("data"), Level: 1}
	tr := r.d.Trial()
	s.Blocks = append(s.Blocks, FactList{Items: []Fact{
		{r.t("persons"), r.tf("persons_text", r.n.int(tr.Treatment+tr.Control), r.n.int(tr.Treatment), r.n.int(tr.Control))},
		{r.t("randomised"), tr.FirstRandomised.String() + " – " + tr.LastRandomised.String()},
		{r.t("extract_end"), tr.ExtractEnd.String()},
		{r.t("follow_up"), fmt.Sprint(tr.FollowUpWeeks) + " " + r.t("weeks")},
	}})
	acc := r.d.Accounting()
	t := r.table(r.t("rows_title"), []Column{{Title: r.t("rows_what")}, {Title: r.t("rows_count"), Numeric: true}})
	for _, src := range acc.Sources {
		t.Rows = append(t.Rows, []Cell{{Text: src.Source + ": " + r.t("unit."+src.Unit) + " " + r.t("rows_read"), Value: math.NaN(), Group: true}, r.count(src.Read)})
		if src.Used > 0 {
			t.Rows = append(t.Rows, []Cell{text(indent + r.t("rows_used")), r.count(src.Used)})
		} else {
			t.Rows = append(t.Rows, []Cell{text(indent + r.t("rows_followup")), r.count(src.FollowUp)},
				[]Cell{text(indent + r.t("rows_pre")), r.count(src.PrePeriod)})
		}
		if src.Outside > 0 {
			t.Rows = append(t.Rows, []Cell{text(indent + r.t("rows_outside")), r.count(src.Outside)})
		}
		t.Rows = append(t.Rows, []Cell{text(indent + r.t("rows_rejected")), r.count(src.Rejected)})
	}
	rejected := acc.Rejected()
	for _, rc := range rejected {
		t.Rows = append(t.Rows, []Cell{text(r.t("rejected_reason") + ": " + r.t("reject."+rc.Reason)), r.count(rc.Rows)})
	}
	t.Rows = append(t.Rows, []Cell{{Text: r.t("no_rows"), Value: math.NaN(), Group: true}, r.count(acc.NoRows[0] + acc.NoRows[1])},
		[]Cell{text(r.t("never_at_risk")), r.count(acc.NeverAtRisk[0] + acc.NeverAtRisk[1])})
	if len(rejected) > 0 {
		t.Note = r.t("rejects_file")
	}
	s.Blocks = append(s.Blocks, t)
	if notes := r.d.DataNotes(); len(notes) > 0 {
		s.Blocks = append(s.Blocks, Paragraph{Text: r.t("data_notes") + ":", Style: ParagraphNote}, List{Items: notes})
	}
	// Who is still followed at the landmark weeks.
	at := r.table(r.t("followed_title"), []Column{{Title: r.t("week"), Numeric: true}, {Title: r.t("treatment"), Numeric: true},
		{Title: r.t("control"), Numeric: true}})
	for _, a := range r.d.Attrition() {
		if !r.isLandmark(a.Week) {
			continue
		}
		if a.Suppressed != "" {
			at.Rows = append(at.Rows, []Cell{r.count(a.Week), r.suppressed(a.Suppressed), {Value: math.NaN(), Suppressed: true}})
			continue
		}
		at.Rows = append(at.Rows, []Cell{r.count(a.Week),
			{Text: r.n.int(a.AtRiskTreatment) + " (" + r.n.pct(a.ShareTreatment) + ")", Value: a.ShareTreatment},
			{Text: r.n.int(a.AtRiskControl) + " (" + r.n.pct(a.ShareControl) + ")", Value: a.ShareControl}})
	}
	if len(at.Rows) > 0 {
		at.Note = r.t("followed_note")
		s.Blocks = append(s.Blocks, at)
	}
	r.addFigure(&s, "at_risk", "", r.t("caption.at_risk"), "", 0)
	return s
}

func (r *report) isLandmark(week int) bool {
	for _, l := range r.Landmarks {
		if l == week {
			return true
		}
	}
	return false
}

func (r *report) balance() Section {
	s := Section{ID: "balance", Title: r.t("balance"), Level: 1}
	t := r.table(r.t("balance"), []Column{{Title: r.t("covariate")}, {Title: r.t("level")}, {Title: r.t("treatment"), Numeric: true},
		{Title: r.t("control"), Numeric: true}, {Title: r.t("difference"), Numeric: true}, {Title: "SMD", Numeric: true},
		{Title: r.t("p_value"), Numeric: true}, {Title: r.t("test")}})
	b := r.d.Balance()
	blank := Cell{Value: math.NaN()}
	for i, row := range b.Rows {
		name := ""
		first := i == 0 || b.Rows[i-1].Covariate != row.Covariate
		if first {
			name = r.Labels.covariate(r.Lang, row.Covariate)
		}
		p := Cell{Text: r.n.p(row.PValue), Value: row.PValue}
		test := blank
		if row.Test != "" {
			test = text(r.t("test." + row.Test))
		}
		switch {
		case row.Covariate == "joint":
			t.Rows = append(t.Rows, []Cell{{Text: r.t("joint"), Value: math.NaN(), Group: true}, blank, blank, blank, blank, blank, p, test})
		case row.Test == "chi_squared":
			t.Rows = append(t.Rows, []Cell{blank, blank, blank, blank, blank, blank, p, test})
		case row.Suppressed != "":
			t.Rows = append(t.Rows, []Cell{{Text: name, Value: math.NaN(), Group: first}, text(r.Labels.level(row.Covariate, row.Level)),
				r.suppressed(row.Suppressed), blank, blank, blank, blank, blank})
		case row.Level != "":
			t.Rows = append(t.Rows, []Cell{{Text: name, Value: math.NaN(), Group: first}, text(r.Labels.level(row.Covariate, row.Level)),
				{Text: r.n.pct(row.MeanTreatment), Value: row.MeanTreatment}, {Text: r.n.pct(row.MeanControl), Value: row.MeanControl},
				{Text: r.n.diff(true, row.Difference), Value: row.Difference}, {Text: r.n.dec(signed("%+.3f", row.SMD)), Value: row.SMD}, blank, blank})
		default:
			t.Rows = append(t.Rows, []Cell{{Text: name, Value: math.NaN(), Group: true}, blank,
				{Text: r.n.fixed(row.MeanTreatment, 2), Value: row.MeanTreatment}, {Text: r.n.fixed(row.MeanControl, 2), Value: row.MeanControl},
				{Text: r.n.diff(false, row.Difference), Value: row.Difference}, {Text: r.n.dec(signed("%+.3f", row.SMD)), Value: row.SMD}, p, test})
		}
	}
	t.Note = r.t("balance_note")
	s.Blocks = append(s.Blocks, t)
	if len(b.Notes) > 0 {
		var notes []string
		for _, n := range b.Notes {
			notes = append(notes, BalanceNoteText(r.Lang, n))
		}
		s.Blocks = append(s.Blocks, Paragraph{Text: r.t("balance_notes") + ":", Style: ParagraphNote}, List{Items: notes})
	}
	r.addFigure(&s, "balance", "", r.t("caption.balance"), "", 0)
	return s
}

// effects is the effects chapter and a section per outcome: its definition,
// figure, landmark table and the first week its interval stays above zero.
func (r *report) effects() []Section {
	intro := Section{ID: "effects", Title: r.t("effects"), Level: 1, Blocks: []Block{
		Paragraph{Text: r.t("effects_note."+r.estimatorKey()) + " " + r.t("effects_note.common"), Style: ParagraphNote}}}
	out := []Section{intro}
	for i, o := range r.d.Trial().Outcomes {
		rows := r.d.OutcomeEffects(o.Name)
		if len(rows) == 0 {
			continue
		}
		title := r.title(o.Name)
		s := Section{ID: fmt.Sprintf("outcome-%d", i+1), Title: title, Level: 2}
		if key := "definition." + o.Name; hasText(key) {
			s.Blocks = append(s.Blocks, Paragraph{Text: r.t(key)})
		}
		r.addFigure(&s, "means_effect", o.Name, title, "", 0) // the chart itself marks the weeks few are followed
		s.Blocks = append(s.Blocks, r.landmarkTable(title, o.Binary, rows))
		for _, b := range r.d.Bands() {
			if b.Outcome != o.Name {
				continue
			}
			switch {
			case b.FirstWeekCIAbove >= 0 && b.FirstWeekBandAbove >= 0:
				s.Blocks = append(s.Blocks, Paragraph{Text: r.tf("first_week_both", b.FirstWeekCIAbove, b.FirstWeekBandAbove)})
			case b.FirstWeekCIAbove >= 0:
				s.Blocks = append(s.Blocks, Paragraph{Text: r.tf("first_week_ci", b.FirstWeekCIAbove)})
			default:
				s.Blocks = append(s.Blocks, Paragraph{Text: r.t("first_week_none")})
			}
		}
		// The distribution of positive hours (the midterm's Figure 7) with
		// the hours, and the cumulative incidence with a sustained outcome.
		if h := r.d.HoursDistribution(); h != nil && h.Outcome == o.Name {
			r.addFigure(&s, "fig7_hours_bands", "", r.tf("caption.hours_bands", h.Week), "", 0)
		}
		r.addFigure(&s, "km", o.Name, r.tf("caption.km", title), "", 0)
		out = append(out, s)
	}
	return out
}

// addFigure adds chart name (for outcome; "" for a chart without one) to s
// as the report's next figure, captioned caption, with note under it. A chart these results cannot draw is
// left out: the tables beside it say why. The first error drawing one is
// kept in r.err.
func (r *report) addFigure(s *Section, name, outcome, caption, note string, week int) {
	info, err := chartInfo(name)
	if err == nil && !slices.Contains(info.Outcomes(r.d), outcome) {
		return
	}
	var f *Figure
	if err == nil {
		f, err = BuildChart(name, ChartOptions{Lang: r.Lang, Results: r.d, Outcome: outcome, HideTitle: true,
			Titles: r.Titles, Labels: r.Labels, Week: week, WarnAtRisk: r.chartWarning()})
	}
	if err != nil {
		r.err = cmp.Or(r.err, err)
		return
	}
	r.figures++
	f.Number, f.Title = r.figures, caption
	s.Blocks = append(s.Blocks, FigureBlock{Figure: f, Note: note})
}

// landmarkTable is an outcome's effects at the landmark weeks.
func (r *report) landmarkTable(title string, binary bool, rows []analysis.Effect) Table {
	t := r.table(title+": "+r.t("landmark_caption"), []Column{{Title: r.t("week"), Numeric: true}, {Title: r.t("n_tc"), Numeric: true},
		{Title: r.t("treatment"), Numeric: true}, {Title: r.t("control"), Numeric: true}, {Title: r.t("effect"), Numeric: true},
		{Title: r.tf("ci_col", r.n.level(r.level)), Numeric: true}, {Title: r.t("p_value"), Numeric: true}})
	warned := false
	for _, lm := range landmarkRows(rows, r.Landmarks) {
		week := r.n.int(lm.Week)
		if r.warnWeek >= 0 && lm.Week >= r.warnWeek && !lm.NotYet {
			week, warned = week+" *", true
		}
		row := []Cell{{Text: week, Value: float64(lm.Week)}}
		blank := Cell{Value: math.NaN()}
		switch {
		case lm.NotYet:
			row = append(row, Cell{Text: r.tf("not_yet_observable", lm.LastWeek), Value: math.NaN(), Suppressed: true}, blank, blank, blank, blank, blank)
			t.Rows = append(t.Rows, row)
			continue
		case lm.HideCounts:
			row = append(row, Cell{Text: "–", Value: math.NaN(), Suppressed: true})
		default:
			row = append(row, Cell{Text: r.n.int(lm.NTreatment) + "/" + r.n.int(lm.NControl), Value: float64(lm.NTreatment + lm.NControl)})
		}
		switch {
		case lm.Estimated:
			row = append(row, Cell{Text: r.n.value(binary, lm.MeanTreatment), Value: lm.MeanTreatment},
				Cell{Text: r.n.value(binary, lm.MeanControl), Value: lm.MeanControl},
				Cell{Text: r.n.diff(binary, lm.Estimate.Estimate), Value: lm.Estimate.Estimate},
				Cell{Text: r.n.ci(binary, lm.CILow, lm.CIHigh), Value: lm.CILow},
				Cell{Text: r.n.p(lm.PValue), Value: lm.PValue})
		case lm.Suppressed != "":
			row = append(row, r.suppressed(lm.Suppressed), blank, blank, blank, blank)
		default:
			row = append(row, Cell{Text: r.t("not_estimated"), Value: math.NaN(), Suppressed: true}, blank, blank, blank, blank)
		}
		t.Rows = append(t.Rows, row)
	}
	t.Note = r.t("landmarks_note")
	if warned {
		t.Note = "* " + r.warning() + " " + t.Note
	}
	return t
}

// landmarkView is a row of a landmark table: an estimated week, or a
// landmark beyond the follow-up (NotYet, with the last week followed).
type landmarkView struct {
	analysis.Effect
	NotYet   bool
	LastWeek int
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
		for _, e := range rows {
			if e.Week == lm {
				out = append(out, landmarkView{Effect: e})
				shownLast = shownLast || lm == last
			}
		}
	}
	return out
}

// family is the multiplicity section; ok is false without a family.
func (r *report) family() (Section, bool) {
	fam := r.d.Family()
	if len(fam) == 0 {
		return Section{}, false
	}
	s := Section{ID: "family", Title: r.t("family"), Level: 1}
	note := r.t("family_note")
	if ri := r.d.RI(); ri == nil || ri.Skipped != "" {
		note += " " + r.t("family_note.no_ri")
	}
	s.Blocks = append(s.Blocks, Paragraph{Text: note, Style: ParagraphNote})
	t := r.table(r.t("family"), []Column{{Title: r.t("outcome")}, {Title: r.t("week"), Numeric: true}, {Title: r.t("p_value"), Numeric: true},
		{Title: "Holm", Numeric: true}, {Title: "Westfall–Young", Numeric: true}, {Title: r.t("q_value"), Numeric: true}})
	for _, f := range fam {
		t.Rows = append(t.Rows, []Cell{text(r.title(f.Outcome)), r.count(f.Week), {Text: r.n.p(f.PValue), Value: f.PValue},
			{Text: r.n.p(f.Holm), Value: f.Holm}, {Text: r.n.p(f.WestfallYoung), Value: f.WestfallYoung}, {Text: r.n.p(f.QValue), Value: f.QValue}})
	}
	s.Blocks = append(s.Blocks, t)
	return s, true
}

// jobcentres are the effects within each stratum (jobcentre) and other
// subgroup at the last landmark followed, for the headline outcomes, with
// the test of equal effects; ok is false without subgroups.
func (r *report) jobcentres() (Section, bool) {
	subs := r.d.Subgroups()
	if len(subs) == 0 {
		return Section{}, false
	}
	s := Section{ID: "subgroups", Title: r.t("subgroups_title"), Level: 1,
		Blocks: []Block{Paragraph{Text: r.t("subgroups_note"), Style: ParagraphNote}}}
	for _, o := range r.headlineOutcomes() {
		week := -1
		for _, sg := range subs {
			if sg.Outcome == o.Name && sg.Week > week {
				week = sg.Week
			}
		}
		if week < 0 {
			continue
		}
		t := r.table(r.tf("subgroups_caption", r.title(o.Name), week), []Column{{Title: r.t("covariate")}, {Title: r.t("level")},
			{Title: r.t("n_tc"), Numeric: true}, {Title: r.t("effect"), Numeric: true}, {Title: r.tf("ci_col", r.n.level(r.level)), Numeric: true}})
		prev := ""
		for _, sg := range subs {
			if sg.Outcome != o.Name || sg.Week != week {
				continue
			}
			name := ""
			if sg.Variable != prev {
				name = r.Labels.covariate(r.Lang, sg.Variable)
			}
			row := []Cell{{Text: name, Value: math.NaN(), Group: sg.Variable != prev}, text(r.Labels.level(sg.Variable, sg.Level))}
			prev = sg.Variable
			if sg.HideCounts {
				row = append(row, Cell{Text: "–", Value: math.NaN(), Suppressed: true})
			} else {
				row = append(row, Cell{Text: r.n.int(sg.NTreatment) + "/" + r.n.int(sg.NControl), Value: float64(sg.NTreatment + sg.NControl)})
			}
			if sg.Estimated {
				row = append(row, Cell{Text: r.n.diff(o.Binary, sg.Estimate.Estimate), Value: sg.Estimate.Estimate}, text(r.n.ci(o.Binary, sg.CILow, sg.CIHigh)))
			} else {
				row = append(row, r.suppressed(sg.Suppressed), Cell{Value: math.NaN()})
			}
			t.Rows = append(t.Rows, row)
		}
		var tests []string
		for _, st := range r.d.SubgroupTests() {
			if st.Outcome == o.Name && st.Week == week && !math.IsNaN(st.PValue) {
				tests = append(tests, r.tf("subgroup_test", r.Labels.covariate(r.Lang, st.Variable), r.n.p(st.PValue), st.Subgroups))
			}
		}
		t.Note = strings.Join(tests, " ")
		s.Blocks = append(s.Blocks, t)
		r.addFigure(&s, "forest", o.Name, r.tf("caption.forest", r.title(o.Name), week), "", week)
	}
	return s, true
}

// methods is the methods section: how every number was made, from the plan
// and the run, and where the inputs came from.
func (r *report) methods() Section {
	s := Section{ID: "methods", Title: r.t("methods_title"), Level: 1}
	plan := r.d.Plan()
	facts := []Fact{
		{r.t("method"), r.method()},
		{r.t("methods.ci"), r.tf("methods.ci_text", r.n.level(plan.Level))},
	}
	if _, variance := r.d.Estimator(); variance != "" {
		facts = append(facts, Fact{r.t("methods.variance"), r.t("variance." + strings.ToLower(variance))})
	}
	if bands := r.d.Bands(); len(bands) > 0 {
		facts = append(facts, Fact{r.t("methods.band"), r.tf("methods.band_text", r.n.int(plan.BandDraws), plan.Seed)})
	}
	if ri := r.d.RI(); ri != nil && ri.Skipped != "" {
		facts = append(facts, Fact{r.t("methods.ri"), ri.Skipped})
	}
	facts = append(facts, Fact{r.t("methods.disclosure"), r.tf("disclosure", plan.MinCell)})
	if p := r.Provenance; p != nil {
		facts = append(facts, Fact{r.t("version"), p.Program()})
		if len(p.Command) > 0 {
			facts = append(facts, Fact{r.t("methods.command"), strings.Join(p.Command, " ")})
		}
	}
	s.Blocks = append(s.Blocks, FactList{Items: facts})
	if sup := r.d.Suppressions(); len(sup) > 0 {
		t := r.table(r.t("methods.suppressed"), []Column{{Title: r.t("methods.table")}, {Title: r.t("methods.rule")}, {Title: r.t("methods.cells"), Numeric: true}})
		for _, c := range sup {
			t.Rows = append(t.Rows, []Cell{text(c.Table), text(c.Rule), r.count(c.Cells)})
		}
		t.Note = r.t("methods.suppressed_note")
		s.Blocks = append(s.Blocks, t)
	}
	if p := r.Provenance; p != nil && len(p.Inputs) > 0 {
		t := r.table(r.t("methods.inputs"), []Column{{Title: r.t("methods.role")}, {Title: r.t("methods.file")},
			{Title: r.t("methods.bytes"), Numeric: true}, {Title: "SHA-256"}})
		for _, f := range p.Inputs {
			t.Rows = append(t.Rows, []Cell{text(f.Role), text(f.Path), r.count(int(f.Bytes)), text(f.SHA256)})
		}
		s.Blocks = append(s.Blocks, t)
	}
	return s
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
