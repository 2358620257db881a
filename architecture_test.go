package rcteval

import (
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
// neither pipeline nor reports, pipeline none of the others, nothing imports
// cmd. Inside pipeline, the file formats (behind ingest/table), the text
// parsers and the spec are leaves: they know nothing of persons and weeks,
// so a new format cannot reach alignment or outcomes.
func TestImportDirection(t *testing.T) {
	forbidden := map[string][]string{
		"stats":                      {"rcteval/pipeline", "rcteval/reports", "rcteval/cmd"},
		"pipeline":                   {"rcteval/stats", "rcteval/reports", "rcteval/cmd"},
		"reports":                    {"rcteval/cmd"},
		"pipeline/ingest/table":      {"rcteval/"},
		"pipeline/ingest/parse":      {"rcteval/"},
		"pipeline/spec":              {"rcteval/"},
		"pipeline/ingest/csvtable":   {"rcteval/pipeline/ingest/parse", "rcteval/pipeline/spec", "rcteval/pipeline\"", "rcteval/stats"},
		"pipeline/ingest/arrowtable": {"rcteval/pipeline/ingest/parse", "rcteval/pipeline/spec", "rcteval/pipeline\"", "rcteval/stats"},
	}
	for dir, bad := range forbidden {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
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
