// Package reports turns disclosed results (*analysis.Disclosed, nothing
// else) into what leaves the machine:
//
//   - tables: one typed model (tables.go) written as CSV, XLSX, Parquet and
//     results.json with the run's provenance;
//   - charts: a registry (chartset.go) of the JobFirst midterm's Figures 1–8
//     and more, in one house style, each a Figure encoded as PNG, SVG or PDF;
//   - the report: laid out once as a Document (report.go: midterm or final)
//     and rendered as self-contained HTML (report_html.go) and as PDF
//     (pdf.go), so the two cannot disagree.
//
// It computes no estimate and never sees person-level data; disclosure
// control happened before (analysis.Disclose). Every file is written
// atomically, and the same inputs give byte-identical files: no timestamp
// is written anywhere. All user-facing text comes from the catalogue
// (texts.go, texts_report.go) in English and Danish.
package reports
