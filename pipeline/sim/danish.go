package sim

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"rcteval/pipeline"
)

// Illustrative DREAM benefit codes of the simulated extract (real code lists
// vary by year, which is why the spec maps them): internship and benefit by
// target group, and wage subsidy.
var dreamCodes = map[string]map[string]string{
	"kontanthjælp":    {"praktik": "521", "wage_subsidy": "511", "benefit": "130"},
	"ressourceforløb": {"praktik": "522", "wage_subsidy": "511", "benefit": "750"},
}

// WriteDanish writes the trial as a Danish register extract would come:
// ';'-separated, decimal comma, Latin-1, Danish column names, CPR-shaped
// pseudonyms. assignment gets visitation.csv (cprnr;gruppe;visitationsdato;
// jobcenter;alder;koen;maalgruppe;ydelsesuger, arms D and K, dates
// DD-MM-YYYY), dream the DREAM-wide benefit codes (cprnr;y_1601;…, an empty
// cell for no benefit) and hours the eIndkomst hours (cprnr;uge;timer, weeks
// YYYYWW, only weeks with hours). It is the same trial as WriteAssignment
// and WriteWeeks write.
func (t *Trial) WriteDanish(assignment, dream, hours io.Writer) error {
	latin1 := func(w io.Writer) *bufio.Writer { return bufio.NewWriter(charmap.ISO8859_1.NewEncoder().Writer(w)) }
	aw, dw, hw := latin1(assignment), latin1(dream), latin1(hours)
	fmt.Fprintln(aw, "cprnr;gruppe;visitationsdato;jobcenter;alder;koen;maalgruppe;ydelsesuger")
	for i, p := range t.persons {
		gruppe, koen := "K", "Mand"
		if p.treated {
			gruppe = "D"
		}
		if p.sex == "female" {
			koen = "Kvinde"
		}
		fmt.Fprintf(aw, "%s;%s;%s;%s;%d;%s;%s;%d\n", cpr(i, p.age), gruppe, p.randomised.Format("02-01-2006"),
			p.jobcentre, p.age, koen, p.targetGroup, p.priorWeeks)
	}
	first, end := t.opt.FirstWeek.Index(), t.opt.ExtractEnd.Index()
	fmt.Fprint(dw, "cprnr")
	for cw := first; cw <= end; cw++ {
		w := pipeline.WeekFromIndex(cw)
		fmt.Fprintf(dw, ";y_%02d%02d", w.Year%100, w.Week)
	}
	fmt.Fprintln(dw)
	fmt.Fprintln(hw, "cprnr;uge;timer")
	index := map[*person]int{}
	for i := range t.persons {
		index[&t.persons[i]] = i
	}
	t.eachWeek(func(p *person, cw int, h float64, status string) {
		id := cpr(index[p], p.age)
		if cw == first {
			fmt.Fprint(dw, id)
		}
		fmt.Fprint(dw, ";", dreamCodes[p.targetGroup][status])
		if cw == end {
			fmt.Fprintln(dw)
		}
		if h > 0 {
			w := pipeline.WeekFromIndex(cw)
			fmt.Fprintf(hw, "%s;%04d%02d;%s\n", id, w.Year, w.Week, strings.Replace(formatHours(h), ".", ",", 1))
		}
	})
	for _, w := range []*bufio.Writer{aw, dw, hw} {
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// cpr makes a CPR-shaped pseudonym, unique per person: DDMMYY-SSSS with the
// birth year from the age at referral (2016).
func cpr(i, age int) string {
	return fmt.Sprintf("%02d%02d%02d-%04d", 1+(i/10000)%28, 1+(i/280000)%12, (2016-age)%100, i%10000)
}
