package arrowtable

import (
	"fmt"
	"math/bits"
	"os"
	"sync"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// cappedAllocator refuses, by panicking, any single allocation larger than
// limit. Arrow sizes buffers from lengths written in the file before it
// reads them; in a corrupt file a length of terabytes would otherwise kill
// the process with an out-of-memory error no recover can catch, whereas
// the panic becomes a "corrupt file" error under guard.
type cappedAllocator struct {
	memory.Allocator
	limit int
}

// allocatorFor caps single buffers of f at 1 GiB plus 64 times its size:
// more than any real file needs, even with compression, and far less than
// a corrupt length usually claims.
func allocatorFor(f *os.File) memory.Allocator {
	limit := int64(1 << 30)
	if st, err := f.Stat(); err == nil {
		limit += 64 * st.Size()
	}
	return cappedAllocator{Allocator: memory.DefaultAllocator, limit: int(min(limit, 1<<50))}
}

func (a cappedAllocator) check(size int) {
	if size < 0 || size > a.limit {
		panic(fmt.Sprintf("a buffer of %d bytes is implausibly large", size))
	}
}

func (a cappedAllocator) Allocate(size int) []byte {
	a.check(size)
	return a.Allocator.Allocate(size)
}

func (a cappedAllocator) Reallocate(size int, b []byte) []byte {
	a.check(size)
	return a.Allocator.Reallocate(size, b)
}

// recyclingAllocator serves the buffers that are freed to it again, so that
// the record readers' builders, which make their buffers afresh for every
// batch (the text of a byte array column, a dictionary column's indices),
// reuse those of batches already released instead of making the collector
// clear and collect hundreds of MB per file. Buffers are kept by size
// class, a power of two, at most keptPerClass each.
//
// It serves only the record readers. The page reader frees a page's buffer
// while the page's values are still decoded from it (serializedPageReader,
// data page V1), so the pages take their memory from the plain allocator.
type recyclingAllocator struct {
	memory.Allocator
	mu   sync.Mutex
	kept [64][][]byte // by log2 of the capacity
}

const keptPerClass = 16

// poisonFreed, set by tests, fills freed buffers with a pattern, so that a
// buffer still read after it was freed gives wrong values a test sees.
var poisonFreed bool

func classOf(size int) int { return bits.Len(uint(max(size, 64) - 1)) }

func (a *recyclingAllocator) Allocate(size int) []byte {
	if size < 0 {
		return a.Allocator.Allocate(size) // which says what is wrong
	}
	c := classOf(size)
	a.mu.Lock()
	if n := len(a.kept[c]); n > 0 {
		b := a.kept[c][n-1]
		a.kept[c] = a.kept[c][:n-1]
		a.mu.Unlock()
		clear(b)
		return b[:size]
	}
	a.mu.Unlock()
	return a.Allocator.Allocate(1 << c)[:size]
}

func (a *recyclingAllocator) Reallocate(size int, b []byte) []byte {
	if size <= cap(b) {
		return b[:size]
	}
	nb := a.Allocate(size)
	copy(nb, b)
	a.Free(b)
	return nb
}

func (a *recyclingAllocator) Free(b []byte) {
	c := bits.Len(uint(cap(b))) - 1
	if cap(b) < 64 || cap(b) != 1<<c {
		return // not one of ours
	}
	b = b[:cap(b)]
	if poisonFreed {
		for i := range b {
			b[i] = 0xa5
		}
	}
	a.mu.Lock()
	if len(a.kept[c]) < keptPerClass {
		a.kept[c] = append(a.kept[c], b)
	}
	a.mu.Unlock()
}
