package reports

import "fmt"

// Lang selects the language of user-facing text.
type Lang string

const (
	English Lang = "en"
	Danish  Lang = "da"
)

// ParseLang accepts "en" or "da".
func ParseLang(s string) (Lang, error) {
	switch Lang(s) {
	case English, Danish:
		return Lang(s), nil
	}
	return "", fmt.Errorf("unknown language %q; expected en or da", s)
}

// catalogue holds every user-facing text of charts and reports.
var catalogue = map[string]map[Lang]string{
	"weeks_since":  {English: "Weeks since randomisation", Danish: "Uger siden visitation"},
	"treatment":    {English: "Treatment group", Danish: "Deltagergruppe"},
	"control":      {English: "Control group", Danish: "Kontrolgruppe"},
	"effect":       {English: "Effect", Danish: "Effekt"},
	"ci":           {English: "95 % confidence interval", Danish: "95 %-konfidensinterval"},
	"group_means":  {English: "Group means", Danish: "Gennemsnit pr. gruppe"},
	"effect_ci":    {English: "Effect with 95 % confidence interval", Danish: "Effekt med 95 %-konfidensinterval"},
	"at_risk":      {English: "N at risk (T/C)", Danish: "Antal fulgt (D/K)"},
	"report_title": {English: "Effect evaluation", Danish: "Effektevaluering"},

	"outcome.hours":        {English: "Ordinary hours per week", Danish: "Ordinære timer pr. uge"},
	"outcome.employed":     {English: "Share with ordinary hours (employment)", Danish: "Andel i beskæftigelse"},
	"outcome.praktik":      {English: "Share in company internship", Danish: "Andel i virksomhedspraktik"},
	"outcome.wage_subsidy": {English: "Share in wage subsidy", Danish: "Andel i løntilskud"},
	"outcome.sustained13":  {English: "Share with 13 weeks of sustained employer-based activity", Danish: "Andel med 13 ugers sammenhængende virksomhedsrettet indsats"},

	"unit.hours": {English: "hours", Danish: "timer"},
	"unit.share": {English: "share", Danish: "andel"},

	"reject.unknown_person":        {English: "person not in the assignment", Danish: "person findes ikke i lodtrækningen"},
	"reject.duplicate_person_week": {English: "second row for the same person and week", Danish: "anden række for samme person og uge"},
	"reject.after_extract_end":     {English: "week after the extract end", Danish: "uge efter udtrækkets slutning"},
	"reject.before_pre_period":     {English: "week before the kept pre-period", Danish: "uge før den gemte førperiode"},
}

// T returns the text for key in lang; an unknown key is a programming error.
func T(lang Lang, key string) string {
	m, ok := catalogue[key]
	if !ok {
		panic("reports: no text for " + key)
	}
	if s, ok := m[lang]; ok {
		return s
	}
	return m[English]
}

// OutcomeTitle is the title of an outcome, or its name if the catalogue has none.
func OutcomeTitle(lang Lang, name string) string {
	if _, ok := catalogue["outcome."+name]; ok {
		return T(lang, "outcome."+name)
	}
	return name
}

func init() {
	for k, v := range map[string]map[Lang]string{
		"axis.percent":  {English: "Per cent", Danish: "Procent"},
		"axis.pp":       {English: "Percentage points", Danish: "Procentpoint"},
		"axis.hours":    {English: "Hours per week", Danish: "Timer pr. uge"},
		"axis.hours_fx": {English: "Hours per week, difference", Danish: "Timer pr. uge, forskel"},
	} {
		catalogue[k] = v
	}
}
