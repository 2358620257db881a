package reports

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteOutputSet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	write := func(files map[string]string, fail error) error {
		return WriteOutputSet(dir, func(tmp string) error {
			for name, text := range files {
				if err := WriteFileAtomic(filepath.Join(tmp, name), []byte(text)); err != nil {
					return err
				}
			}
			return fail
		})
	}
	require.NoError(t, write(map[string]string{"a.csv": "1", "figures/x.png": "2"}, nil))
	// Fails after writing one file: the folder keeps the first run's set.
	boom := errors.New("boom")
	assert.ErrorIs(t, write(map[string]string{"a.csv": "new"}, boom), boom)
	b, err := os.ReadFile(filepath.Join(dir, "a.csv"))
	require.NoError(t, err)
	assert.Equal(t, "1", string(b))
	_, err = os.Stat(filepath.Join(dir, "figures", "x.png"))
	assert.NoError(t, err)
	// No temporary folders are left beside it.
	entries, _ := os.ReadDir(filepath.Dir(dir))
	assert.Len(t, entries, 1)
	// A successful run replaces the whole set.
	require.NoError(t, write(map[string]string{"b.csv": "3"}, nil))
	_, err = os.Stat(filepath.Join(dir, "a.csv"))
	assert.True(t, os.IsNotExist(err))
	_, err = os.Stat(filepath.Join(dir, OutputMarker))
	assert.NoError(t, err)
	// A folder without the marker and with files is not ours to replace.
	mine := filepath.Join(t.TempDir(), "mine")
	require.NoError(t, os.MkdirAll(mine, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(mine, "notes.txt"), nil, 0o644))
	assert.ErrorContains(t, WriteOutputSet(mine, func(string) error { return nil }), "holds files rcteval did not write")
}
