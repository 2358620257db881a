package sim

import (
	"rcteval/pipeline"
	"rcteval/pipeline/ingest/arrowtable"
	"rcteval/pipeline/ingest/parse"
)

// WriteParquet writes the trial as Parquet files with typed columns, as a
// data warehouse would export it: the assignment with a date32
// randomisation date and integer covariates, and the weekly rows with the
// week as an integer YYYYWW, hours as float64 and a dictionary-encoded
// status. It is the same trial as WriteAssignment and WriteWeeks write.
func (t *Trial) WriteParquet(assignmentPath, weeksPath string) error {
	n := len(t.persons)
	id, arm, stratum, sex, group := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	date := make(arrowtable.DateColumn, n)
	age, prior := make([]int32, n), make([]int32, n)
	for i, p := range t.persons {
		id[i], stratum[i], sex[i], group[i] = p.id, p.jobcentre, p.sex, p.targetGroup
		arm[i] = "control"
		if p.treated {
			arm[i] = "treatment"
		}
		date[i] = parse.DaysSinceEpoch(p.randomised.Year(), int(p.randomised.Month()), p.randomised.Day())
		age[i], prior[i] = int32(p.age), int32(p.priorWeeks)
	}
	err := arrowtable.WriteParquet(assignmentPath,
		[]string{"person_id", "arm", "randomised_on", "stratum", "age", "sex", "target_group", "prior_benefit_weeks"},
		[]any{id, arm, date, stratum, age, sex, group, prior}, map[string]bool{"arm": true, "stratum": true, "sex": true, "target_group": true}, 0)
	if err != nil {
		return err
	}
	// The weekly rows are streamed a row group at a time: a national-scale
	// trial has hundreds of millions.
	const rowGroup = 1 << 20
	var (
		wid, status []string
		week        []int32
		hours       []float64
	)
	w, err := arrowtable.NewParquetWriter(weeksPath, []string{"person_id", "week", "hours", "status"},
		[]any{wid, week, hours, status}, map[string]bool{"status": true})
	if err != nil {
		return err
	}
	flush := func() {
		if err == nil {
			err = w.Write([]any{wid, week, hours, status})
		}
		wid, week, hours, status = wid[:0], week[:0], hours[:0], status[:0]
	}
	t.eachWeek(func(p *person, cw int, h float64, st string) {
		if h == 0 && st == "" {
			return
		}
		iw := pipeline.WeekFromIndex(cw)
		wid, week, hours, status = append(wid, p.id), append(week, int32(iw.Year*100+iw.Week)), append(hours, h), append(status, st)
		if len(wid) == rowGroup {
			flush()
		}
	})
	flush()
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}
