package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// newLocal returns a cache in process only.
func newLocal(t *testing.T) *Cache {
	t.Helper()
	c, err := New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func TestSimultaneousMissesOfOneKeyLoadOnceAndEachScopeGetsItsOwnValue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newLocal(t)
	// Two users whose row scopes differ: their keys hold their scopes.
	scopes := map[string]int{"count products WHERE owner = 1": 10, "count products WHERE owner = 2": 20}
	loads := map[string]*atomic.Int32{}
	for k := range scopes {
		loads[k] = new(atomic.Int32)
	}
	release := make(chan struct{})
	var wg sync.WaitGroup
	got := make(chan [2]int, 16)
	for i := range 16 {
		key := "count products WHERE owner = 1"
		if i%2 == 1 {
			key = "count products WHERE owner = 2"
		}
		wg.Go(func() {
			var n int
			err := c.Fetch(ctx, key, []string{"products"}, &n, func(context.Context) error {
				loads[key].Add(1)
				<-release
				n = scopes[key]
				return nil
			})
			if err != nil {
				t.Error(err)
			}
			got <- [2]int{scopes[key], n}
		})
	}
	time.Sleep(50 * time.Millisecond) // the fetches start and miss
	close(release)
	wg.Wait()
	close(got)
	for g := range got {
		if g[0] != g[1] {
			t.Errorf("a fetch of the scope whose value is %d got %d", g[0], g[1])
		}
	}
	for k, n := range loads {
		if n.Load() != 1 {
			t.Errorf("%s: loaded %d times, want 1", k, n.Load())
		}
	}
}

func TestAWaiterStopsWaitingWhenItsContextEnds(t *testing.T) {
	t.Parallel()
	c := newLocal(t)
	started, release := make(chan struct{}), make(chan struct{})
	loaded := make(chan error)
	go func() {
		var n int
		loaded <- c.Fetch(context.Background(), "count", []string{"products"}, &n, func(context.Context) error {
			close(started)
			<-release
			n = 1
			return nil
		})
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	var n int
	err := c.Fetch(ctx, "count", []string{"products"}, &n, func(context.Context) error {
		t.Error("the waiter loaded while the first load was in progress")
		return nil
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the waiter returned %v, want its context's deadline", err)
	}
	close(release)
	if err := <-loaded; err != nil {
		t.Error(err)
	}
}

func TestAWaiterLoadsItselfWhenTheLoadItWaitedForFails(t *testing.T) {
	t.Parallel()
	c := newLocal(t)
	started, release := make(chan struct{}), make(chan struct{})
	failed := make(chan error)
	go func() {
		var n int
		failed <- c.Fetch(context.Background(), "count", []string{"products"}, &n, func(context.Context) error {
			close(started)
			<-release
			return errors.New("the first request was cancelled")
		})
	}()
	<-started
	go func() {
		time.Sleep(20 * time.Millisecond) // the waiter waits
		close(release)
	}()
	var n int
	if err := c.Fetch(context.Background(), "count", []string{"products"}, &n, func(context.Context) error { n = 7; return nil }); err != nil || n != 7 {
		t.Errorf("the waiter got %d, %v; want its own load's 7", n, err)
	}
	if err := <-failed; err == nil {
		t.Error("the failed load returned no error")
	}
}

// countingVersions counts the reads of a version store.
type countingVersions struct {
	versionStore
	gets, currents atomic.Int32
}

func (v *countingVersions) get(ctx context.Context, tables []string) ([]int64, error) {
	v.gets.Add(1)
	return v.versionStore.get(ctx, tables)
}

func (v *countingVersions) current(ctx context.Context) (versionSet, error) {
	v.currents.Add(1)
	return v.versionStore.current(ctx)
}

func TestASnapshotReadsTheVersionsOnceUntilAWrite(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"redis", "postgres", "local"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			c, _ := pair(t, kind)
			counted := &countingVersions{versionStore: c.versions}
			c.versions = counted
			ctx := c.Snapshot(context.Background())
			value := 1
			read := func(key string, tables ...string) int {
				var n int
				if err := c.Fetch(ctx, key, tables, &n, func(context.Context) error { n = value; return nil }); err != nil {
					t.Fatal(err)
				}
				return n
			}
			read("count products", "products")
			read("count tags", "tags")
			read("count products", "products")
			if g, cur := counted.gets.Load(), counted.currents.Load(); g != 0 || cur != 1 {
				t.Errorf("three lookups read the versions %d times, and %d times table by table; want once, 0", cur, g)
			}
			value = 2
			if err := c.Invalidate(ctx, "products"); err != nil {
				t.Fatal(err)
			}
			if n := read("count products", "products"); n != 2 {
				t.Errorf("after a write, the snapshot's lookup read %d, want 2", n)
			}
			if n := read("count tags", "tags"); n != 1 {
				t.Errorf("a table not written: %d, want the cached 1", n)
			}
			if cur := counted.currents.Load(); cur != 2 {
				t.Errorf("the versions were read %d times, want 2: again after the write", cur)
			}
			var n int
			if err := c.Fetch(context.Background(), "count products", []string{"products"}, &n, nil); err != nil || n != 2 {
				t.Errorf("without a snapshot: %d, %v; want the cached 2", n, err)
			}
		})
	}
}

// TestDigestKeepsItsKeys checks that the key of a value is the hash it has
// always been, so that the values other instances stored in Redis are
// found: the caller's key, then each table, at sign and version after a
// NUL.
func TestDigestKeepsItsKeys(t *testing.T) {
	t.Parallel()
	h := sha256.New()
	h.Write([]byte("count\x00SELECT 1"))
	h.Write([]byte("\x00products@3"))
	h.Write([]byte("\x00tags@-1"))
	want := hex.EncodeToString(h.Sum(nil)[:20])
	if got := digest("count\x00SELECT 1", []string{"products", "tags"}, []int64{3, -1}); got != want {
		t.Errorf("digest = %q, want %q", got, want)
	}
}

// TestHitsOfPlainValuesAreTheDecodedValueEachInASliceOfItsOwn checks that a
// hit of a slice of plain values is the value the JSON decodes to, in a
// slice the caller may change without changing the next hit's, and that
// values of other types are decoded as before.
func TestHitsOfPlainValuesAreTheDecodedValueEachInASliceOfItsOwn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newLocal(t)
	type choice struct {
		Value, Label string
		N            int
	}
	stored := []choice{{"1", "Oak <b>", 3}, {"2", "Pine\xff", -1}} // \xff: JSON writes U+FFFD
	fetch := func() []choice {
		var got []choice
		if err := c.Fetch(ctx, "choices", []string{"categories"}, &got, func(context.Context) error {
			got = slices.Clone(stored)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	fetch() // the miss
	first := fetch()
	want := []choice{{"1", "Oak <b>", 3}, {"2", "Pine\uFFFD", -1}}
	if !slices.Equal(first, want) {
		t.Fatalf("hit = %v, want %v", first, want)
	}
	first[0].Label = "changed"
	if second := fetch(); !slices.Equal(second, want) {
		t.Errorf("hit after the caller changed the first = %v, want %v", second, want)
	}
	var n int
	if err := c.Fetch(ctx, "count", []string{"products"}, &n, func(context.Context) error { n = 7; return nil }); err != nil {
		t.Fatal(err)
	}
	n = 0
	if err := c.Fetch(ctx, "count", []string{"products"}, &n, func(context.Context) error { return errors.New("loaded again") }); err != nil || n != 7 {
		t.Errorf("count hit = %d, %v; want 7", n, err)
	}
	// A slice of interfaces is decoded on every hit, into the caller's
	// destinations.
	var a, b int64
	dst := []any{&a, &b}
	if err := c.Fetch(ctx, "row", []string{"products"}, &dst, func(context.Context) error { a, b = 1, 2; return nil }); err != nil {
		t.Fatal(err)
	}
	a, b = 0, 0
	if err := c.Fetch(ctx, "row", []string{"products"}, &dst, func(context.Context) error { return errors.New("loaded again") }); err != nil || a != 1 || b != 2 {
		t.Errorf("row hit = %d, %d, %v; want 1, 2", a, b, err)
	}
}
