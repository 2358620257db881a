package reports

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"rcteval/pipeline"
	"rcteval/pipeline/analysis"
)

// WriteFileAtomic writes data to path through a temporary file in the same
// directory and a rename, so readers never see a half-written file.
func WriteFileAtomic(path string, data []byte) error {
	return writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomic is WriteFileAtomic for content written by fill, streamed to
// the temporary file (rejects.csv can run to millions of rows).
func writeAtomic(path string, fill func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err := fill(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// num formats a float for CSV: the shortest text that reads back to the same
// float64 (±Inf as +Inf and -Inf); NaN as an empty cell.
func num(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// csvText is a cell as CSV text: blank for nil, integers in decimal,
// floats as num.
func csvText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case float64:
		return num(v)
	}
	panic(fmt.Sprintf("reports: a table cell of type %T", v)) // the builders make only the four
}

// WriteCSV writes t as CSV to path: see EncodeCSV. A listing is streamed
// to the file.
func WriteCSV(path string, t *DataTable) error {
	return writeAtomic(path, func(out io.Writer) error { return EncodeCSV(out, t) })
}

// EncodeCSV writes t as CSV (RFC 4180, comma-separated, UTF-8, a header
// row): blank cells are empty fields, numbers as in num.
func EncodeCSV(out io.Writer, t *DataTable) error {
	w := csv.NewWriter(out)
	w.Write(t.Header())
	rec := make([]string, len(t.Columns))
	t.EachRow(func(row []any) {
		for i, v := range row {
			rec[i] = csvText(v)
		}
		w.Write(rec)
	})
	w.Flush()
	return w.Error()
}

// TableText is t as text to paste into a spreadsheet or a word processor
// in lang: the columns' headings in lang (the files keep their names),
// tab-separated, one row per line, numbers rounded as the
// workbook shows them (the column's format: three decimals for estimates,
// four for p-values), decimal commas in Danish (a Danish Excel reads
// "0.25" as a date or text) and no thousands separators, so that each
// number is one cell. The CSV keeps every digit.
func TableText(t *DataTable, lang Lang) string {
	var b strings.Builder
	for i, name := range t.Header() {
		if i > 0 {
			b.WriteByte('\t')
		}
		b.WriteString(columnHeading(name, lang))
	}
	b.WriteByte('\n')
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	t.EachRow(func(row []any) {
		for i, v := range row {
			if i > 0 {
				b.WriteByte('\t')
			}
			s := csvText(v)
			if f, isFloat := v.(float64); isFloat && !math.IsInf(f, 0) {
				if _, decimals, ok := strings.Cut(t.Columns[i].Format, "."); ok {
					s = strconv.FormatFloat(f, 'f', len(decimals), 64)
				}
				if lang == Danish {
					s = strings.Replace(s, ".", ",", 1)
				}
			}
			b.WriteString(clean.Replace(s))
		}
		b.WriteByte('\n')
	})
	return b.String()
}

// The headers of the CSV files (see the tables' builders for their rows).
var (
	EffectsHeader       = header(effectColumns)
	BandsHeader         = header(bandsColumns)
	AttritionHeader     = header(attritionColumns)
	SubgroupsHeader     = header(subgroupsColumns)
	SubgroupTestsHeader = header(subgroupTestsColumns)
	KMHeader            = header(kmColumns)
	RatioHeader         = header(ratioColumns)
	MultiplicityHeader  = header(multiplicityColumns)
	BalanceHeader       = header(balanceColumns)
	RejectsHeader       = header(rejectsColumns)
)

func header(cols []DataColumn) []string { return (&DataTable{Columns: cols}).Header() }

// WriteEffectsCSV writes effects.csv (EffectsTable).
func WriteEffectsCSV(path string, d *analysis.Disclosed) error {
	return WriteCSV(path, EffectsTable(d))
}

// WriteCohortCSV writes cohort_effects.csv (CohortTable).
func WriteCohortCSV(path string, d *analysis.Disclosed) error { return WriteCSV(path, CohortTable(d)) }

// WriteBandsCSV writes bands.csv (BandsTable).
func WriteBandsCSV(path string, d *analysis.Disclosed) error { return WriteCSV(path, BandsTable(d)) }

// WriteAttritionCSV writes attrition.csv (AttritionTable).
func WriteAttritionCSV(path string, d *analysis.Disclosed) error {
	return WriteCSV(path, AttritionTable(d))
}

// WriteSubgroupsCSV writes subgroups.csv (SubgroupsTable).
func WriteSubgroupsCSV(path string, d *analysis.Disclosed) error {
	return WriteCSV(path, SubgroupsTable(d))
}

// WriteSubgroupTestsCSV writes subgroup_tests.csv (SubgroupTestsTable).
func WriteSubgroupTestsCSV(path string, d *analysis.Disclosed) error {
	return WriteCSV(path, SubgroupTestsTable(d))
}

// WriteKMCSV writes km.csv (KMTable).
func WriteKMCSV(path string, d *analysis.Disclosed) error { return WriteCSV(path, KMTable(d)) }

// WriteRatioCSV writes ratio.csv (RatioTable).
func WriteRatioCSV(path string, d *analysis.Disclosed) error { return WriteCSV(path, RatioTable(d)) }

// WriteMultiplicityCSV writes multiplicity.csv (MultiplicityTable).
func WriteMultiplicityCSV(path string, d *analysis.Disclosed) error {
	return WriteCSV(path, MultiplicityTable(d))
}

// WriteBalanceCSV writes balance.csv (BalanceTable).
func WriteBalanceCSV(path string, d *analysis.Disclosed) error {
	return WriteCSV(path, BalanceTable(d))
}

// WriteRejectsCSV writes rejects.csv (RejectsTable) from the row
// accounting alone, so that validate can write it without estimating.
func WriteRejectsCSV(path string, acc *pipeline.Accounting) error {
	return WriteCSV(path, RejectsTable(acc))
}

// OutputMarker is the file that marks a folder as written by rcteval, so
// that a later run may replace it.
const OutputMarker = ".rcteval-output"

// WriteOutputSet writes a run's output set into dir as a whole: write fills
// a temporary folder beside dir, which then takes dir's place, so dir is
// always one run's complete output or untouched. An existing dir is replaced
// only when it is empty or was written by rcteval (it holds OutputMarker):
// never a folder of the user's own files.
func WriteOutputSet(dir string, write func(tmp string) error) error {
	dir = filepath.Clean(dir)
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(dir, OutputMarker)); err != nil {
			return fmt.Errorf("%s holds files rcteval did not write; expected a new or empty folder, or one an earlier run wrote", dir)
		}
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // gone after a successful swap
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := write(tmp); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, OutputMarker), []byte("written by rcteval; the folder is replaced by the next run\n"), 0o644); err != nil {
		return err
	}
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir) // put the earlier output back
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
