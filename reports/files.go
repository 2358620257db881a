package reports

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"rcteval/pipeline"
	"rcteval/pipeline/analysis"
)

// WriteFileAtomic writes data to path through a temporary file in the same
// directory and a rename, so readers never see a half-written file.
func WriteFileAtomic(path string, data []byte) error {
	return writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomic is WriteFileAtomic for content written by fill, streamed to
// the temporary file (rejects.csv can run to millions of rows).
func writeAtomic(path string, fill func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err := fill(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// num formats a float for CSV: the shortest text that reads back to the same
// float64; NaN as an empty cell.
func num(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func writeCSV(path string, header []string, rows [][]string) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		return err
	}
	return WriteFileAtomic(path, b.Bytes())
}

// EffectsHeader is the header of effects.csv: the effect and its pointwise
// interval, then how it was estimated, the simultaneous band, the
// randomisation-inference p-value and, for the blocked estimator, the
// strata left out that week (fewer than two persons at risk in an arm).
var EffectsHeader = []string{"outcome", "week", "n_treatment", "n_control", "mean_treatment", "mean_control",
	"effect", "se", "df", "ci_low", "ci_high", "p_value", "suppressed",
	"estimator", "variance", "band_low", "band_high", "ri_p_value", "ri_mcse", "dropped_blocks"}

// WriteEffectsCSV writes effects.csv.
func WriteEffectsCSV(path string, d *analysis.Disclosed) error {
	return writeEffectRows(path, d.Effects())
}

// WriteCohortCSV writes cohort_effects.csv: the effects among the persons
// followed to the cohort week, for every week up to it (the same columns as
// effects.csv, without randomisation inference). Empty without a cohort.
func WriteCohortCSV(path string, d *analysis.Disclosed) error {
	_, rows := d.Cohort()
	return writeEffectRows(path, rows)
}

func writeEffectRows(path string, rows []analysis.Effect) error {
	out := make([][]string, len(rows))
	for i, r := range rows {
		rec := make([]string, len(EffectsHeader))
		rec[0], rec[1] = r.Outcome, strconv.Itoa(r.Week)
		if !r.HideCounts {
			rec[2], rec[3] = strconv.Itoa(r.NTreatment), strconv.Itoa(r.NControl)
		}
		if r.Estimated {
			for j, v := range []float64{r.MeanTreatment, r.MeanControl, r.Estimate.Estimate, r.SE, r.DF, r.CILow, r.CIHigh, r.PValue} {
				rec[4+j] = num(v)
			}
			for j, v := range []float64{r.BandLow, r.BandHigh, r.RIPValue, r.RIMCSE} {
				rec[15+j] = num(v)
			}
		}
		rec[12], rec[13], rec[14] = r.Suppressed, r.Estimator, r.Variance
		if r.Estimator == analysis.Blocked {
			rec[19] = strconv.Itoa(r.DroppedBlocks)
		}
		out[i] = rec
	}
	return writeCSV(path, EffectsHeader, out)
}

// BandsHeader is the header of bands.csv.
var BandsHeader = []string{"outcome", "critical_value", "weeks", "first_week_ci_above_zero", "first_week_band_above_zero", "draws", "seed", "estimator", "variance"}

// WriteBandsCSV writes bands.csv: per outcome the sup-t critical value of
// its simultaneous band, how many weeks it covers, the first week from
// which the pointwise interval and the band stay above zero (empty: none),
// and the simulation's draws and seed.
func WriteBandsCSV(path string, d *analysis.Disclosed) error {
	plan := d.Plan()
	est, variance := d.Estimator()
	var out [][]string
	week := func(k int) string {
		if k < 0 {
			return ""
		}
		return strconv.Itoa(k)
	}
	for _, b := range d.Bands() {
		out = append(out, []string{b.Outcome, num(b.Critical), strconv.Itoa(b.Weeks), week(b.FirstWeekCIAbove), week(b.FirstWeekBandAbove),
			strconv.Itoa(plan.BandDraws), strconv.FormatUint(plan.Seed, 10), est, variance})
	}
	return writeCSV(path, BandsHeader, out)
}

// AttritionHeader is the header of attrition.csv.
var AttritionHeader = []string{"week", "at_risk_treatment", "at_risk_control", "share_treatment", "share_control", "difference", "p_value", "suppressed"}

// WriteAttritionCSV writes attrition.csv: the share of each arm still
// followed, week by week, and the χ² test of equal shares.
func WriteAttritionCSV(path string, d *analysis.Disclosed) error {
	var out [][]string
	for _, r := range d.Attrition() {
		rec := []string{strconv.Itoa(r.Week), "", "", num(r.ShareTreatment), num(r.ShareControl), num(r.Difference), num(r.PValue), r.Suppressed}
		if r.Suppressed == "" {
			rec[1], rec[2] = strconv.Itoa(r.AtRiskTreatment), strconv.Itoa(r.AtRiskControl)
		}
		out = append(out, rec)
	}
	return writeCSV(path, AttritionHeader, out)
}

// SubgroupsHeader is the header of subgroups.csv: the columns of
// effects.csv (without the band and RI) after the variable and its level.
var SubgroupsHeader = []string{"variable", "level", "outcome", "week", "n_treatment", "n_control", "mean_treatment", "mean_control",
	"effect", "se", "df", "ci_low", "ci_high", "p_value", "suppressed", "estimator", "variance"}

// WriteSubgroupsCSV writes subgroups.csv, one row per variable, level,
// outcome and landmark week, ready for a forest plot.
func WriteSubgroupsCSV(path string, d *analysis.Disclosed) error {
	var out [][]string
	for _, r := range d.Subgroups() {
		rec := make([]string, len(SubgroupsHeader))
		rec[0], rec[1], rec[2], rec[3] = r.Variable, r.Level, r.Outcome, strconv.Itoa(r.Week)
		if !r.HideCounts {
			rec[4], rec[5] = strconv.Itoa(r.NTreatment), strconv.Itoa(r.NControl)
		}
		if r.Estimated {
			for j, v := range []float64{r.MeanTreatment, r.MeanControl, r.Estimate.Estimate, r.SE, r.DF, r.CILow, r.CIHigh, r.PValue} {
				rec[6+j] = num(v)
			}
		}
		rec[14], rec[15], rec[16] = r.Suppressed, r.Estimator, r.Variance
		out = append(out, rec)
	}
	return writeCSV(path, SubgroupsHeader, out)
}

// SubgroupTestsHeader is the header of subgroup_tests.csv.
var SubgroupTestsHeader = []string{"variable", "outcome", "week", "subgroups", "statistic", "df", "p_value", "test"}

// WriteSubgroupTestsCSV writes subgroup_tests.csv: per variable, outcome
// and week, the test that the published subgroups share one effect.
func WriteSubgroupTestsCSV(path string, d *analysis.Disclosed) error {
	var out [][]string
	for _, r := range d.SubgroupTests() {
		out = append(out, []string{r.Variable, r.Outcome, strconv.Itoa(r.Week), strconv.Itoa(r.Subgroups), num(r.Statistic), num(r.DF), num(r.PValue), "cochran_q"})
	}
	return writeCSV(path, SubgroupTestsHeader, out)
}

// KMHeader is the header of km.csv.
var KMHeader = []string{"outcome", "week", "n_risk_treatment", "n_risk_control", "incidence_treatment", "ci_low_treatment", "ci_high_treatment",
	"incidence_control", "ci_low_control", "ci_high_control", "difference", "se", "ci_low", "ci_high", "p_value", "suppressed"}

// WriteKMCSV writes km.csv: per sustained outcome and week, the
// Kaplan–Meier cumulative incidence by arm with its interval, and the
// difference with its interval and p-value.
func WriteKMCSV(path string, d *analysis.Disclosed) error {
	var out [][]string
	for _, r := range d.KM() {
		rec := []string{r.Outcome, strconv.Itoa(r.Week), "", ""}
		if r.Suppressed == "" {
			rec[2], rec[3] = strconv.Itoa(r.NRiskTreatment), strconv.Itoa(r.NRiskControl)
		}
		for _, v := range []float64{r.IncidenceTreatment, r.LowTreatment, r.HighTreatment, r.IncidenceControl, r.LowControl, r.HighControl,
			r.Difference, r.SE, r.CILow, r.CIHigh, r.PValue} {
			rec = append(rec, num(v))
		}
		out = append(out, append(rec, r.Suppressed))
	}
	return writeCSV(path, KMHeader, out)
}

// RatioHeader is the header of ratio.csv.
var RatioHeader = []string{"from_week", "to_week", "n_treatment", "n_control", "mean_treatment", "mean_control", "ratio",
	"se", "ci_low", "ci_high", "log_ci_low", "log_ci_high", "fieller", "fieller_kind", "fieller_low", "fieller_high",
	"rho0", "t_at_least", "p_at_least", "suppressed", "note"}

// WriteRatioCSV writes ratio.csv: the ratio of the arms' mean weekly hours
// over a window among those followed through it, with its delta-method,
// log-scale and Fieller intervals (an unbounded Fieller set is written as
// a set, its kind says so), and the one-sided test that the ratio exceeds
// rho0. Nothing is written without an hours outcome.
func WriteRatioCSV(path string, d *analysis.Disclosed) error {
	r := d.Ratio()
	if r == nil {
		return writeCSV(path, RatioHeader, nil)
	}
	rec := []string{strconv.Itoa(r.FromWeek), strconv.Itoa(r.ToWeek), "", ""}
	if r.Suppressed == "" && r.NTreatment > 0 {
		rec[2], rec[3] = strconv.Itoa(r.NTreatment), strconv.Itoa(r.NControl)
	}
	estimated := r.Suppressed == "" && r.Note == ""
	value := func(v float64) string {
		if !estimated {
			return ""
		}
		return num(v)
	}
	for _, v := range []float64{r.MeanTreatment, r.MeanControl, r.Estimate, r.SE, r.CILow, r.CIHigh, r.LogCILow, r.LogCIHigh} {
		rec = append(rec, value(v))
	}
	if estimated {
		rec = append(rec, r.Fieller.String(), r.Fieller.Kind.String(), num(r.Fieller.Low), num(r.Fieller.High))
	} else {
		rec = append(rec, "", "", "", "")
	}
	rec = append(rec, num(r.Rho0), value(r.TAtLeast), value(r.PAtLeast), r.Suppressed, r.Note)
	return writeCSV(path, RatioHeader, [][]string{rec})
}

// MultiplicityHeader is the header of multiplicity.csv.
var MultiplicityHeader = []string{"outcome", "week", "p_value", "holm", "westfall_young", "bky_q_value", "estimator", "variance"}

// WriteMultiplicityCSV writes multiplicity.csv: the family of primary
// outcomes at the landmark weeks with adjusted p-values.
func WriteMultiplicityCSV(path string, d *analysis.Disclosed) error {
	est, variance := d.Estimator()
	var out [][]string
	for _, f := range d.Family() {
		out = append(out, []string{f.Outcome, strconv.Itoa(f.Week), num(f.PValue), num(f.Holm), num(f.WestfallYoung), num(f.QValue), est, variance})
	}
	return writeCSV(path, MultiplicityHeader, out)
}

// BalanceHeader is the header of balance.csv.
var BalanceHeader = []string{"covariate", "level", "mean_treatment", "mean_control", "difference", "smd", "p_value", "test", "suppressed", "p_value_hc2"}

// WriteBalanceCSV writes balance.csv.
func WriteBalanceCSV(path string, d *analysis.Disclosed) error {
	rows := d.Balance().Rows
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r.Covariate, r.Level, num(r.MeanTreatment), num(r.MeanControl), num(r.Difference),
			num(r.SMD), num(r.PValue), r.Test, r.Suppressed, num(r.PValueHC2)}
	}
	return writeCSV(path, BalanceHeader, out)
}

// RejectsHeader is the header of rejects.csv.
var RejectsHeader = []string{"file", "line", "reason", "column", "value"}

// WriteRejectsCSV writes the rejected input rows: file, line (the data row
// in a columnar file), reason, the column at fault and its value; never an
// id (the value is empty when the id column is at fault). It takes the row
// accounting itself, which holds no person-level values, so that validate
// can write it without estimating anything.
func WriteRejectsCSV(path string, acc *pipeline.Accounting) error {
	return writeAtomic(path, func(out io.Writer) error {
		w := csv.NewWriter(out)
		w.Write(RejectsHeader)
		acc.EachReject(func(r pipeline.Reject) {
			w.Write([]string{filepath.Base(r.Source), strconv.Itoa(r.Line), r.Reason, r.Column, r.Value})
		})
		w.Flush()
		return w.Error()
	})
}

// OutputMarker is the file that marks a folder as written by rcteval, so
// that a later run may replace it.
const OutputMarker = ".rcteval-output"

// WriteOutputSet writes a run's output set into dir as a whole: write fills
// a temporary folder beside dir, which then takes dir's place, so dir is
// always one run's complete output or untouched. An existing dir is replaced
// only when it is empty or was written by rcteval (it holds OutputMarker):
// never a folder of the user's own files.
func WriteOutputSet(dir string, write func(tmp string) error) error {
	dir = filepath.Clean(dir)
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(dir, OutputMarker)); err != nil {
			return fmt.Errorf("%s holds files rcteval did not write; expected a new or empty folder, or one an earlier run wrote", dir)
		}
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // gone after a successful swap
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := write(tmp); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, OutputMarker), []byte("written by rcteval; the folder is replaced by the next run\n"), 0o644); err != nil {
		return err
	}
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir) // put the earlier output back
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
