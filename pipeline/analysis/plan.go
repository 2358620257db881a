package analysis

import "fmt"

// Plan is what to estimate: the analysis part of the spec, with flags
// applied.
type Plan struct {
	// Level is the confidence level of the intervals, e.g. 0.95.
	Level float64
	// FromWeek and ToWeek bound the weeks since randomisation estimated
	// (inclusive); ToWeek < 0 means every week the data allow.
	FromWeek, ToWeek int
	// MinCell is the smallest count of persons published (0: no disclosure
	// control).
	MinCell int
	// BalanceOnly skips the effects (for the balance command).
	BalanceOnly bool
}

// DefaultPlan estimates every week at 95 % with cells of at least 5.
func DefaultPlan() Plan { return Plan{Level: 0.95, ToWeek: -1, MinCell: 5} }

// check reports a plan that cannot be carried out.
func (p Plan) check() error {
	switch {
	case !(p.Level > 0 && p.Level < 1):
		return fmt.Errorf("confidence level %g: expected a level between 0 and 1, such as 0.95", p.Level)
	case p.MinCell < 0:
		return fmt.Errorf("min cell %d: expected 0 or more", p.MinCell)
	case p.FromWeek < 0 || (p.ToWeek >= 0 && p.ToWeek < p.FromWeek):
		return fmt.Errorf("weeks %d:%d: expected 0 ≤ from ≤ to", p.FromWeek, p.ToWeek)
	}
	return nil
}

// weeks is the range of weeks estimated in a panel with follow-up weeks
// 0 … n-1: [from, to).
func (p Plan) weeks(n int) (from, to int) {
	to = n
	if p.ToWeek >= 0 {
		to = min(n, p.ToWeek+1)
	}
	return min(p.FromWeek, to), to
}
