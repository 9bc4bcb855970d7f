package cache

import (
	"context"
	"sync"
)

// snapshot is the versions of the tables, read once for the lookups under
// a context.
type snapshot struct {
	c        *Cache
	mu       sync.Mutex
	gen      int64 // the cache's generation when read
	read     bool
	versions versionSet
}

// snapshotKey carries a *snapshot in a context.
type snapshotKey struct{}

// Snapshot returns ctx in which Fetch reads the versions of every table at
// its first lookup and uses them for the next ones, so that the lookups of
// one request cost one read of the versions (from PostgreSQL or Redis)
// instead of one each. The snapshot is read again after a write through
// this cache or one announced by another instance and heard here; a write
// by another instance that is not heard yet is seen by the next snapshot,
// as a read that starts after it committed.
func (c *Cache) Snapshot(ctx context.Context) context.Context {
	return context.WithValue(ctx, snapshotKey{}, &snapshot{c: c})
}

// tableVersions returns the current versions of tables: from the snapshot
// of ctx, if it has one of this cache, else read from where they live.
func (c *Cache) tableVersions(ctx context.Context, tables []string) ([]int64, error) {
	s, ok := ctx.Value(snapshotKey{}).(*snapshot)
	if !ok || s.c != c {
		ctx, cancel := context.WithTimeout(ctx, opTimeout)
		defer cancel()
		return c.versions.get(ctx, tables)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen := c.gen.Load(); !s.read || s.gen != gen {
		ctx, cancel := context.WithTimeout(ctx, opTimeout)
		defer cancel()
		v, err := c.versions.current(ctx)
		if err != nil {
			return nil, err
		}
		s.versions, s.gen, s.read = v, gen, true
	}
	out := make([]int64, len(tables))
	for i, t := range tables {
		out[i] = s.versions.of(t)
	}
	return out, nil
}
