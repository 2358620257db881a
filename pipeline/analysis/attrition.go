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
// are at risk ("n<5"). Weeks where between 1 and minCell−1 have left an arm
// since the last published week (its shares would disclose them) are
// blanked by the differencing rule (differencing.go).
func discloseAttrition(rows []AttritionRow, minCell int) {
	for i := range rows {
		r := &rows[i]
		if minCell > 0 && (r.AtRiskTreatment < minCell || r.AtRiskControl < minCell) {
			blankAttrition(r, fmt.Sprintf("n<%d", minCell))
		}
	}
}

// blankAttrition blanks an attrition week under a disclosure rule.
func blankAttrition(r *AttritionRow, rule string) {
	*r = AttritionRow{Week: r.Week, ShareTreatment: nan, ShareControl: nan, Difference: nan, PValue: nan, Suppressed: rule}
}
