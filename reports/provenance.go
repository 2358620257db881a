package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
)

// Provenance says where a run's outputs came from, so that a published
// number can be traced: the program, the command line and a fingerprint of
// every input. It holds no timestamp, so a rerun gives the same bytes.
type Provenance struct {
	Version   string   // rcteval's version (module version or "devel")
	Commit    string   // the VCS revision it was built from, if known
	Modified  bool     // the build had changes not committed at Commit
	GoVersion string   // the Go toolchain that built it
	Command   []string // the command line, program name first
	Seed      uint64   // the seed of every simulation (bands, RI)
	Inputs    []Fingerprint
}

// Program is rcteval's version, commit (when known) and Go toolchain in a
// line, e.g. "v1.2.0 5c6a4ba (go1.26.8)".
func (p Provenance) Program() string {
	s := p.Version
	if p.Commit != "" {
		s += " " + p.Commit
	}
	return s + " (" + p.GoVersion + ")"
}

// Fingerprint identifies an input file by its SHA-256; Role says what it
// was (assignment, weeks, hours, spec …).
type Fingerprint struct {
	Role   string
	Path   string // as given on the command line or in the spec
	SHA256 string // hex
	Bytes  int64
}

// FingerprintFile is the fingerprint of the file at path, read whole.
func FingerprintFile(role, path string) (Fingerprint, error) {
	f, err := os.Open(path)
	if err != nil {
		return Fingerprint{}, err
	}
	defer f.Close()
	return FingerprintReader(role, path, f)
}

// FingerprintReader is the fingerprint of r's bytes (an embedded file),
// named path.
func FingerprintReader(role, path string, r io.Reader) (Fingerprint, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return Fingerprint{}, err
	}
	return Fingerprint{Role: role, Path: path, SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: n}, nil
}
