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
	"ci":           {English: "%s %% confidence interval", Danish: "%s pct. konfidensinterval"},
	"group_means":  {English: "Group means", Danish: "Gennemsnit pr. gruppe"},
	"effect_ci":    {English: "Effect with %s %% confidence interval", Danish: "Effekt med %s pct. konfidensinterval"},
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
	"ci_col":                          {English: "%s %% CI", Danish: "%s pct. KI"},
	"p_value":                         {English: "p", Danish: "p"},
	"suppressed":                      {English: "suppressed", Danish: "undertrykt"},
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
	// Charts (chartset.go and chart_*.go).
	"chart.figure":               {English: "Figure %d. %s", Danish: "Figur %d. %s"},
	"chart.ci":                   {English: "%s %% confidence interval (each week)", Danish: "%s pct. konfidensinterval (hver uge)"},
	"chart.band":                 {English: "%s %% simultaneous band (all weeks at once, sup-t)", Danish: "%s pct. simultant bånd (alle uger på én gang, sup-t)"},
	"chart.band_note":            {English: "The lighter band covers the whole effect curve at once with %s %% confidence (sup-t); the darker interval covers each week on its own.", Danish: "Det lyse bånd dækker hele effektkurven på én gang med %s %% sikkerhed (sup-t); det mørke interval dækker hver uge for sig."},
	"chart.suppressed":           {English: "Suppressed (disclosure control: under %d persons)", Danish: "Undertrykt (diskretionering: under %d personer)"},
	"chart.at_risk":              {English: "Persons followed: treatment group (above), control group (below)", Danish: "Personer fulgt: deltagergruppe (øverst), kontrolgruppe (nederst)"},
	"chart.persons":              {English: "Persons followed", Danish: "Personer fulgt"},
	"chart.at_risk_title":        {English: "Persons followed by week since randomisation", Danish: "Personer fulgt efter uger siden visitation"},
	"chart.effect_title":         {English: "%s: effect", Danish: "%s: effekt"},
	"chart.hours_title":          {English: "Distribution of positive ordinary hours in week %d", Danish: "Fordeling af positive ordinære timer i uge %d"},
	"chart.hours_axis":           {English: "Ordinary hours in the week", Danish: "Ordinære timer i ugen"},
	"chart.hours_share":          {English: "Per cent of those with hours", Danish: "Procent af dem med timer"},
	"chart.hours_means":          {English: "Mean hours among those with hours: %s.", Danish: "Gennemsnitlige timer blandt dem med timer: %s."},
	"chart.hours_mean":           {English: "%s %s hours (%s persons)", Danish: "%s %s timer (%s personer)"},
	"chart.hours_arm_suppressed": {English: "%s suppressed (fewer than %d persons with hours)", Danish: "%s undertrykt (færre end %d personer med timer)"},
	"chart.hours_note":           {English: "Persons with positive ordinary hours in the week, by band; a band includes its lower bound and not its upper (37 hours, a full-time week, is in 37+).", Danish: "Personer med positive ordinære timer i ugen, efter interval; et interval omfatter sin nedre grænse, ikke sin øvre (37 timer, en fuldtidsuge, er i 37+)."},
	"chart.hours_week_note":      {English: "Week %d is not yet observable; the last week followed, week %d, is shown.", Danish: "Uge %d kan endnu ikke observeres; den sidste fulgte uge, uge %d, vises."},
	"chart.smd":                  {English: "Standardised mean difference (treatment − control)", Danish: "Standardiseret gennemsnitsforskel (deltagere − kontrol)"},
	"chart.smd_point":            {English: "Standardised difference", Danish: "Standardiseret forskel"},
	"chart.smd_note":             {English: "Difference in means (shares for levels) over the pooled standard deviation; beyond 0.1 is commonly read as a notable imbalance, beyond 0.25 as a serious one.", Danish: "Forskel i gennemsnit (andele for kategorier) over den samlede standardafvigelse; over 0,1 læses almindeligvis som en mærkbar ubalance, over 0,25 som en alvorlig."},
	"chart.balance_title":        {English: "Balance at randomisation: standardised differences", Danish: "Balance ved lodtrækningen: standardiserede forskelle"},
	"chart.level_missing":        {English: "missing", Danish: "mangler"},
	"chart.level_other":          {English: "other (small levels pooled)", Danish: "øvrige (små kategorier samlet)"},
	"chart.forest_title":         {English: "%s: effects by jobcentre and subgroup in week %d", Danish: "%s: effekter efter jobcenter og undergruppe i uge %d"},
	"chart.forest_axis":          {English: "%s, week %d", Danish: "%s, uge %d"},
	"chart.forest_point":         {English: "Effect in the subgroup", Danish: "Effekt i undergruppen"},
	"chart.forest_overall":       {English: "Effect among all (%s)", Danish: "Effekt blandt alle (%s)"},
	"chart.forest_note":          {English: "Difference in means within each subgroup; small levels are pooled, and subgroups with a small cell are suppressed.", Danish: "Forskel i gennemsnit inden for hver undergruppe; små kategorier er lagt sammen, og undergrupper med en lille celle er undertrykt."},
	"chart.km_title":             {English: "%s: Kaplan–Meier cumulative incidence", Danish: "%s: kumuleret incidens (Kaplan–Meier)"},
	"chart.km_note":              {English: "Share who have reached the outcome by each week, using every person for as long as they are followed (Kaplan–Meier); the weekly share in the other charts uses only those followed that week.", Danish: "Andel, der har nået udfaldet til og med hver uge, med hver person så længe den følges (Kaplan–Meier); den ugentlige andel i de andre figurer bruger kun dem, der følges i ugen."},

	"chart.desc.fig1_praktik":      {English: "Figure 1: share in company internship by week and group", Danish: "Figur 1: andel i virksomhedspraktik efter uge og gruppe"},
	"chart.desc.fig2_wage_subsidy": {English: "Figure 2: share in wage subsidy by week and group", Danish: "Figur 2: andel i løntilskud efter uge og gruppe"},
	"chart.desc.fig3_hours":        {English: "Figure 3: ordinary hours per week by group", Danish: "Figur 3: ordinære timer pr. uge efter gruppe"},
	"chart.desc.fig4_sustained13":  {English: "Figure 4: share with 13 weeks of sustained employer-based activity by group", Danish: "Figur 4: andel med 13 ugers sammenhængende virksomhedsrettet indsats efter gruppe"},
	"chart.desc.fig5_hours":        {English: "Figure 5: ordinary hours, group means and effect with confidence interval", Danish: "Figur 5: ordinære timer, gennemsnit pr. gruppe og effekt med konfidensinterval"},
	"chart.desc.fig6_employed":     {English: "Figure 6: employment share, group means and effect with confidence interval", Danish: "Figur 6: andel i beskæftigelse, gennemsnit pr. gruppe og effekt med konfidensinterval"},
	"chart.desc.fig7_hours_bands":  {English: "Figure 7: distribution of positive ordinary hours in a week (default 35) by band and group", Danish: "Figur 7: fordeling af positive ordinære timer i en uge (som standard 35) efter interval og gruppe"},
	"chart.desc.fig8_sustained13":  {English: "Figure 8: 13-week share, group means and effect with confidence interval", Danish: "Figur 8: 13-ugers-andel, gennemsnit pr. gruppe og effekt med konfidensinterval"},
	"chart.desc.means":             {English: "group means by week of any outcome (--outcome)", Danish: "gennemsnit pr. gruppe efter uge for et udfald (--outcome)"},
	"chart.desc.means_effect":      {English: "group means and effect with interval and band of any outcome (--outcome)", Danish: "gennemsnit pr. gruppe og effekt med interval og bånd for et udfald (--outcome)"},
	"chart.desc.effect":            {English: "effect by week with the pointwise interval and the simultaneous (sup-t) band (--outcome)", Danish: "effekt efter uge med punktvist interval og simultant (sup-t) bånd (--outcome)"},
	"chart.desc.at_risk":           {English: "persons followed by week and group", Danish: "personer fulgt efter uge og gruppe"},
	"chart.desc.balance":           {English: "love plot of the standardised differences at randomisation", Danish: "standardiserede forskelle ved lodtrækningen (love plot)"},
	"chart.desc.forest":            {English: "forest plot of effects by jobcentre and subgroup at a landmark week (--outcome, --week)", Danish: "effekter efter jobcenter og undergruppe i en udvalgt uge (--outcome, --week)"},
	"chart.desc.km":                {English: "Kaplan–Meier cumulative incidence of a sustained outcome by group (--outcome)", Danish: "kumuleret incidens (Kaplan–Meier) af et varigt udfald efter gruppe (--outcome)"},

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
