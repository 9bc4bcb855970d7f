package cache

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

// versionStore keeps the version of every table written since it started.
type versionStore interface {
	// get returns the current versions of tables (0 for a table never
	// written).
	get(ctx context.Context, tables []string) ([]int64, error)
	// bump adds one to the versions of tables and announces it.
	bump(ctx context.Context, tables []string) error
	// all returns every table's version.
	all(ctx context.Context) (map[string]int64, error)
	// current returns the versions get would return of every table, in
	// one read.
	current(ctx context.Context) (versionSet, error)
	close()
}

// versionSet is the versions of every table: written holds the counters
// of the tables written, and epoch is mixed into every version (see
// redisVersions), 0 where there is none.
type versionSet struct {
	written map[string]int64
	epoch   int64
}

// of returns the version of table t.
func (v versionSet) of(t string) int64 { return v.written[t] ^ v.epoch }

// localVersions keeps the versions in the process: for one process.
type localVersions struct {
	mu sync.Mutex
	v  map[string]int64
}

func newLocalVersions() *localVersions { return &localVersions{v: map[string]int64{}} }

func (l *localVersions) get(_ context.Context, tables []string) ([]int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]int64, len(tables))
	for i, t := range tables {
		out[i] = l.v[t]
	}
	return out, nil
}

func (l *localVersions) bump(_ context.Context, tables []string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, t := range tables {
		l.v[t]++
	}
	return nil
}

func (l *localVersions) all(context.Context) (map[string]int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]int64, len(l.v))
	for t, n := range l.v {
		out[t] = n
	}
	return out, nil
}

func (l *localVersions) current(ctx context.Context) (versionSet, error) {
	all, err := l.all(ctx)
	return versionSet{written: all}, err
}

func (l *localVersions) close() {}

// announcement is what an instance tells the others after a bump: its id
// and the tables, "id|t1,t2".
func announcement(id string, tables []string) string { return id + "|" + strings.Join(tables, ",") }

// heard calls drop with the tables of an announcement from another
// instance.
func heard(id, msg string, drop func([]string)) {
	from, tables, ok := strings.Cut(msg, "|")
	if ok && from != id && tables != "" {
		drop(strings.Split(tables, ","))
	}
}

// redisVersions keeps the versions in a Redis hash and announces bumps on
// a pub/sub channel.
type redisVersions struct {
	rdb     redis.UniversalClient
	hash    string
	channel string
	id      string
	sub     *redis.PubSub
	done    chan struct{}
}

func newRedisVersions(ctx context.Context, rdb redis.UniversalClient, prefix string, drop func([]string)) (*redisVersions, error) {
	r := &redisVersions{rdb: rdb, hash: prefix + "versions", channel: prefix + "invalidate", id: uuid.NewString(), done: make(chan struct{})}
	r.sub = rdb.Subscribe(ctx, r.channel)
	if _, err := r.sub.Receive(ctx); err != nil { // the subscription is confirmed
		r.sub.Close()
		return nil, fmt.Errorf("cache: subscribe to %s: %w", r.channel, err)
	}
	go func() {
		defer close(r.done)
		for m := range r.sub.Channel() {
			heard(r.id, m.Payload, drop)
		}
	}()
	return r, nil
}

// epochField is the field of the versions hash that holds its epoch: a
// random number set when the hash is made, mixed into every version read,
// so that when Redis loses the hash (evicted, flushed) and the counters
// start again, no value stored under the lost versions is read again.
const epochField = "_epoch"

func (r *redisVersions) get(ctx context.Context, tables []string) ([]int64, error) {
	vals, err := r.rdb.HMGet(ctx, r.hash, append([]string{epochField}, tables...)...).Result()
	if err != nil {
		return nil, err
	}
	s, _ := vals[0].(string)
	epoch, err := r.epoch(ctx, s)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(tables))
	for i, v := range vals[1:] {
		if s, ok := v.(string); ok {
			if out[i], err = strconv.ParseInt(s, 10, 64); err != nil {
				return nil, err
			}
		}
		out[i] ^= epoch
	}
	return out, nil
}

// epoch returns the hash's epoch, read as s, setting it when s is empty
// (the hash is new or was lost).
func (r *redisVersions) epoch(ctx context.Context, s string) (int64, error) {
	if s == "" {
		if err := r.rdb.HSetNX(ctx, r.hash, epochField, rand.Int64()).Err(); err != nil {
			return 0, err
		}
		// Another instance may have set it first: read it back.
		var err error
		if s, err = r.rdb.HGet(ctx, r.hash, epochField).Result(); err != nil {
			return 0, err
		}
	}
	return strconv.ParseInt(s, 10, 64)
}

func (r *redisVersions) current(ctx context.Context) (versionSet, error) {
	vals, err := r.rdb.HGetAll(ctx, r.hash).Result()
	if err != nil {
		return versionSet{}, err
	}
	v := versionSet{written: make(map[string]int64, len(vals))}
	if v.epoch, err = r.epoch(ctx, vals[epochField]); err != nil {
		return versionSet{}, err
	}
	for t, s := range vals {
		if t == epochField {
			continue
		}
		if v.written[t], err = strconv.ParseInt(s, 10, 64); err != nil {
			return versionSet{}, err
		}
	}
	return v, nil
}

func (r *redisVersions) bump(ctx context.Context, tables []string) error {
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, t := range tables {
			p.HIncrBy(ctx, r.hash, t, 1)
		}
		p.Publish(ctx, r.channel, announcement(r.id, tables))
		return nil
	})
	return err
}

func (r *redisVersions) all(ctx context.Context) (map[string]int64, error) {
	vals, err := r.rdb.HGetAll(ctx, r.hash).Result()
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(vals))
	for t, s := range vals {
		if t == epochField {
			continue
		}
		out[t], _ = strconv.ParseInt(s, 10, 64)
	}
	return out, nil
}

func (r *redisVersions) close() {
	r.sub.Close()
	<-r.done
}

// pgChannel is the notification channel of pgVersions.
const pgChannel = "entadmin_cache"

// pgVersions keeps the versions in a PostgreSQL table and announces bumps
// by NOTIFY, listening as rbac.PGWatcher does: on a connection taken out
// of the pool for good, reconnecting with backoff when it fails.
type pgVersions struct {
	pool *pgxpool.Pool
	id   string
	drop func([]string)
	ctx  context.Context
	stop context.CancelFunc
	done chan struct{}
}

func newPGVersions(ctx context.Context, pool *pgxpool.Pool, drop func([]string)) (*pgVersions, error) {
	if _, err := pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS entadmin_cache_versions (name text PRIMARY KEY, version bigint NOT NULL)`); err != nil {
		return nil, fmt.Errorf("cache: create entadmin_cache_versions: %w", err)
	}
	conn, err := pgListen(ctx, pool)
	if err != nil {
		return nil, err
	}
	wctx, stop := context.WithCancel(context.Background())
	p := &pgVersions{pool: pool, id: uuid.NewString(), drop: drop, ctx: wctx, stop: stop, done: make(chan struct{})}
	go p.run(conn)
	return p, nil
}

// pgListen takes a connection out of pool and listens on pgChannel.
func pgListen(ctx context.Context, pool *pgxpool.Pool) (*pgx.Conn, error) {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("cache: listen for invalidations: %w", err)
	}
	conn := c.Hijack()
	if _, err := conn.Exec(ctx, "LISTEN "+pgChannel); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("cache: listen for invalidations: %w", err)
	}
	return conn, nil
}

// run receives notifications until Close, reconnecting when the
// connection fails; after a reconnection the in-process tier is dropped,
// as announcements may have been missed.
func (p *pgVersions) run(conn *pgx.Conn) {
	defer close(p.done)
	for {
		for {
			n, err := conn.WaitForNotification(p.ctx)
			if err != nil {
				break
			}
			heard(p.id, n.Payload, p.drop)
		}
		conn.Close(context.Background())
		if p.ctx.Err() != nil {
			return
		}
		slog.Warn("cache: lost the connection listening for invalidations; reconnecting")
		for delay := 100 * time.Millisecond; conn == nil || conn.IsClosed(); delay = min(2*delay, 30*time.Second) {
			select {
			case <-p.ctx.Done():
				return
			case <-time.After(delay):
			}
			conn, _ = pgListen(p.ctx, p.pool)
		}
		p.drop(nil)
	}
}

func (p *pgVersions) get(ctx context.Context, tables []string) ([]int64, error) {
	out := make([]int64, len(tables))
	if len(tables) == 0 {
		return out, nil
	}
	rows, err := p.pool.Query(ctx, `SELECT name, version FROM entadmin_cache_versions WHERE name = ANY($1)`, tables)
	if err != nil {
		return nil, err
	}
	got := map[string]int64{}
	var (
		name string
		v    int64
	)
	if _, err := pgx.ForEachRow(rows, []any{&name, &v}, func() error { got[name] = v; return nil }); err != nil {
		return nil, err
	}
	for i, t := range tables {
		out[i] = got[t]
	}
	return out, nil
}

func (p *pgVersions) bump(ctx context.Context, tables []string) error {
	_, err := p.pool.Exec(ctx, `WITH b AS (
		INSERT INTO entadmin_cache_versions AS v (name, version) SELECT unnest($1::text[]), 1
		ON CONFLICT (name) DO UPDATE SET version = v.version + 1 RETURNING 1)
	SELECT pg_notify($2, $3) FROM (SELECT count(*) FROM b) AS n`, tables, pgChannel, announcement(p.id, tables))
	return err
}

func (p *pgVersions) all(ctx context.Context) (map[string]int64, error) {
	rows, err := p.pool.Query(ctx, `SELECT name, version FROM entadmin_cache_versions`)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	var (
		name string
		v    int64
	)
	_, err = pgx.ForEachRow(rows, []any{&name, &v}, func() error { out[name] = v; return nil })
	return out, err
}

func (p *pgVersions) current(ctx context.Context) (versionSet, error) {
	all, err := p.all(ctx)
	return versionSet{written: all}, err
}

func (p *pgVersions) close() {
	p.stop()
	<-p.done
}
