package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersionCommand(t *testing.T) {
	out, err := run(t, "version")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 3, out)
	// A test binary has no module version; its build settings may or may
	// not hold a revision.
	assert.Equal(t, "rcteval devel", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "commit: "), lines[1])
	assert.Equal(t, "go: "+runtime.Version(), lines[2])

	version, commit = "v1.2.0", "0123abc"
	defer func() { version, commit = "", "" }()
	out, err = run(t, "version")
	require.NoError(t, err)
	assert.Equal(t, "rcteval v1.2.0\ncommit: 0123abc\ngo: "+runtime.Version()+"\n", out)
}

func TestPrintVersion(t *testing.T) {
	var b strings.Builder
	printVersion(&b, buildVersion{Version: "v0.0.0-20261123-5c6a4ba", Commit: "5c6a4ba", Modified: true, Go: "go1.26.8"})
	assert.Equal(t, "rcteval v0.0.0-20261123-5c6a4ba\ncommit: 5c6a4ba (modified)\ngo: go1.26.8\n", b.String())
	b.Reset()
	printVersion(&b, buildVersion{Version: "devel", Go: "go1.26.8"})
	assert.Contains(t, b.String(), "commit: unknown")
}

// The version set at build time with -ldflags reaches the binary and its
// results.json.
func TestVersionFromLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "rcteval")
	build := exec.Command("go", "build", "-o", bin, "-ldflags", "-X main.version=v9.8.7 -X main.commit=feedbeef", ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	out, err = exec.Command(bin, "version").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Equal(t, "rcteval v9.8.7\ncommit: feedbeef\ngo: "+runtime.Version()+"\n", string(out))

	a, w := writeTrial(t, dir, goodAssignment, goodWeeks)
	res := filepath.Join(dir, "out")
	out, err = exec.Command(bin, "effects", "--assignment", a, "--weeks", w, "--out", res, "--min-cell", "0", "--tables", "json").CombinedOutput()
	require.NoError(t, err, string(out))
	b, err := os.ReadFile(filepath.Join(res, "results.json"))
	require.NoError(t, err)
	assert.Contains(t, string(b), `"version": "v9.8.7",`)
	assert.Contains(t, string(b), `"commit": "feedbeef",`)
}
