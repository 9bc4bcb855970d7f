// Package cache is entadmin's two-tier cache of what the admin reads again
// and again: row counts and estimates, filter choices and facet counts.
// The first tier is in process (a size-bounded LRU with a time to live),
// the second in Redis, shared by every instance. Install one on a site with
//
//	c, err := cache.New(cache.WithRedis(rdb))
//	if err != nil {
//		return err
//	}
//	defer c.Close()
//	site.Configure(entadmin.WithCache(c), entadmin.WithPages(&cache.Pages{Cache: c}))
//
// An entry depends on the tables its statement reads. Each table has a
// version, bumped after every write to it commits (entadmin's write hook
// calls Invalidate), and an entry's key holds the versions of its tables,
// so a read that starts after a write committed never finds a value from
// before it, in this instance or another. The versions live in Redis when
// it is configured (HINCRBY, announced on a pub/sub channel), else in a
// PostgreSQL table (announced by NOTIFY), else in the process. The
// announcements only drop the first tier's stale entries early; a lookup
// reads the current versions of its tables from where they live, or under
// a context from Snapshot (entadmin takes one per request), once for all
// the lookups under it.
package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

// Defaults of New.
const (
	DefaultL1Size = 4096             // entries of the in-process tier
	DefaultL1TTL  = 30 * time.Second // time to live in process
	DefaultL2TTL  = 5 * time.Minute  // time to live in Redis
	DefaultPrefix = "entadmin:cache:"
)

// opTimeout bounds each call to Redis or PostgreSQL made for the cache.
const opTimeout = 2 * time.Second

// Cache is a two-tier cache with per-table versions. Its methods are safe
// for concurrent use.
type Cache struct {
	l1       *expirable.LRU[string, entry] // nil when disabled
	l1Size   int
	l2       redis.UniversalClient // nil without Redis
	l2TTL    time.Duration
	prefix   string
	versions versionStore
	stats    counters
	observer Observer
	// gen counts the changes of versions this instance made or heard of:
	// a snapshot read at another generation is read again.
	gen atomic.Int64
	// flights are the loads in progress, by key.
	flightMu sync.Mutex
	flights  map[string]*flight
}

// Observer is told of each lookup of a tier: "l1" (in process) or "l2"
// (Redis), hit or missed. metrics.Metrics implements it.
type Observer interface {
	CacheHit(tier string)
	CacheMiss(tier string)
}

// noObserver is the Observer of a cache given none.
type noObserver struct{}

func (noObserver) CacheHit(string)  {}
func (noObserver) CacheMiss(string) {}

// entry is a value of the in-process tier and the tables it depends on.
type entry struct {
	tables []string
	data   []byte
	// value is data decoded, for a destination of a plain type (see
	// decoded); invalid for the others, which decode data on every hit.
	value reflect.Value
}

// counters are the cache's figures since it started.
type counters struct {
	l1Hits, l2Hits, misses, sets, invalidations atomic.Int64
}

// Option configures New.
type Option func(*config)

type config struct {
	l1Size       int
	l1TTL, l2TTL time.Duration
	redis        redis.UniversalClient
	pool         *pgxpool.Pool
	prefix       string
	observer     Observer
}

// WithRedis adds the second tier in Redis and keeps the table versions
// there, announcing their changes on a pub/sub channel: for several
// instances. The cache never closes the client.
func WithRedis(c redis.UniversalClient) Option { return func(o *config) { o.redis = c } }

// WithPostgres keeps the table versions in a PostgreSQL table
// (entadmin_cache_versions, created when missing) and announces their
// changes by NOTIFY, listening on a connection taken from pool for good:
// for several instances on one database without Redis. WithRedis wins
// when both are given.
func WithPostgres(pool *pgxpool.Pool) Option { return func(o *config) { o.pool = pool } }

// WithL1 sets the size (entries) and time to live of the in-process tier;
// size 0 turns it off, which needs WithRedis.
func WithL1(size int, ttl time.Duration) Option {
	return func(o *config) { o.l1Size, o.l1TTL = size, ttl }
}

// WithL2TTL sets how long values stay in Redis.
func WithL2TTL(ttl time.Duration) Option { return func(o *config) { o.l2TTL = ttl } }

// WithPrefix sets the prefix of the cache's Redis keys and channel
// (default DefaultPrefix): sites on different databases sharing one Redis
// need different prefixes.
func WithPrefix(p string) Option { return func(o *config) { o.prefix = p } }

// WithObserver reports each tier's hits and misses to o, e.g. to the
// application's metrics.
func WithObserver(o Observer) Option { return func(c *config) { c.observer = o } }

// New returns a cache: in process only without WithRedis or WithPostgres,
// which a single process (SQLite) needs.
func New(ctx context.Context, opts ...Option) (*Cache, error) {
	cfg := config{l1Size: DefaultL1Size, l1TTL: DefaultL1TTL, l2TTL: DefaultL2TTL, prefix: DefaultPrefix, observer: noObserver{}}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.l1Size < 0 || cfg.l1Size == 0 && cfg.redis == nil {
		return nil, fmt.Errorf("cache: the in-process tier needs a positive size without Redis, got %d", cfg.l1Size)
	}
	c := &Cache{l1Size: cfg.l1Size, l2: cfg.redis, l2TTL: cfg.l2TTL, prefix: cfg.prefix, observer: cfg.observer, flights: map[string]*flight{}}
	if cfg.l1Size > 0 {
		c.l1 = expirable.NewLRU[string, entry](cfg.l1Size, nil, cfg.l1TTL)
	}
	var err error
	switch {
	case cfg.redis != nil:
		c.versions, err = newRedisVersions(ctx, cfg.redis, cfg.prefix, c.dropTables)
	case cfg.pool != nil:
		c.versions, err = newPGVersions(ctx, cfg.pool, c.dropTables)
	default:
		c.versions = newLocalVersions()
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Close stops listening for other instances' changes. It leaves the Redis
// client and the pool open.
func (c *Cache) Close() { c.versions.close() }

// Fetch fills dst, a pointer, with the value stored under key for the
// current versions of tables, or calls load, which fills dst, and stores
// dst's value (as JSON) in both tiers. When the versions cannot be read it
// calls load and stores nothing. Values must not depend on who asks beyond
// what key says: callers put the user's row scope in the key.
//
// Simultaneous misses of one key and versions in this instance call load
// once: the others wait for its value, each until its own ctx ends, and
// call load themselves when it fails. Under a context from Snapshot, the
// versions are those of the snapshot.
func (c *Cache) Fetch(ctx context.Context, key string, tables []string, dst any, load func(context.Context) error) error {
	vers, err := c.tableVersions(ctx, tables)
	if err != nil {
		slog.Warn("cache: read table versions; reading the database", "err", err)
		c.stats.misses.Add(1)
		return load(ctx)
	}
	k := digest(key, tables, vers)
	if c.l1 != nil {
		if e, ok := c.l1.Get(k); ok && e.fill(dst) == nil {
			c.stats.l1Hits.Add(1)
			c.observer.CacheHit("l1")
			return nil
		}
		c.observer.CacheMiss("l1")
	}
	if c.l2 != nil {
		gctx, cancel := context.WithTimeout(ctx, opTimeout)
		data, err := c.l2.Get(gctx, c.prefix+"v:"+k).Bytes()
		cancel()
		if err == nil && json.Unmarshal(data, dst) == nil {
			c.stats.l2Hits.Add(1)
			c.observer.CacheHit("l2")
			c.putL1(k, tables, data, dst)
			return nil
		}
		c.observer.CacheMiss("l2")
	}
	c.stats.misses.Add(1)
	data, err := c.loadOnce(ctx, k, dst, load)
	if err != nil || data == nil {
		return err // data is nil when the value is loaded but not kept
	}
	c.stats.sets.Add(1)
	c.putL1(k, tables, data, dst)
	if c.l2 != nil {
		sctx, cancel := context.WithTimeout(ctx, opTimeout)
		defer cancel()
		if err := c.l2.Set(sctx, c.prefix+"v:"+k, data, c.l2TTL).Err(); err != nil {
			slog.Warn("cache: store in Redis", "err", err)
		}
	}
	return nil
}

// putL1 stores a value in the in-process tier, if there is one, decoded
// too when dst's type is plain.
func (c *Cache) putL1(k string, tables []string, data []byte, dst any) {
	if c.l1 != nil {
		c.l1.Add(k, entry{tables: tables, data: data, value: decoded(data, dst)})
	}
}

// fill sets dst to the entry's value: a copy of the value decoded once, or
// data decoded.
func (e entry) fill(dst any) error {
	d := reflect.ValueOf(dst)
	if !e.value.IsValid() || d.Kind() != reflect.Pointer || d.IsNil() || d.Type().Elem() != e.value.Type() {
		return json.Unmarshal(e.data, dst)
	}
	v := e.value
	if v.Kind() == reflect.Slice && !v.IsNil() {
		// A slice of its own, so that the caller may change it.
		v = reflect.AppendSlice(reflect.MakeSlice(v.Type(), 0, v.Len()), v)
	}
	d.Elem().Set(v)
	return nil
}

// decoded returns data decoded into a new value of dst's type when that
// type is plain, to be copied into the destinations of later hits instead
// of decoding data again; an invalid value otherwise.
func decoded(data []byte, dst any) reflect.Value {
	t := reflect.TypeOf(dst)
	if t == nil || t.Kind() != reflect.Pointer || !plain(t.Elem(), true) {
		return reflect.Value{}
	}
	v := reflect.New(t.Elem())
	if json.Unmarshal(data, v.Interface()) != nil {
		return reflect.Value{}
	}
	return v.Elem()
}

// plain reports whether a value of type t can be shared by copying it (its
// slice, at the top): booleans, numbers and strings, and at the top a slice
// of them or of structs of them. Pointers, maps, interfaces and nested
// slices would share what the callers may change; a struct at the top
// could hold what JSON leaves as it was.
func plain(t reflect.Type, top bool) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64, reflect.String:
		return true
	case reflect.Slice:
		return top && plain(t.Elem(), false)
	case reflect.Struct:
		if top {
			return false
		}
		for i := range t.NumField() {
			if !plain(t.Field(i).Type, false) {
				return false
			}
		}
		return true
	}
	return false
}

// Invalidate bumps the versions of tables, after a write to them
// committed, and announces it to the other instances.
func (c *Cache) Invalidate(ctx context.Context, tables ...string) error {
	if len(tables) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	c.dropTables(tables)
	err := c.versions.bump(ctx, tables)
	c.gen.Add(1) // snapshots read during the bump are read again
	if err != nil {
		return fmt.Errorf("cache: bump the versions of %s: %w", strings.Join(tables, ", "), err)
	}
	return nil
}

// dropTables removes the in-process entries that depend on any of tables
// (every entry when tables is nil), counts the invalidations and makes
// snapshots read the versions again.
func (c *Cache) dropTables(tables []string) {
	c.gen.Add(1)
	c.stats.invalidations.Add(int64(len(tables)))
	if c.l1 == nil {
		return
	}
	if tables == nil {
		c.l1.Purge()
		return
	}
	for _, k := range c.l1.Keys() {
		if e, ok := c.l1.Peek(k); ok && slices.ContainsFunc(e.tables, func(t string) bool { return slices.Contains(tables, t) }) {
			c.l1.Remove(k)
		}
	}
}

// digest is the key of a value: a hash of the caller's key and the
// versions of its tables.
func digest(key string, tables []string, versions []int64) string {
	buf := digestBuffers.Get().(*[]byte)
	b := append((*buf)[:0], key...)
	for i, t := range tables {
		b = append(b, 0)
		b = append(b, t...)
		b = append(b, '@')
		b = strconv.AppendInt(b, versions[i], 10)
	}
	sum := sha256.Sum256(b)
	if cap(b) <= maxPooledDigest {
		*buf = b[:0]
		digestBuffers.Put(buf)
	}
	var out [40]byte
	hex.Encode(out[:], sum[:20])
	return string(out[:])
}

// digestBuffers holds the buffers that digest hashes its input from.
var digestBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledDigest is the largest buffer of digest kept for another key.
const maxPooledDigest = 64 << 10
