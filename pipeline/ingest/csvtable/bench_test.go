package csvtable

import (
	"bufio"
	"bytes"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"rcteval/pipeline/ingest/table"
)

// longExtract is a generated long weekly extract of about 50 MB, made once.
var longExtract = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	b.Grow(52 << 20)
	b.WriteString("person_id,week,hours,status\n")
	status := []string{"praktik", "ledig", "job", "uddannelse"}
	for i := 0; b.Len() < 50_000_000; i++ {
		fmt.Fprintf(&b, "P%06d,%d-W%02d,%d.%d,%s\n", i/52, 2016+i%3, i%52+1, i%38, i%10, status[i%4])
	}
	return b.Bytes()
})

// BenchmarkScan reads the four columns of the long extract with two
// workers, touching every field.
func BenchmarkScan(b *testing.B) {
	data := longExtract()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		f, err := New("long.csv", bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		var total atomic.Int64
		err = f.Scan([]int{0, 1, 2, 3}, 2, func(bt table.Batch) error {
			n := 0
			for j := range 4 {
				col := bt.Col(j)
				for i := range bt.Len() {
					n += len(col.Bytes(i))
				}
			}
			total.Add(int64(n))
			return nil
		})
		if err != nil || total.Load() == 0 {
			b.Fatal(err, total.Load())
		}
	}
}

// BenchmarkLineCount is the yardstick: bufio.Scanner counting the lines
// of the same bytes.
func BenchmarkLineCount(b *testing.B) {
	data := longExtract()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		s := bufio.NewScanner(bytes.NewReader(data))
		n := 0
		for s.Scan() {
			n++
		}
		if s.Err() != nil || n == 0 {
			b.Fatal(s.Err())
		}
	}
}

// BenchmarkSplit splits the long extract, cut into chunks of about a block
// as Scan cuts it, on one goroutine, touching every field: the work of one
// worker without the reader.
func BenchmarkSplit(b *testing.B) {
	data := longExtract()
	data = data[bytes.IndexByte(data, '\n')+1:]
	var chunks [][]byte
	for rest := data; len(rest) > 0; {
		n := min(len(rest), blockSize)
		if i := bytes.LastIndexByte(rest[:n], '\n'); i >= 0 && n < len(rest) {
			n = i + 1
		}
		chunks, rest = append(chunks, rest[:n]), rest[n:]
	}
	p := newPlan(',', 4, []int{0, 1, 2, 3})
	var bt batch
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		n := 0
		for _, c := range chunks {
			bt.reset(p, 0, 2, c)
			bt.split()
			bt.publish()
			for j := range 4 {
				col := bt.Col(j)
				for i := range bt.Len() {
					n += len(col.Bytes(i))
				}
			}
		}
		if n == 0 {
			b.Fatal("no fields")
		}
	}
}
