package shopapp

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/entadmin/entadmin/cache"
)

// newCache returns the admin's cache: two tiers with Redis when db has a
// Redis client, else in process only, invalidated across instances by
// PostgreSQL's LISTEN/NOTIFY, or within the process alone on SQLite.
func newCache(ctx context.Context, db *DB, o cache.Observer) (*cache.Cache, error) {
	opts := []cache.Option{cache.WithObserver(o)}
	switch {
	case db.Redis != nil && db.Pool != nil:
		// Sites on different databases may share one Redis.
		prefix := cache.DefaultPrefix + db.Pool.Config().ConnConfig.Database + ":"
		return cache.New(ctx, append(opts, cache.WithRedis(db.Redis), cache.WithPrefix(prefix))...)
	case db.Redis != nil:
		return cache.New(ctx, append(opts, cache.WithRedis(db.Redis))...)
	case db.Pool != nil:
		return cache.New(ctx, append(opts, cache.WithPostgres(db.Pool))...)
	}
	return cache.New(ctx, opts...)
}

// OpenRedis connects to the Redis of url, e.g. redis://127.0.0.1:6379/0.
func OpenRedis(ctx context.Context, url string) (*redis.Client, error) {
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
