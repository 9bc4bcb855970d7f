package auth

import (
	"context"
	"testing"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/internal/testdb"
)

func TestSetupMakesSessionsUnlogged(t *testing.T) {
	t.Parallel()
	db := testdb.Postgres(t)
	client := ent.NewClient(ent.Driver(entsql.OpenDB(db.Dialect, db.DB)))
	for range 2 { // idempotent
		setup(t, client, db)
		var p string
		if err := db.DB.QueryRow("select relpersistence from pg_class where relname = 'entadmin_sessions'").Scan(&p); err != nil {
			t.Fatal(err)
		}
		if p != "u" {
			t.Fatalf("relpersistence = %q, want u (unlogged)", p)
		}
	}
}

func TestSetupOnSQLite(t *testing.T) {
	t.Parallel()
	db := testdb.SQLite(t)
	client := ent.NewClient(ent.Driver(entsql.OpenDB(db.Dialect, db.DB)))
	setup(t, client, db)
	if n := client.Session.Query().CountX(context.Background()); n != 0 {
		t.Errorf("%d sessions in a new database", n)
	}
}
