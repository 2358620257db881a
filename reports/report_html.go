package reports

const reportHTML = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{t "report_title"}}{{if .Trial}}: {{.Trial}}{{end}}</title>
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #222; max-width: 1020px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: .2em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #1f4e79; padding-bottom: .2em; margin-top: 2em; }
h3 { font-size: 1.1em; margin-top: 1.8em; }
table { border-collapse: collapse; margin: .6em 0 1em; font-size: .92em; }
th, td { padding: .25em .7em; text-align: right; border-bottom: 1px solid #ddd; }
th { background: #eef3f8; }
td.l, th.l { text-align: left; }
td { white-space: nowrap; }
tr.var td { border-top: 1px solid #999; }
.note { color: #555; font-size: .9em; }
.sup { color: #999; font-style: italic; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .2em 1.2em; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
img.chart { width: 100%; max-width: 1000px; border: 1px solid #eee; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table, img.chart, dl.facts { break-inside: avoid; page-break-inside: avoid; }
  img.chart { border: none; }
}
</style>
</head>
<body>
<h1>{{t "report_title"}}{{if .Trial}}: {{.Trial}}{{end}}</h1>
<p class="note">{{printf (t "disclosure") .MinCell}}</p>

<h2>{{t "summary"}}</h2>
<dl class="facts">
<dt>{{t "persons"}}</dt><dd>{{int (add .Summary.Treatment .Summary.Control)}}: {{int .Summary.Treatment}} {{t "treatment"}}, {{int .Summary.Control}} {{t "control"}}</dd>
<dt>{{t "randomised"}}</dt><dd>{{.Summary.FirstRandomised}} – {{.Summary.LastRandomised}}</dd>
<dt>{{t "extract_end"}}</dt><dd>{{.Summary.ExtractEnd}}</dd>
<dt>{{t "follow_up"}}</dt><dd>{{.Summary.FollowUpWeeks}} {{t "weeks"}}</dd>
<dt>{{t "settings"}}</dt><dd>{{level .Level}} % / {{.MinCell}}</dd>
<dt>{{t "method"}}</dt><dd>{{.Method}}</dd>
</dl>
{{if .Definitions}}<h3>{{t "definitions"}}</h3>
<dl class="facts">
{{range .Definitions}}<dt>{{.Title}}</dt><dd>{{.Text}}</dd>
{{end}}</dl>
{{end}}

<h2>{{t "data"}}</h2>
<table>
{{range .Accounting.Sources}}<tr class="var"><td class="l">{{.Source}}: {{t (print "unit." .Unit)}} {{t "rows_read"}}</td><td>{{int .Read}}</td></tr>
{{if .Used}}<tr><td class="l">&nbsp;&nbsp;{{t "rows_used"}}</td><td>{{int .Used}}</td></tr>
{{else}}<tr><td class="l">&nbsp;&nbsp;{{t "rows_followup"}}</td><td>{{int .FollowUp}}</td></tr>
<tr><td class="l">&nbsp;&nbsp;{{t "rows_pre"}}</td><td>{{int .PrePeriod}}</td></tr>
{{end}}{{if .Outside}}<tr><td class="l">&nbsp;&nbsp;{{t "rows_outside"}}</td><td>{{int .Outside}}</td></tr>
{{end}}<tr><td class="l">&nbsp;&nbsp;{{t "rows_rejected"}}</td><td>{{int .Rejected}}</td></tr>
{{end}}{{range .Rejected}}<tr><td class="l">{{t "rejected_reason"}}: {{reason .Reason}}</td><td>{{int .Rows}}</td></tr>
{{end}}<tr class="var"><td class="l">{{t "no_rows"}}</td><td>{{int .NoRows}}</td></tr>
<tr><td class="l">{{t "never_at_risk"}}</td><td>{{int .NeverAtRisk}}</td></tr>
</table>
{{if .DataNotes}}<p class="note">{{t "data_notes"}}:</p>
<ul class="note">
{{range .DataNotes}}<li>{{.}}</li>
{{end}}</ul>
{{end}}{{if .Rejected}}<p class="note">{{t "rejects_file"}}</p>{{end}}

<h2>{{t "balance"}}</h2>
<p class="note">{{t "balance_note"}}</p>
<table>
<tr><th class="l">{{t "covariate"}}</th><th class="l">{{t "level"}}</th><th>{{t "treatment"}}</th><th>{{t "control"}}</th><th>{{t "difference"}}</th><th>SMD</th><th>{{t "p_value"}}</th><th class="l">{{t "test"}}</th></tr>
{{range .BalanceRows}}{{if eq .Covariate "joint"}}<tr class="var"><td class="l" colspan="6"><b>{{t "joint"}}</b></td><td>{{p .PValue}}</td><td class="l">{{t (print "test." .Test)}}</td></tr>
{{else if eq .Test "chi_squared"}}<tr><td class="l"></td><td class="l"></td><td colspan="4"></td><td>{{p .PValue}}</td><td class="l">{{t (print "test." .Test)}}</td></tr>
{{else if .Suppressed}}<tr{{if .Name}} class="var"{{end}}><td class="l">{{.Name}}</td><td class="l">{{.LevelText}}</td><td colspan="4" class="sup">{{t "suppressed"}}</td><td></td><td></td></tr>
{{else if .Level}}<tr{{if .Name}} class="var"{{end}}><td class="l">{{.Name}}</td><td class="l">{{.LevelText}}</td><td>{{pct .MeanTreatment}}</td><td>{{pct .MeanControl}}</td><td>{{pp .Difference}}</td><td>{{smd .SMD}}</td><td></td><td></td></tr>
{{else}}<tr class="var"><td class="l">{{.Name}}</td><td class="l"></td><td>{{num .MeanTreatment}}</td><td>{{num .MeanControl}}</td><td>{{snum .Difference}}</td><td>{{smd .SMD}}</td><td>{{p .PValue}}</td><td class="l">{{t (print "test." .Test)}}</td></tr>
{{end}}{{end}}</table>
{{if .BalanceNotes}}<p class="note">{{t "balance_notes"}}:</p>
<ul class="note">
{{range .BalanceNotes}}<li>{{.}}</li>
{{end}}</ul>
{{end}}
{{if .Family}}<h2>{{t "family"}}</h2>
<p class="note">{{t "family_note"}}{{if .FamilyNote}} {{.FamilyNote}}{{end}}</p>
<table>
<tr><th class="l">{{t "outcome"}}</th><th>{{t "week"}}</th><th>{{t "p_value"}}</th><th>Holm</th><th>Westfall–Young</th><th>{{t "q_value"}}</th></tr>
{{range .Family}}<tr><td class="l">{{.Title}}</td><td>{{.Week}}</td><td>{{p .PValue}}</td><td>{{p .Holm}}</td><td>{{p .WestfallYoung}}</td><td>{{p .QValue}}</td></tr>
{{end}}</table>
{{end}}
<h2>{{t "effects"}}</h2>
<p class="note">{{.EffectsNote}}</p>
{{range .Outcomes}}{{$b := .Binary}}
<h3>{{.Title}}</h3>
{{if .PNG}}<img class="chart" src="{{.PNG}}" alt="{{.Title}}">{{end}}
<table>
<tr><th>{{t "week"}}</th><th>{{t "n_tc"}}</th><th>{{t "treatment"}}</th><th>{{t "control"}}</th><th>{{t "effect"}}</th><th>{{tl "ci_col"}}</th><th>{{t "p_value"}}</th></tr>
{{range .Landmarks}}<tr><td>{{.Week}}</td>{{if .NotYet}}<td colspan="6" class="sup">{{printf (t "not_yet_observable") .LastWeek}}</td>{{else if .HideCounts}}<td class="sup">–</td>{{else}}<td>{{int .NTreatment}}/{{int .NControl}}</td>{{end}}{{if .Estimated}}<td>{{mean $b .MeanTreatment}}</td><td>{{mean $b .MeanControl}}</td><td>{{diff $b .Estimate.Estimate}}</td><td>{{ci $b .CILow .CIHigh}}</td><td>{{p .PValue}}</td>{{else if .Suppressed}}<td colspan="5" class="sup">{{t "suppressed"}}</td>{{else}}<td colspan="5" class="sup">{{t "not_estimated"}}</td>{{end}}</tr>
{{end}}</table>
<p class="note">{{t "landmarks_note"}}</p>
{{end}}
</body>
</html>
`
