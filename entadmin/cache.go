package entadmin

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// Cache keeps the results of the admin's read-only statements that pages
// repeat: the list's counts and estimates (with the date drill-down's
// probes), the distinct values of string filters and facet counts. Package
// cache implements it in two tiers; install one with WithCache.
//
// A result is stored under a key made of the statement, its arguments and
// so the user's row scope, and depends on the tables the statement names:
// the site calls Invalidate with the tables a write may have changed
// after it commits (a resource's own table, and the tables that reference
// it by foreign key, which edges and cascades change). Writes through the
// ent client of a registered resource, whether the admin's or the
// application's own code, pass the resource's write hook; writes that go
// around the client (raw SQL, another program) are seen when the values
// expire. Statements inside a transaction are never cached.
type Cache interface {
	// Fetch fills dst, a pointer, with the value stored under key for the
	// current versions of tables, or calls load, which fills dst, and
	// stores it.
	Fetch(ctx context.Context, key string, tables []string, dst any, load func(context.Context) error) error
	// Invalidate announces that tables were written.
	Invalidate(ctx context.Context, tables ...string) error
}

// SnapshotCache is a Cache that can read the versions of the tables once
// for all the lookups under a context. The site takes a snapshot for each
// request, so that a page's lookups cost one read of the versions; package
// cache implements it.
type SnapshotCache interface {
	Cache
	// Snapshot returns ctx in which Fetch reads the versions once and
	// reuses them, until a write through this cache or heard of by it.
	Snapshot(ctx context.Context) context.Context
}

// WithCache caches the statements that list pages repeat (see Cache).
// Resources whose ent schema filters queries by the context (interceptors
// or privacy rules beyond the admin's row scope) must set NoCache.
func WithCache(c Cache) Option { return func(s *Site) { s.cache = &siteCache{c: c, site: s} } }

// invalidateTimeout bounds the announcement of a write to the cache.
const invalidateTimeout = 5 * time.Second

// siteCache is a site's cache and what it knows of the database's tables.
type siteCache struct {
	c    Cache
	site *Site
	once sync.Once
	// refs maps a table to the tables that reference it by foreign key;
	// known holds every table named in a foreign key or a resource's.
	refs  map[string][]string
	known []string
	err   error
	// deps keeps the dependencies of statements by table and text.
	deps memo[statementOn, []string]
}

// load reads the foreign keys of the database of drv, once; tables are the
// site's resources' tables.
func (sc *siteCache) load(ctx context.Context, drv dialect.Driver, tables []string) {
	sc.once.Do(func() {
		sc.known = append(sc.known, tables...)
		defer func() {
			slices.Sort(sc.known)
			sc.known = slices.Compact(sc.known)
		}()
		var query string
		switch drv.Dialect() {
		case dialect.Postgres:
			query = `SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint WHERE contype = 'f'`
		case dialect.SQLite:
			query = `SELECT m.name, f."table" FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table'`
		default:
			sc.err = fmt.Errorf("foreign keys of %s are not read", drv.Dialect())
			return
		}
		var rows sql.Rows
		if sc.err = drv.Query(ctx, query, []any{}, &rows); sc.err != nil {
			return
		}
		defer rows.Close()
		sc.refs = map[string][]string{}
		for rows.Next() {
			var from, to string
			if sc.err = rows.Scan(&from, &to); sc.err != nil {
				return
			}
			from, to = strings.Trim(from, `"`), strings.Trim(to, `"`)
			sc.refs[to] = append(sc.refs[to], from)
			sc.known = append(sc.known, from, to)
		}
		sc.err = rows.Err()
	})
}

// statementOn is a statement's text and the resource table it is on.
type statementOn struct{ table, query string }

// dependencies returns the tables a statement on table depends on: table
// and every known table the query names as a quoted identifier.
func (sc *siteCache) dependencies(table, query string) []string {
	k := statementOn{table, query}
	if deps, ok := sc.deps.lookup(k); ok {
		return deps
	}
	return sc.deps.get(k, func() []string { return sc.findDependencies(table, query) })
}

// findDependencies is dependencies uncached.
func (sc *siteCache) findDependencies(table, query string) []string {
	deps := []string{table}
	for _, t := range sc.known {
		if t != table && (strings.Contains(query, `"`+t+`"`) || strings.Contains(query, "`"+t+"`")) {
			deps = append(deps, t)
		}
	}
	slices.Sort(deps)
	return deps
}

// written returns the tables a write to table may change: table and the
// tables that reference it, transitively (edges set from this side,
// cascades). Without the foreign keys, every table the site knows.
func (sc *siteCache) written(table string, all []string) []string {
	if sc.err != nil || sc.refs == nil {
		return all
	}
	seen := map[string]bool{table: true}
	out := []string{table}
	for i := 0; i < len(out); i++ {
		for _, t := range sc.refs[out[i]] {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	slices.Sort(out)
	return out
}

// fetch runs load through the cache under the statement query with args,
// on the resource table, unless drv is a transaction's.
func (sc *siteCache) fetch(ctx context.Context, drv dialect.Driver, table, query string, args []any, dst any, load func(context.Context) error) error {
	if _, tx := drv.(dialect.Tx); tx {
		return load(ctx)
	}
	sc.load(ctx, drv, sc.site.tables())
	key, ok := cacheKey(drv.Dialect(), query, args)
	if !ok {
		return load(ctx)
	}
	return sc.c.Fetch(ctx, key, sc.dependencies(table, query), dst, load)
}

// snapshot returns ctx with a snapshot of the cache's versions for the
// request (see SnapshotCache), when the cache takes them.
func (sc *siteCache) snapshot(ctx context.Context) context.Context {
	if s, ok := sc.c.(SnapshotCache); ok {
		return s.Snapshot(ctx)
	}
	return ctx
}

// cached runs load through the site's cache, keyed by what (the
// operation, e.g. "distinct:brand") and the statement that selects the
// resource's rows matching where within the user's row scope. Without a
// cache, or with NoCache, it just calls load.
func (r *Resource[T]) cached(ctx context.Context, what string, where []Predicate, dst any, load func(context.Context) error) error {
	if !r.cacheable() {
		return load(ctx)
	}
	drv := r.Driver(ctx)
	sel, err := r.selector(ctx, drv.Dialect(), where)
	if err != nil {
		return err
	}
	query, args := sel.Query()
	return r.m.site.cache.fetch(ctx, drv, r.Table, what+"\x00"+query, args, dst, load)
}

// cacheable reports whether the resource's statements go through the
// site's cache: the site has one and the resource allows it.
func (r *Resource[T]) cacheable() bool {
	return r.m.site != nil && r.m.site.cache != nil && !r.NoCache && r.Driver != nil && r.Table != ""
}

// rowCacheKey carries a *rowCache in a context: queryRow then reads
// through the cache.
type rowCacheKey struct{}

// rowCache is what queryRow needs to cache a statement of a resource.
type rowCache struct {
	sc    *siteCache
	table string
}

// cachingRows returns ctx with the statements of queryRow cached, when the
// site has a cache and the resource allows it.
func (r *Resource[T]) cachingRows(ctx context.Context) context.Context {
	if r.m.site == nil || r.m.site.cache == nil || r.NoCache || r.Table == "" {
		return ctx
	}
	return context.WithValue(ctx, rowCacheKey{}, &rowCache{sc: r.m.site.cache, table: r.Table})
}

// rowTexts returns the JSON of the values of a row, as the cache keeps
// them: an array of strings, which it copies into each hit without
// decoding them again.
func rowTexts(dest []any) ([]string, error) {
	texts := make([]string, len(dest))
	for i, d := range dest {
		b, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		texts[i] = string(b)
	}
	return texts, nil
}

// scanTexts decodes the values of a row that rowTexts wrote into dest, as
// json.Unmarshal decodes them: the destinations of counts and probes
// without its reflection, the others with it.
func scanTexts(texts []string, dest []any) error {
	if len(texts) != len(dest) {
		return fmt.Errorf("cached row has %d values, want %d", len(texts), len(dest))
	}
	for i, t := range texts {
		if scanText(t, dest[i]) {
			continue
		}
		if err := json.Unmarshal([]byte(t), dest[i]); err != nil {
			return err
		}
	}
	return nil
}

// scanText decodes t into d as json.Unmarshal does, for the common
// destinations; false for the others and for text they do not take.
func scanText(t string, d any) bool {
	switch d := d.(type) {
	case *int64:
		if t == "null" {
			return true
		}
		n, err := strconv.ParseInt(t, 10, 64)
		if err == nil {
			*d = n
		}
		return err == nil
	case **int64:
		if t == "null" {
			*d = nil
			return true
		}
		n, err := strconv.ParseInt(t, 10, 64)
		if err == nil {
			*d = &n
		}
		return err == nil
	case *bool:
		switch t {
		case "null":
		case "true", "false":
			*d = t == "true"
		default:
			return false
		}
		return true
	case **bool:
		switch t {
		case "null":
			*d = nil
		case "true", "false":
			b := t == "true"
			*d = &b
		default:
			return false
		}
		return true
	}
	return false
}

// invalidate tells the cache, after the mutation's transaction commits
// (at once outside one), which tables the write may have changed.
func (r *Resource[T]) invalidate(ctx context.Context, m ent.Mutation) {
	sc := r.m.site.cache
	if sc == nil || r.Table == "" {
		return
	}
	run := func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), invalidateTimeout)
		defer cancel()
		if r.Driver != nil {
			sc.load(ctx, r.Driver(context.Background()), r.m.site.tables()) // the client's driver, not the transaction's
		}
		if err := sc.c.Invalidate(ctx, sc.written(r.Table, r.m.site.tables())...); err != nil {
			slog.Error("entadmin: the cache may serve values from before a write until they expire", "resource", r.Slug, "err", err)
		}
	}
	if r.AfterCommit == nil || !r.AfterCommit(m, run) {
		run()
	}
}

// tables returns the tables of the site's resources.
func (s *Site) tables() []string {
	var out []string
	for _, res := range s.resources {
		if t := res.meta().table; t != "" {
			out = append(out, t)
		}
	}
	return out
}

// distinct is Distinct through the cache.
func (r *Resource[T]) distinct(ctx context.Context, where []Predicate, column string, limit int) (values []string, err error) {
	err = r.cached(ctx, fmt.Sprintf("distinct:%s:%d", column, limit), where, &values, func(ctx context.Context) error {
		values, err = r.Distinct(ctx, where, column, limit)
		return err
	})
	return values, err
}

// countCached is Count through the cache.
func (r *Resource[T]) countCached(ctx context.Context, where []Predicate) (n int, err error) {
	err = r.cached(ctx, "count", where, &n, func(ctx context.Context) error {
		n, err = r.Count(ctx, where)
		return err
	})
	return n, err
}

// edgeChoices is f.Choices through the cache, as a statement of the
// related resource within the user's row scope there; uncached when the
// related type is not in the admin.
func (r *Resource[T]) edgeChoices(ctx context.Context, f *Field[T], limit int) (choices []Choice, err error) {
	target, ok := r.m.site.bySlug[f.Target]
	if !ok {
		return f.Choices(ctx, limit)
	}
	err = target.cached(ctx, "choices:"+r.Slug+"."+f.Name+":"+strconv.Itoa(limit), nil, &choices, func(ctx context.Context) error {
		choices, err = f.Choices(ctx, limit)
		return err
	})
	return choices, err
}
