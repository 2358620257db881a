package csvtable

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		dialect Dialect
		cols    []string
		rows    [][]string
		lines   []int
	}{
		{
			name:    "comma",
			in:      "a,b,c\n1,2,3\n4,5,6\n",
			dialect: Dialect{Sep: ','},
			cols:    []string{"a", "b", "c"},
			rows:    [][]string{{"1", "2", "3"}, {"4", "5", "6"}},
			lines:   []int{2, 3},
		},
		{
			name:    "semicolon with decimal comma",
			in:      "person_id;hours\nP1;7,5\nP2;8\n",
			dialect: Dialect{Sep: ';', DecimalComma: true},
			cols:    []string{"person_id", "hours"},
			rows:    [][]string{{"P1", "7,5"}, {"P2", "8"}},
		},
		{
			name:    "semicolon with decimal point",
			in:      "person_id;hours\nP1;7.5\nP2;8\n",
			dialect: Dialect{Sep: ';'},
			cols:    []string{"person_id", "hours"},
			rows:    [][]string{{"P1", "7.5"}, {"P2", "8"}},
		},
		{
			name:    "semicolon with both marks is not decimal comma",
			in:      "a;b;c\n-1,5;2.5;x\n",
			dialect: Dialect{Sep: ';'},
			cols:    []string{"a", "b", "c"},
			rows:    [][]string{{"-1,5", "2.5", "x"}},
		},
		{
			name:    "quoted decimal comma does not count",
			in:      "a;b\n\"7,5\";x\n",
			dialect: Dialect{Sep: ';'},
			cols:    []string{"a", "b"},
			rows:    [][]string{{"7,5", "x"}},
		},
		{
			name:    "tab",
			in:      "a\tb\n1,5\t2\n",
			dialect: Dialect{Sep: '\t', DecimalComma: true},
			cols:    []string{"a", "b"},
			rows:    [][]string{{"1,5", "2"}},
		},
		{
			name:    "quotes containing separators",
			in:      "navn,by\n\"Hansen, Peter\",\"Aarhus; C\"\n\"Berg, \"\"Bo\"\"\",\"x\ny\"\nz,w\n",
			dialect: Dialect{Sep: ','},
			cols:    []string{"navn", "by"},
			rows:    [][]string{{"Hansen, Peter", "Aarhus; C"}, {`Berg, "Bo"`, "x\ny"}, {"z", "w"}},
			lines:   []int{2, 3, 5},
		},
		{
			name:    "quoted semicolons in a semicolon file",
			in:      "a;b\n\"x;y\";2\n",
			dialect: Dialect{Sep: ';'},
			cols:    []string{"a", "b"},
			rows:    [][]string{{"x;y", "2"}},
		},
		{
			name:    "Latin-1",
			in:      "navn;by\n\xe6\xf8\xe5;\xc6\xd8\xc5 \xe9\xf6\xfc \x80\n",
			dialect: Dialect{Sep: ';', Encoding: Windows1252},
			cols:    []string{"navn", "by"},
			rows:    [][]string{{"æøå", "ÆØÅ éöü €"}},
		},
		{
			name:    "Latin-1 header",
			in:      "l\xf8n,\xe5r\n1,2\n",
			dialect: Dialect{Sep: ',', Encoding: Windows1252},
			cols:    []string{"løn", "år"},
			rows:    [][]string{{"1", "2"}},
		},
		{
			name:    "UTF-8 with BOM",
			in:      "\xef\xbb\xbfl\u00f8n,b\n\u00e6,2\n",
			dialect: Dialect{Sep: ','},
			cols:    []string{"løn", "b"},
			rows:    [][]string{{"æ", "2"}},
		},
		{
			name:    "CRLF",
			in:      "a;b\r\n1,5;2\r\n\r\n3;\"x\r\ny\"\r\n",
			dialect: Dialect{Sep: ';', DecimalComma: true},
			cols:    []string{"a", "b"},
			rows:    [][]string{{"1,5", "2"}, {"3", "x\ny"}},
			lines:   []int{2, 4},
		},
		{
			name:    "final line without newline",
			in:      "a,b\n1,2\n3,4",
			dialect: Dialect{Sep: ','},
			cols:    []string{"a", "b"},
			rows:    [][]string{{"1", "2"}, {"3", "4"}},
		},
		{
			name:    "final quoted field without newline",
			in:      "a,b\n1,\"2\"",
			dialect: Dialect{Sep: ','},
			cols:    []string{"a", "b"},
			rows:    [][]string{{"1", "2"}},
		},
		{
			name:    "single column",
			in:      "navn\nx\n\ny\n",
			dialect: Dialect{Sep: ','},
			cols:    []string{"navn"},
			rows:    [][]string{{"x"}, {"y"}},
			lines:   []int{2, 4},
		},
		{
			name:    "names trimmed, values not",
			in:      " a ; b \n 1 ; 2 \n",
			dialect: Dialect{Sep: ';'},
			cols:    []string{"a", "b"},
			rows:    [][]string{{" 1 ", " 2 "}},
		},
		{
			name:    "more fields wins",
			in:      "a,b;c,d\n1,2;3,4\n",
			dialect: Dialect{Sep: ','},
			cols:    []string{"a", "b;c", "d"},
			rows:    [][]string{{"1", "2;3", "4"}},
		},
		{
			name:    "a ragged line does not hide the only separator of the header",
			in:      "a;b;c\n1;2;3\n1;2\n",
			dialect: Dialect{Sep: ';'},
			cols:    []string{"a", "b", "c"},
			rows:    [][]string{{"1", "2", "3"}},
		},
		{
			name:    "header only",
			in:      "a,b\n",
			dialect: Dialect{Sep: ','},
			cols:    []string{"a", "b"},
		},
		{
			name:    "header only without newline",
			in:      "a;b",
			dialect: Dialect{Sep: ';'},
			cols:    []string{"a", "b"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, rows, err := readString(t, "x.csv", tt.in, Options{})
			require.NoError(t, err)
			assert.Equal(t, tt.dialect, f.Dialect())
			assert.Equal(t, tt.cols, f.Columns())
			assert.Equal(t, tt.rows, fieldsOf(rows))
			if tt.lines != nil {
				var lines []int
				for _, r := range rows {
					lines = append(lines, r.Line)
				}
				assert.Equal(t, tt.lines, lines)
			}
		})
	}
}

func TestDetectAmbiguousSeparator(t *testing.T) {
	_, err := New("x.csv", strings.NewReader("a;b,c\n1;2,3\n"), Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ambiguous")
	assert.Contains(t, err.Error(), `separator: ","`)
	assert.Contains(t, err.Error(), `separator: ";"`)

	f, err := New("x.csv", strings.NewReader("a;b,c\n1;2,3\n"), Options{Sep: ';'})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b,c"}, f.Columns())
	assert.True(t, f.Dialect().DecimalComma, "2,3 looks like a decimal comma")
}

func TestDetectNoConsistentSeparator(t *testing.T) {
	_, err := New("x.csv", strings.NewReader("a;b,c,d\n1;2,3\n1\n"), Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot tell the separator")
}

func TestOptionsOverrideDetection(t *testing.T) {
	in := "a;b\n\xe6;7,5\n"
	f, rows, err := readString(t, "x.csv", in, Options{Sep: ';', DecimalComma: ptr(false), Encoding: ptr(Windows1252)})
	require.NoError(t, err)
	assert.Equal(t, Dialect{Sep: ';', Encoding: Windows1252}, f.Dialect())
	assert.Equal(t, [][]string{{"æ", "7,5"}}, fieldsOf(rows))

	_, err = New("x.csv", strings.NewReader(in), Options{Sep: '"'})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot be used")
}

func TestSampleEndingInsideAUTF8Character(t *testing.T) {
	// The sample ends in the middle of "ø"; the file is still UTF-8.
	line := "a,b\n"
	body := strings.Repeat("x", sampleSize-len(line)-1) + ",\u00f8\n"
	f, rows, err := readString(t, "x.csv", line+body, Options{})
	require.NoError(t, err)
	assert.Equal(t, UTF8, f.Dialect().Encoding)
	require.Len(t, rows, 1)
	assert.Equal(t, "ø", rows[0].Fields[1])
}

func TestDescribe(t *testing.T) {
	f, err := New("x.csv.gz", strings.NewReader(string(gz(t, []byte("a;b\n1,5;\xe6\n")))), Options{})
	require.NoError(t, err)
	assert.Equal(t, "CSV, ';'-separated, decimal comma, Windows-1252, gzip", f.Describe())
	assert.Equal(t, "line", f.Positions())
	assert.Equal(t, "x.csv.gz", f.Name())
	assert.Equal(t, "tab-separated, decimal point, UTF-8", Dialect{Sep: '\t'}.String())
	require.NoError(t, f.Close())
}

func TestWindows1252MatchesCharmap(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	want, err := charmap.Windows1252.NewDecoder().Bytes(all)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(decode1252(nil, all)))
}
