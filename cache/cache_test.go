package cache

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/entadmin/entadmin/internal/testdb"
)

// pair returns two caches that share their versions as two instances
// would: through Redis, through PostgreSQL, or (local) one cache twice.
func pair(t *testing.T, kind string) (*Cache, *Cache) {
	t.Helper()
	ctx := context.Background()
	open := func(opts ...Option) *Cache {
		c, err := New(ctx, opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		return c
	}
	switch kind {
	case "redis":
		rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
		t.Cleanup(func() { rdb.Close() })
		if err := rdb.Ping(ctx).Err(); err != nil {
			t.Skip("no Redis at 127.0.0.1:6379:", err)
		}
		prefix := "entadmin:test:" + uuid.NewString() + ":"
		t.Cleanup(func() {
			keys, _ := rdb.Keys(ctx, prefix+"*").Result()
			if len(keys) > 0 {
				rdb.Del(ctx, keys...)
			}
		})
		return open(WithRedis(rdb), WithPrefix(prefix)), open(WithRedis(rdb), WithPrefix(prefix))
	case "postgres":
		pools := [2]*pgxpool.Pool{}
		dsn := testdb.Postgres(t).DSN
		for i := range pools {
			p, err := pgxpool.New(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(p.Close)
			pools[i] = p
		}
		return open(WithPostgres(pools[0])), open(WithPostgres(pools[1]))
	}
	c := open()
	return c, c
}

func TestAWriteAnnouncedByOneInstanceIsNeverReadStaleByAnother(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"redis", "postgres", "local"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, b := pair(t, kind)
			value := 1
			read := func(c *Cache) int {
				var n int
				if err := c.Fetch(ctx, "count products", []string{"products"}, &n, func(context.Context) error {
					n = value
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				return n
			}
			if read(a) != 1 || read(b) != 1 {
				t.Fatal("the first reads differ from the database")
			}
			value = 2 // the database changed, the cache not yet
			if n := read(b); n != 1 {
				t.Fatalf("a read before the write was announced gave %d, want the cached 1", n)
			}
			for i := range 20 {
				value++
				if err := a.Invalidate(ctx, "products", "product_tags"); err != nil {
					t.Fatal(err)
				}
				if n := read(b); n != value {
					t.Fatalf("write %d: the other instance read %d, want %d", i, n, value)
				}
				if n := read(a); n != value {
					t.Fatalf("write %d: the writing instance read %d, want %d", i, n, value)
				}
			}
			var other int
			if err := b.Fetch(ctx, "count tags", []string{"tags"}, &other, func(context.Context) error { other = 7; return nil }); err != nil || other != 7 {
				t.Fatalf("another table's value: %d, %v", other, err)
			}
			st, err := b.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.QueryCache.Hits == 0 || st.QueryCache.Misses == 0 || len(st.TableVersions) != 2 {
				t.Errorf("stats: %+v", st)
			}
		})
	}
}

func TestTheStatsJSONHasTheReferenceFieldNames(t *testing.T) {
	t.Parallel()
	c, err := New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Invalidate(context.Background(), "products"); err != nil {
		t.Fatal(err)
	}
	st, err := c.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(st)
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	keys := func(v any) []string { return slices.Sorted(maps.Keys(v.(map[string]any))) }
	want := map[string][]string{
		"":            {"locmem", "query_cache", "table_versions", "two_tier"},
		"query_cache": {"hit_rate", "hit_rate_float", "hits", "invalidations", "misses", "row_invalidations", "sets", "table_count", "table_invalidations", "total_requests"},
		"two_tier":    {"l1_hit_rate", "l1_hit_rate_pct", "l1_hits", "l2_enabled", "l2_hit_rate", "l2_hit_rate_pct", "l2_hits", "misses", "overall_hit_rate", "overall_hit_rate_pct", "total_requests"},
		"locmem":      {"entries", "max_size", "utilization", "utilization_pct"},
		"version":     {"name", "version"},
	}
	have := map[string][]string{
		"":            keys(got),
		"query_cache": keys(got["query_cache"]),
		"two_tier":    keys(got["two_tier"]),
		"locmem":      keys(got["locmem"]),
		"version":     keys(got["table_versions"].([]any)[0]),
	}
	if d := cmp.Diff(want, have); d != "" {
		t.Errorf("JSON field names (-want +got):\n%s", d)
	}
	if hr := got["query_cache"].(map[string]any)["hit_rate"]; hr != "0.0%" {
		t.Errorf("hit_rate = %v, want the string 0.0%%", hr)
	}
}

// tally counts an observer's calls by tier and outcome.
type tally map[string]int

func (t tally) CacheHit(tier string)  { t[tier+" hit"]++ }
func (t tally) CacheMiss(tier string) { t[tier+" miss"]++ }

func TestTheObserverHearsEachTiersHitsAndMisses(t *testing.T) {
	ctx := context.Background()
	seen := tally{}
	c, err := New(ctx, WithObserver(seen))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for range 3 {
		var n int
		if err := c.Fetch(ctx, "count", []string{"products"}, &n, func(context.Context) error { n = 7; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if want := (tally{"l1 miss": 1, "l1 hit": 2}); !maps.Equal(seen, want) {
		t.Errorf("observed %v, want %v", seen, want)
	}
}

func TestAValueIsNeverReadAgainWhenRedisLosesTheVersions(t *testing.T) {
	ctx := context.Background()
	a, _ := pair(t, "redis")
	loads := 0
	fetch := func() {
		var n int
		if err := a.Fetch(ctx, "count", []string{"products"}, &n, func(context.Context) error { loads++; n = loads; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	fetch()
	fetch()
	// Redis evicts the versions, or someone flushes them.
	if err := a.l2.Del(ctx, a.prefix+"versions").Err(); err != nil {
		t.Fatal(err)
	}
	fetch()
	if loads != 2 {
		t.Errorf("the value was loaded %d times, want 2: once, then again after the versions were lost", loads)
	}
}
