package arrowtable

import (
	"fmt"
	"os"

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
