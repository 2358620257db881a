package reports

// The report's texts, kept beside the catalogue they are added to.
func init() {
	for k, v := range reportTexts {
		if _, dup := catalogue[k]; dup {
			panic("reports: text " + k + " defined twice")
		}
		catalogue[k] = v
	}
}

var reportTexts = map[string]map[Lang]string{
	"kind.midterm":  {English: "Midterm evaluation: effects to date", Danish: "Midtvejsevaluering: effekter til dato"},
	"kind.final":    {English: "Final evaluation", Danish: "Slutevaluering"},
	"contents":      {English: "Contents", Danish: "Indhold"},
	"table":         {English: "Table", Danish: "Tabel"},
	"figure":        {English: "Figure", Danish: "Figur"},
	"version":       {English: "rcteval version", Danish: "rcteval-version"},
	"persons_text":  {English: "%s: %s in the treatment group, %s in the control group", Danish: "%s: %s i deltagergruppen, %s i kontrolgruppen"},
	"summary_title": {English: "Summary", Danish: "Sammenfatning"},
	"summary.trial": {
		English: "%s persons were randomised in weeks %s to %s: %s to the programme and %s to the control group. The register data run to week %s, so the earliest persons are followed %d weeks after randomisation.",
		Danish:  "%s personer blev visiteret og udtrukket ved lodtrækning i ugerne %s til %s: %s til indsatsen og %s til kontrolgruppen. Registerdata går til uge %s, så de tidligste personer følges %d uger efter visitationen."},
	"summary.share": {
		English: "Week %d, %s: %s in the treatment group against %s in the control group, a difference of %s percentage points",
		Danish:  "Uge %d, %s: %s i deltagergruppen mod %s i kontrolgruppen, en forskel på %s procentpoint"},
	"summary.mean": {
		English: "Week %d, %s: %s in the treatment group against %s in the control group, a difference of %s",
		Danish:  "Uge %d, %s: %s i deltagergruppen mod %s i kontrolgruppen, en forskel på %s"},
	"summary.ci":              {English: "%s %% confidence interval %s", Danish: "%s pct. konfidensinterval %s"},
	"summary.significant":     {English: "The difference is statistically significant.", Danish: "Forskellen er statistisk signifikant."},
	"summary.not_significant": {English: "The difference is not statistically significant.", Danish: "Forskellen er ikke statistisk signifikant."},
	"summary.from_week":       {English: "The interval lies above zero from week %d on.", Danish: "Intervallet ligger over nul fra uge %d."},
	"summary.criteria": {
		English: "Success criteria: %d of %d met, %d not met, %d not shown by these data.",
		Danish:  "Succeskriterier: %d af %d opfyldt, %d ikke opfyldt, %d ikke påvist med disse data."},
	"summary.see_criteria": {English: "See Success criteria.", Danish: "Se Succeskriterier."},
	"summary.no_criteria":  {English: "The spec states no success criteria (report.criteria).", Danish: "Specifikationen angiver ingen succeskriterier (report.criteria)."},
	"summary.midterm": {
		English: "This is a midterm report: persons randomised late are followed only a few weeks, so each later week rests on the earliest cohorts only, a different and smaller population. The curve of the persons followed throughout (the fixed cohort) is drawn beside each effect.",
		Danish:  "Dette er en midtvejsrapport: personer visiteret sent følges kun få uger, så hver senere uge hviler kun på de tidligste hold, en anden og mindre population. Kurven for de personer, der følges hele vejen (det faste hold), er tegnet ved siden af hver effekt."},
	"summary.balanced":   {English: "The groups were alike at randomisation: the joint test of the background variables gives p = %s.", Danish: "Grupperne var ens ved lodtrækningen: den samlede test af baggrundsvariablene giver p = %s."},
	"summary.imbalanced": {English: "The groups differ at randomisation more than chance would usually give: the joint test of the background variables gives p = %s. See the balance table.", Danish: "Grupperne adskiller sig ved lodtrækningen mere, end tilfældet normalt giver: den samlede test af baggrundsvariablene giver p = %s. Se balancetabellen."},
	"warn_at_risk": {
		English: "From week %d on, fewer than %s %% of a group's persons are still followed: these weeks rest on the earliest cohorts only; read them with care.",
		Danish:  "Fra uge %d følges under %s %% af en gruppes personer: disse uger hviler kun på de tidligste hold; læs dem med forsigtighed."},
	"criteria_title":      {English: "Success criteria", Danish: "Succeskriterier"},
	"criterion":           {English: "Criterion", Danish: "Kriterium"},
	"weeks_col":           {English: "Weeks", Danish: "Uger"},
	"target":              {English: "Target", Danish: "Mål"},
	"estimate":            {English: "Estimate", Danish: "Estimat"},
	"verdict":             {English: "Verdict", Danish: "Vurdering"},
	"verdict.met":         {English: "met", Danish: "opfyldt"},
	"verdict.not_met":     {English: "not met", Danish: "ikke opfyldt"},
	"verdict.not_shown":   {English: "not shown", Danish: "ikke påvist"},
	"reason.inconclusive": {English: "the interval holds the target", Danish: "intervallet rummer målet"},
	"reason.not_in_data":  {English: "not measured in the register data", Danish: "måles ikke i registerdata"},
	"reason.beyond_follow_up": {
		English: "the week is beyond the follow-up", Danish: "ugen ligger efter opfølgningen"},
	"reason.suppressed":    {English: "suppressed (small cell)", Danish: "undertrykt (lille celle)"},
	"reason.not_estimated": {English: "no estimate", Danish: "intet estimat"},
	"criteria_note": {
		English: "A criterion is met when the whole confidence interval is at or above the target, not met when the whole interval is below it, and not shown otherwise. The hours ratio is participants' mean weekly hours over the weeks shown divided by the control group's, with Fieller's interval.",
		Danish:  "Et kriterium er opfyldt, når hele konfidensintervallet ligger på eller over målet, ikke opfyldt, når hele intervallet ligger under det, og ellers ikke påvist. Timeforholdet er deltagernes gennemsnitlige ugentlige timer i de viste uger divideret med kontrolgruppens, med Fiellers interval."},
	"criterion.hours_ratio": {English: "Participants work at least %s times the control group's ordinary hours", Danish: "Deltagerne arbejder mindst %s gange kontrolgruppens ordinære timer"},
	"criterion.effect":      {English: "%s, week %d: effect of at least %s", Danish: "%s, uge %d: effekt på mindst %s"},
	"criterion.not_in_data": {English: "A criterion outside the register data", Danish: "Et kriterium uden for registerdata"},
	"rows_title":            {English: "Rows read and used", Danish: "Læste og brugte rækker"},
	"rows_what":             {English: "Rows", Danish: "Rækker"},
	"rows_count":            {English: "Number", Danish: "Antal"},
	"followed_title":        {English: "Persons followed at the landmark weeks", Danish: "Fulgte personer i de udvalgte uger"},
	"followed_note": {
		English: "Persons followed that week and their share of the group's persons. Randomisation ran continuously, so persons randomised late are followed fewer weeks.",
		Danish:  "Personer fulgt i ugen og deres andel af gruppens personer. Visitationen foregik løbende, så sent visiterede personer følges færre uger."},
	"first_week_both": {
		English: "The confidence interval lies above zero from week %d on, and the simultaneous band, which holds for all weeks at once, from week %d on.",
		Danish:  "Konfidensintervallet ligger over nul fra uge %d, og det simultane bånd, som gælder for alle uger på én gang, fra uge %d."},
	"first_week_ci": {
		English: "The confidence interval lies above zero from week %d on; the simultaneous band, which holds for all weeks at once, does not stay above zero.",
		Danish:  "Konfidensintervallet ligger over nul fra uge %d; det simultane bånd, som gælder for alle uger på én gang, holder sig ikke over nul."},
	"first_week_none":  {English: "The confidence interval does not stay above zero from any week on.", Danish: "Konfidensintervallet holder sig ikke over nul fra nogen uge."},
	"landmark_caption": {English: "effects at the landmark weeks", Danish: "effekter i de udvalgte uger"},
	"subgroups_title":  {English: "Effects by jobcentre and subgroup", Danish: "Effekter pr. jobcenter og undergruppe"},
	"subgroups_note": {
		English: "Difference in means within each jobcentre and each level of the categorical background variables, at the last landmark week followed. Levels with few persons are pooled; small cells are suppressed. Each test asks whether the effect is the same in all of a variable's groups (Cochran's Q).",
		Danish:  "Forskel i gennemsnit inden for hvert jobcenter og hver kategori af de kategoriske baggrundsvariable i den sidste fulgte udvalgte uge. Kategorier med få personer lægges sammen; små celler undertrykkes. Hver test spørger, om effekten er den samme i alle en variabels grupper (Cochrans Q)."},
	"subgroups_caption":  {English: "%s, week %d, by subgroup", Danish: "%s, uge %d, pr. undergruppe"},
	"subgroup_test":      {English: "%s: equal effects p = %s (%d groups).", Danish: "%s: ens effekter p = %s (%d grupper)."},
	"methods_title":      {English: "Methods and provenance", Danish: "Metode og oprindelse"},
	"methods.ci":         {English: "Confidence intervals", Danish: "Konfidensintervaller"},
	"methods.ci_text":    {English: "%s %%, two-sided, from the estimator's t distribution", Danish: "%s %%, tosidede, fra estimatorens t-fordeling"},
	"methods.variance":   {English: "Standard errors", Danish: "Standardfejl"},
	"variance.neyman":    {English: "Neyman (conservative for the difference in means; per stratum when blocked)", Danish: "Neyman (konservative for forskellen i gennemsnit; pr. stratum ved blokke)"},
	"variance.hc0":       {English: "HC0 (White's robust)", Danish: "HC0 (Whites robuste)"},
	"variance.hc1":       {English: "HC1 (robust, small-sample scaled)", Danish: "HC1 (robuste, skaleret for små stikprøver)"},
	"variance.hc2":       {English: "HC2 (robust, leverage-adjusted; estimatr's default)", Danish: "HC2 (robuste, justeret for leverage; estimatrs standard)"},
	"variance.hc3":       {English: "HC3 (robust, jackknife-like)", Danish: "HC3 (robuste, jackknife-lignende)"},
	"variance.cr2":       {English: "CR2 (cluster-robust) with Bell–McCaffrey degrees of freedom", Danish: "CR2 (klyngerobuste) med Bell–McCaffrey-frihedsgrader"},
	"methods.band":       {English: "Simultaneous band", Danish: "Simultant bånd"},
	"methods.band_text":  {English: "sup-t band over each outcome's weeks, critical value from %s simulated draws (seed %d)", Danish: "sup-t-bånd over hvert udfalds uger, kritisk værdi fra %s simulerede træk (seed %d)"},
	"methods.ri":         {English: "Randomisation inference", Danish: "Randomiseringsinferens"},
	"methods.disclosure": {English: "Disclosure control", Danish: "Diskretionering"},
	"methods.suppressed": {English: "Cells suppressed by disclosure control", Danish: "Celler undertrykt af diskretioneringen"},
	"methods.table":      {English: "Table", Danish: "Tabel"},
	"methods.rule":       {English: "Rule", Danish: "Regel"},
	"methods.cells":      {English: "Cells", Danish: "Celler"},
	"methods.suppressed_note": {
		English: "n<m: fewer than m persons at risk in an arm; count<m: fewer than m persons with (or without) the outcome; diff<m: the cell could be recovered by subtracting published numbers (docs/disclosure.md). Suppressed cells are empty in the tables, with the rule in their suppressed column, and marked in the charts.",
		Danish:  "n<m: færre end m fulgte personer i en gruppe; count<m: færre end m personer med (eller uden) udfaldet; diff<m: cellen kunne findes ved at trække offentliggjorte tal fra hinanden (docs/disclosure.md). Undertrykte celler er tomme i tabellerne med reglen i deres suppressed-kolonne og markeret i figurerne."},
	"summary.suppressed":  {English: "%s cells were suppressed; the methods section counts them by table and rule.", Danish: "%s celler blev undertrykt; metodeafsnittet tæller dem op pr. tabel og regel."},
	"caption.at_risk":     {English: "Persons followed by week and group", Danish: "Personer fulgt efter uge og gruppe"},
	"caption.balance":     {English: "Standardised differences at randomisation", Danish: "Standardiserede forskelle ved lodtrækningen"},
	"caption.hours_bands": {English: "Ordinary hours in week %d among those with hours, by band and group", Danish: "Ordinære timer i uge %d blandt dem med timer, efter interval og gruppe"},
	"caption.km":          {English: "%s: cumulative share reaching it (Kaplan–Meier) by group", Danish: "%s: kumuleret andel, der når det (Kaplan–Meier), efter gruppe"},
	"caption.forest":      {English: "%s, week %d: effects by jobcentre and subgroup", Danish: "%s, uge %d: effekter pr. jobcenter og undergruppe"},
	"chart.warn_at_risk": {
		English: "From week %d (dotted line) fewer than %s %% of a group's persons are still followed: later weeks rest on the earliest cohorts only.",
		Danish:  "Fra uge %d (prikket linje) følges under %s %% af en gruppes personer: senere uger hviler kun på de tidligste hold."},
	"methods.command": {English: "Command", Danish: "Kommando"},
	"methods.inputs":  {English: "Input files and their SHA-256 fingerprints", Danish: "Inputfiler og deres SHA-256-fingeraftryk"},
	"methods.role":    {English: "Role", Danish: "Rolle"},
	"methods.file":    {English: "File", Danish: "Fil"},
	"methods.bytes":   {English: "Bytes", Danish: "Bytes"},
}
