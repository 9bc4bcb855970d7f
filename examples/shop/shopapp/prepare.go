package shopapp

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"entgo.io/ent/dialect"
)

// schemaMu serializes the migrations of Prepare: ent's Schema.Create
// changes the generated package's table definitions, so that two at once
// (parallel tests) race.
var schemaMu sync.Mutex

// Prepare migrates the schema and seeds: n products when n > 0, or a few
// hundred when the database is empty.
func Prepare(ctx context.Context, db *DB, n int) error {
	if db.Dialect == dialect.Postgres {
		// The trigram indexes of the search fields (see the schemas) need
		// pg_trgm, which the migration cannot create.
		if _, err := db.SQL.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm"); err != nil {
			return fmt.Errorf("create extension pg_trgm: %w", err)
		}
	}
	schemaMu.Lock()
	err := db.Client.Schema.Create(ctx)
	schemaMu.Unlock()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if n == 0 {
		count, err := db.Client.Product.Query().Count(ctx)
		if err != nil {
			return err
		}
		if count > 0 {
			return nil
		}
		n = 300
	}
	start := time.Now()
	if err := seedShop(ctx, db, n); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	slog.Info("seeded", "products", n, "took", time.Since(start).Round(time.Millisecond))
	return nil
}
