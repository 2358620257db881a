package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"rcteval/pipeline/analysis"
)

// PublishedFile is the name of the published results in a report's
// folder: what rcteval serve and rcteval chart --results draw from.
const PublishedFile = "published.json"

// publishedFormat is the version of PublishedFile's layout.
const publishedFormat = 1

// Published is a run's disclosed results with what presenting them needs
// in every language: the trial's name, the kind of report, the spec's
// labels and the run's provenance. It holds nothing that disclosure
// control has not passed, so it can be served to anyone the report could
// be given to.
type Published struct {
	Trial      string
	Kind       string
	WarnAtRisk float64
	Titles     map[Lang]map[string]string // language → outcome → title
	Labels     map[Lang]Labels
	Provenance Provenance
	Results    *analysis.Disclosed
}

type publishedWire struct {
	Format     int                        `json:"format"`
	Trial      string                     `json:"trial"`
	Kind       string                     `json:"kind"`
	WarnAtRisk float64                    `json:"warn_at_risk"`
	Titles     map[Lang]map[string]string `json:"titles"`
	Labels     map[Lang]Labels            `json:"labels"`
	Provenance Provenance                 `json:"provenance"`
	Results    json.RawMessage            `json:"results"`
}

// WritePublished writes p to path (PublishedFile in a report's folder).
func WritePublished(path string, p *Published) error {
	res, err := json.Marshal(p.Results)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(publishedWire{Format: publishedFormat, Trial: p.Trial, Kind: p.Kind, WarnAtRisk: p.WarnAtRisk,
		Titles: p.Titles, Labels: p.Labels, Provenance: p.Provenance, Results: res}, "", " ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, append(b, '\n'))
}

// OpenPublished reads the published results in a report's folder dir (or
// dir itself when it names the published file).
func OpenPublished(dir string) (*Published, error) {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		if filepath.Base(dir) != PublishedFile {
			return nil, fmt.Errorf("%s is a file; give the folder rcteval report wrote (the one holding %s)", dir, PublishedFile)
		}
		return ReadPublished(dir)
	}
	p, err := ReadPublished(filepath.Join(dir, PublishedFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s holds no published results (%s): give a folder written by rcteval report --out", dir, PublishedFile)
	}
	return p, err
}

// ReadPublished reads what WritePublished wrote.
func ReadPublished(path string) (*Published, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var w publishedWire
	if err := json.Unmarshal(b, &w); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return nil, fmt.Errorf("%s: not rcteval's published results: expected an object with format and results", path)
		}
		return nil, fmt.Errorf("%s: not rcteval's published results: %w", path, err)
	}
	if w.Format != publishedFormat || w.Results == nil {
		return nil, fmt.Errorf("%s: not rcteval's published results of format %d (rcteval report writes them)", path, publishedFormat)
	}
	d, err := analysis.UnmarshalDisclosed(w.Results)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Published{Trial: w.Trial, Kind: w.Kind, WarnAtRisk: w.WarnAtRisk, Titles: w.Titles, Labels: w.Labels,
		Provenance: w.Provenance, Results: d}, nil
}

// ChartOptions are the options of a chart of p in lang; the caller sets
// what to draw.
func (p *Published) ChartOptions(lang Lang) ChartOptions {
	return ChartOptions{Lang: lang, Results: p.Results, Titles: p.Titles[lang], Labels: p.Labels[lang], WarnAtRisk: p.WarnAtRisk}
}
