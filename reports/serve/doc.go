// Package serve is rcteval's chart page: a local web server over the
// published results of earlier report runs (their published.json), never
// over microdata, so that anyone the report could be given to can draw
// the standard charts themselves. It draws with the same code as rcteval
// chart (reports.BuildChart) and serves one page of plain HTML and a
// little JavaScript embedded in the binary: no build step, no network.
//
// Routes (GET or HEAD only):
//
//	/                 the page
//	/app.js, /app.css the page's script and style
//	/api/sets         the results served, with their charts and briefs (?lang=)
//	/api/chart        a chart as PNG, SVG or PDF
//	/api/table        the table behind a chart as CSV, XLSX or TSV text
//
// A request it cannot answer gets a 4xx with a plain-text reason.
package serve
