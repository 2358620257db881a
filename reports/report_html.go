package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// RenderReport lays out the report of in and renders it as HTML.
func RenderReport(in ReportInput) ([]byte, error) {
	doc, err := BuildReport(in)
	if err != nil {
		return nil, err
	}
	return RenderHTML(doc)
}

// RenderHTML renders a Document as one self-contained HTML file: figures
// inline as SVG, a table of contents, tables that sort on a click on their
// heading (a few lines of script, no server), and a print stylesheet.
func RenderHTML(doc *Document) ([]byte, error) {
	var b bytes.Buffer
	if err := htmlTemplate(doc.Lang).Execute(&b, doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func htmlTemplate(lang Lang) *template.Template {
	funcs := template.FuncMap{
		"t": func(key string) string { return T(lang, key) },
		"tableCaption": func(t Table) string {
			if t.Number == 0 {
				return t.Caption
			}
			return fmt.Sprintf("%s %d. %s", T(lang, "table"), t.Number, t.Caption)
		},
		"figureCaption": func(f *Figure) string {
			if f.Number == 0 {
				return f.Title
			}
			return fmt.Sprintf("%s %d. %s", T(lang, "figure"), f.Number, f.Title)
		},
		// sortable tables have numeric columns and no row groups (sorting
		// would tear a covariate from its levels).
		"sortable": func(t Table) bool {
			for _, row := range t.Rows {
				for _, c := range row {
					if c.Group {
						return false
					}
				}
			}
			return len(t.Rows) > 2
		},
		"group": func(row []Cell) bool {
			for _, c := range row {
				if c.Group {
					return true
				}
			}
			return false
		},
		"sortKey": func(c Cell) string {
			if math.IsNaN(c.Value) || math.IsInf(c.Value, 0) {
				return ""
			}
			return strconv.FormatFloat(c.Value, 'g', -1, 64)
		},
		"col": func(cols []Column, i int) Column {
			if i < len(cols) {
				return cols[i]
			}
			return Column{}
		},
		"svg": func(f *Figure) (template.HTML, error) {
			b, err := f.Encode("svg")
			if err != nil {
				return "", err
			}
			s := string(b)
			if i := strings.Index(s, "<svg"); i >= 0 {
				s = s[i:]
			}
			return template.HTML(strings.Replace(s, "<svg ", `<svg role="img" class="chart" `, 1)), nil
		},
		"kind": func(b Block) string {
			switch b.(type) {
			case Paragraph:
				return "p"
			case FactList:
				return "facts"
			case List:
				return "list"
			case Table:
				return "table"
			case FigureBlock:
				return "figure"
			}
			return ""
		},
		"style": func(s ParagraphStyle) string {
			switch s {
			case ParagraphNote:
				return "note"
			case ParagraphWarning:
				return "warning"
			}
			return ""
		},
	}
	return template.Must(template.New("report").Funcs(funcs).Parse(reportHTML))
}

const reportHTML = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #222; max-width: 1020px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.8em; margin-bottom: .1em; }
p.subtitle { font-size: 1.25em; color: #1f4e79; margin-top: 0; }
h2 { font-size: 1.35em; border-bottom: 2px solid #1f4e79; padding-bottom: .2em; margin-top: 2em; }
h3 { font-size: 1.12em; margin-top: 1.8em; }
nav.toc ol { padding-left: 1.4em; } nav.toc li { margin: .1em 0; } nav.toc ol ol { list-style: none; padding-left: 1em; font-size: .95em; }
table { border-collapse: collapse; margin: .3em 0 .4em; font-size: .92em; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: .3em 0; }
th, td { padding: .25em .7em; text-align: left; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #eef3f8; }
th.n, td.n { text-align: right; white-space: nowrap; }
table.sortable th { cursor: pointer; }
table.sortable th::after { content: " \2195"; color: #999; font-size: .8em; }
tr.group td { border-top: 1px solid #999; }
td.sup { color: #888; font-style: italic; }
p.tnote, .note { color: #555; font-size: .9em; }
p.tnote { margin-top: 0; margin-bottom: 1.2em; max-width: 60em; }
p.warning, p.fnote { background: #fff4e0; border-left: 4px solid #d97a1c; padding: .4em .8em; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .2em 1.2em; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
figure { margin: 1em 0; }
figure svg.chart { width: 100%; height: auto; max-width: 1000px; }
figcaption { font-weight: bold; margin-bottom: .3em; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  nav.toc { page-break-after: always; }
  h2 { page-break-before: always; }
  h2, h3, caption, figcaption { break-after: avoid; page-break-after: avoid; }
  table, figure, dl.facts { break-inside: avoid; page-break-inside: avoid; }
  table.sortable th::after { content: ""; }
}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{if .Subtitle}}<p class="subtitle">{{.Subtitle}}</p>{{end}}
<dl class="facts">
{{range .Facts}}<dt>{{.Term}}</dt><dd>{{.Text}}</dd>
{{end}}</dl>
<nav class="toc"><h2 style="page-break-before:avoid">{{t "contents"}}</h2>
<ol>{{range $i, $s := .Sections}}{{if eq $s.Level 1}}{{if $i}}</ol></li>{{end}}<li><a href="#{{$s.ID}}">{{$s.Title}}</a><ol>{{else}}<li><a href="#{{$s.ID}}">{{$s.Title}}</a></li>{{end}}{{end}}{{if .Sections}}</ol></li>{{end}}</ol>
</nav>
{{range .Sections}}
{{if eq .Level 1}}<h2 id="{{.ID}}">{{.Title}}</h2>{{else}}<h3 id="{{.ID}}">{{.Title}}</h3>{{end}}
{{range .Blocks}}{{$k := kind .}}{{if eq $k "p"}}<p{{with style .Style}} class="{{.}}"{{end}}>{{.Text}}</p>
{{else if eq $k "facts"}}<dl class="facts">
{{range .Items}}<dt>{{.Term}}</dt><dd>{{.Text}}</dd>
{{end}}</dl>
{{else if eq $k "list"}}<ul>
{{range .Items}}<li>{{.}}</li>
{{end}}</ul>
{{else if eq $k "table"}}{{$cols := .Columns}}<table{{if sortable .}} class="sortable"{{end}}>
<caption>{{tableCaption .}}</caption>
<thead><tr>{{range .Columns}}<th{{if .Numeric}} class="n"{{end}}>{{.Title}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr{{if group .}} class="group"{{end}}>{{range $i, $c := .}}<td{{$n := (col $cols $i).Numeric}}{{if or $n $c.Suppressed}} class="{{if $n}}n{{end}}{{if $c.Suppressed}} sup{{end}}"{{end}}{{with sortKey $c}} data-v="{{.}}"{{end}}>{{$c.Text}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{if .Note}}<p class="tnote">{{.Note}}</p>{{end}}
{{else if eq $k "figure"}}<figure>
<figcaption>{{figureCaption .Figure}}</figcaption>
{{svg .Figure}}
</figure>
{{if .Note}}<p class="fnote">{{.Note}}</p>{{end}}
{{end}}{{end}}{{end}}
<script>
// Sort a table on a click on a column heading: numbers by value, text
// alphabetically; a second click reverses.
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, col) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var dir = th.getAttribute("data-dir") === "asc" ? -1 : 1;
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("data-dir"); });
      th.setAttribute("data-dir", dir === 1 ? "asc" : "desc");
      rows.sort(function (a, b) {
        var x = a.cells[col], y = b.cells[col];
        var u = x.getAttribute("data-v"), v = y.getAttribute("data-v");
        if (u !== null && v !== null) { return dir * (parseFloat(u) - parseFloat(v)); }
        if (u === null && v !== null) { return 1; }
        if (u !== null && v === null) { return -1; }
        return dir * x.textContent.localeCompare(y.textContent);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
</script>
</body>
</html>
`
