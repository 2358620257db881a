package spec

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocsExamples keeps docs/spec.md honest: every YAML example parses, and
// the example with mistakes gives exactly the errors printed after it.
func TestDocsExamples(t *testing.T) {
	data, err := os.ReadFile("../../docs/spec.md")
	require.NoError(t, err)
	type block struct{ lang, body string }
	var blocks []block
	parts := strings.Split(string(data), "```")
	for i := 1; i+1 < len(parts); i += 2 {
		lang, body, _ := strings.Cut(parts[i], "\n")
		blocks = append(blocks, block{lang, body})
	}
	yamls := 0
	for i, b := range blocks {
		if b.lang != "yaml" {
			continue
		}
		yamls++
		_, err := Parse("jobfirst.yaml", []byte(b.body))
		if strings.HasPrefix(b.body, "# A spec with mistakes") {
			require.Less(t, i+1, len(blocks))
			assert.EqualError(t, err, strings.TrimSpace(blocks[i+1].body))
			continue
		}
		assert.NoError(t, err, b.body)
	}
	assert.GreaterOrEqual(t, yamls, 5)
}
