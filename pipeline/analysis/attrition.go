package analysis

import (
	"fmt"
	"math"

	"rcteval/pipeline"
	"rcteval/stats"
)

// AttritionRow compares the arms' shares still followed in a week. In a
// trial with staggered randomisation the shares fall as later cohorts run
// out of follow-up; they should fall alike in both arms, or the weekly
// comparison mixes different cohorts.
type AttritionRow struct {
	Week                           int
	AtRiskTreatment, AtRiskControl int
	ShareTreatment, ShareControl   float64 // of the arm's persons
	Difference                     float64 // treatment − control
	PValue                         float64 // Pearson χ² of at risk or not by arm; NaN when undefined
	Suppressed                     string
}

// attrition is the at-risk share by arm in every week of the plan.
func attrition(s *pipeline.Store, plan Plan) []AttritionRow {
	var size [2]int
	for _, t := range s.Treated {
		size[b2i(t)]++
	}
	from, to := plan.weeks(s.Weeks)
	var rows []AttritionRow
	for k := from; k < to; k++ {
		var at [2]int
		for _, t := range s.Treated[:s.AtRisk(k)] {
			at[b2i(t)]++
		}
		r := AttritionRow{Week: k, AtRiskTreatment: at[1], AtRiskControl: at[0], PValue: math.NaN()}
		r.ShareTreatment, r.ShareControl = float64(at[1])/float64(size[1]), float64(at[0])/float64(size[0])
		r.Difference = r.ShareTreatment - r.ShareControl
		table := [][]float64{{float64(at[0]), float64(size[0] - at[0])}, {float64(at[1]), float64(size[1] - at[1])}}
		if chi, err := stats.ChiSquareIndependence(table); err == nil {
			r.PValue = chi.PValue
		}
		rows = append(rows, r)
	}
	return rows
}

// discloseAttrition blanks weeks where fewer than minCell persons of an arm
// are at risk, or fewer than minCell have left it (their shares would
// disclose them).
func discloseAttrition(rows []AttritionRow, size [2]int, minCell int) {
	for i := range rows {
		r := &rows[i]
		left := [2]int{size[0] - r.AtRiskControl, size[1] - r.AtRiskTreatment}
		if minCell > 0 && (small(r.AtRiskTreatment, minCell) || small(r.AtRiskControl, minCell) || small(left[0], minCell) || small(left[1], minCell) ||
			r.AtRiskTreatment == 0 || r.AtRiskControl == 0) {
			*r = AttritionRow{Week: r.Week, ShareTreatment: nan, ShareControl: nan, Difference: nan, PValue: nan, Suppressed: fmt.Sprintf("n<%d", minCell)}
		}
	}
}
