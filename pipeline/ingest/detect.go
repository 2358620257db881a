package ingest

import "rcteval/pipeline/ingest/parse"

// dominantShare is the share of sample values one format must read for it to
// be taken when not every value fits one format: the few others are then
// reported by line and column as the rows are read, which tells a user far
// more than "the first rows mix formats".
const dominantShare = 0.9

// detectWeek detects the week format of a column from sample values: the one
// format every value fits, or else the only format that reads at least
// dominantShare of them. Two formats that both fit are never chosen between.
func detectWeek(samples [][]byte) (parse.WeekFormat, parse.DateFormat, error) {
	f, df, err := parse.DetectWeek(samples)
	if err == nil {
		return f, df, nil
	}
	type candidate struct {
		f  parse.WeekFormat
		df parse.DateFormat
	}
	var cands []candidate
	for f := parse.WeekISO; f < parse.WeekDate; f++ {
		cands = append(cands, candidate{f, 0})
	}
	for df := parse.DateISO; df <= parse.DateSAS; df++ {
		cands = append(cands, candidate{parse.WeekDate, df})
	}
	best, ok := dominant(len(cands), len(samples), func(c, i int) bool {
		_, _, err := parse.ParseWeek(samples[i], cands[c].f, cands[c].df)
		return err == nil
	})
	if !ok {
		return 0, 0, err
	}
	return cands[best].f, cands[best].df, nil
}

// detectDate is detectWeek for dates.
func detectDate(samples [][]byte) (parse.DateFormat, error) {
	f, err := parse.DetectDate(samples)
	if err == nil {
		return f, nil
	}
	best, ok := dominant(int(parse.DateSAS), len(samples), func(c, i int) bool {
		_, _, _, err := parse.ParseDate(samples[i], parse.DateISO+parse.DateFormat(c))
		return err == nil
	})
	if !ok {
		return 0, err
	}
	return parse.DateISO + parse.DateFormat(best), nil
}

// dominant returns the one candidate (of n) that reads at least
// dominantShare of the samples, and false when none or several do.
func dominant(n, samples int, reads func(c, i int) bool) (int, bool) {
	best := -1
	for c := range n {
		k := 0
		for i := range samples {
			if reads(c, i) {
				k++
			}
		}
		if float64(k) >= dominantShare*float64(samples) && k > 0 {
			if best >= 0 {
				return 0, false
			}
			best = c
		}
	}
	return best, best >= 0
}
