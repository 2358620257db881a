package spec

import (
	"fmt"
	"path/filepath"
	"slices"
)

// Spec is one trial's analysis spec with every default filled in, so callers
// need no nil checks. The zero value is not useful; start from Default, Load
// or Parse.
type Spec struct {
	// File is the name the spec was read from (the path given to Load or the
	// name given to Parse); it prefixes every error message.
	File string
	// Dir is the directory relative input paths are resolved against: the
	// spec file's directory after Load, "" after Parse (paths stay as written).
	Dir string

	// Trial is the trial's name shown in reports; "" when not given.
	Trial string
	// Inputs are the files to read; those not given are nil or empty and
	// come from elsewhere (command-line flags).
	Inputs Inputs
	// Columns are the extract's names for rcteval's canonical columns.
	Columns Columns
	// AllCovariates is true when no covariates key was given: every
	// assignment column that is not a canonical one is a covariate, typed
	// automatically. When false, Covariates is the complete list.
	AllCovariates bool
	// Covariates are the listed baseline covariates in file order.
	Covariates []Covariate
	// Labels are display names of covariates and their levels, keyed by the
	// covariate's column name.
	Labels map[string]Label
	// Arms are the extract's labels of the two arms.
	Arms Arms
	// StatusCodes map register codes to status categories: the canonical
	// categories praktik, wage_subsidy and benefit first, then any further
	// ones in file order. Ranges are expanded.
	StatusCodes []StatusCategory
	// Unmapped is what a non-empty code found in no category means:
	// UnmappedError, UnmappedBenefit or UnmappedNone.
	Unmapped string
	// Outcomes are the outcomes to estimate, in file order.
	Outcomes []Outcome
	// ExtractEnd is the last week the extract covers; valid only when
	// HasExtractEnd.
	ExtractEnd ISOWeek
	// HasExtractEnd is false when extract_end was not given: the last week
	// found in the data is used.
	HasExtractEnd bool
	// Weeks are the weeks since randomisation to estimate.
	Weeks WeekRange
	// Landmarks are the weeks reported in summary tables.
	Landmarks []int
	// Confidence is the confidence level of intervals, in (0,1).
	Confidence float64
	// MinCell is the smallest cell shown (disclosure control); 0 turns it off.
	MinCell int
	// Duplicates says what a second row for a person-week does:
	// DuplicatesReject, DuplicatesError or DuplicatesSum.
	Duplicates string
	// BadRows says what a malformed row does: BadRowsError or BadRowsReject.
	BadRows string
	// MaxMissing is the share of persons without weekly rows (or of weekly
	// ids matching no person) beyond which the run stops, in [0,1].
	MaxMissing float64
	// PreWeeks is how many weeks before randomisation are kept.
	PreWeeks int
	// Analysis is how effects are estimated and tested.
	Analysis Analysis
	// Report is what the report shows: its kind and the success criteria.
	Report Report

	// set records the top-level keys given in the file, for Set, and the
	// analysis keys as "analysis.KEY".
	set map[string]bool
}

// Analysis is the analysis section: the estimator and the inference.
type Analysis struct {
	// Estimator is EstimatorPlain, EstimatorBlocked or EstimatorLin; ""
	// chooses blocked when the assignment has a stratum, else plain.
	Estimator string
	// Adjust are the covariates of Lin's adjustment; nil: every covariate.
	Adjust []string
	// Variance is the robust variance of Lin's estimator: HC0 … HC3; a
	// cluster column makes it CR2.
	Variance string
	// RIDraws is the number of re-drawn assignments of randomisation
	// inference; 0 turns it off.
	RIDraws int
	// RIStatistic is RIStudentized or RIDifference.
	RIStatistic string
	// BandDraws is the number of simulation draws of the sup-t band's
	// critical value.
	BandDraws int
	// Seed seeds randomisation inference and the band.
	Seed uint64
	// FamilyWeeks are the weeks of the multiplicity family (with the
	// primary outcomes); nil: the landmarks.
	FamilyWeeks []int
	// Cohort is the week of the fixed cohort; 0: the last landmark
	// followed; −1 (cohort: none): no fixed cohort.
	Cohort int
	// RatioWeeks is the window of the ratio of hours; All: from week 26 to
	// the last landmark followed. RatioAtLeast is the ratio tested (2).
	RatioWeeks   WeekRange
	RatioAtLeast float64
}

// Report is the report section.
type Report struct {
	// Kind is ReportMidterm (effects to date) or ReportFinal (the full
	// follow-up judged against the success criteria).
	Kind string
	// WarnAtRisk is the share of an arm's persons still followed below which
	// a midterm report warns on a week's results, in [0,1].
	WarnAtRisk float64
	// Criteria are the trial's success criteria, judged in a final report.
	Criteria []Criterion
}

// The report kinds and the kinds of success criterion.
const (
	ReportMidterm = "midterm"
	ReportFinal   = "final"
	// CriterionHoursRatio: participants' mean hours over the ratio window
	// (analysis.ratio_weeks) are at least analysis.ratio_at_least times
	// the control group's.
	CriterionHoursRatio = "hours_ratio"
	// CriterionEffect: the effect on Outcome at Week is at least AtLeast
	// (a share as a fraction: 0.05 is 5 percentage points).
	CriterionEffect = "effect"
	// CriterionNotInData: a criterion the register data cannot show (such
	// as progression on the programme's own tool); reported as not shown.
	CriterionNotInData = "not_in_data"
)

// Criterion is a success criterion of the trial.
type Criterion struct {
	Kind    string
	Outcome string  // CriterionEffect
	Week    int     // CriterionEffect
	AtLeast float64 // CriterionEffect
	// Label is language → the criterion in words.
	Label map[string]string
}

// The estimators, variances and RI statistics of the analysis section.
const (
	EstimatorPlain   = "plain"
	EstimatorBlocked = "blocked"
	EstimatorLin     = "lin"
	RIStudentized    = "studentized"
	RIDifference     = "difference"
)

// Variances are the robust variances Lin's estimator may use.
func Variances() []string { return []string{"HC0", "HC1", "HC2", "HC3"} }

// DefaultAnalysis is the analysis of a spec without an analysis section.
func DefaultAnalysis() Analysis {
	return Analysis{Variance: "HC2", RIDraws: 2000, RIStatistic: RIStudentized, BandDraws: 10000, Seed: 20161231,
		RatioWeeks: WeekRange{All: true}, RatioAtLeast: 2}
}

// Inputs are the files of one trial.
type Inputs struct {
	// Assignment is the file of randomised persons; nil when not given.
	Assignment *Input
	// Weeks are the weekly extracts (several files, e.g. one per year, are
	// read as one); empty when not given.
	Weeks []*Input
	// Hours is a separate long file of hours (person, week, hours); nil when
	// the hours are in the weekly extract.
	Hours *Input
}

// Input is one input file and how to read it. Empty strings mean "detect
// from the file" unless noted.
type Input struct {
	// Path is the path as written in the spec.
	Path string
	// Resolved is Path joined to the spec's directory when relative (see
	// Spec.Path); set when the spec is read.
	Resolved string
	// Format is FormatCSV, FormatParquet or FormatArrow; always set (from the
	// extension when not given).
	Format string
	// Layout is LayoutLong or LayoutWide for weekly extracts (default long);
	// "" for the other inputs.
	Layout string
	// WideColumns is the pattern of the week columns of a wide extract, such
	// as "y_YYWW"; set only for the wide layout.
	WideColumns string
	// Separator is "", ",", ";" or "\t".
	Separator string
	// Decimal is "", DecimalComma or DecimalPoint.
	Decimal string
	// Encoding is "", EncodingUTF8, EncodingLatin1 or EncodingWindows1252.
	Encoding string
	// WeekFormat is "" or one of WeekFormats.
	WeekFormat string
	// DateFormat is "" or one of DateFormats.
	DateFormat string
	// Columns override the spec's Columns for this file, canonical key →
	// column name; nil when none are given. See Spec.ColumnsFor.
	Columns map[string]string
}

// Input formats.
const (
	FormatCSV     = "csv"
	FormatParquet = "parquet"
	FormatArrow   = "arrow"
)

// Layouts of a weekly extract: long has a row per person and week, wide (as
// DREAM is usually delivered) a row per person and a column per week.
const (
	LayoutLong = "long"
	LayoutWide = "wide"
)

// DefaultWideColumns is DREAM's naming of week columns: y_1610 is 2016 week 10.
const DefaultWideColumns = "y_YYWW"

// Decimal marks.
const (
	DecimalComma = "comma"
	DecimalPoint = "point"
)

// Text encodings.
const (
	EncodingUTF8        = "utf-8"
	EncodingLatin1      = "latin1"
	EncodingWindows1252 = "windows-1252"
)

// WeekFormats are the accepted week_format names; "date" means the week
// column holds a date (in DateFormat) whose ISO week is taken.
func WeekFormats() []string {
	return []string{"YYYY-Www", "YYYYWww", "YYYYWW", "YYYY-WW", "YYYY:WW", "date"}
}

// DateFormats are the accepted date_format names.
func DateFormats() []string {
	return []string{"YYYY-MM-DD", "DD-MM-YYYY", "DD.MM.YYYY", "DD/MM/YYYY", "YYYYMMDD", "DDMONYYYY"}
}

// Columns are the extract's names of the canonical columns; each defaults to
// its canonical name (PersonID to "person_id", and so on).
type Columns struct {
	PersonID     string
	Arm          string
	RandomisedOn string
	Stratum      string
	Cluster      string
	Week         string
	Hours        string
	Status       string
}

// ColumnKeys are the canonical column keys accepted under columns, in order.
func ColumnKeys() []string {
	return []string{"person_id", "arm", "randomised_on", "stratum", "cluster", "week", "hours", "status"}
}

// field returns a pointer to the field of a canonical key, nil if unknown.
func (c *Columns) field(key string) *string {
	switch key {
	case "person_id":
		return &c.PersonID
	case "arm":
		return &c.Arm
	case "randomised_on":
		return &c.RandomisedOn
	case "stratum":
		return &c.Stratum
	case "cluster":
		return &c.Cluster
	case "week":
		return &c.Week
	case "hours":
		return &c.Hours
	case "status":
		return &c.Status
	}
	return nil
}

// Get returns the column name of a canonical key, "" if the key is unknown.
func (c Columns) Get(key string) string {
	if f := c.field(key); f != nil {
		return *f
	}
	return ""
}

// With returns c with the overrides (canonical key → column name) applied;
// unknown keys are ignored (Parse has rejected them).
func (c Columns) With(overrides map[string]string) Columns {
	for k, v := range overrides {
		if f := c.field(k); f != nil {
			*f = v
		}
	}
	return c
}

// DefaultColumns returns the canonical names.
func DefaultColumns() Columns {
	var c Columns
	for _, k := range ColumnKeys() {
		*c.field(k) = k
	}
	return c
}

// Covariate is a baseline covariate and how to type it.
type Covariate struct {
	Name string
	// Type is CovariateNumeric, CovariateCategorical or CovariateAuto.
	Type string
}

// Covariate types; auto is numeric when every non-missing value is a number.
const (
	CovariateNumeric     = "numeric"
	CovariateCategorical = "categorical"
	CovariateAuto        = "auto"
)

// Label holds the display names of a covariate and its levels per language
// code (such as "da", "en").
type Label struct {
	// Text is language → display name of the covariate.
	Text map[string]string
	// Levels is level (as written in the extract) → language → display name.
	Levels map[string]map[string]string
}

// Arms are the labels the extract uses for each arm; values compare as text.
type Arms struct {
	Treatment []string
	Control   []string
}

// StatusCategory is a status category and the register codes that mean it.
type StatusCategory struct {
	Category string
	Codes    []string
}

// The canonical status categories; a spec's status_codes must define them.
const (
	CategoryPraktik     = "praktik"
	CategoryWageSubsidy = "wage_subsidy"
	CategoryBenefit     = "benefit"
)

// Values of unmapped.
const (
	UnmappedError   = "error"
	UnmappedBenefit = "benefit"
	UnmappedNone    = "none"
)

// Outcome is one outcome to estimate, defaults filled in.
type Outcome struct {
	Name string
	// Kind is one of Kinds.
	Kind string
	// Categories are the status categories the outcome counts (status_share,
	// sustained, benefit_weeks).
	Categories []string
	// Threshold is the hours a week must exceed (hours_above).
	Threshold float64
	// HoursCount makes a week with hours > 0 qualify (sustained).
	HoursCount bool
	// Run is the number of qualifying weeks to reach and MaxGap the longest
	// gap that does not break a run (sustained).
	Run    int
	MaxGap int
	// Primary marks a primary outcome of the pre-analysis plan.
	Primary bool
	// Label is language → display name; nil when not given.
	Label map[string]string
}

// Outcome kinds.
const (
	KindMeanHours       = "mean_hours"
	KindHoursAbove      = "hours_above"
	KindStatusShare     = "status_share"
	KindSelfSupporting  = "self_supporting"
	KindSustained       = "sustained"
	KindCumulativeHours = "cumulative_hours"
	KindBenefitWeeks    = "benefit_weeks"
)

// Kinds are the outcome kinds, in the order error messages list them.
func Kinds() []string {
	return []string{KindMeanHours, KindHoursAbove, KindStatusShare, KindSelfSupporting,
		KindSustained, KindCumulativeHours, KindBenefitWeeks}
}

// Defaults of a sustained outcome: the JobFirst midterm's 13 weeks with gaps
// of up to 4 weeks.
const (
	DefaultRun    = 13
	DefaultMaxGap = 4
)

// ISOWeek is a week of the ISO 8601 week calendar.
type ISOWeek struct {
	Year int
	Week int
}

// String formats the week as YYYY-Www.
func (w ISOWeek) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Week) }

// WeekRange is the inclusive range of weeks since randomisation to estimate;
// when All, every week the data allow (From and To are then 0).
type WeekRange struct {
	From, To int // inclusive, 0 ≤ From ≤ To ≤ MaxWeeks
	All      bool
}

// Values of duplicates and bad_rows.
const (
	DuplicatesReject = "reject"
	DuplicatesError  = "error"
	DuplicatesSum    = "sum"
	BadRowsError     = "error"
	BadRowsReject    = "reject"
)

// Keys are the top-level keys of a spec, in the order of the reference.
func Keys() []string {
	return []string{"trial", "inputs", "columns", "covariates", "labels", "arms", "status_codes",
		"unmapped", "outcomes", "extract_end", "weeks", "landmarks", "confidence", "min_cell",
		"duplicates", "bad_rows", "max_missing", "pre_weeks", "analysis", "report"}
}

// DefaultOutcomes are the outcomes of the JobFirst midterm evaluation.
func DefaultOutcomes() []Outcome {
	return []Outcome{
		{Name: "hours", Kind: KindMeanHours, Primary: true},
		{Name: "employed", Kind: KindHoursAbove, Primary: true},
		{Name: "praktik", Kind: KindStatusShare, Categories: []string{CategoryPraktik}},
		{Name: "wage_subsidy", Kind: KindStatusShare, Categories: []string{CategoryWageSubsidy}},
		{Name: "sustained13", Kind: KindSustained, Categories: []string{CategoryPraktik, CategoryWageSubsidy},
			HoursCount: true, Run: DefaultRun, MaxGap: DefaultMaxGap, Primary: true},
	}
}

// Default returns the spec of a run without a spec file; each call returns a
// fresh copy the caller may change.
func Default() *Spec {
	return &Spec{
		Columns:       DefaultColumns(),
		AllCovariates: true,
		Labels:        map[string]Label{},
		Arms:          Arms{Treatment: []string{"treatment"}, Control: []string{"control"}},
		StatusCodes: []StatusCategory{
			{Category: CategoryPraktik, Codes: []string{CategoryPraktik}},
			{Category: CategoryWageSubsidy, Codes: []string{CategoryWageSubsidy}},
			{Category: CategoryBenefit, Codes: []string{CategoryBenefit}},
		},
		Unmapped:   UnmappedError,
		Outcomes:   DefaultOutcomes(),
		Weeks:      WeekRange{All: true},
		Landmarks:  []int{13, 26, 35, 44},
		Confidence: 0.95,
		MinCell:    5,
		Duplicates: DuplicatesReject,
		BadRows:    BadRowsError,
		MaxMissing: 0.01,
		PreWeeks:   104,
		Analysis:   DefaultAnalysis(),
		Report:     Report{Kind: ReportMidterm, WarnAtRisk: 0.5},
		set:        map[string]bool{},
	}
}

// Set reports whether the top-level key (such as "confidence") was given in
// the file with a value, so a caller can tell a choice written in the plan
// from a default, e.g. when deciding whether a command-line flag applies.
func (s *Spec) Set(key string) bool { return s.set[key] }

// Path resolves p against the spec's directory: relative paths are joined to
// Dir, absolute ones (and all when Dir is "") are returned as they are.
func (s *Spec) Path(p string) string {
	if p == "" || s.Dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(s.Dir, p)
}

// ColumnsFor returns the column names to use for an input: the spec's
// Columns with the input's own overrides applied.
func (s *Spec) ColumnsFor(in *Input) Columns {
	if in == nil {
		return s.Columns
	}
	return s.Columns.With(in.Columns)
}

// Categories returns the status category names in order.
func (s *Spec) Categories() []string {
	names := make([]string, len(s.StatusCodes))
	for i, c := range s.StatusCodes {
		names[i] = c.Category
	}
	return names
}

// Outcome returns the outcome with the given name, or nil.
func (s *Spec) Outcome(name string) *Outcome {
	i := slices.IndexFunc(s.Outcomes, func(o Outcome) bool { return o.Name == name })
	if i < 0 {
		return nil
	}
	return &s.Outcomes[i]
}
