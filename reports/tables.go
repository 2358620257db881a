package reports

import (
	"cmp"
	"math"
	"path/filepath"
	"slices"
	"strconv"

	"rcteval/pipeline"
	"rcteval/pipeline/analysis"
)

// ColumnKind is the type of a published table's column: every writer (CSV,
// XLSX, Parquet, JSON) takes its cell types from it.
type ColumnKind uint8

const (
	KindText  ColumnKind = iota // string
	KindInt                     // int64
	KindUint                    // uint64 (seeds)
	KindFloat                   // float64; ±Inf kept, NaN is a null
)

// Number formats of XLSX cells (Excel's format codes; Excel shows them in
// the reader's locale, so a Danish Excel shows decimal commas).
const (
	FormatEstimate = "0.000"  // effects, means, intervals, shares
	FormatP        = "0.0000" // p-values and their Monte Carlo errors
	FormatCount    = "#,##0"  // persons
	FormatInteger  = "0"      // weeks, lines, draws, seeds: no separator
	FormatDF       = "0.0"    // degrees of freedom
)

// DataColumn is a column of a published table: its name (the CSV header,
// the Parquet field, the JSON key and the XLSX heading), its kind and, for
// numbers, the XLSX number format.
type DataColumn struct {
	Name   string
	Kind   ColumnKind
	Format string
}

// DataTable is one published table as data, built once from the disclosed
// results, so that the CSV, XLSX, Parquet and JSON outputs cannot disagree.
// A cell is nil (blank: suppressed, not estimated, not applicable) or holds
// the Go type of its column's kind: string, int64, uint64 or float64. A
// float cell is never NaN (that is nil) but may be ±Inf (an unbounded
// Fieller set).
//
// A Listing (rejects) is streamed row by row and may run to millions of
// rows: it goes to CSV and Parquet, while the workbook and results.json
// carry its counts by file and reason (RejectedTable).
type DataTable struct {
	Name    string
	Columns []DataColumn
	Rows    [][]any
	Listing bool
	each    func(func([]any)) // a listing's rows, instead of Rows
}

// EachRow calls fn with every row in order; fn must not keep the slice.
func (t *DataTable) EachRow(fn func(row []any)) {
	if t.each != nil {
		t.each(fn)
		return
	}
	for _, r := range t.Rows {
		fn(r)
	}
}

// Header is the table's column names.
func (t *DataTable) Header() []string {
	h := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		h[i] = c.Name
	}
	return h
}

func textCol(name string) DataColumn { return DataColumn{Name: name, Kind: KindText} }
func intCol(name, format string) DataColumn {
	return DataColumn{Name: name, Kind: KindInt, Format: format}
}
func floatCol(name, format string) DataColumn {
	return DataColumn{Name: name, Kind: KindFloat, Format: format}
}
func uintCol(name, format string) DataColumn {
	return DataColumn{Name: name, Kind: KindUint, Format: format}
}
func columns(cols ...DataColumn) []DataColumn { return cols }
func newTable(name string, cols []DataColumn) *DataTable {
	return &DataTable{Name: name, Columns: cols, Rows: [][]any{}}
}

// Cell constructors: a NaN float and an empty text are blank (nil).
func fl(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return v
}

func str(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func in(n int) any { return int64(n) }

// weekOrNone is a week, blank when negative (none).
func weekOrNone(k int) any {
	if k < 0 {
		return nil
	}
	return in(k)
}

// effectColumns are the columns of effects and cohort_effects.
var effectColumns = columns(textCol("outcome"), intCol("week", FormatInteger), intCol("n_treatment", FormatCount), intCol("n_control", FormatCount),
	floatCol("mean_treatment", FormatEstimate), floatCol("mean_control", FormatEstimate), floatCol("effect", FormatEstimate), floatCol("se", FormatEstimate),
	floatCol("df", FormatDF), floatCol("ci_low", FormatEstimate), floatCol("ci_high", FormatEstimate), floatCol("p_value", FormatP), textCol("suppressed"),
	textCol("estimator"), textCol("variance"), floatCol("band_low", FormatEstimate), floatCol("band_high", FormatEstimate), floatCol("ri_p_value", FormatP),
	floatCol("ri_mcse", FormatP), intCol("dropped_blocks", FormatCount))

// EffectsTable is effects: per outcome and week the arms' counts and
// means, the effect with its pointwise interval, how it was estimated, the
// simultaneous band, the randomisation-inference p-value and, for the
// blocked estimator, the strata left out that week (fewer than two persons
// at risk in an arm). Counts are blank when disclosure control hides them,
// estimates when the week is suppressed or not estimated.
func EffectsTable(d *analysis.Disclosed) *DataTable {
	return effectRows("effects", d.Effects())
}

// CohortTable is cohort_effects: the effects among the persons followed to
// the cohort week, for every week up to it (the columns of effects, without
// randomisation inference). Empty without a cohort.
func CohortTable(d *analysis.Disclosed) *DataTable {
	_, rows := d.Cohort()
	return effectRows("cohort_effects", rows)
}

func effectRows(name string, rows []analysis.Effect) *DataTable {
	t := newTable(name, effectColumns)
	for _, r := range rows {
		rec := make([]any, len(effectColumns))
		rec[0], rec[1] = r.Outcome, in(r.Week)
		if !r.HideCounts {
			rec[2], rec[3] = in(r.NTreatment), in(r.NControl)
		}
		if r.Estimated {
			for j, v := range []float64{r.MeanTreatment, r.MeanControl, r.Estimate.Estimate, r.SE, r.DF, r.CILow, r.CIHigh, r.PValue} {
				rec[4+j] = fl(v)
			}
			for j, v := range []float64{r.BandLow, r.BandHigh, r.RIPValue, r.RIMCSE} {
				rec[15+j] = fl(v)
			}
		}
		rec[12], rec[13], rec[14] = str(r.Suppressed), str(r.Estimator), str(r.Variance)
		if r.Estimator == analysis.Blocked {
			rec[19] = in(r.DroppedBlocks)
		}
		t.Rows = append(t.Rows, rec)
	}
	return t
}

// BandsTable is bands: per outcome the sup-t critical value of its
// simultaneous band, how many weeks it covers, the first week from which
// the pointwise interval and the band stay above zero (blank: none), and
// the simulation's draws and seed.
func BandsTable(d *analysis.Disclosed) *DataTable {
	t := newTable("bands", bandsColumns)
	plan := d.Plan()
	est, variance := d.Estimator()
	for _, b := range d.Bands() {
		t.Rows = append(t.Rows, []any{b.Outcome, fl(b.Critical), in(b.Weeks), weekOrNone(b.FirstWeekCIAbove), weekOrNone(b.FirstWeekBandAbove),
			in(plan.BandDraws), plan.Seed, str(est), str(variance)})
	}
	return t
}

// AttritionTable is attrition: the share of each arm still followed, week
// by week, and the χ² test of equal shares; the counts are blank in a
// suppressed week.
func AttritionTable(d *analysis.Disclosed) *DataTable {
	t := newTable("attrition", attritionColumns)
	for _, r := range d.Attrition() {
		rec := []any{in(r.Week), nil, nil, fl(r.ShareTreatment), fl(r.ShareControl), fl(r.Difference), fl(r.PValue), str(r.Suppressed)}
		if r.Suppressed == "" {
			rec[1], rec[2] = in(r.AtRiskTreatment), in(r.AtRiskControl)
		}
		t.Rows = append(t.Rows, rec)
	}
	return t
}

// SubgroupsTable is subgroups: the columns of effects (without the band
// and RI) after the variable and its level, one row per variable, level,
// outcome and landmark week, ready for a forest plot.
func SubgroupsTable(d *analysis.Disclosed) *DataTable {
	cols := subgroupsColumns
	t := newTable("subgroups", cols)
	for _, r := range d.Subgroups() {
		rec := make([]any, len(cols))
		rec[0], rec[1], rec[2], rec[3] = r.Variable, str(r.Level), r.Outcome, in(r.Week)
		if !r.HideCounts {
			rec[4], rec[5] = in(r.NTreatment), in(r.NControl)
		}
		if r.Estimated {
			for j, v := range []float64{r.MeanTreatment, r.MeanControl, r.Estimate.Estimate, r.SE, r.DF, r.CILow, r.CIHigh, r.PValue} {
				rec[6+j] = fl(v)
			}
		}
		rec[14], rec[15], rec[16] = str(r.Suppressed), str(r.Estimator), str(r.Variance)
		t.Rows = append(t.Rows, rec)
	}
	return t
}

// SubgroupTestsTable is subgroup_tests: per variable, outcome and week, the
// test (Cochran's Q) that the published subgroups share one effect.
func SubgroupTestsTable(d *analysis.Disclosed) *DataTable {
	t := newTable("subgroup_tests", subgroupTestsColumns)
	for _, r := range d.SubgroupTests() {
		t.Rows = append(t.Rows, []any{r.Variable, r.Outcome, in(r.Week), in(r.Subgroups), fl(r.Statistic), fl(r.DF), fl(r.PValue), "cochran_q"})
	}
	return t
}

// KMTable is km: per sustained outcome and week, the Kaplan–Meier
// cumulative incidence by arm with its interval, and the difference with
// its interval and p-value; the numbers at risk are blank in a suppressed
// week.
func KMTable(d *analysis.Disclosed) *DataTable {
	t := newTable("km", kmColumns)
	for _, r := range d.KM() {
		rec := []any{r.Outcome, in(r.Week), nil, nil}
		if r.Suppressed == "" {
			rec[2], rec[3] = in(r.NRiskTreatment), in(r.NRiskControl)
		}
		for _, v := range []float64{r.IncidenceTreatment, r.LowTreatment, r.HighTreatment, r.IncidenceControl, r.LowControl, r.HighControl,
			r.Difference, r.SE, r.CILow, r.CIHigh, r.PValue} {
			rec = append(rec, fl(v))
		}
		t.Rows = append(t.Rows, append(rec, str(r.Suppressed)))
	}
	return t
}

// HoursDistributionTable is hours_distribution, the table behind Figure 7:
// per band of positive ordinary hours, the persons in it by arm and their
// share of those with hours, and a last row "with hours" with the arm's
// persons with hours and their mean hours. A suppressed count is blank,
// its rule in the arm's suppressed column. No rows without an hours
// outcome.
func HoursDistributionTable(d *analysis.Disclosed) *DataTable {
	t := newTable("hours_distribution", hoursDistributionColumns)
	h := d.HoursDistribution()
	if h == nil {
		return t
	}
	count := func(n int, rule string) any {
		if rule != "" {
			return nil
		}
		return in(n)
	}
	share := func(n, of int, rule, armRule string) any {
		if rule != "" || armRule != "" || of == 0 {
			return nil
		}
		return fl(float64(n) / float64(of))
	}
	for _, b := range h.Bands {
		upper := fl(b.Upper)
		if math.IsInf(b.Upper, 1) {
			upper = nil
		}
		t.Rows = append(t.Rows, []any{h.Outcome, in(h.Week), str(bandName(b)), fl(b.Lower), upper,
			count(b.Treatment, b.SuppressedTreatment), count(b.Control, b.SuppressedControl),
			share(b.Treatment, h.WithHoursTreatment, b.SuppressedTreatment, h.SuppressedTreatment),
			share(b.Control, h.WithHoursControl, b.SuppressedControl, h.SuppressedControl),
			nil, nil, str(b.SuppressedTreatment), str(b.SuppressedControl)})
	}
	t.Rows = append(t.Rows, []any{h.Outcome, in(h.Week), "with hours", nil, nil,
		count(h.WithHoursTreatment, h.SuppressedTreatment), count(h.WithHoursControl, h.SuppressedControl), nil, nil,
		fl(h.MeanTreatment), fl(h.MeanControl), str(h.SuppressedTreatment), str(h.SuppressedControl)})
	return t
}

// bandName is a band of hours as text: "5–10", "37+".
func bandName(b analysis.HoursBand) string {
	if math.IsInf(b.Upper, 1) {
		return strconv.FormatFloat(b.Lower, 'f', -1, 64) + "+"
	}
	return strconv.FormatFloat(b.Lower, 'f', -1, 64) + "–" + strconv.FormatFloat(b.Upper, 'f', -1, 64)
}

// RatioTable is ratio: the ratio of the arms' mean weekly hours over a
// window among those followed through it, with its delta-method,
// log-scale and Fieller intervals (an unbounded Fieller set is written as
// a set, its kind says so, and its limits may be ±Inf), and the one-sided
// test that the ratio exceeds rho0. No row without an hours outcome.
func RatioTable(d *analysis.Disclosed) *DataTable {
	t := newTable("ratio", ratioColumns)
	r := d.Ratio()
	if r == nil {
		return t
	}
	rec := []any{in(r.FromWeek), in(r.ToWeek), nil, nil}
	if r.Suppressed == "" && r.NTreatment > 0 {
		rec[2], rec[3] = in(r.NTreatment), in(r.NControl)
	}
	estimated := r.Suppressed == "" && r.Note == ""
	value := func(v float64) any {
		if !estimated {
			return nil
		}
		return fl(v)
	}
	for _, v := range []float64{r.MeanTreatment, r.MeanControl, r.Estimate, r.SE, r.CILow, r.CIHigh, r.LogCILow, r.LogCIHigh} {
		rec = append(rec, value(v))
	}
	if estimated {
		rec = append(rec, str(r.Fieller.String()), str(r.Fieller.Kind.String()), fl(r.Fieller.Low), fl(r.Fieller.High))
	} else {
		rec = append(rec, nil, nil, nil, nil)
	}
	rec = append(rec, fl(r.Rho0), value(r.TAtLeast), value(r.PAtLeast), str(r.Suppressed), str(r.Note))
	t.Rows = append(t.Rows, rec)
	return t
}

// MultiplicityTable is multiplicity: the family of primary outcomes at the
// landmark weeks with adjusted p-values.
func MultiplicityTable(d *analysis.Disclosed) *DataTable {
	t := newTable("multiplicity", multiplicityColumns)
	est, variance := d.Estimator()
	for _, f := range d.Family() {
		t.Rows = append(t.Rows, []any{f.Outcome, in(f.Week), fl(f.PValue), fl(f.Holm), fl(f.WestfallYoung), fl(f.QValue), str(est), str(variance)})
	}
	return t
}

// BalanceTable is balance: per covariate (and level) the arms' means, the
// difference, the standardised difference and the balance test.
func BalanceTable(d *analysis.Disclosed) *DataTable {
	t := newTable("balance", balanceColumns)
	for _, r := range d.Balance().Rows {
		t.Rows = append(t.Rows, []any{r.Covariate, str(r.Level), fl(r.MeanTreatment), fl(r.MeanControl), fl(r.Difference),
			fl(r.SMD), fl(r.PValue), str(r.Test), str(r.Suppressed), fl(r.PValueHC2)})
	}
	return t
}

// RejectsTable is rejects, the listing of rejected input rows: file (its
// base name), line (the data row in a columnar file), reason, the column at
// fault and its value; never an id (the value is blank when the id column
// is at fault). It takes the row accounting itself, which holds no
// person-level values, so that validate can write it without estimating.
func RejectsTable(acc *pipeline.Accounting) *DataTable {
	t := &DataTable{Name: "rejects", Listing: true,
		Columns: rejectsColumns}
	t.each = func(fn func([]any)) {
		row := make([]any, 5)
		acc.EachReject(func(r pipeline.Reject) {
			row[0], row[1], row[2], row[3], row[4] = filepath.Base(r.Source), in(r.Line), r.Reason, str(r.Column), str(r.Value)
			fn(row)
		})
	}
	return t
}

// RejectedTable is rejected: the number of rejected rows by file and
// reason, sorted by both: the listing's summary, for the workbook and
// results.json, which leave the listing out.
func RejectedTable(acc *pipeline.Accounting) *DataTable {
	t := newTable("rejected", rejectedColumns)
	type key struct{ file, reason string }
	index := map[key]int{}
	acc.EachReject(func(r pipeline.Reject) {
		k := key{filepath.Base(r.Source), r.Reason}
		i, ok := index[k]
		if !ok {
			i = len(t.Rows)
			index[k] = i
			t.Rows = append(t.Rows, []any{k.file, k.reason, int64(0)})
		}
		t.Rows[i][2] = t.Rows[i][2].(int64) + 1
	})
	slices.SortFunc(t.Rows, func(a, b []any) int {
		return cmp.Or(cmp.Compare(a[0].(string), b[0].(string)), cmp.Compare(a[1].(string), b[1].(string)))
	})
	return t
}

// EffectTables are the tables of the effects command, in the order written.
func EffectTables(d *analysis.Disclosed) []*DataTable {
	return []*DataTable{EffectsTable(d), BandsTable(d), MultiplicityTable(d), SubgroupsTable(d), SubgroupTestsTable(d), KMTable(d),
		RatioTable(d), HoursDistributionTable(d), CohortTable(d), RejectsTable(d.Accounting()), RejectedTable(d.Accounting())}
}

// BalanceTables are the tables of the balance command.
func BalanceTables(d *analysis.Disclosed) []*DataTable {
	return []*DataTable{BalanceTable(d), AttritionTable(d)}
}

var bandsColumns = columns(textCol("outcome"), floatCol("critical_value", FormatEstimate), intCol("weeks", FormatInteger),
	intCol("first_week_ci_above_zero", FormatInteger), intCol("first_week_band_above_zero", FormatInteger),
	intCol("draws", FormatCount), uintCol("seed", FormatInteger), textCol("estimator"), textCol("variance"))

var attritionColumns = columns(intCol("week", FormatInteger), intCol("at_risk_treatment", FormatCount), intCol("at_risk_control", FormatCount),
	floatCol("share_treatment", FormatEstimate), floatCol("share_control", FormatEstimate), floatCol("difference", FormatEstimate),
	floatCol("p_value", FormatP), textCol("suppressed"))

var subgroupTestsColumns = columns(textCol("variable"), textCol("outcome"), intCol("week", FormatInteger), intCol("subgroups", FormatInteger),
	floatCol("statistic", FormatEstimate), floatCol("df", FormatDF), floatCol("p_value", FormatP), textCol("test"))

var kmColumns = columns(textCol("outcome"), intCol("week", FormatInteger), intCol("n_risk_treatment", FormatCount), intCol("n_risk_control", FormatCount),
	floatCol("incidence_treatment", FormatEstimate), floatCol("ci_low_treatment", FormatEstimate), floatCol("ci_high_treatment", FormatEstimate),
	floatCol("incidence_control", FormatEstimate), floatCol("ci_low_control", FormatEstimate), floatCol("ci_high_control", FormatEstimate),
	floatCol("difference", FormatEstimate), floatCol("se", FormatEstimate), floatCol("ci_low", FormatEstimate), floatCol("ci_high", FormatEstimate),
	floatCol("p_value", FormatP), textCol("suppressed"))

var ratioColumns = columns(intCol("from_week", FormatInteger), intCol("to_week", FormatInteger), intCol("n_treatment", FormatCount),
	intCol("n_control", FormatCount), floatCol("mean_treatment", FormatEstimate), floatCol("mean_control", FormatEstimate), floatCol("ratio", FormatEstimate),
	floatCol("se", FormatEstimate), floatCol("ci_low", FormatEstimate), floatCol("ci_high", FormatEstimate), floatCol("log_ci_low", FormatEstimate),
	floatCol("log_ci_high", FormatEstimate), textCol("fieller"), textCol("fieller_kind"), floatCol("fieller_low", FormatEstimate),
	floatCol("fieller_high", FormatEstimate), floatCol("rho0", FormatEstimate), floatCol("t_at_least", FormatEstimate), floatCol("p_at_least", FormatP),
	textCol("suppressed"), textCol("note"))

var multiplicityColumns = columns(textCol("outcome"), intCol("week", FormatInteger), floatCol("p_value", FormatP), floatCol("holm", FormatP),
	floatCol("westfall_young", FormatP), floatCol("bky_q_value", FormatP), textCol("estimator"), textCol("variance"))

var balanceColumns = columns(textCol("covariate"), textCol("level"), floatCol("mean_treatment", FormatEstimate), floatCol("mean_control", FormatEstimate),
	floatCol("difference", FormatEstimate), floatCol("smd", FormatEstimate), floatCol("p_value", FormatP), textCol("test"), textCol("suppressed"),
	floatCol("p_value_hc2", FormatP))

var hoursDistributionColumns = columns(textCol("outcome"), intCol("week", FormatInteger), textCol("band"),
	floatCol("lower", FormatEstimate), floatCol("upper", FormatEstimate), intCol("n_treatment", FormatCount), intCol("n_control", FormatCount),
	floatCol("share_treatment", FormatEstimate), floatCol("share_control", FormatEstimate),
	floatCol("mean_hours_treatment", FormatEstimate), floatCol("mean_hours_control", FormatEstimate),
	textCol("suppressed_treatment"), textCol("suppressed_control"))

var rejectedColumns = columns(textCol("file"), textCol("reason"), intCol("rows", FormatCount))

var subgroupsColumns = append(columns(textCol("variable"), textCol("level")), effectColumns[:15]...)

var rejectsColumns = columns(textCol("file"), intCol("line", FormatInteger), textCol("reason"), textCol("column"), textCol("value"))
