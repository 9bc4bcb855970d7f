package auth

import (
	"context"
	"fmt"
	"sync"

	"entgo.io/ent/dialect"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/session"
)

// schemaMu serializes the migrations of Setup: ent's Schema.Create changes
// the generated package's table definitions, so that two at once (two
// sites in one process, or parallel tests) race.
var schemaMu sync.Mutex

// Setup creates or migrates the tables of entadmin's models. On PostgreSQL
// it also makes the sessions table UNLOGGED: its writes skip the
// write-ahead log, which makes logins and activity updates cheaper, at the
// price of losing the sessions (everybody logs in again) after a crash or a
// failover to a replica. It may run at every start.
func Setup(ctx context.Context, client *ent.Client, dialectName string) error {
	schemaMu.Lock()
	err := client.Schema.Create(ctx)
	schemaMu.Unlock()
	if err != nil {
		return fmt.Errorf("auth: create tables: %w", err)
	}
	if dialectName != dialect.Postgres {
		return nil
	}
	rows, err := client.QueryContext(ctx,
		"SELECT relpersistence = 'u' FROM pg_class WHERE oid = to_regclass($1)", session.Table)
	if err != nil {
		return fmt.Errorf("auth: inspect %s: %w", session.Table, err)
	}
	defer rows.Close()
	var unlogged bool
	for rows.Next() {
		if err := rows.Scan(&unlogged); err != nil {
			return fmt.Errorf("auth: inspect %s: %w", session.Table, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("auth: inspect %s: %w", session.Table, err)
	}
	if unlogged {
		return nil
	}
	if _, err := client.ExecContext(ctx, "ALTER TABLE "+session.Table+" SET UNLOGGED"); err != nil {
		return fmt.Errorf("auth: make %s unlogged: %w", session.Table, err)
	}
	return nil
}
