package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"rcteval"
	"rcteval/pipeline/ingest"
	"rcteval/pipeline/ingest/csvtable"
	"rcteval/pipeline/ingest/table"
	"rcteval/pipeline/spec"
)

func newDemoCmd() *cobra.Command {
	o := &inputOptions{Out: filepath.Join("out", "demo")}
	cmd := &cobra.Command{
		Use:   "demo [--out DIR]",
		Short: "Run the full report on the embedded demo trial (a simulated JobFirst-like trial)",
		Example: `  rcteval demo                       # writes out/demo/report.html
  rcteval demo --lang da --out out/demo-da
  rcteval demo --kind final --out out/demo-final`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(o, cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd, false)
	o.addAnalysisFlags(cmd)
	o.addTableFlags(cmd)
	o.addKindFlag(cmd)
	return cmd
}

func runDemo(o *inputOptions, log io.Writer) error {
	if err := o.validate(); err != nil {
		return err
	}
	embedded := func(name string) ingest.Input {
		return ingest.Input{Path: name, Open: func() (table.Table, error) {
			return csvtable.New(name, rcteval.DemoFile(name), csvtable.Options{})
		}}
	}
	if o.Spec == "" {
		o.spec.Trial, o.spec.Labels, o.spec.Report.Criteria = "JobFirst demo (simulated)", demoLabels, demoCriteria
	}
	o.embedded = rcteval.DemoFile
	o.config.Assignment = embedded(rcteval.DemoAssignment)
	o.config.Weeks = []ingest.Input{embedded(rcteval.DemoWeeks)}
	ds, err := o.loadConfig(log)
	if err != nil {
		return err
	}
	if err := runReport(o, ds, log); err != nil {
		return err
	}
	fmt.Fprintf(o.log(log), "open %s in a browser\n", filepath.Join(o.Out, "report.html"))
	return nil
}

// demoLabels name the demo trial's covariates and levels in both languages,
// as a spec's labels would.
var demoLabels = map[string]spec.Label{
	"age": {Text: map[string]string{"da": "Alder", "en": "Age"}},
	"sex": {Text: map[string]string{"da": "Køn", "en": "Sex"}, Levels: map[string]map[string]string{
		"female": {"da": "Kvinde", "en": "Female"}, "male": {"da": "Mand", "en": "Male"}}},
	"target_group": {Text: map[string]string{"da": "Målgruppe", "en": "Target group"}, Levels: map[string]map[string]string{
		"kontanthjælp": {"en": "Cash benefit"}, "ressourceforløb": {"en": "Resource programme"}}},
	"prior_benefit_weeks": {Text: map[string]string{"da": "Uger på ydelse før visitation", "en": "Weeks on benefit before randomisation"}},
}

// demoCriteria are JobFirst's success criteria, judged in a final report.
var demoCriteria = []spec.Criterion{
	{Kind: spec.CriterionHoursRatio, Label: map[string]string{
		"da": "Deltagerne arbejder dobbelt så mange ordinære timer som kontrolgruppen",
		"en": "Participants work twice the ordinary hours of the control group"}},
	{Kind: spec.CriterionNotInData, Label: map[string]string{
		"da": "75 pct. af deltagerne viser progression på progressionsværktøjet",
		"en": "75 % of participants show progression on the progression tool"}},
}
