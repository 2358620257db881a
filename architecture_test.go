package rcteval

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Data flows one way: pipeline → stats → reports, cmd on top. stats imports
// neither pipeline nor reports; pipeline imports none of the others, except
// its analysis stage, which calls stats; reports take the analysis stage's
// disclosed results and never compute (no stats); the chart page sees
// nothing but the published results (no pipeline at all); nothing imports
// cmd.
// Inside pipeline, the file formats (behind ingest/table), the text parsers
// and the spec are leaves: they know nothing of persons and weeks, so a new
// format cannot reach alignment or outcomes.
func TestImportDirection(t *testing.T) {
	forbidden := map[string][]string{
		"stats":                      {"rcteval/pipeline", "rcteval/reports", "rcteval/cmd"},
		"pipeline":                   {"rcteval/stats", "rcteval/reports", "rcteval/cmd", "rcteval/pipeline/analysis"},
		"pipeline/analysis":          {"rcteval/reports", "rcteval/cmd"},
		"reports":                    {"rcteval/cmd", "rcteval/stats"},
		"reports/serve":              {"rcteval/cmd", "rcteval/stats", "rcteval/pipeline"}, // published results only
		"pipeline/ingest/table":      {"rcteval/"},
		"pipeline/ingest/parse":      {"rcteval/"},
		"pipeline/spec":              {"rcteval/"},
		"pipeline/ingest/csvtable":   {"rcteval/pipeline/ingest/parse", "rcteval/pipeline/spec", "rcteval/pipeline\"", "rcteval/stats"},
		"pipeline/ingest/arrowtable": {"rcteval/pipeline/ingest/parse", "rcteval/pipeline/spec", "rcteval/pipeline\"", "rcteval/stats"},
	}
	// A rule covers a folder and those below it that have no rule of their own.
	for dir, bad := range forbidden {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() && path != dir && forbidden[path] != nil {
				return filepath.SkipDir
			}
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
			require.NoError(t, err)
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				for _, b := range bad {
					assert.False(t, matches(p, b), "%s imports %s", path, p)
				}
			}
			return nil
		})
		require.NoError(t, err)
	}
}

// matches reports whether import path p is b or below it; b ending in "/"
// matches every path with that prefix, and b ending in a quote only b itself.
func matches(p, b string) bool {
	switch {
	case strings.HasSuffix(b, `"`):
		return p == strings.TrimSuffix(b, `"`)
	case strings.HasSuffix(b, "/"):
		return strings.HasPrefix(p, b)
	}
	return p == b || strings.HasPrefix(p, b+"/")
}

// Reports never see person-level data: no reports file names the panel,
// the assignment, a covariate column or an outcome's per-person values; it
// receives analysis.Disclosed.
func TestReportsSeeNoMicrodata(t *testing.T) {
	microdata := []string{"Store", "Dataset", "Assignment", "Covariate", "Outcome", "Builder"}
	files, err := filepath.Glob("reports/*.go")
	require.NoError(t, err)
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "pipeline" {
					assert.NotContains(t, microdata, sel.Sel.Name, "%s uses pipeline.%s", path, sel.Sel.Name)
				}
			}
			return true
		})
	}
}
