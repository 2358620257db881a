package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"rcteval/pipeline/analysis"
)

// ResultsVersion is the version of results.json's layout; it changes when
// a key is renamed or removed (added keys keep it).
const ResultsVersion = 1

// The parts of results.json before the tables, in order (encoding/json
// keeps a struct's field order, so the keys are stable).
type resultsHead struct {
	Format  int             `json:"format"`
	Program resultsProgram  `json:"rcteval"`
	Command []string        `json:"command"`
	Inputs  []resultsInput  `json:"inputs"`
	Plan    resultsSettings `json:"settings"`
	Trial   resultsTrial    `json:"trial"`
}

type resultsProgram struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Modified  bool   `json:"modified"`
	GoVersion string `json:"go"`
}

type resultsInput struct {
	Role   string `json:"role"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

type resultsSettings struct {
	Level      float64    `json:"level"`
	MinCell    int        `json:"min_cell"`
	Estimator  *string    `json:"estimator"`
	Variance   *string    `json:"variance"`
	FromWeek   int        `json:"from_week"`
	ToWeek     *int       `json:"to_week"` // null: every week the data allow
	Landmarks  []int      `json:"landmarks"`
	Primary    []string   `json:"primary"`
	CohortWeek *int       `json:"cohort_week"`
	BandDraws  int        `json:"band_draws"`
	Seed       uint64     `json:"seed"`
	RI         *resultsRI `json:"randomisation_inference"`
}

type resultsRI struct {
	Draws     int     `json:"draws"`
	Exact     bool    `json:"exact"`
	Seed      uint64  `json:"seed"`
	Statistic string  `json:"statistic"`
	Blocked   bool    `json:"blocked"`
	Clustered bool    `json:"clustered"`
	Skipped   *string `json:"skipped"`
}

type resultsTrial struct {
	Treatment       int              `json:"persons_treatment"`
	Control         int              `json:"persons_control"`
	FirstRandomised string           `json:"first_randomised"`
	LastRandomised  string           `json:"last_randomised"`
	ExtractEnd      string           `json:"extract_end"`
	FollowUpWeeks   int              `json:"follow_up_weeks"`
	Outcomes        []resultsOutcome `json:"outcomes"`
}

type resultsOutcome struct {
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	Binary bool   `json:"binary"`
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// WriteResultsJSON writes results.json: see ResultsJSON.
func WriteResultsJSON(path string, prov Provenance, d *analysis.Disclosed, tables []*DataTable) error {
	b, err := ResultsJSON(prov, d, tables)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, b)
}

// ResultsJSON is the results file: the layout's version, the program
// (version, commit, Go), the command line, the SHA-256 and size of every
// input, the plan's settings, the trial's size and follow-up, and every
// table (a listing left out: see DataTable) as an array of objects, one per
// row, keyed by column in the table's order, with typed values: blank cells
// are null, an infinite float is the text "+Inf" or "-Inf" as in the CSV.
// Keys come in a fixed order and nothing depends on the time, so a rerun
// gives the same bytes; it ends in a newline.
func ResultsJSON(prov Provenance, d *analysis.Disclosed, tables []*DataTable) ([]byte, error) {
	plan := d.Plan()
	est, variance := d.Estimator()
	head := resultsHead{
		Format:  ResultsVersion,
		Program: resultsProgram{Version: prov.Version, Commit: prov.Commit, Modified: prov.Modified, GoVersion: prov.GoVersion},
		Command: append([]string{}, prov.Command...),
		Inputs:  []resultsInput{},
		Plan: resultsSettings{Level: plan.Level, MinCell: plan.MinCell, Estimator: nonEmpty(est), Variance: nonEmpty(variance),
			FromWeek: plan.FromWeek, Landmarks: append([]int{}, plan.Landmarks...), Primary: append([]string{}, plan.Primary...),
			BandDraws: plan.BandDraws, Seed: plan.Seed},
	}
	for _, in := range prov.Inputs {
		head.Inputs = append(head.Inputs, resultsInput{in.Role, in.Path, in.SHA256, in.Bytes})
	}
	if plan.ToWeek >= 0 {
		head.Plan.ToWeek = &plan.ToWeek
	}
	if week, _ := d.Cohort(); week >= 0 {
		head.Plan.CohortWeek = &week
	}
	if ri := d.RI(); ri != nil {
		head.Plan.RI = &resultsRI{Draws: ri.Draws, Exact: ri.Exact, Seed: ri.Seed, Statistic: ri.Statistic, Blocked: ri.Blocked,
			Clustered: ri.Clustered, Skipped: nonEmpty(ri.Skipped)}
	}
	tr := d.Trial()
	head.Trial = resultsTrial{Treatment: tr.Treatment, Control: tr.Control, FirstRandomised: tr.FirstRandomised.String(),
		LastRandomised: tr.LastRandomised.String(), ExtractEnd: tr.ExtractEnd.String(), FollowUpWeeks: tr.FollowUpWeeks,
		Outcomes: []resultsOutcome{}}
	for _, o := range tr.Outcomes {
		head.Trial.Outcomes = append(head.Trial.Outcomes, resultsOutcome{o.Name, o.Unit, o.Binary})
	}

	// The head indented as encoding/json does it; then the tables, a row
	// per line, so that a diff of two runs shows the rows that changed.
	var h bytes.Buffer
	enc := json.NewEncoder(&h)
	enc.SetEscapeHTML(false) // "count<5", not "count\u003c5"
	enc.SetIndent("", "  ")
	if err := enc.Encode(head); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write(h.Bytes()[:h.Len()-3]) // without "\n}\n"
	b.WriteString(",\n  \"tables\": {")
	n := 0
	for _, t := range tables {
		if t.Listing {
			continue
		}
		if n++; n > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "\n    %s: [", jsonString(t.Name))
		rows := 0
		var failed error
		t.EachRow(func(row []any) {
			if rows++; rows > 1 {
				b.WriteByte(',')
			}
			b.WriteString("\n      {")
			for i, v := range row {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(jsonString(t.Columns[i].Name))
				b.WriteString(": ")
				if err := jsonValue(&b, v); err != nil && failed == nil {
					failed = fmt.Errorf("table %s, column %s: %w", t.Name, t.Columns[i].Name, err)
				}
			}
			b.WriteByte('}')
		})
		if failed != nil {
			return nil, failed
		}
		if rows > 0 {
			b.WriteString("\n    ")
		}
		b.WriteByte(']')
	}
	if n > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("}\n}\n")
	return b.Bytes(), nil
}

// jsonString is s as a JSON string, without encoding/json's escapes of
// <, > and & (the file is not embedded in HTML).
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// jsonValue writes a cell: null, a string, an integer, or a float in
// encoding/json's shortest form that reads back to the same float64.
func jsonValue(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
		return nil
	case string:
		b.WriteString(jsonString(x))
		return nil
	case float64:
		if math.IsInf(x, 0) {
			b.WriteString(jsonString(num(x)))
			return nil
		}
	case int64, uint64:
	default:
		return fmt.Errorf("a cell of type %T", v)
	}
	out, err := json.Marshal(v)
	b.Write(out)
	return err
}
