package reports

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxSheetName is the longest sheet name Excel accepts.
const maxSheetName = 31

// coreProperties replaces excelize's docProps/core.xml, which names its
// author and a creation date: the workbook names rcteval and no date, so a
// rerun writes the same bytes.
const coreProperties = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>rcteval</dc:creator></cp:coreProperties>`

// WriteXLSX writes the tables as one workbook, a sheet per table in order
// (a listing is left out: see DataTable). Numbers are stored as numbers with
// their column's number format, blank cells are empty, the header row is
// bold and frozen (no filter: excelize would mark the sheet as filtered),
// and columns are as wide as their longest
// shown value. An infinite float (an unbounded Fieller limit) is the text
// +Inf or -Inf, as in the CSV. The bytes depend on the tables alone: no
// date in the properties, and excelize writes the zip entries in a fixed
// order with no times.
func WriteXLSX(path string, tables []*DataTable) error {
	b, err := XLSX(tables)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, b)
}

// XLSX is the workbook WriteXLSX writes.
func XLSX(tables []*DataTable) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	x := &workbook{f: f, styles: map[string]int{}}
	first := true
	for _, t := range tables {
		if t.Listing {
			continue
		}
		if len(t.Name) > maxSheetName {
			return nil, fmt.Errorf("table %s: a sheet name has at most %d characters", t.Name, maxSheetName)
		}
		if first {
			if err := f.SetSheetName("Sheet1", t.Name); err != nil {
				return nil, err
			}
			first = false
		} else if _, err := f.NewSheet(t.Name); err != nil {
			return nil, err
		}
		if err := x.sheet(t); err != nil {
			return nil, fmt.Errorf("sheet %s: %w", t.Name, err)
		}
	}
	if first {
		return nil, fmt.Errorf("a workbook needs at least one table")
	}
	f.SetActiveSheet(0)
	f.Pkg.Store("docProps/core.xml", []byte(coreProperties))
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type workbook struct {
	f      *excelize.File
	styles map[string]int // number format → style id; "header" for the header
}

// style is the style id of a number format ("" for text, "header" for the
// header row).
func (x *workbook) style(format string) (int, error) {
	if id, ok := x.styles[format]; ok {
		return id, nil
	}
	s := &excelize.Style{}
	switch format {
	case "":
	case "header":
		s.Font = &excelize.Font{Bold: true}
		s.Border = []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}
		s.Alignment = &excelize.Alignment{Vertical: "top"}
	default:
		s.CustomNumFmt = &format
	}
	id, err := x.f.NewStyle(s)
	x.styles[format] = id
	return id, err
}

func (x *workbook) sheet(t *DataTable) error {
	f, name := x.f, t.Name
	headerStyle, err := x.style("header")
	if err != nil {
		return err
	}
	widths := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if c.Kind != KindText {
			id, err := x.style(c.Format)
			if err != nil {
				return err
			}
			if err := f.SetColStyle(name, col, id); err != nil {
				return err
			}
		}
		if err := f.SetCellStr(name, col+"1", c.Name); err != nil {
			return err
		}
		widths[i] = utf8.RuneCountInString(c.Name)
	}
	row := 1
	var failed error
	t.EachRow(func(cells []any) {
		row++
		for i, v := range cells {
			if v == nil || failed != nil {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(i+1, row)
			if err == nil {
				err = setCell(f, name, cell, v)
			}
			failed = err
			widths[i] = max(widths[i], shownWidth(v, t.Columns[i].Format))
		}
	})
	if failed != nil {
		return failed
	}
	last, err := excelize.CoordinatesToCellName(max(len(t.Columns), 1), 1)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(name, "A1", last, headerStyle); err != nil {
		return err
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, float64(min(max(w+2, 8), 60))); err != nil {
			return err
		}
	}
	// excelize leaves the dimension at A1; readers that trust it (openpyxl
	// in read-only mode) would see one cell.
	bottom, err := excelize.CoordinatesToCellName(max(len(t.Columns), 1), row)
	if err != nil {
		return err
	}
	if err := f.SetSheetDimension(name, "A1:"+bottom); err != nil {
		return err
	}
	return f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
}

func setCell(f *excelize.File, sheet, cell string, v any) error {
	switch v := v.(type) {
	case string:
		return f.SetCellStr(sheet, cell, v)
	case int64:
		return f.SetCellInt(sheet, cell, v)
	case uint64:
		return f.SetCellUint(sheet, cell, v)
	case float64:
		if math.IsInf(v, 0) {
			return f.SetCellStr(sheet, cell, num(v))
		}
		// The decimals of the shortest text that reads back to v: excelize
		// would cut "as many as needed" (-1) to Excel's 15 digits shown.
		decimals := 0
		if s := strconv.FormatFloat(v, 'f', -1, 64); strings.IndexByte(s, '.') >= 0 {
			decimals = len(s) - strings.IndexByte(s, '.') - 1
		}
		return f.SetCellFloat(sheet, cell, v, decimals, 64)
	}
	return fmt.Errorf("a cell of type %T", v)
}

// shownWidth is about the number of characters Excel shows for v under
// format.
func shownWidth(v any, format string) int {
	switch v := v.(type) {
	case string:
		return utf8.RuneCountInString(v)
	case int64:
		return numberWidth(float64(v), format)
	case uint64:
		return numberWidth(float64(v), format)
	case float64:
		return numberWidth(v, format)
	}
	return 0
}

func numberWidth(v float64, format string) int {
	if math.IsInf(v, 0) {
		return 4
	}
	decimals := 0
	if i := strings.IndexByte(format, '.'); i >= 0 {
		decimals = len(format) - i - 1
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if format == FormatCount && math.Abs(v) >= 1000 {
		s += strings.Repeat(",", int(math.Log10(math.Abs(v)))/3)
	}
	return len(s)
}
