package arrowtable

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"rcteval/pipeline/ingest/table"
)

// format is a columnar file format.
type format int

const (
	unknown format = iota
	formatParquet
	formatArrow // IPC file or stream; the first bytes tell which
)

// formatOf is the format a file name's extension says.
func formatOf(path string) format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".parquet", ".parq":
		return formatParquet
	case ".arrow", ".feather", ".ipc", ".arrows":
		return formatArrow
	}
	return unknown
}

// IsColumnar reports whether path's extension is one of a columnar format
// this package reads (.parquet, .parq, .arrow, .feather, .ipc, .arrows);
// callers use it to choose between this package and CSV.
func IsColumnar(path string) bool { return formatOf(path) != unknown }

// Open opens a Parquet file or an Arrow IPC file or stream, by its
// extension (see IsColumnar), or, for any other name, by its first bytes.
func Open(path string) (table.Table, error) {
	switch formatOf(path) {
	case formatParquet:
		return OpenParquet(path)
	case formatArrow:
		return OpenArrow(path)
	}
	head, err := readHead(path)
	if err != nil {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, magicParquet):
		return OpenParquet(path)
	case bytes.HasPrefix(head, magicArrow), bytes.HasPrefix(head, magicStream):
		return OpenArrow(path)
	}
	return nil, errorf(0, "neither a Parquet nor an Arrow IPC file: %s", lookslike(head))
}

// readHead returns up to the first 8 bytes of a file.
func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 8)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:n], nil
}
