package entadmin

import (
	"database/sql/driver"
	"math"
	"testing"
	"time"
)

// TestCacheKeyExact checks that different arguments never share a key and
// that equal ones always do.
func TestCacheKeyExact(t *testing.T) {
	t.Parallel()
	type status string
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	args := [][]any{
		nil,
		{nil},
		{1},
		{int64(1)},
		{int32(1)},
		{uint64(1)},
		{1.0},
		{"1"},
		{[]byte("1")},
		{status("1")},
		{"a", "b"},
		{"a\x00", "b"},
		{"a", "\x00b"},
		{"ab"},
		{"1:a"},
		{1, 2},
		{12},
		{true},
		{false},
		{at},
		{at.Add(1)},
		{at.In(time.FixedZone("X", 3600))},
		{at.In(time.FixedZone("Y", 3600))},
		{0.1},
		{math.Copysign(0, -1)},
		{0.0},
		{cents{1}},
		{cents{2}},
		{(*cents)(nil)},
	}
	seen := map[string]int{}
	for i, a := range args {
		k, ok := cacheKey("sqlite3", "SELECT 1", a)
		if !ok {
			t.Fatalf("cacheKey(%#v) not ok", a)
		}
		if j, dup := seen[k]; dup {
			t.Errorf("cacheKey(%#v) == cacheKey(%#v) = %q", a, args[j], k)
		}
		seen[k] = i
		if again, _ := cacheKey("sqlite3", "SELECT 1", append([]any(nil), a...)); again != k {
			t.Errorf("cacheKey(%#v) is not stable: %q, then %q", a, k, again)
		}
	}
	for _, q := range [][2]string{{"postgres", "SELECT 1"}, {"sqlite3", "SELECT 2"}} {
		if _, dup := seen[cacheKey1(q[0], q[1])]; dup {
			t.Errorf("cacheKey(%q, %q) collides", q[0], q[1])
		}
	}
	if _, ok := cacheKey("sqlite3", "SELECT 1", []any{func() {}}); ok {
		t.Error("cacheKey of an argument JSON cannot write is ok")
	}
}

// cacheKey1 is the key of a statement with the argument 1.
func cacheKey1(d, query string) string {
	k, _ := cacheKey(d, query, []any{1})
	return k
}

// cents is an argument the driver writes by its Value, which JSON cannot
// see: its field is unexported.
type cents struct{ n int64 }

func (c cents) Value() (driver.Value, error) { return c.n, nil }
