package arrowtable

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestScratchSlow(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "seed")
	names, cols := plainColumns(30)
	if err := WriteParquet(p, names, cols, map[string]bool{"status": true}, 10); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(p)
	rec := record(t, typeCols())
	writePQ(t, p, 2, rec)
	b, _ := os.ReadFile(p)
	seeds := [][]byte{a, b}
	r := rand.New(rand.NewPCG(7, uint64(time.Now().UnixNano())))
	for it := 0; it < 20000; it++ {
		d := append([]byte(nil), seeds[r.IntN(2)]...)
		for range 1 + r.IntN(6) {
			switch r.IntN(3) {
			case 0:
				d[r.IntN(len(d))] ^= byte(1 << r.IntN(8))
			case 1:
				d[r.IntN(len(d))] = byte(r.IntN(256))
			case 2:
				i := r.IntN(len(d) - 4)
				copy(d[i:], []byte{0xff, 0xff, 0xff, 0x7f}[:1+r.IntN(4)])
			}
		}
		start := time.Now()
		openAndScan(t, "f.parquet", d)
		if el := time.Since(start); el > 300*time.Millisecond {
			name := fmt.Sprintf("/tmp/slow-%d.parquet", it)
			os.WriteFile(name, d, 0o644)
			t.Logf("%s took %v", name, el)
		}
	}
}
