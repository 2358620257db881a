package main

import (
	"io"

	"github.com/spf13/cobra"
)

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "rcteval",
		Short: "Week-by-week effect evaluation of randomised labour-market trials",
		Long: `rcteval reads the assignment of a randomised trial and weekly register extracts,
aligns every person on weeks since randomisation, and estimates week-by-week
effects on hours, employment, internship, wage subsidy and 13-week sustained
placement, with balance tests, charts and an HTML report.

Start with "rcteval demo" to see a report on a simulated JobFirst-like trial.
For real extracts (DREAM wide, eIndkomst hours, SAS or Excel exports with ';'
and decimal comma, Latin-1, Parquet), describe the trial once in a spec (see
docs/spec.md and examples/jobfirst.yaml) and check it with
"rcteval validate --spec trial.yaml".`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newSimulateCmd(), newValidateCmd(), newEffectsCmd(), newBalanceCmd(), newReportCmd(), newChartCmd(), newDemoCmd())
	root.AddCommand(newPowerCmd(), newServeCmd(), newVersionCmd())
	return root
}
