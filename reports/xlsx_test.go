package reports

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"rcteval/pipeline/analysis"
)

func allTables(d *analysis.Disclosed) []*DataTable {
	return append(EffectTables(d), BalanceTables(d)...)
}

// The workbook is the same bytes when written twice, its zip entries carry
// no time, and its properties no date.
func TestXLSXDeterministic(t *testing.T) {
	d := demoDisclosed(t, nil)
	a, err := XLSX(allTables(d))
	require.NoError(t, err)
	for range 3 {
		b, err := XLSX(allTables(d))
		require.NoError(t, err)
		require.True(t, bytes.Equal(a, b), "the workbook differs between writes")
	}
	z, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	require.NoError(t, err)
	for _, f := range z.File {
		assert.True(t, f.Modified.IsZero() || f.Modified.Year() <= 1980, "%s has a time: %v", f.Name, f.Modified)
		if f.Name == "docProps/core.xml" || f.Name == "docProps/app.xml" {
			r, err := f.Open()
			require.NoError(t, err)
			x, _ := io.ReadAll(r)
			assert.NotContains(t, string(x), "dcterms:created", f.Name)
			assert.NotRegexp(t, `\d{4}-\d\d-\d\d`, string(x), f.Name) // no date anywhere
		}
	}
}

// Read back with excelize: one sheet per table in order, the header bold
// and frozen, numbers stored as numbers with the column's format, equal to
// the CSV's values, and blank cells empty.
func TestXLSXReadBack(t *testing.T) {
	d := demoDisclosed(t, func(p *analysis.Plan) { p.MinCell = 40 })
	tables := allTables(d)
	b, err := XLSX(tables)
	require.NoError(t, err)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	require.NoError(t, err)
	defer f.Close()
	var want []string
	for _, table := range tables {
		if !table.Listing {
			want = append(want, table.Name)
		}
	}
	assert.Equal(t, want, f.GetSheetList())
	assert.NotContains(t, f.GetSheetList(), "rejects") // the listing is in CSV and Parquet

	effects := EffectsTable(d)
	records, err := csv.NewReader(bytes.NewReader(csvBytes(t, effects))).ReadAll()
	require.NoError(t, err)
	rows, err := f.GetRows("effects", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	require.Len(t, rows, len(records))
	assert.Equal(t, records[0], rows[0])

	checked, blanks := 0, 0
	for i := 1; i < len(records); i++ {
		for j, text := range records[i] {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			typ, err := f.GetCellType("effects", cell)
			require.NoError(t, err)
			got := ""
			if j < len(rows[i]) {
				got = rows[i][j]
			}
			if text == "" {
				assert.Equal(t, "", got, cell)
				blanks++
				continue
			}
			if effects.Columns[j].Kind == KindText {
				assert.Equal(t, excelize.CellTypeSharedString, typ, cell)
				assert.Equal(t, text, got, cell)
				continue
			}
			// A number: no type attribute (or "n"), the value reads back to
			// the CSV's float exactly, and the cell has the column's format.
			assert.Contains(t, []excelize.CellType{excelize.CellTypeUnset, excelize.CellTypeNumber}, typ, cell)
			x, err := strconv.ParseFloat(got, 64)
			require.NoError(t, err, cell)
			y, _ := strconv.ParseFloat(text, 64)
			assert.Equal(t, y, x, cell)
			if checked < 40 {
				id, err := f.GetCellStyle("effects", cell)
				require.NoError(t, err)
				style, err := f.GetStyle(id)
				require.NoError(t, err)
				require.NotNil(t, style.CustomNumFmt, cell)
				assert.Equal(t, effects.Columns[j].Format, *style.CustomNumFmt, cell)
			}
			checked++
		}
	}
	assert.Greater(t, checked, 1000)
	assert.Greater(t, blanks, 100) // suppressed weeks under min_cell 40

	// A cell looked up by hand: hours, week 13's effect.
	for i, r := range records {
		if r[0] == "hours" && r[1] == "13" {
			v, err := f.GetCellValue("effects", "G"+strconv.Itoa(i+1), excelize.Options{RawCellValue: true})
			require.NoError(t, err)
			assert.Equal(t, r[6], v)
			shown, err := f.GetCellValue("effects", "G"+strconv.Itoa(i+1))
			require.NoError(t, err)
			x, _ := strconv.ParseFloat(r[6], 64)
			assert.Equal(t, strconv.FormatFloat(x, 'f', 3, 64), shown) // shown as 0.000
		}
	}

	style, err := f.GetCellStyle("effects", "A1")
	require.NoError(t, err)
	s, err := f.GetStyle(style)
	require.NoError(t, err)
	assert.True(t, s.Font != nil && s.Font.Bold, "bold header")
	panes, err := f.GetPanes("effects")
	require.NoError(t, err)
	assert.True(t, panes.Freeze)
	assert.Equal(t, 1, panes.YSplit)
	dim, err := f.GetSheetDimension("effects")
	require.NoError(t, err)
	assert.Equal(t, "A1:T"+strconv.Itoa(len(records)), dim)
	w, err := f.GetColWidth("effects", "A")
	require.NoError(t, err)
	assert.GreaterOrEqual(t, w, float64(len("sustained13")))
}

// An infinite float is the text +Inf; uint64 is a number.
func TestXLSXSpecialValues(t *testing.T) {
	table := &DataTable{Name: "special", Columns: columns(floatCol("x", FormatEstimate), uintCol("seed", FormatInteger), textCol("s")),
		Rows: [][]any{{math.Inf(1), uint64(20161231), nil}, {nil, nil, "a"}}}
	b, err := XLSX([]*DataTable{table})
	require.NoError(t, err)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("special", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"x", "seed", "s"}, {"+Inf", "20161231"}, {"", "", "a"}}, rows)

	_, err = XLSX([]*DataTable{{Name: strings.Repeat("x", 32)}})
	assert.ErrorContains(t, err, "at most 31")
}
