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
// neither pipeline nor reports, pipeline none of the others, nothing imports cmd.
func TestImportDirection(t *testing.T) {
	forbidden := map[string][]string{
		"stats":    {"rcteval/pipeline", "rcteval/reports", "rcteval/cmd"},
		"pipeline": {"rcteval/stats", "rcteval/reports", "rcteval/cmd"},
		"reports":  {"rcteval/cmd"},
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
					assert.False(t, p == b || strings.HasPrefix(p, b+"/"), "%s imports %s", path, p)
				}
			}
			return nil
		})
		require.NoError(t, err)
	}
}
