package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadFullExample(t *testing.T) {
	s, err := Load("testdata/jobfirst.yaml")
	require.NoError(t, err)

	dream := func(path string) *Input {
		return &Input{Path: path, Resolved: filepath.Join("testdata", path), Format: FormatCSV, Layout: LayoutWide,
			WideColumns: "y_YYWW", Separator: ";", Encoding: EncodingLatin1, Columns: map[string]string{"status": "ydelse"}}
	}
	want := &Spec{
		File:  "testdata/jobfirst.yaml",
		Dir:   "testdata",
		Trial: "JobFirst",
		Inputs: Inputs{
			Assignment: &Input{Path: "visitation.csv", Resolved: "testdata/visitation.csv", Format: FormatCSV,
				Separator: ";", Decimal: DecimalComma, Encoding: EncodingLatin1, DateFormat: "DD-MM-YYYY"},
			Weeks: []*Input{dream("dream2016.csv"), dream("dream2017.csv")},
			Hours: &Input{Path: "eindkomst.csv", Resolved: "testdata/eindkomst.csv", Format: FormatCSV,
				Separator: ";", Decimal: DecimalComma, WeekFormat: "YYYYWW"},
		},
		Columns: Columns{PersonID: "cprnr", Arm: "gruppe", RandomisedOn: "visitationsdato", Stratum: "jobcenter",
			Cluster: "cluster", Week: "uge", Hours: "timer", Status: "ydelse"},
		Covariates: []Covariate{{"alder", CovariateNumeric}, {"koen", CovariateCategorical},
			{"ydelsesgruppe", CovariateCategorical}, {"uger_paa_ydelse", CovariateNumeric}},
		Labels: map[string]Label{
			"alder": {Text: map[string]string{"da": "Alder", "en": "Age"}, Levels: map[string]map[string]string{}},
			"koen": {Text: map[string]string{"da": "Køn", "en": "Sex"}, Levels: map[string]map[string]string{
				"M": {"da": "Mand", "en": "Male"}, "K": {"da": "Kvinde", "en": "Female"}}},
			"jobcenter": {Text: map[string]string{"da": "Jobcenter", "en": "Jobcentre"}, Levels: map[string]map[string]string{}},
		},
		Arms: Arms{Treatment: []string{"deltager", "D", "1"}, Control: []string{"kontrol", "K", "0"}},
		StatusCodes: []StatusCategory{
			{"praktik", []string{"523", "524"}},
			{"wage_subsidy", []string{"511", "512"}},
			{"benefit", []string{"111", "130", "131", "132", "133", "134", "135", "136"}},
			{"education", []string{"651"}},
		},
		Unmapped: UnmappedBenefit,
		Outcomes: []Outcome{
			{Name: "hours", Kind: KindMeanHours, Primary: true,
				Label: map[string]string{"da": "Ordinære timer pr. uge", "en": "Ordinary hours per week"}},
			{Name: "employed", Kind: KindHoursAbove, Label: map[string]string{"da": "Andel i beskæftigelse", "en": "Employment share"}},
			{Name: "praktik", Kind: KindStatusShare, Categories: []string{"praktik"}},
			{Name: "wage_subsidy", Kind: KindStatusShare, Categories: []string{"wage_subsidy"}},
			{Name: "sustained13", Kind: KindSustained, Categories: []string{"praktik", "wage_subsidy"}, HoursCount: true, Run: 13, MaxGap: 4},
			{Name: "self_supporting", Kind: KindSelfSupporting},
			{Name: "cum_hours", Kind: KindCumulativeHours},
			{Name: "benefit_weeks", Kind: KindBenefitWeeks, Categories: []string{"praktik", "wage_subsidy", "benefit", "education"}},
		},
		ExtractEnd:    ISOWeek{2017, 52},
		HasExtractEnd: true,
		Weeks:         WeekRange{From: 0, To: 44},
		Landmarks:     []int{13, 26, 35, 44},
		Confidence:    0.95,
		MinCell:       5,
		Duplicates:    DuplicatesReject,
		BadRows:       BadRowsReject,
		MaxMissing:    0.02,
		PreWeeks:      52,
		Analysis: Analysis{Estimator: EstimatorLin, Adjust: []string{"alder", "koen"}, Variance: "HC3", RIDraws: 500,
			RIStatistic: RIDifference, BandDraws: 2000, Seed: 7, FamilyWeeks: []int{26, 44}, Cohort: 35,
			RatioWeeks: WeekRange{From: 26, To: 44}, RatioAtLeast: 1.5},
		Report: Report{Kind: ReportFinal, WarnAtRisk: 0.4, Criteria: []Criterion{
			{Kind: CriterionHoursRatio, Label: map[string]string{"da": "Deltagerne arbejder dobbelt så mange timer", "en": "Participants work twice the hours"}},
			{Kind: CriterionEffect, Outcome: "employed", Week: 44, AtLeast: 0.05},
			{Kind: CriterionNotInData, Label: map[string]string{"da": "75 pct. viser progression", "en": "75 % show progression"}},
		}},
		set: map[string]bool{},
	}
	for _, k := range Keys() {
		want.set[k] = true
	}
	for _, k := range AnalysisKeys() {
		want.set["analysis."+k] = true
	}
	for _, k := range ReportKeys() {
		want.set["report."+k] = true
	}
	assert.Equal(t, want, s)
	assert.Equal(t, "2017-W52", s.ExtractEnd.String())
}

func TestDefaults(t *testing.T) {
	d := Default()
	assert.Equal(t, Columns{"person_id", "arm", "randomised_on", "stratum", "cluster", "week", "hours", "status"}, d.Columns)
	assert.True(t, d.AllCovariates)
	assert.Empty(t, d.Covariates)
	assert.Equal(t, Arms{[]string{"treatment"}, []string{"control"}}, d.Arms)
	assert.Equal(t, []string{"praktik", "wage_subsidy", "benefit"}, d.Categories())
	assert.Equal(t, []string{"hours", "employed", "praktik", "wage_subsidy", "sustained13"}, outcomeNames(d.Outcomes))
	assert.Equal(t, Outcome{Name: "sustained13", Kind: KindSustained, Categories: []string{"praktik", "wage_subsidy"},
		HoursCount: true, Run: 13, MaxGap: 4, Primary: true}, *d.Outcome("sustained13"))
	assert.Equal(t, DefaultAnalysis(), d.Analysis)
	assert.Nil(t, d.Outcome("nope"))
	assert.Equal(t, WeekRange{All: true}, d.Weeks)
	assert.Equal(t, []int{13, 26, 35, 44}, d.Landmarks)
	assert.Equal(t, 0.95, d.Confidence)
	assert.Equal(t, 5, d.MinCell)
	assert.Equal(t, "reject", d.Duplicates)
	assert.Equal(t, "error", d.BadRows)
	assert.Equal(t, "error", d.Unmapped)
	assert.Equal(t, 0.01, d.MaxMissing)
	assert.Equal(t, 104, d.PreWeeks)
	assert.False(t, d.HasExtractEnd)
	assert.NotNil(t, d.Labels)

	// Missing keys, empty values and an empty mapping all give the defaults.
	for _, src := range []string{"{}", "inputs:\n", "# the plan\ninputs:\nconfidence:\noutcomes: ~\n"} {
		s, err := Parse("spec.yaml", []byte(src))
		require.NoError(t, err, src)
		want := Default()
		want.File = "spec.yaml"
		assert.Equal(t, want, s, src)
		for _, k := range Keys() {
			assert.False(t, s.Set(k), k)
		}
	}
}

func outcomeNames(os []Outcome) []string {
	var names []string
	for _, o := range os {
		names = append(names, o.Name)
	}
	return names
}

func TestOnlyInputs(t *testing.T) {
	s, err := Parse("spec.yaml", []byte("inputs:\n  assignment: data/assignment.csv\n  weeks: data/weeks.csv.gz\n"))
	require.NoError(t, err)
	assert.Equal(t, &Input{Path: "data/assignment.csv", Resolved: "data/assignment.csv", Format: FormatCSV}, s.Inputs.Assignment)
	assert.Equal(t, []*Input{{Path: "data/weeks.csv.gz", Resolved: "data/weeks.csv.gz", Format: FormatCSV, Layout: LayoutLong}}, s.Inputs.Weeks)
	assert.Nil(t, s.Inputs.Hours)
	assert.True(t, s.Set("inputs"))
	assert.False(t, s.Set("confidence"))
	assert.Equal(t, DefaultOutcomes(), s.Outcomes)
	assert.Equal(t, "", s.Dir)
}

func TestForms(t *testing.T) {
	tests := []struct {
		name, src string
		check     func(t *testing.T, s *Spec)
	}{
		{"weeks as a last week", "weeks: 44", func(t *testing.T, s *Spec) {
			assert.Equal(t, WeekRange{From: 0, To: 44}, s.Weeks)
		}},
		{"weeks unquoted range", "weeks: 13:44", func(t *testing.T, s *Spec) {
			assert.Equal(t, WeekRange{From: 13, To: 44}, s.Weeks)
		}},
		{"weeks all", "weeks: all", func(t *testing.T, s *Spec) {
			assert.Equal(t, WeekRange{All: true}, s.Weeks)
		}},
		{"arms as strings, numbers and booleans keep their text", "arms: {treatment: [1.0, 0523, 1.10], control: [false, K]}", func(t *testing.T, s *Spec) {
			assert.Equal(t, Arms{Treatment: []string{"1.0", "0523", "1.10"}, Control: []string{"false", "K"}}, s.Arms)
		}},
		{"one arm given, the other default", "arms: {treatment: D}", func(t *testing.T, s *Spec) {
			assert.Equal(t, Arms{Treatment: []string{"D"}, Control: []string{"control"}}, s.Arms)
		}},
		{"covariates as a list", "covariates: [alder, koen]", func(t *testing.T, s *Spec) {
			assert.False(t, s.AllCovariates)
			assert.Equal(t, []Covariate{{"alder", "auto"}, {"koen", "auto"}}, s.Covariates)
		}},
		{"no covariates", "covariates: []", func(t *testing.T, s *Spec) {
			assert.False(t, s.AllCovariates)
			assert.Empty(t, s.Covariates)
		}},
		{"covariate without a type is auto", "covariates: {alder: , koen: categorical}", func(t *testing.T, s *Spec) {
			assert.Equal(t, []Covariate{{"alder", "auto"}, {"koen", "categorical"}}, s.Covariates)
		}},
		{"ranges keep the width of their ends", "status_codes: {praktik: 09-11, wage_subsidy: [0130-0131], benefit: 98-100, flexjob: 7}", func(t *testing.T, s *Spec) {
			assert.Equal(t, []StatusCategory{
				{"praktik", []string{"09", "10", "11"}},
				{"wage_subsidy", []string{"0130", "0131"}},
				{"benefit", []string{"98", "99", "100"}},
				{"flexjob", []string{"7"}},
			}, s.StatusCodes)
		}},
		{"canonical categories first, others in file order", "status_codes: {flexjob: a, benefit: b, education: c, wage_subsidy: d, praktik: e}", func(t *testing.T, s *Spec) {
			assert.Equal(t, []string{"praktik", "wage_subsidy", "benefit", "flexjob", "education"}, s.Categories())
		}},
		{"outcome defaults", "outcomes: [{name: e, kind: hours_above}, {name: s, kind: sustained, categories: praktik}, {name: b, kind: benefit_weeks}]", func(t *testing.T, s *Spec) {
			assert.Equal(t, []Outcome{
				{Name: "e", Kind: KindHoursAbove},
				{Name: "s", Kind: KindSustained, Categories: []string{"praktik"}, Run: 13, MaxGap: 4},
				{Name: "b", Kind: KindBenefitWeeks, Categories: []string{"praktik", "wage_subsidy", "benefit"}},
			}, s.Outcomes)
		}},
		{"sustained on hours alone", "outcomes: [{name: s, kind: sustained, hours_count: true, run: 26, max_gap: 0}]", func(t *testing.T, s *Spec) {
			assert.Equal(t, []Outcome{{Name: "s", Kind: KindSustained, HoursCount: true, Run: 26, MaxGap: 0}}, s.Outcomes)
		}},
		{"input options", "inputs:\n  weeks:\n    - {path: a.parquet, layout: wide, wide_columns: uge_YYYYWW}\n    - {path: b.txt, separator: tab, encoding: UTF8, week_format: date, date_format: YYYYMMDD}\n    - {path: c.feather}\n  hours: {path: h.csv, separator: '\\t', columns: {hours: timer}}\n", func(t *testing.T, s *Spec) {
			assert.Equal(t, []*Input{
				{Path: "a.parquet", Resolved: "a.parquet", Format: FormatParquet, Layout: LayoutWide, WideColumns: "uge_YYYYWW"},
				{Path: "b.txt", Resolved: "b.txt", Format: FormatCSV, Layout: LayoutLong, Separator: "\t", Encoding: EncodingUTF8, WeekFormat: "date", DateFormat: "YYYYMMDD"},
				{Path: "c.feather", Resolved: "c.feather", Format: FormatArrow, Layout: LayoutLong},
			}, s.Inputs.Weeks)
			assert.Equal(t, &Input{Path: "h.csv", Resolved: "h.csv", Format: FormatCSV, Separator: "\t", Columns: map[string]string{"hours": "timer"}}, s.Inputs.Hours)
			assert.Equal(t, "timer", s.ColumnsFor(s.Inputs.Hours).Hours)
			assert.Equal(t, "hours", s.ColumnsFor(s.Inputs.Weeks[0]).Hours)
			assert.Equal(t, "hours", s.ColumnsFor(nil).Hours)
		}},
		{"wide layout defaults its column pattern", "inputs: {weeks: {path: dream.csv, layout: wide}}", func(t *testing.T, s *Spec) {
			assert.Equal(t, "y_YYWW", s.Inputs.Weeks[0].WideColumns)
		}},
		{"quoted numbers are numbers", "confidence: '0.9'\nmin_cell: \"3\"", func(t *testing.T, s *Spec) {
			assert.Equal(t, 0.9, s.Confidence)
			assert.Equal(t, 3, s.MinCell)
		}},
		{"min_cell 0 turns disclosure control off", "min_cell: 0", func(t *testing.T, s *Spec) {
			assert.Equal(t, 0, s.MinCell)
			assert.True(t, s.Set("min_cell"))
		}},
		{"extract end in a 53-week year", "extract_end: 2020-W53", func(t *testing.T, s *Spec) {
			assert.Equal(t, ISOWeek{2020, 53}, s.ExtractEnd)
			assert.True(t, s.HasExtractEnd)
		}},
		{"a single landmark", "landmarks: 35", func(t *testing.T, s *Spec) {
			assert.Equal(t, []int{35}, s.Landmarks)
		}},
		{"merge keys and aliases", "inputs:\n  weeks:\n    - &w {path: a.csv, separator: ';', columns: {week: uge}}\n    - {<<: *w, path: b.csv}\narms:\n  treatment: &t [D]\n  control: [K]\n", func(t *testing.T, s *Spec) {
			require.Len(t, s.Inputs.Weeks, 2)
			assert.Equal(t, "b.csv", s.Inputs.Weeks[1].Path)
			assert.Equal(t, ";", s.Inputs.Weeks[1].Separator)
			assert.Equal(t, map[string]string{"week": "uge"}, s.Inputs.Weeks[1].Columns)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("spec.yaml", []byte(tt.src))
			require.NoError(t, err)
			tt.check(t, s)
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // every line of the error
	}{
		{"unknown key with a suggestion", "confidance: 0.9",
			`spec.yaml:1:1: unknown key "confidance" at the top level (did you mean "confidence"?); allowed keys: trial, inputs, columns, covariates, labels, arms, status_codes, unmapped, outcomes, extract_end, weeks, landmarks, confidence, min_cell, duplicates, bad_rows, max_missing, pre_weeks, analysis, report`},
		{"unknown key without a suggestion", "inputs:\n  visitation: v.csv",
			`spec.yaml:2:3: inputs: unknown key "visitation"; allowed keys: assignment, weeks, hours`},
		{"unknown canonical column", "columns:\n  personid: cprnr",
			`spec.yaml:2:3: columns: unknown key "personid" (did you mean "person_id"?); allowed keys: person_id, arm, randomised_on, stratum, cluster, week, hours, status`},
		{"unknown input key", "inputs:\n  assignment: {path: a.csv, seperator: ';'}",
			`spec.yaml:2:29: inputs.assignment: unknown key "seperator" (did you mean "separator"?); allowed keys: path, format, layout, wide_columns, separator, decimal, encoding, week_format, date_format, columns`},
		{"unknown outcome key", "outcomes:\n  - name: h\n    kind: mean_hours\n    primery: true",
			`spec.yaml:4:5: outcomes[0]: unknown key "primery" (did you mean "primary"?); allowed keys: name, kind, categories, threshold, hours_count, run, max_gap, label, primary`},
		{"unknown label key", "labels:\n  koen: {da: Køn, level: {}}",
			`spec.yaml:2:19: labels.koen: unknown key "level" (did you mean "levels"?); allowed keys: levels or a language code such as da or en`},
		{"wrong type: number", "confidence: high",
			`spec.yaml:1:13: confidence: expected a number such as 0.95, got "high"`},
		{"wrong type: decimal comma", "max_missing: 0,5",
			`spec.yaml:1:14: max_missing: expected a number such as 0.01, got "0,5" (write numbers with a decimal point)`},
		{"wrong type: whole number", "min_cell: 2.5",
			`spec.yaml:1:11: min_cell: expected a whole number such as 5, got 2.5`},
		{"wrong type: boolean", "outcomes: [{name: s, kind: sustained, hours_count: yes}]",
			`spec.yaml:1:52: outcomes[0].hours_count: expected true or false, got "yes"`},
		{"wrong type: string", "trial: [a, b]",
			`spec.yaml:1:8: trial: expected a name, got a list`},
		{"wrong type: mapping", "inputs: data.csv",
			`spec.yaml:1:9: inputs: expected a mapping with assignment, weeks and hours, got "data.csv"`},
		{"wrong type: input", "inputs:\n  assignment: [a.csv]",
			`spec.yaml:2:15: inputs.assignment: expected a path or a mapping with path:, got a list`},
		{"wrong type: outcomes", "outcomes: {name: h}",
			`spec.yaml:1:11: outcomes: expected a list of outcomes such as [{name: hours, kind: mean_hours}], got a mapping`},
		{"not a mapping", "- a\n- b",
			`spec.yaml:1:1: expected a mapping of spec keys such as inputs and outcomes, got a list`},
		{"confidence 1", "confidence: 1",
			`spec.yaml:1:13: confidence: expected a level between 0 and 1 (exclusive) such as 0.95, got 1`},
		{"confidence as a percentage", "confidence: 95",
			`spec.yaml:1:13: confidence: expected a level between 0 and 1 (exclusive) such as 0.95, got 95`},
		{"confidence 0", "confidence: 0.0",
			`spec.yaml:1:13: confidence: expected a level between 0 and 1 (exclusive) such as 0.95, got 0.0`},
		{"min_cell negative", "min_cell: -1",
			`spec.yaml:1:11: min_cell: expected 0 (no disclosure control) or more, got -1`},
		{"max_missing above 1", "max_missing: 1.5",
			`spec.yaml:1:14: max_missing: expected a share from 0 to 1 such as 0.01, got 1.5`},
		{"run 0", "outcomes:\n  - {name: s, kind: sustained, categories: [praktik], run: 0}",
			`spec.yaml:2:60: outcomes[0].run: expected from 1 to 2600 weeks, got 0`},
		{"max_gap negative", "outcomes:\n  - {name: s, kind: sustained, hours_count: true, max_gap: -1}",
			`spec.yaml:2:60: outcomes[0].max_gap: expected from 0 to 2600 weeks, got -1`},
		{"sustained with nothing to count", "outcomes:\n  - {name: s, kind: sustained}",
			`spec.yaml:2:5: outcomes[0]: a sustained outcome needs categories or hours_count: true`},
		{"status share without categories", "outcomes:\n  - {name: p, kind: status_share}",
			`spec.yaml:2:5: outcomes[0]: kind status_share needs categories, such as categories: [praktik]`},
		{"key of another kind", "outcomes:\n  - {name: h, kind: mean_hours, threshold: 5}",
			`spec.yaml:2:33: outcomes[0].threshold: threshold applies only to kind hours_above, not mean_hours`},
		{"negative threshold", "outcomes:\n  - {name: h, kind: hours_above, threshold: -1}",
			`spec.yaml:2:45: outcomes[0].threshold: expected 0 or more hours, got -1`},
		{"landmark negative", "landmarks: [13, -1]",
			`spec.yaml:1:17: landmarks[1]: expected a week from 0 to 2600, got -1`},
		{"landmark outside weeks", "weeks: 0:30\nlandmarks: [13, 35]",
			`spec.yaml:2:17: landmarks[1]: week 35 is outside weeks 0:30`},
		{"landmark twice", "landmarks: [13, 13]",
			`spec.yaml:1:17: landmarks[1]: week 13 is listed twice (first at line 1)`},
		{"pre_weeks negative", "pre_weeks: -4",
			`spec.yaml:1:12: pre_weeks: expected from 0 to 2600 weeks, got -4`},
		{"weeks backwards", `weeks: "44:0"`,
			`spec.yaml:1:8: weeks: range "44:0" is empty: 44 is after 0`},
		{"weeks malformed", "weeks: first",
			`spec.yaml:1:8: weeks: expected a range "a:b" such as "0:44", a last week such as 44, or all; got "first"`},
		{"weeks negative", "weeks: -3:10",
			`spec.yaml:1:8: weeks: weeks since randomisation start at 0, got "-3:10"`},
		{"extract_end week 53 in a 52-week year", "extract_end: 2016-W53",
			`spec.yaml:1:14: extract_end: expected an ISO week YYYY-Www, got "2016-W53": 2016 has only 52 ISO weeks`},
		{"extract_end without W", "extract_end: 2016-53",
			`spec.yaml:1:14: extract_end: expected an ISO week YYYY-Www such as 2017-W52, got "2016-53"`},
		{"extract_end week 0", "extract_end: 2016-W00",
			`spec.yaml:1:14: extract_end: expected an ISO week YYYY-Www such as 2017-W52, got "2016-W00"`},
		{"extract_end year out of range", "extract_end: 1899-W10",
			`spec.yaml:1:14: extract_end: expected an ISO week YYYY-Www with a year from 1900 to 2199, got "1899-W10"`},
		{"code under two categories", "status_codes:\n  praktik: [\"523\"]\n  wage_subsidy: [\"511\"]\n  benefit: [\"111\", \"523\"]",
			`spec.yaml:4:20: status_codes.benefit[1]: code "523" is already listed under praktik (line 2)`},
		{"range overlapping a code", "status_codes:\n  praktik: 131\n  wage_subsidy: 511\n  benefit: [130-136, 135]",
			"spec.yaml:4:13: status_codes.benefit[0]: code \"131\" is already listed under praktik (line 2)\n" +
				`spec.yaml:4:22: status_codes.benefit[1]: code "135" is listed twice under benefit (first at line 4)`},
		{"range backwards", "status_codes: {praktik: 1, wage_subsidy: 2, benefit: 136-130}",
			`spec.yaml:1:54: status_codes.benefit: range "136-130" is empty: 136 is greater than 130`},
		{"range too wide", "status_codes: {praktik: 1, wage_subsidy: 2, benefit: [100-20100]}",
			`spec.yaml:1:55: status_codes.benefit[0]: range "100-20100" holds 20001 codes; at most 10000 are allowed`},
		{"range of non-numbers", "status_codes: {praktik: 1, wage_subsidy: 2, benefit: [a-b]}",
			`spec.yaml:1:55: status_codes.benefit[0]: expected a code or a range of integer codes such as 130-136, got "a-b"`},
		{"missing canonical category", "status_codes:\n  praktik: [\"523\"]\n  benefit: [\"111\"]",
			`spec.yaml:1:1: status_codes: missing category "wage_subsidy"; praktik, wage_subsidy and benefit are required`},
		{"bad category name", "status_codes: {praktik: 1, wage_subsidy: 2, benefit: 3, Flex-job: 4}",
			`spec.yaml:1:57: status_codes: category "Flex-job": a name must be lower-case letters, digits and _, starting with a letter`},
		{"category without codes", "status_codes: {praktik: 1, wage_subsidy: 2, benefit: []}",
			`spec.yaml:1:54: status_codes.benefit: expected at least one code, got an empty list`},
		{"arm label under both arms", "arms:\n  treatment: [D, \"1\"]\n  control: [K, 1]",
			`spec.yaml:3:16: arms: label "1" is under both treatment and control`},
		{"default arm label reused", "arms: {treatment: [control]}",
			`spec.yaml:1:20: arms: label "control" is under both treatment and control`},
		{"arm label twice", "arms: {treatment: [D, D]}",
			`spec.yaml:1:23: arms.treatment[1]: "D" is listed twice (first at line 1)`},
		{"empty arm", "arms: {control: []}",
			`spec.yaml:1:17: arms.control: expected at least one label, got an empty list`},
		{"outcome twice", "outcomes:\n  - {name: hours, kind: mean_hours}\n  - {name: hours, kind: hours_above}",
			`spec.yaml:3:12: outcomes[1].name: outcome "hours" is defined twice (first at line 2)`},
		{"unknown category in an outcome", "outcomes:\n  - {name: p, kind: status_share, categories: [praktk]}",
			`spec.yaml:2:48: outcomes[0].categories: unknown category "praktk" (did you mean "praktik"?); categories: praktik, wage_subsidy, benefit`},
		{"unknown kind", "outcomes:\n  - {name: h, kind: hours}",
			`spec.yaml:2:21: outcomes[0].kind: unknown kind "hours"; expected one of mean_hours, hours_above, status_share, self_supporting, sustained, cumulative_hours, benefit_weeks`},
		{"missing name and kind", "outcomes:\n  - {primary: true}",
			"spec.yaml:2:5: outcomes[0]: missing name\nspec.yaml:2:5: outcomes[0]: missing kind; one of mean_hours, hours_above, status_share, self_supporting, sustained, cumulative_hours, benefit_weeks"},
		{"bad outcome name", "outcomes: [{name: Hours per week, kind: mean_hours}]",
			`spec.yaml:1:19: outcomes[0].name: outcome name "Hours per week" must be lower-case letters, digits and _, starting with a letter (a display name goes in label)`},
		{"no outcomes", "outcomes: []",
			`spec.yaml:1:11: outcomes: expected at least one outcome, got an empty list`},
		{"duplicate key", "confidence: 0.9\nmin_cell: 3\nconfidence: 0.8",
			`spec.yaml:3:1: duplicate key "confidence" (first at line 1)`},
		{"duplicate nested key", "columns:\n  week: uge\n  week: week",
			`spec.yaml:3:3: columns: duplicate key "week" (first at line 2)`},
		{"enum with a suggestion", "duplicates: rejct",
			`spec.yaml:1:13: duplicates: unknown value "rejct" (did you mean "reject"?); expected one of reject, error, sum`},
		{"unmapped", "unmapped: ignore",
			`spec.yaml:1:11: unmapped: unknown value "ignore"; expected one of error, benefit, none`},
		{"week_format", "inputs: {weeks: {path: w.csv, week_format: yyyy-www}}",
			`spec.yaml:1:44: inputs.weeks.week_format: unknown week format "yyyy-www" (did you mean "YYYY-Www"?); expected one of YYYY-Www, YYYYWww, YYYYWW, YYYY-WW, YYYY:WW, date`},
		{"date_format", "inputs: {assignment: {path: a.csv, date_format: MM/DD/YYYY}}",
			`spec.yaml:1:49: inputs.assignment.date_format: unknown date format "MM/DD/YYYY"; expected one of YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY, DD/MM/YYYY, YYYYMMDD, DDMONYYYY`},
		{"separator", "inputs: {weeks: {path: w.csv, separator: '|'}}",
			`spec.yaml:1:42: inputs.weeks.separator: unknown separator "|"; expected ";", "," or tab`},
		{"encoding", "inputs: {weeks: {path: w.csv, encoding: latin2}}",
			`spec.yaml:1:41: inputs.weeks.encoding: unknown encoding "latin2" (did you mean "latin1"?); expected one of utf-8, latin1, windows-1252`},
		{"layout on the assignment", "inputs: {assignment: {path: a.csv, layout: wide}}",
			`spec.yaml:1:36: inputs.assignment.layout: layout applies only to weekly extracts (inputs.weeks)`},
		{"wide_columns on a long file", "inputs: {weeks: {path: w.csv, wide_columns: y_YYWW}}",
			`spec.yaml:1:31: inputs.weeks.wide_columns: wide_columns applies only to layout: wide`},
		{"bad wide_columns", "inputs: {weeks: [{path: w.csv, layout: wide, wide_columns: y_YYYWW}]}",
			`spec.yaml:1:60: inputs.weeks[0].wide_columns: expected a pattern with the year as YY or YYYY and the ISO week as WW, once each, such as "y_YYWW"; got "y_YYYWW"`},
		{"separator on parquet", "inputs: {weeks: {path: w.parquet, separator: ';'}}",
			`spec.yaml:1:35: inputs.weeks.separator: separator applies only to CSV files, not parquet`},
		{"missing path", "inputs:\n  hours:\n    separator: ';'",
			`spec.yaml:2:3: inputs.hours: missing path: an input given as a mapping needs path: FILE`},
		{"empty path", "inputs: {assignment: ''}",
			`spec.yaml:1:22: inputs.assignment: expected a path, got an empty string`},
		{"weekly file twice", "inputs: {weeks: [a.csv, b.csv, a.csv]}",
			`spec.yaml:1:32: inputs.weeks[2]: "a.csv" is listed twice (first at line 1)`},
		{"two columns on one name", "columns: {week: uge, hours: uge}",
			`spec.yaml:1:29: columns.hours: column "uge" is also the week column; each canonical column needs its own`},
		{"override clashes with a top-level column", "columns: {week: uge}\ninputs: {hours: {path: h.csv, columns: {hours: uge}}}",
			`spec.yaml:2:48: inputs.hours.columns.hours: column "uge" is also the week column; each canonical column needs its own`},
		{"covariate is the id column", "columns: {person_id: cprnr}\ncovariates: [alder, cprnr]",
			`spec.yaml:2:21: covariates: "cprnr" is the person_id column, not a covariate`},
		{"covariate type", "covariates: {alder: number}",
			`spec.yaml:1:21: covariates.alder: unknown covariate type "number"; expected one of numeric, categorical, auto`},
		{"label for an unlisted covariate", "covariates: [koen]\nlabels: {kon: {da: Køn}}",
			`spec.yaml:2:10: labels: "kon" is not a covariate (did you mean "koen"?); covariates: koen, stratum, cluster`},
		{"label language", "labels: {koen: {levels: {K: {Danish: Kvinde}}}}",
			`spec.yaml:1:30: labels.koen.levels.K: unknown key "Danish"; expected a language code such as da or en`},
		{"syntax error", "inputs:\n\tweeks: a.csv\n",
			`spec.yaml:2: invalid YAML: found character that cannot start any token`},
		{"empty file", "",
			`spec.yaml: the spec is empty; expected a mapping with keys such as inputs and outcomes (see docs/spec.md)`},
		{"comments only", "# nothing yet\n\n",
			`spec.yaml: the spec is empty; expected a mapping with keys such as inputs and outcomes (see docs/spec.md)`},
		{"analysis: unknown estimator", "analysis:\n  estimator: ols\n",
			`spec.yaml:2:14: analysis.estimator: unknown estimator "ols"; expected one of plain, blocked, lin`},
		{"analysis: adjusting for a covariate not listed", "covariates: [age]\nanalysis:\n  adjust: [age, sex]\n",
			`spec.yaml:3:17: analysis.adjust: "sex" is not listed under covariates`},
		{"analysis: negative draws", "analysis: {ri_draws: -5}\n",
			`spec.yaml:1:22: analysis.ri_draws: expected from 0 to 1000000, got -5`},
		{"analysis: no band draws", "analysis: {band_draws: 0}\n",
			`spec.yaml:1:24: analysis.band_draws: expected at least 1 draw, got 0`},
		{"analysis: ratio window", "analysis: {ratio_weeks: \"44:26\"}\n",
			`spec.yaml:1:25: analysis.ratio_weeks: range "44:26" is empty: 44 is after 26`},
		{"analysis: variance", "analysis: {variance: CR2}\n",
			`spec.yaml:1:22: analysis.variance: unknown variance "CR2" (did you mean "HC2"?); expected one of HC0, HC1, HC2, HC3`},
		{"report: kind", "report: {kind: interim}\n",
			`spec.yaml:1:16: report.kind: unknown report kind "interim"; expected one of midterm, final`},
		{"report: warn share", "report: {warn_at_risk: 50}\n",
			`spec.yaml:1:24: report.warn_at_risk: expected a share from 0 to 1 such as 0.5, got 50`},
		{"report: criterion without kind", "report:\n  criteria: [{outcome: hours}]\n",
			`spec.yaml:2:14: report.criteria[0]: a criterion needs a kind: one of hours_ratio, effect, not_in_data`},
		{"report: effect criterion incomplete", "report:\n  criteria: [{kind: effect, outcome: employd, week: 44}]\n",
			`spec.yaml:2:14: report.criteria[0]: kind effect needs outcome, week and at_least, such as {kind: effect, outcome: employed, week: 44, at_least: 0.05}; at_least is missing
spec.yaml:2:38: report.criteria[0].outcome: "employd" is not an outcome (did you mean "employed"?); outcomes: hours, employed, praktik, wage_subsidy, sustained13`},
		{"report: ratio criterion with a week", "report:\n  criteria: [{kind: hours_ratio, week: 26}]\n",
			`spec.yaml:2:40: report.criteria[0].week: kind hours_ratio takes no week (only kind effect does)`},
		{"report: criteria not a list", "report: {criteria: {kind: effect}}\n",
			`spec.yaml:1:20: report.criteria: expected a list of criteria such as [{kind: hours_ratio}], got a mapping`},
		{"two documents", "confidence: 0.9\n---\nconfidence: 0.8\n",
			`spec.yaml:2:1: a spec is one YAML document; a second one starts here`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("spec.yaml", []byte(tt.src))
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Equal(t, tt.want, err.Error(), carets(tt.src, err))
			var es Errors
			require.ErrorAs(t, err, &es)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "spec.yaml", e.File)
		})
	}
}

func TestCollectsAllProblems(t *testing.T) {
	src := `trial: JobFirst
confidence: high
min_cell: -1
weeks: "44:0"
extract_end: 2016-W53
status_codes:
  praktik: ["523"]
  wage_subsidy: ["511"]
  benefit: ["523", "130-136"]
  education: ["651"]
outcomes:
  - {name: hours, kind: mean_hours}
  - {name: hours, kind: mean_hour}
  - {name: p, kind: status_share, categories: [praktik, educaton]}
duplicate: sum
`
	_, err := Parse("plan.yaml", []byte(src))
	require.Error(t, err)
	assert.Equal(t, strings.Join([]string{
		`plan.yaml:2:13: confidence: expected a number such as 0.95, got "high"`,
		`plan.yaml:3:11: min_cell: expected 0 (no disclosure control) or more, got -1`,
		`plan.yaml:4:8: weeks: range "44:0" is empty: 44 is after 0`,
		`plan.yaml:5:14: extract_end: expected an ISO week YYYY-Www, got "2016-W53": 2016 has only 52 ISO weeks`,
		`plan.yaml:9:13: status_codes.benefit[0]: code "523" is already listed under praktik (line 7)`,
		`plan.yaml:13:12: outcomes[1].name: outcome "hours" is defined twice (first at line 12)`,
		`plan.yaml:13:25: outcomes[1].kind: unknown kind "mean_hour" (did you mean "mean_hours"?); expected one of mean_hours, hours_above, status_share, self_supporting, sustained, cumulative_hours, benefit_weeks`,
		`plan.yaml:14:57: outcomes[2].categories: unknown category "educaton" (did you mean "education"?); categories: praktik, wage_subsidy, benefit, education`,
		`plan.yaml:15:1: unknown key "duplicate" at the top level (did you mean "duplicates"?); allowed keys: trial, inputs, columns, covariates, labels, arms, status_codes, unmapped, outcomes, extract_end, weeks, landmarks, confidence, min_cell, duplicates, bad_rows, max_missing, pre_weeks, analysis, report`,
	}, "\n"), err.Error())

	// Without status_codes, outcomes are checked against the canonical categories.
	_, err = Parse("plan.yaml", []byte("outcomes:\n  - {name: p, kind: status_share, categories: [praktik, educaton]}\nconfidence: 2\n"))
	require.Error(t, err)
	assert.Equal(t, `plan.yaml:2:57: outcomes[0].categories: unknown category "educaton"; categories: praktik, wage_subsidy, benefit`+"\n"+
		`plan.yaml:3:13: confidence: expected a level between 0 and 1 (exclusive) such as 0.95, got 2`, err.Error())
}

func TestErrorsPrintAtMostTwenty(t *testing.T) {
	var src strings.Builder
	for i := range 25 {
		src.WriteString("landmarks_" + string(rune('a'+i)) + ": 1\n")
	}
	_, err := Parse("many.yaml", []byte(src.String()))
	var es Errors
	require.ErrorAs(t, err, &es)
	assert.Len(t, es, 25)
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, 21)
	assert.True(t, strings.HasPrefix(lines[19], "many.yaml:20:1: unknown key \"landmarks_t\""), lines[19])
	assert.Equal(t, "and 5 more", lines[20])
}

func TestErrorFormat(t *testing.T) {
	assert.Equal(t, "s.yaml:12:5: bad", (&Error{File: "s.yaml", Line: 12, Column: 5, Msg: "bad"}).Error())
	assert.Equal(t, "s.yaml:12: bad", (&Error{File: "s.yaml", Line: 12, Msg: "bad"}).Error())
	assert.Equal(t, "s.yaml: bad", (&Error{File: "s.yaml", Msg: "bad"}).Error())
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.yaml")
	abs := filepath.Join(dir, "elsewhere", "w.csv")
	require.NoError(t, os.WriteFile(path, []byte("inputs:\n  assignment: data/a.csv\n  weeks: ["+abs+"]\nmin_cell: 3\n"), 0o600))
	s, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, dir, s.Dir)
	assert.Equal(t, path, s.File)
	assert.Equal(t, "data/a.csv", s.Inputs.Assignment.Path)
	assert.Equal(t, filepath.Join(dir, "data", "a.csv"), s.Inputs.Assignment.Resolved)
	assert.Equal(t, abs, s.Inputs.Weeks[0].Resolved, "absolute paths stay")
	assert.Equal(t, filepath.Join(dir, "x.csv"), s.Path("x.csv"))
	assert.True(t, s.Set("min_cell"))
	assert.False(t, s.Set("confidence"))

	_, err = Load(filepath.Join(dir, "missing.yaml"))
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Equal(t, filepath.Join(dir, "missing.yaml")+": cannot read the spec: no such file or directory", err.Error())

	// Messages name the file as given.
	require.NoError(t, os.WriteFile(path, []byte("min_cell: x\n"), 0o600))
	_, err = Load(path)
	assert.Equal(t, path+`:1:11: min_cell: expected a whole number such as 5, got "x"`, err.Error())
}

func TestParseKeepsPaths(t *testing.T) {
	s, err := Parse("plan.yaml", []byte("inputs: {assignment: data/a.csv}"))
	require.NoError(t, err)
	assert.Equal(t, "data/a.csv", s.Inputs.Assignment.Resolved)
	assert.Equal(t, "data/a.csv", s.Path("data/a.csv"))
}

func TestHostileYAML(t *testing.T) {
	// A self-referencing anchor and an alias bomb end as errors, quickly.
	for _, src := range []string{
		"inputs: &a {weeks: *a}",
		"columns: &c {<<: *c}",
		"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\narms: {treatment: [*c, *c, *c, *c, *c, *c, *c, *c, *c]}",
	} {
		_, err := Parse("x.yaml", []byte(src))
		assert.Error(t, err, src)
	}
}

func TestLevenshtein(t *testing.T) {
	assert.Equal(t, 0, levenshtein("abc", "abc"))
	assert.Equal(t, 1, levenshtein("confidance", "confidence"))
	assert.Equal(t, 3, levenshtein("kitten", "sitting"))
	assert.Equal(t, 2, levenshtein("køn", "k"))
	assert.Equal(t, "min_cell", closest("MinCell", Keys()))
	assert.Equal(t, "", closest("visitation", Keys()))
}

func TestErrorsUnwrap(t *testing.T) {
	cause := errors.New("cause")
	err := error(Errors{{File: "a", Msg: "x", Err: cause}, {File: "a", Msg: "y"}})
	assert.ErrorIs(t, err, cause)
}

// carets shows where each problem points, to check positions by eye when a
// test fails.
func carets(src string, err error) string {
	var es Errors
	if !errors.As(err, &es) {
		return ""
	}
	lines := strings.Split(src, "\n")
	var b strings.Builder
	for _, e := range es {
		if e.Line < 1 || e.Line > len(lines) {
			continue
		}
		b.WriteString("\n" + lines[e.Line-1] + "\n")
		if e.Column > 0 {
			b.WriteString(strings.Repeat(" ", e.Column-1) + "^ " + e.Msg)
		}
	}
	return b.String()
}

func TestCodesAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("status_codes:\n  praktik: [a]\n  wage_subsidy: [b]\n  benefit: [c]\n")
	for i := range 10 { // 10 × 10 000 codes and the 3 above
		fmt.Fprintf(&b, "  x%d: [%d-%d]\n", i, i*10000+10000, i*10000+19999)
	}
	_, err := Parse("spec.yaml", []byte(b.String()))
	assert.EqualError(t, err, `spec.yaml:14:8: status_codes.x9[0]: status_codes hold more than 100000 codes in all`)
}
