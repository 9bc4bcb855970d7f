package testdb

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
)

// exercise creates a table in db, inserts a row and reads it back.
func exercise(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.DB.ExecContext(ctx, "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"); err != nil {
		t.Fatalf("create table: %v", err)
	}
	if _, err := db.DB.ExecContext(ctx, "INSERT INTO things (id, name) VALUES (1, 'one')"); err != nil {
		t.Fatalf("insert: %v", err)
	}
	var name string
	if err := db.DB.QueryRowContext(ctx, "SELECT name FROM things WHERE id = 1").Scan(&name); err != nil {
		t.Fatalf("select: %v", err)
	}
	if name != "one" {
		t.Fatalf("got name %q, want %q", name, "one")
	}
}

// databaseExists reports whether the server at dsn has a database called name.
func databaseExists(t *testing.T, dsn, name string) bool {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatalf("query pg_database: %v", err)
	}
	return n > 0
}

// currentDatabase returns the name of the database db is connected to.
func currentDatabase(t *testing.T, db *sql.DB) string {
	t.Helper()
	var name string
	if err := db.QueryRow("SELECT current_database()").Scan(&name); err != nil {
		t.Fatalf("current_database: %v", err)
	}
	return name
}

func TestPostgres(t *testing.T) {
	var name string
	t.Run("use", func(t *testing.T) {
		db := Postgres(t)
		if db.Dialect != dialect.Postgres {
			t.Errorf("Dialect = %q, want %q", db.Dialect, dialect.Postgres)
		}
		name = currentDatabase(t, db.DB)
		if !strings.HasPrefix(name, "entadmin_test_") {
			t.Errorf("database name %q lacks prefix entadmin_test_", name)
		}
		if !strings.Contains(db.DSN, name) {
			t.Errorf("DSN %q does not name database %q", db.DSN, name)
		}
		exercise(t, db)
	})
	if name == "" {
		t.FailNow()
	}
	// The subtest's cleanup has run: the database must be gone.
	admin := Postgres(t)
	if databaseExists(t, admin.DSN, name) {
		t.Errorf("database %s still exists after cleanup", name)
	}
}

func TestPostgresDistinct(t *testing.T) {
	a, b := Postgres(t), Postgres(t)
	na, nb := currentDatabase(t, a.DB), currentDatabase(t, b.DB)
	if na == nb || a.DSN == b.DSN {
		t.Fatalf("two calls share database %s", na)
	}
	// A table in one is not visible in the other.
	exercise(t, a)
	exercise(t, b)
}

func TestNewPostgres(t *testing.T) {
	db, drop, err := NewPostgres(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	exercise(t, db)
	name := currentDatabase(t, db.DB)
	if !databaseExists(t, db.DSN, name) {
		t.Fatalf("database %s not in pg_database", name)
	}
	drop()
	drop() // idempotent
	if err := db.DB.Ping(); err == nil {
		t.Errorf("handle still usable after drop")
	}
	check := Postgres(t)
	if databaseExists(t, check.DSN, name) {
		t.Errorf("database %s still exists after drop", name)
	}
}

func TestNewPostgresNoServer(t *testing.T) {
	// Nothing listens on port 1; the connection is refused at once.
	t.Setenv(envURL, "postgres://127.0.0.1:1/test")
	_, _, err := NewPostgres(context.Background())
	if err == nil {
		t.Fatal("NewPostgres succeeded with no server")
	}
	msg := err.Error()
	for _, want := range []string{"testdb: no PostgreSQL server answers at postgres://127.0.0.1:1/test: ", "; start one or set ENTADMIN_TEST_DATABASE_URL"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
}

func TestSQLite(t *testing.T) {
	db := SQLite(t)
	if db.Dialect != dialect.SQLite {
		t.Errorf("Dialect = %q, want %q", db.Dialect, dialect.SQLite)
	}
	exercise(t, db)
	var fk int
	if err := db.DB.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if fk != 1 {
		t.Errorf("foreign_keys = %d, want 1", fk)
	}
	if other := SQLite(t); other.DSN == db.DSN {
		t.Errorf("two calls share DSN %s", db.DSN)
	}
}
