package reports

import (
	"fmt"
	"strconv"
	"strings"
)

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
	"ci":           {English: "%s %% confidence interval", Danish: "%s %%-konfidensinterval"},
	"group_means":  {English: "Group means", Danish: "Gennemsnit pr. gruppe"},
	"effect_ci":    {English: "Effect with %s %% confidence interval", Danish: "Effekt med %s %%-konfidensinterval"},
	"at_risk":      {English: "N at risk (T/C)", Danish: "Antal fulgt (D/K)"},
	"report_title": {English: "Effect evaluation", Danish: "Effektevaluering"},

	"outcome.hours":           {English: "Ordinary hours per week", Danish: "Ordinære timer pr. uge"},
	"outcome.employed":        {English: "Share with ordinary hours (employment)", Danish: "Andel i beskæftigelse"},
	"outcome.praktik":         {English: "Share in company internship", Danish: "Andel i virksomhedspraktik"},
	"outcome.wage_subsidy":    {English: "Share in wage subsidy", Danish: "Andel i løntilskud"},
	"outcome.sustained13":     {English: "Share with 13 weeks of sustained employer-based activity", Danish: "Andel med 13 ugers sammenhængende virksomhedsrettet indsats"},
	"outcome.self_supporting": {English: "Share self-supporting (no public benefit)", Danish: "Andel selvforsørgende (ingen offentlig ydelse)"},
	"outcome.benefit_weeks":   {English: "Weeks on public benefit since referral", Danish: "Uger på offentlig ydelse siden visitation"},
	"outcome.cum_hours":       {English: "Ordinary hours since referral", Danish: "Ordinære timer siden visitation"},

	"unit.hours": {English: "hours", Danish: "timer"},
	"unit.share": {English: "share", Danish: "andel"},

	"reject.unknown_person":        {English: "person not in the assignment", Danish: "person findes ikke i lodtrækningen"},
	"reject.duplicate_person_week": {English: "second row for the same person and week", Danish: "anden række for samme person og uge"},
	"reject.after_extract_end":     {English: "week after the extract end", Danish: "uge efter udtrækkets slutning"},
	"reject.before_pre_period":     {English: "week before the kept pre-period", Danish: "uge før den gemte førperiode"},
	"reject.malformed":             {English: "value that could not be read", Danish: "værdi der ikke kunne læses"},

	"axis.percent":        {English: "Per cent", Danish: "Procent"},
	"axis.pp":             {English: "Percentage points", Danish: "Procentpoint"},
	"axis.hours":          {English: "Hours per week", Danish: "Timer pr. uge"},
	"axis.hours_fx":       {English: "Hours per week, difference", Danish: "Timer pr. uge, forskel"},
	"axis.hours_total":    {English: "Hours since week 0", Danish: "Timer siden uge 0"},
	"axis.hours_total_fx": {English: "Hours since week 0, difference", Danish: "Timer siden uge 0, forskel"},
	"axis.weeks":          {English: "Weeks on benefit since week 0", Danish: "Uger på ydelse siden uge 0"},
	"axis.weeks_fx":       {English: "Weeks on benefit, difference", Danish: "Uger på ydelse, forskel"},

	// The HTML report.
	"summary":                         {English: "Trial", Danish: "Forsøget"},
	"persons":                         {English: "Persons randomised", Danish: "Personer i lodtrækningen"},
	"randomised":                      {English: "Randomised in weeks", Danish: "Visiteret i ugerne"},
	"extract_end":                     {English: "Extract end", Danish: "Udtræk slutter"},
	"follow_up":                       {English: "Longest follow-up", Danish: "Længste opfølgning"},
	"weeks":                           {English: "weeks", Danish: "uger"},
	"settings":                        {English: "Confidence level / smallest cell shown", Danish: "Konfidensniveau / mindste viste celle"},
	"data":                            {English: "Data", Danish: "Data"},
	"rows_read":                       {English: "read", Danish: "læst"},
	"unit.rows":                       {English: "rows", Danish: "rækker"},
	"unit.cells":                      {English: "week cells", Danish: "ugeceller"},
	"rows_used":                       {English: "used (persons in the assignment)", Danish: "brugt (personer i lodtrækningen)"},
	"rows_outside":                    {English: "outside the person's window (not needed)", Danish: "uden for personens vindue (ikke brugt)"},
	"rejected_reason":                 {English: "Rejected", Danish: "Afvist"},
	"no_rows":                         {English: "Persons followed without any weekly row (counted as 0 hours, no benefit)", Danish: "Fulgte personer uden nogen ugerække (talt som 0 timer, ingen ydelse)"},
	"data_notes":                      {English: "Notes on the data", Danish: "Bemærkninger om data"},
	"rows_followup":                   {English: "used in follow-up (week 0 to extract end)", Danish: "brugt i opfølgningen (uge 0 til udtrækkets slutning)"},
	"rows_pre":                        {English: "kept as pre-period (before randomisation)", Danish: "gemt som førperiode (før visitation)"},
	"rows_rejected":                   {English: "rejected", Danish: "afvist"},
	"never_at_risk":                   {English: "Persons randomised after the extract end (never followed)", Danish: "Personer visiteret efter udtrækkets slutning (aldrig fulgt)"},
	"rejects_file":                    {English: "Rejected rows are listed by file and line in rejects.csv.", Danish: "Afviste rækker står med fil og linje i rejects.csv."},
	"balance":                         {English: "Balance at randomisation", Danish: "Balance ved lodtrækningen"},
	"balance_note":                    {English: "Means (shares for categories) by group. SMD: standardised mean difference, difference over the pooled SD √((s²ₜ+s²꜀)/2). Tests: Welch t for numeric covariates, Pearson χ² for categorical ones, and a joint F test of the OLS regression of the treatment indicator on all covariates (within strata when the lottery was drawn within strata); balance.csv also gives each test with HC2 robust variances.", Danish: "Gennemsnit (andele for kategorier) pr. gruppe. SMD: standardiseret gennemsnitsforskel, forskel over den samlede SD √((s²ₜ+s²꜀)/2). Test: Welch t for numeriske baggrundsvariable, Pearsons χ² for kategoriske og en samlet F-test af OLS-regressionen af deltagerindikatoren på alle baggrundsvariable (inden for strata, når lodtrækningen foregik inden for strata); balance.csv giver også hver test med HC2-robuste varianser."},
	"covariate":                       {English: "Covariate", Danish: "Baggrundsvariabel"},
	"level":                           {English: "Level", Danish: "Kategori"},
	"difference":                      {English: "Difference", Danish: "Forskel"},
	"test":                            {English: "Test", Danish: "Test"},
	"joint":                           {English: "All covariates jointly", Danish: "Alle baggrundsvariable samlet"},
	"effects":                         {English: "Effects by week since randomisation", Danish: "Effekter efter uger siden visitation"},
	"effects_note.plain":              {English: "Difference in means between the groups among those followed that week, with Neyman standard errors, Welch–Satterthwaite degrees of freedom and a t-based confidence interval (R estimatr::difference_in_means).", Danish: "Forskel i gennemsnit mellem grupperne blandt dem, der følges i ugen, med Neyman-standardfejl, Welch–Satterthwaite-frihedsgrader og t-baseret konfidensinterval (R estimatr::difference_in_means)."},
	"effects_note.plain_cr2":          {English: "Difference in means between the groups among those followed that week, with cluster-robust (CR2) standard errors and Bell–McCaffrey degrees of freedom, as the lottery drew whole clusters (R estimatr::difference_in_means with clusters).", Danish: "Forskel i gennemsnit mellem grupperne blandt dem, der følges i ugen, med klyngerobuste (CR2) standardfejl og Bell–McCaffrey-frihedsgrader, da lodtrækningen trak hele klynger (R estimatr::difference_in_means med klynger)."},
	"effects_note.blocked":            {English: "Difference in means within each stratum (jobcentre), weighted by the stratum's share of those followed that week, as the lottery was drawn within strata; strata with fewer than two persons followed in a group are left out that week (R estimatr::difference_in_means with blocks).", Danish: "Forskel i gennemsnit inden for hvert stratum (jobcenter), vægtet med stratummets andel af dem, der følges i ugen, da lodtrækningen foregik inden for strata; strata med færre end to fulgte personer i en gruppe udelades den uge (R estimatr::difference_in_means med blokke)."},
	"effects_note.lin":                {English: "Effect adjusted for baseline covariates as Lin (2013): the outcome regressed on the group, the centred covariates and their interactions, with robust standard errors (R estimatr::lm_lin).", Danish: "Effekt justeret for baggrundsvariable som Lin (2013): udfaldet regresseret på gruppen, de centrerede baggrundsvariable og deres interaktioner, med robuste standardfejl (R estimatr::lm_lin)."},
	"effects_note.common":             {English: "Shares in per cent and effects in percentage points; hours per week. The number followed falls with the week, so late weeks rest on the earliest cohorts only (see cohort_effects.csv for the same persons in every week).", Danish: "Andele i procent og effekter i procentpoint; timer pr. uge. Antallet, der følges, falder med ugen, så sene uger hviler kun på de tidligste hold (se cohort_effects.csv for de samme personer i alle uger)."},
	"week":                            {English: "Week", Danish: "Uge"},
	"n_tc":                            {English: "N (T/C)", Danish: "N (D/K)"},
	"ci_col":                          {English: "%s %% CI", Danish: "%s %%-KI"},
	"p_value":                         {English: "p", Danish: "p"},
	"suppressed":                      {English: "suppressed (small cell)", Danish: "undertrykt (lille celle)"},
	"not_estimated":                   {English: "not estimated", Danish: "ikke estimeret"},
	"covariate.stratum":               {English: "Stratum (jobcentre)", Danish: "Stratum (jobcenter)"},
	"covariate.follow_up_weeks":       {English: "Weeks followed", Danish: "Uger fulgt"},
	"covariate.pre_mean_hours_52w":    {English: "Hours per week, year before", Danish: "Timer pr. uge, året før"},
	"covariate.pre_benefit_weeks_52w": {English: "Weeks on benefit, year before", Danish: "Uger på ydelse, året før"},
	"method":                          {English: "Method", Danish: "Metode"},
	"method.plain":                    {English: "difference in means (Neyman standard errors, Welch df)", Danish: "forskel i gennemsnit (Neyman-standardfejl, Welch-frihedsgrader)"},
	"method.plain_cr2":                {English: "difference in means with cluster-robust (CR2) standard errors", Danish: "forskel i gennemsnit med klyngerobuste (CR2) standardfejl"},
	"method.blocked":                  {English: "difference in means within strata (jobcentres), weighted by size", Danish: "forskel i gennemsnit inden for strata (jobcentre), vægtet efter størrelse"},
	"method.lin":                      {English: "Lin's covariate-adjusted estimator with robust standard errors", Danish: "Lins kovariatjusterede estimator med robuste standardfejl"},
	"method.ri":                       {English: "randomisation inference from %s re-drawn assignments (seed %d)", Danish: "randomiseringsinferens fra %s gentrukne lodtrækninger (seed %d)"},
	"method.ri_exact":                 {English: "exact randomisation inference over all %s possible assignments", Danish: "eksakt randomiseringsinferens over alle %s mulige lodtrækninger"},
	"definitions":                     {English: "Outcomes", Danish: "Udfald"},
	"definition.hours":                {English: "Ordinary paid hours in the week (eIndkomst), 0 for a week without hours.", Danish: "Ordinære lønnede timer i ugen (eIndkomst), 0 for en uge uden timer."},
	"definition.employed":             {English: "Share with any ordinary paid hours in the week.", Danish: "Andel med ordinære lønnede timer i ugen."},
	"definition.praktik":              {English: "Share in a company internship (virksomhedspraktik) in the week.", Danish: "Andel i virksomhedspraktik i ugen."},
	"definition.wage_subsidy":         {English: "Share in wage subsidy (løntilskud) in the week.", Danish: "Andel i løntilskud i ugen."},
	"definition.sustained13":          {English: "Share who have had 13 qualifying weeks in a run by this week: a week qualifies with an internship, wage subsidy or ordinary hours; gaps of up to 4 weeks do not break the run but do not count. Once reached it stays reached.", Danish: "Andel, der til og med ugen har haft 13 kvalificerende uger i træk: en uge kvalificerer med virksomhedspraktik, løntilskud eller ordinære timer; pauser på op til 4 uger bryder ikke forløbet men tæller ikke med. Når det er nået, forbliver det nået."},
	"family":                          {English: "Primary outcomes at the landmark weeks, adjusted for multiple testing", Danish: "Primære udfald i de udvalgte uger, justeret for multipel testning"},
	"family_note":                     {English: "The weekly p-values below are each for one week and outcome; judged together, the primary outcomes at the landmark weeks need the adjusted values here: Holm's and Westfall–Young's control the chance of any false finding, the q-value the share of false findings.", Danish: "P-værdierne nedenfor gælder hver for én uge og ét udfald; samlet set skal de primære udfald i de udvalgte uger vurderes på de justerede værdier her: Holms og Westfall–Youngs styrer risikoen for et falsk fund, q-værdien andelen af falske fund."},
	"family_note.no_ri":               {English: "Westfall–Young needs randomisation inference, which was not run.", Danish: "Westfall–Young kræver randomiseringsinferens, som ikke blev kørt."},
	"outcome":                         {English: "Outcome", Danish: "Udfald"},
	"q_value":                         {English: "q-value", Danish: "q-værdi"},
	"cohort_line":                     {English: "Effect, persons followed to week %d", Danish: "Effekt, personer fulgt til uge %d"},
	"not_yet_observable":              {English: "not yet observable: follow-up reaches week %d", Danish: "kan endnu ikke observeres: opfølgningen når til uge %d"},
	"disclosure":                      {English: "Disclosure control: no person ids are shown, and estimates resting on fewer than %d persons in a cell are suppressed.", Danish: "Diskretionering: ingen person-id vises, og estimater, der bygger på færre end %d personer i en celle, er undertrykt."},
	"landmarks_note":                  {English: "Landmark weeks; every week is in effects.csv and the charts.", Danish: "Udvalgte uger; alle uger står i effects.csv og figurerne."},
	"test.welch_t":                    {English: "Welch t", Danish: "Welch t"},
	"test.chi_squared":                {English: "χ²", Danish: "χ²"},
	"test.ols_f":                      {English: "F (OLS)", Danish: "F (OLS)"},
	"test.ols_f_within_strata":        {English: "F (OLS) within strata", Danish: "F (OLS) inden for strata"},

	// The PDF report.
	"pdf.contents":  {English: "Contents", Danish: "Indhold"},
	"pdf.page_of":   {English: "Page %d of %d", Danish: "Side %d af %d"},
	"pdf.table":     {English: "Table %d.", Danish: "Tabel %d."},
	"pdf.figure":    {English: "Figure %d.", Danish: "Figur %d."},
	"pdf.continued": {English: "(continued)", Danish: "(fortsat)"},

	// Notes under the balance table (BalanceNote).
	"balance_notes": {English: "Notes on the balance table", Danish: "Bemærkninger til balancetabellen"},
	"balance_note.perfectly_predicted": {
		English: "covariate %q is perfectly predicted by the arm (each of its values occurs in one arm only): it looks like a copy of the assignment and is left out of the joint test",
		Danish:  "baggrundsvariablen %q forudsiges fuldstændigt af gruppen (hver af dens værdier forekommer kun i én gruppe): den ligner en kopi af lodtrækningen og er udeladt af den samlede test"},
	"balance_note.joint_perfect_fit": {
		English: "the covariates together predict the arm perfectly (a combination of them is a copy of the assignment): the joint test has no p-value",
		Danish:  "baggrundsvariablene forudsiger tilsammen gruppen fuldstændigt (en kombination af dem er en kopi af lodtrækningen): den samlede test har ingen p-værdi"},
	"balance_note.few_values": {
		English: "covariate %q has a value for fewer than %d persons in an arm: its means are not shown, and it is in neither the Welch test nor the joint test",
		Danish:  "baggrundsvariablen %q har en værdi for færre end %d personer i en gruppe: dens gennemsnit vises ikke, og den indgår hverken i Welch-testen eller i den samlede test"},
	"balance_note.all_pooled": {
		English: "covariate %q has too few persons per level to show any: levels held by fewer than %d persons in an arm are pooled into %s, and that took every level; it is in neither the χ² test nor the joint test",
		Danish:  "baggrundsvariablen %q har for få personer pr. kategori til at vise nogen: kategorier med færre end %d personer i en gruppe lægges sammen i %s, og det omfattede alle kategorier; den indgår hverken i χ²-testen eller i den samlede test"},
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

// hasText reports whether the catalogue has key.
func hasText(key string) bool {
	_, ok := catalogue[key]
	return ok
}

// TLevel returns the text for key with the confidence level (e.g. 0.95) in
// per cent put in its %s.
func TLevel(lang Lang, key string, level float64) string {
	pct := strconv.FormatFloat(100*level, 'f', -1, 64)
	if lang == Danish {
		pct = strings.ReplaceAll(pct, ".", ",")
	}
	return fmt.Sprintf(T(lang, key), pct)
}

// OutcomeTitle is the title of an outcome, or its name if the catalogue has none.
func OutcomeTitle(lang Lang, name string) string {
	if _, ok := catalogue["outcome."+name]; ok {
		return T(lang, "outcome."+name)
	}
	return name
}
