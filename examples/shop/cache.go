package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/redis/go-redis/v9"

	"github.com/entadmin/entadmin/cache"
)

// newCache returns the admin's cache: two tiers with Redis when db has a
// Redis client, else in process only, invalidated across instances by
// PostgreSQL's LISTEN/NOTIFY, or within the process alone on SQLite.
func newCache(ctx context.Context, db *database, o cache.Observer) (*cache.Cache, error) {
	opts := []cache.Option{cache.WithObserver(o)}
	switch {
	case db.redis != nil && db.pool != nil:
		// Sites on different databases may share one Redis.
		prefix := cache.DefaultPrefix + db.pool.Config().ConnConfig.Database + ":"
		return cache.New(ctx, append(opts, cache.WithRedis(db.redis), cache.WithPrefix(prefix))...)
	case db.redis != nil:
		return cache.New(ctx, append(opts, cache.WithRedis(db.redis))...)
	case db.pool != nil:
		return cache.New(ctx, append(opts, cache.WithPostgres(db.pool))...)
	}
	return cache.New(ctx, opts...)
}

// openRedis connects to the Redis of url, e.g. redis://127.0.0.1:6379/0.
func openRedis(ctx context.Context, url string) (*redis.Client, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis: %w", err)
	}
	rdb := redis.NewClient(opts)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("connect to redis %s: %w", opts.Addr, err)
	}
	return rdb, nil
}

// coldCache bumps the products table's version before each request to h,
// for the bench: every lookup of the product list then misses the cache.
func coldCache(a *app, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := a.cache.Invalidate(r.Context(), "products"); err != nil {
			slog.Warn("bench: cold cache", "err", err)
		}
		h.ServeHTTP(w, r)
	})
}
