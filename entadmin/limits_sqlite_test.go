package entadmin

import (
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

// TestSQLiteDatabaseIsLockedIsAnswered503 takes SQLite's write lock on
// one connection and writes on another that does not wait for it: the
// driver's "database is locked" is a 503, as a busy PostgreSQL is.
func TestSQLiteDatabaseIsLockedIsAnswered503(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "locked.db")
	open := func() *sql.DB {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(0)")
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		t.Cleanup(func() { db.Close() })
		return db
	}
	holder, waiter := open(), open()
	if _, err := holder.ExecContext(ctx, "CREATE TABLE items (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	tx, err := holder.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "INSERT INTO items (id) VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	_, err = waiter.ExecContext(ctx, "INSERT INTO items (id) VALUES (2)")
	if err == nil {
		t.Fatal("a second writer wrote while the first held the lock")
	}
	if got, _ := failureStatus(err); got != http.StatusServiceUnavailable {
		t.Errorf("failureStatus(%q) = %d, want %d", err, got, http.StatusServiceUnavailable)
	}
}
