package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version and commit override what the build records, for a release built
// outside its repository:
//
//	go build -ldflags "-X main.version=v1.2.0 -X main.commit=$(git rev-parse HEAD)" ./cmd/rcteval
var version, commit string

// buildVersion is what rcteval says it is, in `rcteval version` and in
// every results.json.
type buildVersion struct {
	Version  string // the module version, "devel" for a build from a work tree without one
	Commit   string // vcs.revision, empty when the build did not record it
	Modified bool   // vcs.modified: built with uncommitted changes
	Go       string
}

// currentVersion reads the version from the build: the main module's
// version (go install …@v1.2.0, or the pseudo-version go build stamps from
// the repository), the VCS revision and whether the tree was modified,
// then the -X overrides.
func currentVersion() buildVersion {
	v := buildVersion{Version: "devel", Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Commit = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	if version != "" {
		v.Version = version
	}
	if commit != "" {
		v.Commit, v.Modified = commit, false
	}
	return v
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print rcteval's version, the commit it was built from and the Go version",
		Long: `version prints the version rcteval was built as (a module version, or "devel"),
the commit it was built from ("(modified)" when the tree had uncommitted changes)
and the Go toolchain. Every results.json records the same.`,
		Example: `  rcteval version`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			printVersion(cmd.OutOrStdout(), currentVersion())
			return nil
		},
	}
}

func printVersion(w io.Writer, v buildVersion) {
	fmt.Fprintf(w, "rcteval %s\n", v.Version)
	switch {
	case v.Commit == "":
		fmt.Fprintln(w, "commit: unknown (built without version control information)")
	case v.Modified:
		fmt.Fprintf(w, "commit: %s (modified)\n", v.Commit)
	default:
		fmt.Fprintf(w, "commit: %s\n", v.Commit)
	}
	fmt.Fprintf(w, "go: %s\n", v.Go)
}
