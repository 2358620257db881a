package ingest

import (
	"fmt"

	"rcteval/pipeline"
	"rcteval/pipeline/spec"
)

// FromSpec turns an analysis spec into the configuration of Load. Inputs the
// spec does not name stay empty, for command-line flags to fill.
func FromSpec(s *spec.Spec) (Config, error) {
	c := Default()
	cols := func(in *spec.Input) map[string]string {
		m := map[string]string{}
		all := s.ColumnsFor(in)
		for _, k := range spec.ColumnKeys() {
			m[k] = all.Get(k)
		}
		return m
	}
	input := func(in *spec.Input) Input {
		out := Input{Columns: cols(in)}
		if in == nil {
			return out
		}
		out.Path, out.Format = s.Path(in.Path), in.Format
		out.Wide, out.WidePattern = in.Layout == spec.LayoutWide, in.WideColumns
		out.WeekFormat, out.DateFormat = in.WeekFormat, in.DateFormat
		if in.Separator != "" {
			out.Separator = in.Separator[0]
		}
		if in.Decimal != "" {
			comma := in.Decimal == spec.DecimalComma
			out.DecimalComma = &comma
		}
		if in.Encoding != "" {
			latin1 := in.Encoding != spec.EncodingUTF8
			out.Latin1 = &latin1
		}
		return out
	}
	c.Columns = cols(nil)
	c.Assignment = input(s.Inputs.Assignment)
	for _, w := range s.Inputs.Weeks {
		c.Weeks = append(c.Weeks, input(w))
	}
	if s.Inputs.Hours != nil {
		h := input(s.Inputs.Hours)
		c.Hours = &h
	}
	c.Treatment, c.Control = s.Arms.Treatment, s.Arms.Control
	if !s.AllCovariates {
		c.Covariates = []CovariateSpec{}
		for _, cv := range s.Covariates {
			t := map[string]pipeline.CovariateType{spec.CovariateNumeric: pipeline.Numeric, spec.CovariateCategorical: pipeline.Categorical}[cv.Type]
			c.Covariates = append(c.Covariates, CovariateSpec{Name: cv.Name, Type: t})
		}
	}
	c.Categories = append([]string{""}, s.Categories()...)
	if len(c.Categories) > pipeline.MaxCategories {
		return c, fmt.Errorf("%s: %d status categories; at most %d are supported", s.File, len(c.Categories)-1, pipeline.MaxCategories-1)
	}
	category := map[string]pipeline.Status{}
	for i, name := range c.Categories {
		category[name] = pipeline.Status(i)
	}
	c.Codes = map[string]pipeline.Status{}
	for _, sc := range s.StatusCodes {
		for _, code := range sc.Codes {
			c.Codes[code] = category[sc.Category]
		}
	}
	c.Unmapped = map[string]Unmapped{spec.UnmappedError: UnmappedError, spec.UnmappedBenefit: UnmappedBenefit, spec.UnmappedNone: UnmappedNone}[s.Unmapped]
	if s.HasExtractEnd {
		c.ExtractEnd = pipeline.ISOWeek{Year: s.ExtractEnd.Year, Week: s.ExtractEnd.Week}
	}
	c.PreWeeks = s.PreWeeks
	if c.PreWeeks == 0 {
		c.PreWeeks = NoPreWeeks
	}
	c.Duplicates = map[string]pipeline.Duplicates{spec.DuplicatesReject: pipeline.DupReject, spec.DuplicatesError: pipeline.DupError, spec.DuplicatesSum: pipeline.DupSum}[s.Duplicates]
	c.RejectBadRows = s.BadRows == spec.BadRowsReject
	c.MaxMissing = s.MaxMissing
	c.Outcomes = nil
	for _, o := range s.Outcomes {
		d := pipeline.OutcomeDef{Name: o.Name, Threshold: o.Threshold, CountHours: o.HoursCount, Run: o.Run, MaxGap: o.MaxGap}
		d.Kind = map[string]pipeline.OutcomeKind{
			spec.KindMeanHours: pipeline.KindHours, spec.KindHoursAbove: pipeline.KindHoursAbove,
			spec.KindStatusShare: pipeline.KindStatus, spec.KindSelfSupporting: pipeline.KindSelfSupporting,
			spec.KindSustained: pipeline.KindSustained, spec.KindCumulativeHours: pipeline.KindCumulativeHours,
			spec.KindBenefitWeeks: pipeline.KindBenefitWeeks,
		}[o.Kind]
		cats := o.Categories
		if len(cats) == 0 && o.Kind == spec.KindBenefitWeeks {
			cats = s.Categories()
		}
		for _, name := range cats {
			st, ok := category[name]
			if !ok {
				return c, fmt.Errorf("%s: outcome %q: unknown status category %q", s.File, o.Name, name)
			}
			d.Statuses = append(d.Statuses, st)
		}
		c.Outcomes = append(c.Outcomes, d)
	}
	return c, nil
}
