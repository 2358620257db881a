package main

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"rcteval/pipeline"
	"rcteval/pipeline/analysis"
	"rcteval/reports"
)

func newReportCmd() *cobra.Command {
	o := &inputOptions{}
	cmd := &cobra.Command{
		Use:   "report (--spec S | --assignment A --weeks W) --out DIR",
		Short: "Write effects, balance, charts and the report (self-contained HTML and PDF) to DIR",
		Example: `  rcteval report --assignment assignment.csv --weeks weeks.csv --out out/trial
  rcteval report --spec examples/jobfirst.yaml --out out/jobfirst --lang da
  rcteval report --spec examples/jobfirst.yaml --out out/final --kind final`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ds, err := o.load(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			return runReport(o, ds, cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd, true)
	o.addAnalysisFlags(cmd)
	o.addKindFlag(cmd)
	o.addTableFlags(cmd)
	cmd.MarkFlagRequired("out")
	return cmd
}

// runReport writes every output of a loaded trial to o.Out as one set; o is
// validated.
func runReport(o *inputOptions, ds *pipeline.Dataset, log io.Writer) error {
	d, err := analyse(ds, o.plan())
	if err != nil {
		return err
	}
	return writeOutputSet(o.log(log), o.Out, func(w output) error { return writeReport(w, d, o) })
}

// writeReport writes the report's tables, every chart and the report
// itself, side by side on every core.
func writeReport(w output, d *analysis.Disclosed, o *inputOptions) error {
	logEffects(w.log, d)
	logBalance(w.log, d)
	writers := o.tableWriters(d, append(reports.EffectTables(d), reports.BalanceTables(d)...))
	writers = append(writers, chartWriters(d, o)...)
	writers = append(writers, func(w output) error { return writeReportDocs(w, d, o) })
	return w.sideBySide(writers...)
}

// writeReportDocs writes the report (HTML and PDF) and the published
// results behind the chart page.
func writeReportDocs(w output, d *analysis.Disclosed, o *inputOptions) error {
	prov, err := o.provenance(d)
	if err != nil {
		return err
	}
	in := reports.ReportInput{Trial: o.spec.Trial, Kind: o.Kind, WarnAtRisk: o.warnAtRisk(), Lang: o.lang, Results: d,
		Landmarks: o.spec.Landmarks, Titles: o.titles(), Labels: o.labels(), Provenance: &prov}
	doc, err := reports.BuildReport(in)
	if err != nil {
		return err
	}
	html, err := reports.RenderHTML(doc)
	if err != nil {
		return err
	}
	if err := w.file("report.html", func(p string) error { return reports.WriteFileAtomic(p, html) }); err != nil {
		return err
	}
	if err := w.file("report.pdf", func(p string) error { return reports.WritePDF(p, doc) }); err != nil {
		return err
	}
	pub := &reports.Published{Trial: in.Trial, Kind: cmp.Or(in.Kind, reports.Midterm), WarnAtRisk: in.WarnAtRisk, Provenance: prov, Results: d,
		Titles: map[reports.Lang]map[string]string{}, Labels: map[reports.Lang]reports.Labels{}}
	for _, lang := range []reports.Lang{reports.Danish, reports.English} {
		pub.Titles[lang], pub.Labels[lang] = o.titlesIn(lang), o.labelsIn(lang)
	}
	return w.file(reports.PublishedFile, func(p string) error { return reports.WritePublished(p, pub) })
}

// chartWriters write every chart the results can draw, for every outcome
// where it takes one, to figures/NAME[_OUTCOME].{png,svg,pdf}: one writer
// a chart, in its formats of --figures.
func chartWriters(d *analysis.Disclosed, o *inputOptions) []func(output) error {
	formats := o.figureFormats()
	if len(formats) == 0 {
		return nil
	}
	var writers []func(output) error
	for _, c := range reports.Charts() {
		for _, outcome := range c.Outcomes(d) {
			writers = append(writers, func(w output) error {
				fig, err := reports.BuildChart(c.Name, reports.ChartOptions{Lang: o.lang, Results: d, Outcome: outcome, Titles: o.titles(), Labels: o.labels(), WarnAtRisk: o.warnAtRisk()})
				if err != nil {
					return err
				}
				for _, format := range formats {
					b, err := fig.Encode(format)
					if err != nil {
						return err
					}
					name := filepath.Join("figures", c.FileName(outcome)+"."+format)
					if err := w.file(name, func(p string) error { return reports.WriteFileAtomic(p, b) }); err != nil {
						return err
					}
				}
				return nil
			})
		}
	}
	return writers
}

// warnAtRisk is the share followed below which a midterm report warns; 0
// for a final report.
func (o *inputOptions) warnAtRisk() float64 {
	if o.Kind == reports.Final {
		return 0
	}
	return o.spec.Report.WarnAtRisk
}

// figureFormats are the formats of --figures: all when it was not given,
// none for "none".
func (o *inputOptions) figureFormats() []string {
	switch {
	case o.Figures == nil:
		return reports.Formats
	case slices.Equal(o.Figures, []string{"none"}):
		return nil
	}
	return o.Figures
}

// labels are the spec's covariate and level labels in the report's
// language; the stratum is labelled under its column's name.
func (o *inputOptions) labels() reports.Labels { return o.labelsIn(o.lang) }

// labelsIn are the spec's covariate and level labels in lang.
func (o *inputOptions) labelsIn(lang reports.Lang) reports.Labels {
	l := reports.Labels{Covariates: map[string]string{}, Levels: map[string]map[string]string{}}
	for name, label := range o.spec.Labels {
		key := name
		if name == o.spec.Columns.Stratum {
			key = "stratum"
		}
		if t := label.Text[string(lang)]; t != "" {
			l.Covariates[key] = t
		}
		for level, texts := range label.Levels {
			if t := texts[string(lang)]; t != "" {
				if l.Levels[key] == nil {
					l.Levels[key] = map[string]string{}
				}
				l.Levels[key][level] = t
			}
		}
	}
	return l
}

// titles are the spec's outcome labels in the report's language.
func (o *inputOptions) titles() map[string]string { return o.titlesIn(o.lang) }

// titlesIn are the spec's outcome labels in lang.
func (o *inputOptions) titlesIn(lang reports.Lang) map[string]string {
	t := map[string]string{}
	for _, out := range o.spec.Outcomes {
		if l := out.Label[string(lang)]; l != "" {
			t[out.Name] = l
		}
	}
	return t
}

// addKindFlag adds the report's flags: --kind and --figures.
func (o *inputOptions) addKindFlag(cmd *cobra.Command) {
	o.report = true
	cmd.Flags().StringVar(&o.Kind, "kind", "", "the report's kind: midterm (effects to date) or final (judged against the success criteria); default: the spec's report.kind, else midterm")
	cmd.Flags().StringSliceVar(&o.Figures, "figures", reports.Formats, "formats of every chart written to figures/: png, svg, pdf, or none (the report itself always has its figures)")
}

// validateFigures checks --figures.
func (o *inputOptions) validateFigures() error {
	if slices.Equal(o.Figures, []string{"none"}) {
		return nil
	}
	for _, f := range o.Figures {
		if !slices.Contains(reports.Formats, f) {
			return fmt.Errorf("--figures %q: expected a list of %s, or none", f, strings.Join(reports.Formats, ", "))
		}
	}
	return nil
}
