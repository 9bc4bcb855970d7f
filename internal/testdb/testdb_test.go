package testdb

import (
	"context"
	"database/sql"
	"errors"
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

func TestTemplate(t *testing.T) {
	fills := 0
	tp := NewTemplate(func(ctx context.Context, dsn string) error {
		fills++
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.ExecContext(ctx, "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO things VALUES (1, 'seeded')")
		return err
	})
	a, b := tp.Postgres(t), tp.Postgres(t)
	if fills != 1 {
		t.Errorf("the template was filled %d times, want once", fills)
	}
	for _, db := range []*DB{a, b} {
		var name string
		if err := db.DB.QueryRow("SELECT name FROM things WHERE id = 1").Scan(&name); err != nil || name != "seeded" {
			t.Errorf("a copy holds %q (%v), want the template's row", name, err)
		}
	}
	// The copies are databases of their own.
	if _, err := a.DB.Exec("DELETE FROM things"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := b.DB.QueryRow("SELECT count(*) FROM things").Scan(&n); err != nil || n != 1 {
		t.Errorf("after a delete in one copy the other holds %d rows (%v), want 1", n, err)
	}
	if err := tp.Close(); err != nil {
		t.Fatal(err)
	}
	if databaseExists(t, a.DSN, tp.name) {
		t.Errorf("the template %s still exists after Close", tp.name)
	}
}

func TestATemplateWhoseFillFailsFailsItsTests(t *testing.T) {
	tp := NewTemplate(func(context.Context, string) error { return errors.New("no seed today") })
	tp.once.Do(tp.make)
	if tp.err == nil || !strings.Contains(tp.err.Error(), "no seed today") {
		t.Errorf("err = %v, want the fill's error", tp.err)
	}
	if tp.Close() != nil {
		t.Error("Close of a template that was never made failed")
	}
}

func TestUnderMainDatabasesAreDroppedInTheBackground(t *testing.T) {
	background.start()
	var db *DB
	var name string
	t.Run("use", func(t *testing.T) {
		db = Postgres(t)
		name = currentDatabase(t, db.DB)
	})
	if err := db.DB.Ping(); err == nil {
		t.Error("the handle is still open after the test")
	}
	if err := background.wait(); err != nil {
		t.Fatal(err)
	}
	if databaseExists(t, Postgres(t).DSN, name) {
		t.Errorf("database %s still exists after the drops", name)
	}
}
