package reports

// The CSV writers as they were before the table model (commit 5c6a4ba),
// kept to show that the model's CSV is byte for byte what they wrote.

import (
	"bytes"
	"encoding/csv"
	"math"
	"path/filepath"
	"strconv"

	"rcteval/pipeline"
	"rcteval/pipeline/analysis"
)

// num formats a float for CSV: the shortest text that reads back to the same
// float64; NaN as an empty cell.
func legacyNum(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func legacyCSV(header []string, rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	w.WriteAll(rows)
	w.Flush()
	return b.Bytes()
}

// legacyEffectsHeader is the header of effects.csv: the effect and its pointwise
// interval, then how it was estimated, the simultaneous band, the
// randomisation-inference p-value and, for the blocked estimator, the
// strata left out that week (fewer than two persons at risk in an arm).
var legacyEffectsHeader = []string{"outcome", "week", "n_treatment", "n_control", "mean_treatment", "mean_control",
	"effect", "se", "df", "ci_low", "ci_high", "p_value", "suppressed",
	"estimator", "variance", "band_low", "band_high", "ri_p_value", "ri_mcse", "dropped_blocks"}

// WriteEffectsCSV writes effects.csv.
func legacyEffects(d *analysis.Disclosed) []byte {
	return legacyEffectRows(d.Effects())
}

// WriteCohortCSV writes cohort_effects.csv: the effects among the persons
// followed to the cohort week, for every week up to it (the same columns as
// effects.csv, without randomisation inference). Empty without a cohort.
func legacyCohort(d *analysis.Disclosed) []byte {
	_, rows := d.Cohort()
	return legacyEffectRows(rows)
}

func legacyEffectRows(rows []analysis.Effect) []byte {
	out := make([][]string, len(rows))
	for i, r := range rows {
		rec := make([]string, len(legacyEffectsHeader))
		rec[0], rec[1] = r.Outcome, strconv.Itoa(r.Week)
		if !r.HideCounts {
			rec[2], rec[3] = strconv.Itoa(r.NTreatment), strconv.Itoa(r.NControl)
		}
		if r.Estimated {
			for j, v := range []float64{r.MeanTreatment, r.MeanControl, r.Estimate.Estimate, r.SE, r.DF, r.CILow, r.CIHigh, r.PValue} {
				rec[4+j] = legacyNum(v)
			}
			for j, v := range []float64{r.BandLow, r.BandHigh, r.RIPValue, r.RIMCSE} {
				rec[15+j] = legacyNum(v)
			}
		}
		rec[12], rec[13], rec[14] = r.Suppressed, r.Estimator, r.Variance
		if r.Estimator == analysis.Blocked {
			rec[19] = strconv.Itoa(r.DroppedBlocks)
		}
		out[i] = rec
	}
	return legacyCSV(legacyEffectsHeader, out)
}

// legacyBandsHeader is the header of bands.csv.
var legacyBandsHeader = []string{"outcome", "critical_value", "weeks", "first_week_ci_above_zero", "first_week_band_above_zero", "draws", "seed", "estimator", "variance"}

// WriteBandsCSV writes bands.csv: per outcome the sup-t critical value of
// its simultaneous band, how many weeks it covers, the first week from
// which the pointwise interval and the band stay above zero (empty: none),
// and the simulation's draws and seed.
func legacyBands(d *analysis.Disclosed) []byte {
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
		out = append(out, []string{b.Outcome, legacyNum(b.Critical), strconv.Itoa(b.Weeks), week(b.FirstWeekCIAbove), week(b.FirstWeekBandAbove),
			strconv.Itoa(plan.BandDraws), strconv.FormatUint(plan.Seed, 10), est, variance})
	}
	return legacyCSV(legacyBandsHeader, out)
}

// legacyAttritionHeader is the header of attrition.csv.
var legacyAttritionHeader = []string{"week", "at_risk_treatment", "at_risk_control", "share_treatment", "share_control", "difference", "p_value", "suppressed"}

// WriteAttritionCSV writes attrition.csv: the share of each arm still
// followed, week by week, and the χ² test of equal shares.
func legacyAttrition(d *analysis.Disclosed) []byte {
	var out [][]string
	for _, r := range d.Attrition() {
		rec := []string{strconv.Itoa(r.Week), "", "", legacyNum(r.ShareTreatment), legacyNum(r.ShareControl), legacyNum(r.Difference), legacyNum(r.PValue), r.Suppressed}
		if r.Suppressed == "" {
			rec[1], rec[2] = strconv.Itoa(r.AtRiskTreatment), strconv.Itoa(r.AtRiskControl)
		}
		out = append(out, rec)
	}
	return legacyCSV(legacyAttritionHeader, out)
}

// legacySubgroupsHeader is the header of subgroups.csv: the columns of
// effects.csv (without the band and RI) after the variable and its level.
var legacySubgroupsHeader = []string{"variable", "level", "outcome", "week", "n_treatment", "n_control", "mean_treatment", "mean_control",
	"effect", "se", "df", "ci_low", "ci_high", "p_value", "suppressed", "estimator", "variance"}

// WriteSubgroupsCSV writes subgroups.csv, one row per variable, level,
// outcome and landmark week, ready for a forest plot.
func legacySubgroups(d *analysis.Disclosed) []byte {
	var out [][]string
	for _, r := range d.Subgroups() {
		rec := make([]string, len(legacySubgroupsHeader))
		rec[0], rec[1], rec[2], rec[3] = r.Variable, r.Level, r.Outcome, strconv.Itoa(r.Week)
		if !r.HideCounts {
			rec[4], rec[5] = strconv.Itoa(r.NTreatment), strconv.Itoa(r.NControl)
		}
		if r.Estimated {
			for j, v := range []float64{r.MeanTreatment, r.MeanControl, r.Estimate.Estimate, r.SE, r.DF, r.CILow, r.CIHigh, r.PValue} {
				rec[6+j] = legacyNum(v)
			}
		}
		rec[14], rec[15], rec[16] = r.Suppressed, r.Estimator, r.Variance
		out = append(out, rec)
	}
	return legacyCSV(legacySubgroupsHeader, out)
}

// legacySubgroupTestsHeader is the header of subgroup_tests.csv.
var legacySubgroupTestsHeader = []string{"variable", "outcome", "week", "subgroups", "statistic", "df", "p_value", "test"}

// WriteSubgroupTestsCSV writes subgroup_tests.csv: per variable, outcome
// and week, the test that the published subgroups share one effect.
func legacySubgroupTests(d *analysis.Disclosed) []byte {
	var out [][]string
	for _, r := range d.SubgroupTests() {
		out = append(out, []string{r.Variable, r.Outcome, strconv.Itoa(r.Week), strconv.Itoa(r.Subgroups), legacyNum(r.Statistic), legacyNum(r.DF), legacyNum(r.PValue), "cochran_q"})
	}
	return legacyCSV(legacySubgroupTestsHeader, out)
}

// legacyKMHeader is the header of km.csv.
var legacyKMHeader = []string{"outcome", "week", "n_risk_treatment", "n_risk_control", "incidence_treatment", "ci_low_treatment", "ci_high_treatment",
	"incidence_control", "ci_low_control", "ci_high_control", "difference", "se", "ci_low", "ci_high", "p_value", "suppressed"}

// WriteKMCSV writes km.csv: per sustained outcome and week, the
// Kaplan–Meier cumulative incidence by arm with its interval, and the
// difference with its interval and p-value.
func legacyKM(d *analysis.Disclosed) []byte {
	var out [][]string
	for _, r := range d.KM() {
		rec := []string{r.Outcome, strconv.Itoa(r.Week), "", ""}
		if r.Suppressed == "" {
			rec[2], rec[3] = strconv.Itoa(r.NRiskTreatment), strconv.Itoa(r.NRiskControl)
		}
		for _, v := range []float64{r.IncidenceTreatment, r.LowTreatment, r.HighTreatment, r.IncidenceControl, r.LowControl, r.HighControl,
			r.Difference, r.SE, r.CILow, r.CIHigh, r.PValue} {
			rec = append(rec, legacyNum(v))
		}
		out = append(out, append(rec, r.Suppressed))
	}
	return legacyCSV(legacyKMHeader, out)
}

// legacyRatioHeader is the header of ratio.csv.
var legacyRatioHeader = []string{"from_week", "to_week", "n_treatment", "n_control", "mean_treatment", "mean_control", "ratio",
	"se", "ci_low", "ci_high", "log_ci_low", "log_ci_high", "fieller", "fieller_kind", "fieller_low", "fieller_high",
	"rho0", "t_at_least", "p_at_least", "suppressed", "note"}

// WriteRatioCSV writes ratio.csv: the ratio of the arms' mean weekly hours
// over a window among those followed through it, with its delta-method,
// log-scale and Fieller intervals (an unbounded Fieller set is written as
// a set, its kind says so), and the one-sided test that the ratio exceeds
// rho0. Nothing is written without an hours outcome.
func legacyRatio(d *analysis.Disclosed) []byte {
	r := d.Ratio()
	if r == nil {
		return legacyCSV(legacyRatioHeader, nil)
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
		return legacyNum(v)
	}
	for _, v := range []float64{r.MeanTreatment, r.MeanControl, r.Estimate, r.SE, r.CILow, r.CIHigh, r.LogCILow, r.LogCIHigh} {
		rec = append(rec, value(v))
	}
	if estimated {
		rec = append(rec, r.Fieller.String(), r.Fieller.Kind.String(), legacyNum(r.Fieller.Low), legacyNum(r.Fieller.High))
	} else {
		rec = append(rec, "", "", "", "")
	}
	rec = append(rec, legacyNum(r.Rho0), value(r.TAtLeast), value(r.PAtLeast), r.Suppressed, r.Note)
	return legacyCSV(legacyRatioHeader, [][]string{rec})
}

// legacyMultiplicityHeader is the header of multiplicity.csv.
var legacyMultiplicityHeader = []string{"outcome", "week", "p_value", "holm", "westfall_young", "bky_q_value", "estimator", "variance"}

// WriteMultiplicityCSV writes multiplicity.csv: the family of primary
// outcomes at the landmark weeks with adjusted p-values.
func legacyMultiplicity(d *analysis.Disclosed) []byte {
	est, variance := d.Estimator()
	var out [][]string
	for _, f := range d.Family() {
		out = append(out, []string{f.Outcome, strconv.Itoa(f.Week), legacyNum(f.PValue), legacyNum(f.Holm), legacyNum(f.WestfallYoung), legacyNum(f.QValue), est, variance})
	}
	return legacyCSV(legacyMultiplicityHeader, out)
}

// legacyBalanceHeader is the header of balance.csv.
var legacyBalanceHeader = []string{"covariate", "level", "mean_treatment", "mean_control", "difference", "smd", "p_value", "test", "suppressed", "p_value_hc2"}

// WriteBalanceCSV writes balance.csv.
func legacyBalance(d *analysis.Disclosed) []byte {
	rows := d.Balance().Rows
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r.Covariate, r.Level, legacyNum(r.MeanTreatment), legacyNum(r.MeanControl), legacyNum(r.Difference),
			legacyNum(r.SMD), legacyNum(r.PValue), r.Test, r.Suppressed, legacyNum(r.PValueHC2)}
	}
	return legacyCSV(legacyBalanceHeader, out)
}

// legacyRejectsHeader is the header of rejects.csv.
var legacyRejectsHeader = []string{"file", "line", "reason", "column", "value"}

// WriteRejectsCSV writes the rejected input rows: file, line (the data row
// in a columnar file), reason, the column at fault and its value; never an
// id (the value is empty when the id column is at fault). It takes the row
// accounting itself, which holds no person-level values, so that validate
// can write it without estimating anything.
func legacyRejects(acc *pipeline.Accounting) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(legacyRejectsHeader)
	acc.EachReject(func(r pipeline.Reject) {
		w.Write([]string{filepath.Base(r.Source), strconv.Itoa(r.Line), r.Reason, r.Column, r.Value})
	})
	w.Flush()
	return b.Bytes()
}
