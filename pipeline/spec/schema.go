package spec

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// spec fills s from the root mapping. Sections are read in dependency
// order, not file order: inputs after columns, outcomes after status_codes,
// landmarks after weeks.
func (p *parser) spec(root *yaml.Node, s *Spec) {
	f, _ := p.fields("", root, Keys(), "a mapping")
	for k := range f {
		s.set[k] = true
	}
	if n := f["trial"]; n != nil {
		if v, ok := p.str("trial", n, "a name"); ok {
			s.Trial = v
		}
	}
	if n := f["columns"]; n != nil {
		over, nodes := p.columns("columns", n)
		s.Columns = s.Columns.With(over)
		p.distinctColumns("columns", s.Columns, nodes, assignmentColumns, weeklyColumns)
	}
	if n := f["inputs"]; n != nil {
		p.inputs(n, s)
	}
	if n := f["covariates"]; n != nil {
		p.covariates(n, s)
	}
	if n := f["labels"]; n != nil {
		p.labels(n, s)
	}
	if n := f["arms"]; n != nil {
		p.arms(n, s)
	}
	// Outcomes are checked against the categories as written, so a problem
	// inside status_codes does not make every outcome's category unknown.
	categories := s.Categories()
	if n := f["status_codes"]; n != nil {
		categories = p.statusCodes(n, s)
	}
	if n := f["unmapped"]; n != nil {
		if v, ok := p.enum("unmapped", n, []string{UnmappedError, UnmappedBenefit, UnmappedNone}, "value"); ok {
			s.Unmapped = v
		}
	}
	if n := f["outcomes"]; n != nil {
		p.outcomes(n, s, categories)
	}
	if n := f["extract_end"]; n != nil {
		if v, ok := p.str("extract_end", n, "an ISO week YYYY-Www such as 2017-W52"); ok {
			if w, msg := parseISOWeek(v); msg != "" {
				p.fail(n, "extract_end", "%s", msg)
			} else {
				s.ExtractEnd, s.HasExtractEnd = w, true
			}
		}
	}
	if n := f["weeks"]; n != nil {
		p.weeks(n, s)
	}
	if n := f["landmarks"]; n != nil {
		p.landmarks(n, s)
	}
	if n := f["confidence"]; n != nil {
		if v, ok := p.number("confidence", n, "0.95"); ok {
			if v <= 0 || v >= 1 {
				p.fail(n, "confidence", "expected a level between 0 and 1 (exclusive) such as 0.95, got %s", describe(n))
			} else {
				s.Confidence = v
			}
		}
	}
	if n := f["min_cell"]; n != nil {
		if v, ok := p.integer("min_cell", n, "5"); ok {
			if v < 0 {
				p.fail(n, "min_cell", "expected 0 (no disclosure control) or more, got %d", v)
			} else {
				s.MinCell = v
			}
		}
	}
	if n := f["duplicates"]; n != nil {
		if v, ok := p.enum("duplicates", n, []string{DuplicatesReject, DuplicatesError, DuplicatesSum}, "value"); ok {
			s.Duplicates = v
		}
	}
	if n := f["bad_rows"]; n != nil {
		if v, ok := p.enum("bad_rows", n, []string{BadRowsError, BadRowsReject}, "value"); ok {
			s.BadRows = v
		}
	}
	if n := f["max_missing"]; n != nil {
		if v, ok := p.number("max_missing", n, "0.01"); ok {
			if v < 0 || v > 1 {
				p.fail(n, "max_missing", "expected a share from 0 to 1 such as 0.01, got %s", describe(n))
			} else {
				s.MaxMissing = v
			}
		}
	}
	if n := f["pre_weeks"]; n != nil {
		if v, ok := p.integer("pre_weeks", n, "104"); ok {
			if v < 0 || v > MaxWeeks {
				p.fail(n, "pre_weeks", "expected from 0 to %d weeks, got %d", MaxWeeks, v)
			} else {
				s.PreWeeks = v
			}
		}
	}
	if n := f["analysis"]; n != nil {
		p.analysis(n, s)
	}
	if n := f["report"]; n != nil {
		p.report(n, s)
	}
}

// ReportKeys are the keys of the report section.
func ReportKeys() []string { return []string{"kind", "warn_at_risk", "criteria"} }

// report reads the report section; criteria on outcomes are checked against
// the outcomes.
func (p *parser) report(n *yaml.Node, s *Spec) {
	f, ok := p.fields("report", n, ReportKeys(), "a mapping such as {kind: final}")
	if !ok {
		return
	}
	for k := range f {
		s.set["report."+k] = true
	}
	r := &s.Report
	if v := f["kind"]; v != nil {
		if k, ok := p.enum("report.kind", v, []string{ReportMidterm, ReportFinal}, "report kind"); ok {
			r.Kind = k
		}
	}
	if v := f["warn_at_risk"]; v != nil {
		if x, ok := p.number("report.warn_at_risk", v, "0.5"); ok {
			if x < 0 || x > 1 {
				p.fail(v, "report.warn_at_risk", "expected a share from 0 to 1 such as 0.5, got %s", describe(p.deref(v)))
			} else {
				r.WarnAtRisk = x
			}
		}
	}
	if v := f["criteria"]; v != nil {
		if p.deref(v).Kind != yaml.SequenceNode {
			p.fail(p.deref(v), "report.criteria", "expected a list of criteria such as [{kind: hours_ratio}], got %s", describe(p.deref(v)))
			return
		}
		for i, item := range p.deref(v).Content {
			if c, ok := p.criterion(fmt.Sprintf("report.criteria[%d]", i), item, s); ok {
				r.Criteria = append(r.Criteria, c)
			}
		}
	}
}

// criterion reads one success criterion.
func (p *parser) criterion(path string, item *yaml.Node, s *Spec) (Criterion, bool) {
	f, ok := p.fields(path, item, []string{"kind", "outcome", "week", "at_least", "label"}, "a mapping such as {kind: effect, outcome: employed, week: 44, at_least: 0.05}")
	if !ok {
		return Criterion{}, false
	}
	errs := len(p.errs)
	var c Criterion
	kinds := []string{CriterionHoursRatio, CriterionEffect, CriterionNotInData}
	if v := f["kind"]; v == nil {
		p.fail(item, path, "a criterion needs a kind: one of %s", list(kinds))
	} else if k, ok := p.enum(path+".kind", v, kinds, "criterion kind"); ok {
		c.Kind = k
	}
	if v := f["label"]; v != nil {
		c.Label = p.texts(path+".label", v)
	}
	effectKeys := []string{"outcome", "week", "at_least"}
	switch c.Kind {
	case CriterionEffect:
		for _, k := range effectKeys {
			if f[k] == nil {
				p.fail(item, path, "kind effect needs outcome, week and at_least, such as {kind: effect, outcome: employed, week: 44, at_least: 0.05}; %s is missing", k)
			}
		}
		if v := f["outcome"]; v != nil {
			if name, ok := p.str(path+".outcome", v, "an outcome name"); ok {
				if s.Outcome(name) == nil {
					known := outcomeNamesOf(s.Outcomes)
					p.fail(v, path+".outcome", "%q is not an outcome%s; outcomes: %s", name, suggest(name, known), list(known))
				}
				c.Outcome = name
			}
		}
		if v := f["week"]; v != nil {
			c.Week, _ = p.week(path+".week", v, "44")
		}
		if v := f["at_least"]; v != nil {
			c.AtLeast, _ = p.number(path+".at_least", v, "0.05")
		}
	case CriterionHoursRatio, CriterionNotInData:
		for _, k := range effectKeys {
			if v := f[k]; v != nil {
				p.fail(v, path+"."+k, "kind %s takes no %s (only kind effect does)", c.Kind, k)
			}
		}
		if c.Kind == CriterionNotInData && c.Label == nil {
			p.fail(item, path, "kind not_in_data needs a label saying what the criterion is, such as {da: ..., en: ...}")
		}
	}
	return c, len(p.errs) == errs
}

// AnalysisKeys are the keys of the analysis section.
func AnalysisKeys() []string {
	return []string{"estimator", "adjust", "variance", "ri_draws", "ri_statistic", "band_draws", "seed", "family_weeks",
		"cohort", "ratio_weeks", "ratio_at_least"}
}

// analysis reads the analysis section; covariates named in adjust are
// checked against the covariates key when it lists them.
func (p *parser) analysis(n *yaml.Node, s *Spec) {
	f, ok := p.fields("analysis", n, AnalysisKeys(), "a mapping such as {estimator: lin, adjust: [age, sex]}")
	if !ok {
		return
	}
	a := &s.Analysis
	for k := range f {
		s.set["analysis."+k] = true
	}
	if v := f["estimator"]; v != nil {
		if e, ok := p.enum("analysis.estimator", v, []string{EstimatorPlain, EstimatorBlocked, EstimatorLin}, "estimator"); ok {
			a.Estimator = e
		}
	}
	if v := f["adjust"]; v != nil {
		names, nodes, ok := p.names("analysis.adjust", v, "a covariate name")
		if ok && !s.AllCovariates {
			for i, name := range names {
				if !slices.ContainsFunc(s.Covariates, func(c Covariate) bool { return c.Name == name }) {
					p.fail(nodes[i], "analysis.adjust", "%q is not listed under covariates", name)
					ok = false
				}
			}
		}
		if ok {
			a.Adjust = names
		}
	}
	if v := f["variance"]; v != nil {
		if e, ok := p.enum("analysis.variance", v, Variances(), "variance"); ok {
			a.Variance = e
		}
	}
	count := func(key, example string, max int) (int, bool) {
		v := f[key]
		if v == nil {
			return 0, false
		}
		x, ok := p.integer("analysis."+key, v, example)
		if ok && (x < 0 || x > max) {
			p.fail(v, "analysis."+key, "expected from 0 to %d, got %d", max, x)
			return 0, false
		}
		return x, ok
	}
	if x, ok := count("ri_draws", "2000", 1_000_000); ok {
		a.RIDraws = x
	}
	if x, ok := count("band_draws", "10000", 1_000_000); ok {
		if x == 0 {
			p.fail(f["band_draws"], "analysis.band_draws", "expected at least 1 draw, got 0")
		} else {
			a.BandDraws = x
		}
	}
	if x, ok := count("seed", "20161231", 1<<62); ok {
		a.Seed = uint64(x)
	}
	if v := f["ri_statistic"]; v != nil {
		if e, ok := p.enum("analysis.ri_statistic", v, []string{RIStudentized, RIDifference}, "statistic"); ok {
			a.RIStatistic = e
		}
	}
	if v := f["family_weeks"]; v != nil {
		var weeks []int
		for i, item := range p.scalarOrList(v) {
			path := fmt.Sprintf("analysis.family_weeks[%d]", i)
			if w, ok := p.week(path, item, "26"); ok && !slices.Contains(weeks, w) {
				weeks = append(weeks, w)
			}
		}
		a.FamilyWeeks = weeks
	}
	if v := f["cohort"]; v != nil {
		if vv := p.deref(v); vv.Kind == yaml.ScalarNode && vv.Value == "none" {
			a.Cohort = -1
		} else if x, ok := count("cohort", "35", MaxWeeks); ok {
			a.Cohort = x
		}
	}
	if v := f["ratio_weeks"]; v != nil {
		if r, ok := p.weekRange("analysis.ratio_weeks", v); ok {
			a.RatioWeeks = r
		}
	}
	if v := f["ratio_at_least"]; v != nil {
		if x, ok := p.number("analysis.ratio_at_least", v, "2"); ok {
			if !(x > 0) {
				p.fail(v, "analysis.ratio_at_least", "expected a ratio above 0 such as 2, got %s", describe(v))
			} else {
				a.RatioAtLeast = x
			}
		}
	}
}

// columns reads a mapping canonical key → column name; it returns the names
// given and their nodes.
func (p *parser) columns(path string, n *yaml.Node) (map[string]string, map[string]*yaml.Node) {
	f, ok := p.fields(path, n, ColumnKeys(), "a mapping of canonical column to the extract's column name, such as {person_id: cprnr}")
	if !ok {
		return nil, nil
	}
	names, nodes := map[string]string{}, map[string]*yaml.Node{}
	for _, k := range ColumnKeys() {
		if v := f[k]; v != nil {
			if name, ok := p.nonEmpty(path+"."+k, v, "a column name"); ok {
				names[k], nodes[k] = name, v
			}
		}
	}
	return names, nodes
}

// The canonical columns that must be distinct within one file. Stratum and
// cluster may share a column (clusters randomised by jobcentre, say).
var (
	assignmentColumns = []string{"person_id", "arm", "randomised_on", "stratum", "cluster"}
	weeklyColumns     = []string{"person_id", "week", "hours", "status"}
)

// distinctColumns reports two canonical columns of one file mapped to the
// same extract column; only clashes involving a key in nodes (one given
// here) are reported, so each is reported where it was written.
func (p *parser) distinctColumns(path string, c Columns, nodes map[string]*yaml.Node, groups ...[]string) {
	for _, g := range groups {
		for i, a := range g {
			for _, b := range g[i+1:] {
				if (a == "stratum" && b == "cluster") || c.Get(a) != c.Get(b) {
					continue
				}
				key, other := b, a
				if nodes[b] == nil {
					key, other = a, b
				}
				if nodes[key] == nil {
					continue
				}
				p.fail(nodes[key], path+"."+key, "column %q is also the %s column; each canonical column needs its own", c.Get(key), other)
			}
		}
	}
}

// Roles of input files, for the keys that apply to only some of them.
const (
	roleAssignment = "assignment"
	roleWeeks      = "weeks"
	roleHours      = "hours"
)

func inputKeys() []string {
	return []string{"path", "format", "layout", "wide_columns", "separator", "decimal", "encoding",
		"week_format", "date_format", "columns"}
}

func (p *parser) inputs(n *yaml.Node, s *Spec) {
	f, ok := p.fields("inputs", n, []string{roleAssignment, roleWeeks, roleHours}, "a mapping with assignment, weeks and hours")
	if !ok {
		return
	}
	if v := f[roleAssignment]; v != nil {
		s.Inputs.Assignment = p.input("inputs.assignment", v, roleAssignment, s)
	}
	if v := f[roleWeeks]; v != nil {
		if v.Kind != yaml.SequenceNode {
			if in := p.input("inputs.weeks", v, roleWeeks, s); in != nil {
				s.Inputs.Weeks = []*Input{in}
			}
		} else {
			if len(v.Content) == 0 {
				p.fail(v, "inputs.weeks", "expected at least one file, got an empty list")
			}
			first := map[string]*yaml.Node{}
			for i, item := range v.Content {
				path := fmt.Sprintf("inputs.weeks[%d]", i)
				in := p.input(path, item, roleWeeks, s)
				if in == nil {
					continue
				}
				item = p.deref(item)
				if f, dup := first[in.Path]; dup {
					p.fail(item, path, "%q is listed twice (first at line %d)", in.Path, f.Line)
					continue
				}
				first[in.Path] = item
				s.Inputs.Weeks = append(s.Inputs.Weeks, in)
			}
		}
	}
	if v := f[roleHours]; v != nil {
		s.Inputs.Hours = p.input("inputs.hours", v, roleHours, s)
	}
}

// input reads one input file: a path or a mapping. It returns nil when the
// input is unusable (the problem is recorded).
func (p *parser) input(path string, n *yaml.Node, role string, s *Spec) *Input {
	n = p.deref(n)
	in := &Input{}
	switch {
	case n.Kind == yaml.ScalarNode && !isNull(n):
		v, ok := p.nonEmpty(path, n, "a path")
		if !ok {
			return nil
		}
		in.Path = v
	case n.Kind == yaml.MappingNode:
		if !p.inputMapping(path, n, role, in, s) {
			return nil
		}
	default:
		want := "a path or a mapping with path:"
		if role == roleWeeks {
			want = "a path, a mapping with path:, or a list of them"
		}
		p.fail(n, path, "expected %s, got %s", want, describe(n))
		return nil
	}
	if in.Format == "" {
		in.Format = formatOf(in.Path)
	}
	if role == roleWeeks && in.Layout == "" {
		in.Layout = LayoutLong
	}
	if in.Layout == LayoutWide && in.WideColumns == "" {
		in.WideColumns = DefaultWideColumns
	}
	in.Resolved = s.Path(in.Path)
	return in
}

// inputMapping reads the mapping form of an input into in; false when it has
// a problem.
func (p *parser) inputMapping(path string, n *yaml.Node, role string, in *Input, s *Spec) bool {
	errs := len(p.errs)
	f, _ := p.fields(path, n, inputKeys(), "a mapping")
	if v := f["path"]; v == nil {
		p.fail(p.keyFor(n), path, "missing path: an input given as a mapping needs path: FILE")
	} else if v, ok := p.nonEmpty(path+".path", v, "a path"); ok {
		in.Path = v
	}
	if v := f["format"]; v != nil {
		in.Format, _ = p.enum(path+".format", v, []string{FormatCSV, FormatParquet, FormatArrow}, "format")
	}
	if v := f["layout"]; v != nil {
		if role != roleWeeks {
			p.fail(p.keyFor(v), path+".layout", "layout applies only to weekly extracts (inputs.weeks)")
		} else {
			in.Layout, _ = p.enum(path+".layout", v, []string{LayoutLong, LayoutWide}, "layout")
		}
	}
	if v := f["wide_columns"]; v != nil {
		if in.Layout != LayoutWide {
			p.fail(p.keyFor(v), path+".wide_columns", "wide_columns applies only to layout: wide")
		} else if pat, ok := p.nonEmpty(path+".wide_columns", v, "a pattern such as y_YYWW"); ok {
			if !widePattern(pat) {
				p.fail(v, path+".wide_columns", "expected a pattern with the year as YY or YYYY and the ISO week as WW, once each, such as \"y_YYWW\"; got %q", pat)
			} else {
				in.WideColumns = pat
			}
		}
	}
	format := in.Format
	if format == "" {
		format = formatOf(in.Path)
	}
	csvOnly := func(key string) bool {
		if format != FormatCSV {
			p.fail(p.keyFor(f[key]), path+"."+key, "%s applies only to CSV files, not %s", key, format)
			return false
		}
		return true
	}
	if v := f["separator"]; v != nil && csvOnly("separator") {
		if sep, ok := p.str(path+".separator", v, `";", "," or tab`); ok {
			switch sep {
			case ",", ";":
				in.Separator = sep
			case "\t", `\t`, "tab":
				in.Separator = "\t"
			default:
				p.fail(v, path+".separator", "unknown separator %q; expected \";\", \",\" or tab", sep)
			}
		}
	}
	if v := f["decimal"]; v != nil && csvOnly("decimal") {
		in.Decimal, _ = p.enum(path+".decimal", v, []string{DecimalComma, DecimalPoint}, "decimal mark")
	}
	if v := f["encoding"]; v != nil && csvOnly("encoding") {
		in.Encoding = p.encoding(path+".encoding", v)
	}
	if v := f["week_format"]; v != nil {
		switch {
		case role == roleAssignment:
			p.fail(p.keyFor(v), path+".week_format", "week_format applies only to weekly extracts and the hours file")
		case in.Layout == LayoutWide:
			p.fail(p.keyFor(v), path+".week_format", "week_format does not apply to layout: wide, whose weeks come from the column names (wide_columns)")
		default:
			in.WeekFormat, _ = p.enum(path+".week_format", v, WeekFormats(), "week format")
		}
	}
	if v := f["date_format"]; v != nil {
		in.DateFormat, _ = p.enum(path+".date_format", v, DateFormats(), "date format")
	}
	if v := f["columns"]; v != nil {
		names, nodes := p.columns(path+".columns", v)
		if len(names) > 0 {
			in.Columns = names
		}
		group := weeklyColumns
		if role == roleAssignment {
			group = assignmentColumns
		}
		// The clash check needs the top-level names too; they are parsed
		// before inputs.
		p.distinctColumns(path+".columns", s.Columns.With(names), nodes, group)
	}
	return len(p.errs) == errs
}

// encodings maps accepted spellings to the canonical names.
var encodings = map[string]string{
	"utf-8": EncodingUTF8, "utf8": EncodingUTF8,
	"latin1": EncodingLatin1, "latin-1": EncodingLatin1, "iso-8859-1": EncodingLatin1,
	"windows-1252": EncodingWindows1252, "cp1252": EncodingWindows1252,
}

func (p *parser) encoding(path string, n *yaml.Node) string {
	v, ok := p.str(path, n, "an encoding")
	if !ok {
		return ""
	}
	if e, ok := encodings[strings.ToLower(v)]; ok {
		return e
	}
	names := []string{EncodingUTF8, EncodingLatin1, EncodingWindows1252}
	p.fail(n, path, "unknown encoding %q%s; expected one of %s", v, suggest(v, names), list(names))
	return ""
}

// formatOf guesses a file's format from its extension; CSV unless it says
// otherwise, since SAS and Excel exports come as .csv, .txt or .dat.
func formatOf(path string) string {
	switch filepath.Ext(strings.TrimSuffix(strings.ToLower(path), ".gz")) {
	case ".parquet", ".pq":
		return FormatParquet
	case ".arrow", ".feather", ".ipc":
		return FormatArrow
	}
	return FormatCSV
}

// widePattern reports whether pat names week columns: literal text with
// exactly one year (YY or YYYY) and one week (WW); a stray Y or W would be
// ambiguous.
func widePattern(pat string) bool {
	years, weeks := 0, 0
	for i := 0; i < len(pat); {
		switch {
		case strings.HasPrefix(pat[i:], "YYYY"):
			years, i = years+1, i+4
		case strings.HasPrefix(pat[i:], "YY"):
			years, i = years+1, i+2
		case strings.HasPrefix(pat[i:], "WW"):
			weeks, i = weeks+1, i+2
		case pat[i] == 'Y' || pat[i] == 'W':
			return false
		default:
			i++
		}
	}
	return years == 1 && weeks == 1
}

func (p *parser) covariates(n *yaml.Node, s *Spec) {
	type cov struct {
		Covariate
		node *yaml.Node
	}
	var covs []cov
	switch n.Kind {
	case yaml.SequenceNode:
		names, nodes, _ := p.names("covariates", n, "a column name")
		for i, name := range names {
			covs = append(covs, cov{Covariate{name, CovariateAuto}, nodes[i]})
		}
	case yaml.MappingNode:
		es, _ := p.entries("covariates", n)
		types := []string{CovariateNumeric, CovariateCategorical, CovariateAuto}
		for _, e := range es {
			if strings.TrimSpace(e.name) == "" {
				p.fail(e.key, "covariates", "expected a column name, got an empty key")
				continue
			}
			t := CovariateAuto
			if v := p.deref(e.val); !isNull(v) {
				var ok bool
				if t, ok = p.enum("covariates."+e.name, v, types, "covariate type"); !ok {
					continue
				}
			}
			covs = append(covs, cov{Covariate{e.name, t}, e.key})
		}
	default:
		p.fail(n, "covariates", "expected a list of column names or a mapping of column name to numeric, categorical or auto, got %s", describe(n))
		return
	}
	c := s.ColumnsFor(s.Inputs.Assignment)
	s.AllCovariates = false
	s.Covariates = []Covariate{}
	for _, cv := range covs {
		for _, k := range []string{"person_id", "arm", "randomised_on"} {
			if cv.Name == c.Get(k) {
				p.fail(cv.node, "covariates", "%q is the %s column, not a covariate", cv.Name, k)
			}
		}
		s.Covariates = append(s.Covariates, cv.Covariate)
	}
}

func (p *parser) labels(n *yaml.Node, s *Spec) {
	es, ok := p.entries("labels", n)
	if !ok {
		p.fail(n, "labels", "expected a mapping of covariate to labels such as {koen: {da: Køn, en: Sex}}, got %s", describe(n))
		return
	}
	// With an explicit covariate list a label for anything else is a typo;
	// otherwise the covariates are known only from the data.
	var known []string
	if !s.AllCovariates {
		for _, c := range s.Covariates {
			known = append(known, c.Name)
		}
		known = append(known, s.Columns.Stratum, s.Columns.Cluster)
	}
	for _, e := range es {
		path := "labels." + e.name
		if known != nil && !containsString(known, e.name) {
			p.fail(e.key, "labels", "%q is not a covariate%s; covariates: %s", e.name, suggest(e.name, known), list(known))
		}
		les, ok := p.entries(path, e.val)
		if !ok {
			p.fail(p.deref(e.val), path, "expected a mapping such as {da: Køn, en: Sex, levels: {K: {da: Kvinde, en: Female}}}, got %s", describe(p.deref(e.val)))
			continue
		}
		l := Label{Text: map[string]string{}, Levels: map[string]map[string]string{}}
		for _, le := range les {
			switch {
			case le.name == "levels":
				if isNull(p.deref(le.val)) {
					continue
				}
				lvs, ok := p.entries(path+".levels", le.val)
				if !ok {
					p.fail(p.deref(le.val), path+".levels", "expected a mapping of level to labels such as {K: {da: Kvinde, en: Female}}, got %s", describe(p.deref(le.val)))
					continue
				}
				for _, lv := range lvs {
					if t := p.texts(path+".levels."+lv.name, lv.val); t != nil {
						l.Levels[lv.name] = t
					}
				}
			case language.MatchString(le.name):
				if t, ok := p.str(path+"."+le.name, le.val, "a text"); ok {
					l.Text[le.name] = t
				}
			default:
				p.unknownKey(le.key, path, le.name, []string{"levels"}, "allowed keys: levels or a language code such as da or en")
			}
		}
		s.Labels[e.name] = l
	}
}

func (p *parser) arms(n *yaml.Node, s *Spec) {
	f, ok := p.fields("arms", n, []string{"treatment", "control"}, "a mapping with treatment and control")
	if !ok {
		return
	}
	nodes := map[string][]*yaml.Node{}
	for _, arm := range []string{"treatment", "control"} {
		v := f[arm]
		if v == nil {
			continue
		}
		path := "arms." + arm
		if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
			p.fail(v, path, "expected at least one label, got an empty list")
			continue
		}
		if v.Kind == yaml.MappingNode {
			p.fail(v, path, "expected a label or a list of labels, got a mapping")
			continue
		}
		labels, ns, ok := p.names(path, v, "an arm label")
		if !ok {
			continue
		}
		nodes[arm] = ns
		if arm == "treatment" {
			s.Arms.Treatment = labels
		} else {
			s.Arms.Control = labels
		}
	}
	// Point at the label as written: the control one, or the treatment one
	// when control is the default.
	for i, c := range s.Arms.Control {
		if j := slices.Index(s.Arms.Treatment, c); j >= 0 {
			var at *yaml.Node
			switch {
			case nodes["control"] != nil:
				at = nodes["control"][i]
			case nodes["treatment"] != nil:
				at = nodes["treatment"][j]
			}
			p.fail(at, "arms", "label %q is under both treatment and control", c)
		}
	}
}

// statusCodes reads status_codes and returns the category names as written
// (nil when status_codes is not a mapping, which disables category checks).
func (p *parser) statusCodes(n *yaml.Node, s *Spec) []string {
	es, ok := p.entries("status_codes", n)
	if !ok {
		p.fail(n, "status_codes", "expected a mapping of category to codes such as {praktik: [\"523\"]}, got %s", describe(n))
		return nil
	}
	written := make([]string, len(es))
	for i, e := range es {
		written[i] = e.name
	}
	type owner struct {
		category string
		line     int
	}
	owners := map[string]owner{}
	total := 0
	var cats []StatusCategory
	for _, e := range es {
		path := "status_codes." + e.name
		if !identifier.MatchString(e.name) {
			p.fail(e.key, "status_codes", "category %q: a name must be lower-case letters, digits and _, starting with a letter", e.name)
			continue
		}
		v := p.deref(e.val)
		switch {
		case isNull(v) || (v.Kind == yaml.SequenceNode && len(v.Content) == 0):
			p.fail(v, path, "expected at least one code, got %s", strings.Replace(describe(v), "a list", "an empty list", 1))
			continue
		case v.Kind == yaml.MappingNode:
			p.fail(v, path, "expected a code or a list of codes, got a mapping")
			continue
		}
		cat := StatusCategory{Category: e.name, Codes: []string{}}
		for i, item := range p.scalarOrList(v) {
			ipath := path
			if v.Kind == yaml.SequenceNode {
				ipath = fmt.Sprintf("%s[%d]", path, i)
			}
			item = p.deref(item)
			code, ok := p.nonEmpty(ipath, item, "a code")
			if !ok {
				continue
			}
			codes, ok := p.expandCode(ipath, item, code)
			if !ok {
				continue
			}
			if total += len(codes); total > maxCodes {
				p.fail(item, ipath, "status_codes hold more than %d codes in all", maxCodes)
				return written
			}
			var clashes []string
			var first owner
			for _, c := range codes {
				if o, dup := owners[c]; dup {
					if clashes == nil {
						first = o
					}
					clashes = append(clashes, c)
					continue
				}
				owners[c] = owner{e.name, item.Line}
				cat.Codes = append(cat.Codes, c)
			}
			if len(clashes) > 0 {
				msg := fmt.Sprintf("code %q is already listed under %s (line %d)", clashes[0], first.category, first.line)
				if first.category == e.name {
					msg = fmt.Sprintf("code %q is listed twice under %s (first at line %d)", clashes[0], e.name, first.line)
				}
				if len(clashes) > 1 {
					msg += fmt.Sprintf("; so are %d more codes of %q", len(clashes)-1, code)
				}
				p.fail(item, ipath, "%s", msg)
			}
		}
		cats = append(cats, cat)
	}
	required := []string{CategoryPraktik, CategoryWageSubsidy, CategoryBenefit}
	for _, r := range required {
		if !slices.ContainsFunc(es, func(e entry) bool { return e.name == r }) {
			p.fail(p.keyFor(n), "status_codes", "missing category %q; praktik, wage_subsidy and benefit are required", r)
		}
	}
	// Canonical categories first, so reports list them in a fixed order.
	slices.SortStableFunc(cats, func(a, b StatusCategory) int {
		return rank(required, a.Category) - rank(required, b.Category)
	})
	s.StatusCodes = cats
	return written
}

// rank is the index of s in order, or len(order) when absent.
func rank(order []string, s string) int {
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
}

// expandCode returns a code, or the codes of a range "a-b" of integers.
// When both ends have the same number of digits the codes keep that width,
// so "0130-0136" gives "0130", …, "0136".
func (p *parser) expandCode(path string, n *yaml.Node, code string) ([]string, bool) {
	a, b, isRange := strings.Cut(code, "-")
	if !isRange {
		return []string{code}, true
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if !digits(a) || !digits(b) {
		p.fail(n, path, "expected a code or a range of integer codes such as 130-136, got %q", code)
		return nil, false
	}
	if len(a) > 9 || len(b) > 9 {
		p.fail(n, path, "range %q: codes of more than 9 digits are not supported", code)
		return nil, false
	}
	lo, _ := strconv.Atoi(a)
	hi, _ := strconv.Atoi(b)
	if lo > hi {
		p.fail(n, path, "range %q is empty: %d is greater than %d", code, lo, hi)
		return nil, false
	}
	if hi-lo+1 > maxRange {
		p.fail(n, path, "range %q holds %d codes; at most %d are allowed", code, hi-lo+1, maxRange)
		return nil, false
	}
	width := 0
	if len(a) == len(b) {
		width = len(a)
	}
	codes := make([]string, 0, hi-lo+1)
	for c := lo; c <= hi; c++ {
		code := strconv.Itoa(c)
		if len(code) < width {
			code = strings.Repeat("0", width-len(code)) + code
		}
		codes = append(codes, code)
	}
	return codes, true
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func outcomeKeys() []string {
	return []string{"name", "kind", "categories", "threshold", "hours_count", "run", "max_gap", "label", "primary"}
}

// kindKeys are the outcome keys that apply only to some kinds.
var kindKeys = []struct {
	key   string
	kinds []string
}{
	{"categories", []string{KindStatusShare, KindSustained, KindBenefitWeeks}},
	{"threshold", []string{KindHoursAbove}},
	{"hours_count", []string{KindSustained}},
	{"run", []string{KindSustained}},
	{"max_gap", []string{KindSustained}},
}

func (p *parser) outcomes(n *yaml.Node, s *Spec, categories []string) {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "outcomes", "expected a list of outcomes such as [{name: hours, kind: mean_hours}], got %s", describe(n))
		return
	}
	if len(n.Content) == 0 {
		p.fail(n, "outcomes", "expected at least one outcome, got an empty list")
		return
	}
	first := map[string]*yaml.Node{}
	var out []Outcome
	for i, item := range n.Content {
		path := fmt.Sprintf("outcomes[%d]", i)
		o, nameNode, ok := p.outcome(path, item, s, categories)
		if nameNode != nil {
			if f, dup := first[o.Name]; dup {
				p.fail(nameNode, path+".name", "outcome %q is defined twice (first at line %d)", o.Name, f.Line)
				continue
			}
			first[o.Name] = nameNode
		}
		if ok {
			out = append(out, o)
		}
	}
	s.Outcomes = out
}

// outcome reads one outcome; nameNode is set when the name is valid, so
// duplicates are found even in an outcome with other problems.
func (p *parser) outcome(path string, item *yaml.Node, s *Spec, categories []string) (o Outcome, nameNode *yaml.Node, ok bool) {
	errs := len(p.errs)
	item = p.deref(item)
	f, isMap := p.fields(path, item, outcomeKeys(), "a mapping such as {name: hours, kind: mean_hours}")
	if !isMap {
		return o, nil, false
	}
	if v := f["name"]; v == nil {
		p.fail(item, path, "missing name")
	} else if name, ok := p.nonEmpty(path+".name", v, "a name"); ok {
		if !identifier.MatchString(name) {
			p.fail(v, path+".name", "outcome name %q must be lower-case letters, digits and _, starting with a letter (a display name goes in label)", name)
		} else {
			o.Name, nameNode = name, v
		}
	}
	if v := f["kind"]; v == nil {
		p.fail(item, path, "missing kind; one of %s", list(Kinds()))
	} else {
		o.Kind, _ = p.enum(path+".kind", v, Kinds(), "kind")
	}
	if o.Kind != "" {
		for _, kk := range kindKeys {
			if v := f[kk.key]; v != nil && !containsString(kk.kinds, o.Kind) {
				p.fail(p.keyFor(v), path+"."+kk.key, "%s applies only to kind %s, not %s", kk.key, strings.Join(kk.kinds, ", "), o.Kind)
				delete(f, kk.key)
			}
		}
	}
	catsGiven := false
	if v := f["categories"]; v != nil {
		catsGiven = true
		if v.Kind == yaml.MappingNode {
			p.fail(v, path+".categories", "expected a category or a list of categories, got a mapping")
		} else {
			cats, nodes, _ := p.names(path+".categories", v, "a category")
			for i, c := range cats {
				if categories != nil && !containsString(categories, c) {
					p.fail(nodes[i], path+".categories", "unknown category %q%s; categories: %s", c, suggest(c, categories), list(categories))
				}
			}
			o.Categories = cats
		}
	}
	if v := f["threshold"]; v != nil {
		if t, ok := p.number(path+".threshold", v, "0"); ok {
			if t < 0 {
				p.fail(v, path+".threshold", "expected 0 or more hours, got %s", describe(v))
			}
			o.Threshold = t
		}
	}
	if v := f["hours_count"]; v != nil {
		o.HoursCount, _ = p.boolean(path+".hours_count", v)
	}
	if o.Kind == KindSustained {
		o.Run, o.MaxGap = DefaultRun, DefaultMaxGap
	}
	if v := f["run"]; v != nil {
		if r, ok := p.integer(path+".run", v, "13"); ok {
			if r < 1 || r > MaxWeeks {
				p.fail(v, path+".run", "expected from 1 to %d weeks, got %d", MaxWeeks, r)
			}
			o.Run = r
		}
	}
	if v := f["max_gap"]; v != nil {
		if g, ok := p.integer(path+".max_gap", v, "4"); ok {
			if g < 0 || g > MaxWeeks {
				p.fail(v, path+".max_gap", "expected from 0 to %d weeks, got %d", MaxWeeks, g)
			}
			o.MaxGap = g
		}
	}
	if v := f["label"]; v != nil {
		o.Label = p.texts(path+".label", v)
	}
	if v := f["primary"]; v != nil {
		o.Primary, _ = p.boolean(path+".primary", v)
	}
	switch o.Kind {
	case KindStatusShare:
		if !catsGiven {
			p.fail(item, path, "kind status_share needs categories, such as categories: [praktik]")
		} else if len(o.Categories) == 0 && len(p.errs) == errs {
			p.fail(f["categories"], path+".categories", "expected at least one category, got an empty list")
		}
	case KindSustained:
		if len(o.Categories) == 0 && !o.HoursCount && len(p.errs) == errs {
			p.fail(item, path, "a sustained outcome needs categories or hours_count: true")
		}
	case KindBenefitWeeks:
		if !catsGiven {
			o.Categories = s.Categories()
		}
	}
	return o, nameNode, len(p.errs) == errs
}

// parseISOWeek parses "YYYY-Www"; msg is the problem, "" when none. The
// messages match the pipeline's for week values in data.
func parseISOWeek(s string) (w ISOWeek, msg string) {
	bad := fmt.Sprintf("expected an ISO week YYYY-Www such as 2017-W52, got %q", s)
	if len(s) != 8 || s[4] != '-' || (s[5] != 'W' && s[5] != 'w') || !digits(s[:4]) || !digits(s[6:]) {
		return w, bad
	}
	year, _ := strconv.Atoi(s[:4])
	week, _ := strconv.Atoi(s[6:])
	if week < 1 {
		return w, bad
	}
	if year < minYear || year > maxYear {
		return w, fmt.Sprintf("expected an ISO week YYYY-Www with a year from %d to %d, got %q", minYear, maxYear, s)
	}
	if n := weeksInYear(year); week > n {
		return w, fmt.Sprintf("expected an ISO week YYYY-Www, got %q: %d has only %d ISO weeks", s, year, n)
	}
	return ISOWeek{Year: year, Week: week}, ""
}

// The years accepted, as in the pipeline: a bound keeps a typo from
// stretching the store over centuries.
const (
	minYear = 1900
	maxYear = 2199
)

// weeksInYear returns 52 or 53: the ISO week number of 28 December.
func weeksInYear(year int) int {
	_, w := time.Date(year, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// weeks reads "a:b", b or all.
func (p *parser) weeks(n *yaml.Node, s *Spec) {
	if r, ok := p.weekRange("weeks", n); ok {
		s.Weeks = r
	}
}

// weekRange reads "a:b", a last week b (0:b) or all.
func (p *parser) weekRange(path string, n *yaml.Node) (WeekRange, bool) {
	const form = `expected a range "a:b" such as "0:44", a last week such as 44, or all`
	v, ok := p.str(path, n, form)
	if !ok {
		return WeekRange{}, false
	}
	v = strings.TrimSpace(v)
	if v == "all" {
		return WeekRange{All: true}, true
	}
	a, b, isRange := strings.Cut(v, ":")
	if !isRange {
		a, b = "0", v
	}
	from, err1 := strconv.Atoi(strings.TrimSpace(a))
	to, err2 := strconv.Atoi(strings.TrimSpace(b))
	switch {
	case err1 != nil || err2 != nil:
		p.fail(n, path, "%s; got %q", form, v)
	case from < 0 || to < 0:
		p.fail(n, path, "weeks since randomisation start at 0, got %q", v)
	case from > to:
		p.fail(n, path, "range %q is empty: %d is after %d", v, from, to)
	case to > MaxWeeks:
		p.fail(n, path, "expected weeks up to %d, got %q", MaxWeeks, v)
	default:
		return WeekRange{From: from, To: to}, true
	}
	return WeekRange{}, false
}

func (p *parser) landmarks(n *yaml.Node, s *Spec) {
	if n.Kind == yaml.MappingNode {
		p.fail(n, "landmarks", "expected a list of weeks such as [13, 26, 35, 44], got a mapping")
		return
	}
	out := []int{}
	first := map[int]*yaml.Node{}
	for i, item := range p.scalarOrList(n) {
		path := "landmarks"
		if n.Kind == yaml.SequenceNode {
			path = fmt.Sprintf("landmarks[%d]", i)
		}
		item = p.deref(item)
		w, ok := p.week(path, item, "26")
		if !ok {
			continue
		}
		switch f, dup := first[w]; {
		case dup:
			p.fail(item, path, "week %d is listed twice (first at line %d)", w, f.Line)
		case !s.Weeks.All && (w < s.Weeks.From || w > s.Weeks.To):
			p.fail(item, path, "week %d is outside weeks %d:%d", w, s.Weeks.From, s.Weeks.To)
		default:
			first[w] = item
			out = append(out, w)
		}
	}
	s.Landmarks = out
}

// outcomeNamesOf are the names of os, in order.
func outcomeNamesOf(os []Outcome) []string {
	names := make([]string, len(os))
	for i, o := range os {
		names[i] = o.Name
	}
	return names
}

// week reads a week since randomisation, from 0 to MaxWeeks; ok is false
// (the problem reported) when n is not one.
func (p *parser) week(path string, n *yaml.Node, example string) (int, bool) {
	w, ok := p.integer(path, p.deref(n), example)
	if ok && (w < 0 || w > MaxWeeks) {
		p.fail(p.deref(n), path, "expected a week from 0 to %d, got %d", MaxWeeks, w)
		return w, false
	}
	return w, ok
}
