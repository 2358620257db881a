package pipeline

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The id index against a map: ids of every length (the empty one too),
// added with repeats, in several rounds of growth, looked up as strings and
// as bytes, with ids never added.
func TestIDIndexAgainstMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, grow := range []int{0, 10, 5000} {
		var x idIndex
		if grow > 0 {
			x.grow(grow, 6)
		}
		want := map[string]int{}
		for range 20000 {
			id := fmt.Sprint(rng.IntN(9000))
			if rng.IntN(50) == 0 {
				id = ""
			}
			pos, added := x.add([]byte(id))
			if first, seen := want[id]; seen {
				if added || pos != first {
					t.Fatalf("grow %d: add(%q) again = %d, %v; want %d, false", grow, id, pos, added, first)
				}
				continue
			}
			if !added || pos != len(want) {
				t.Fatalf("grow %d: add(%q) = %d, %v; want %d, true", grow, id, pos, added, len(want))
			}
			want[id] = pos
		}
		if x.len() != len(want) {
			t.Fatalf("grow %d: %d ids, want %d", grow, x.len(), len(want))
		}
		for id, pos := range want {
			if got, ok := x.lookup(id); !ok || got != pos {
				t.Fatalf("grow %d: lookup(%q) = %d, %v; want %d", grow, id, got, ok, pos)
			}
			if got, ok := x.lookupBytes([]byte(id)); !ok || got != pos {
				t.Fatalf("grow %d: lookupBytes(%q) = %d, %v; want %d", grow, id, got, ok, pos)
			}
			if string(x.id(pos)) != id {
				t.Fatalf("grow %d: id(%d) = %q, want %q", grow, pos, x.id(pos), id)
			}
		}
		for _, id := range []string{"x", "12345", "0000", "-1"} {
			if _, ok := x.lookup(id); ok {
				t.Fatalf("grow %d: lookup(%q) found an id never added", grow, id)
			}
		}
	}
	var empty idIndex
	if _, ok := empty.lookupBytes([]byte("1")); ok {
		t.Fatal("an empty index found an id")
	}
}
