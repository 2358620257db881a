// Package demotest gives tests the embedded demo trial's disclosed
// results, estimated once per test binary: what the charts, tables and the
// chart page are drawn from.
package demotest

import (
	"sync"

	"rcteval"
	"rcteval/pipeline/analysis"
	"rcteval/pipeline/ingest"
	"rcteval/pipeline/ingest/csvtable"
	"rcteval/pipeline/ingest/table"
)

var (
	once      sync.Once
	disclosed *analysis.Disclosed
	err       error
)

// Disclosed are the demo trial's results under the default plan, without
// randomisation inference (which no chart draws), after disclosure
// control. Callers must not change them.
func Disclosed() (*analysis.Disclosed, error) {
	once.Do(func() {
		embedded := func(name string) ingest.Input {
			return ingest.Input{Path: name, Open: func() (table.Table, error) {
				return csvtable.New(name, rcteval.DemoFile(name), csvtable.Options{})
			}}
		}
		cfg := ingest.Default()
		cfg.Assignment = embedded(rcteval.DemoAssignment)
		cfg.Weeks = []ingest.Input{embedded(rcteval.DemoWeeks)}
		ds, e := ingest.Load(cfg)
		if e != nil {
			err = e
			return
		}
		plan := analysis.DefaultPlan()
		plan.RIDraws = 0
		r, e := analysis.Run(ds, plan)
		if e != nil {
			err = e
			return
		}
		disclosed = analysis.Disclose(r)
	})
	return disclosed, err
}
