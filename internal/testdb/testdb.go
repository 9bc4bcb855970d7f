// Package testdb creates throwaway databases for tests: a fresh PostgreSQL
// database on a shared server, or a fresh SQLite file in a temporary
// directory.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// envURL is the environment variable naming the PostgreSQL server that
// Postgres and NewPostgres create their databases on.
const envURL = "ENTADMIN_TEST_DATABASE_URL"

// defaultURL is the PostgreSQL server used when envURL is unset or empty.
// It names no user, so pgx connects as the operating-system user.
const defaultURL = "postgres://127.0.0.1:5432/test"

// connectTimeout bounds how long we wait for the PostgreSQL server to answer.
const connectTimeout = 5 * time.Second

// dropTimeout bounds how long dropping a throwaway database may take.
const dropTimeout = 30 * time.Second

// DB is an open throwaway database.
type DB struct {
	Dialect string  // "postgres" or "sqlite3" (the values of entgo.io/ent/dialect.Postgres / dialect.SQLite)
	DSN     string  // connection string of this database
	DB      *sql.DB // open handle (pgx stdlib driver for Postgres, modernc.org/sqlite driver "sqlite" for SQLite)
}

// Postgres creates a fresh database on the server named by
// ENTADMIN_TEST_DATABASE_URL (default "postgres://127.0.0.1:5432/test"),
// opens it, and drops it in t.Cleanup (or, under Main, closes it in
// t.Cleanup and drops it in the background). It calls t.Fatal with a clear message
// ("testdb: no PostgreSQL server answers at <url>: <err>; start one or set
// ENTADMIN_TEST_DATABASE_URL") when the server does not answer within a few
// seconds.
func Postgres(t testing.TB) *DB {
	t.Helper()
	return postgres(t, "")
}

// postgres is Postgres for a copy of the database template, or of the
// server's default template when it is empty.
func postgres(t testing.TB, template string) *DB {
	t.Helper()
	db, drop, err := newPostgres(context.Background(), template)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if background.drop(db, drop) {
			return
		}
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	return db
}

// NewPostgres is Postgres for TestMain or benchmarks/commands: it returns the
// open DB and a func that closes it and drops the database. The drop func is
// safe to call more than once; it reports failures on standard error.
func NewPostgres(ctx context.Context) (*DB, func(), error) {
	db, drop, err := newPostgres(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	return db, func() {
		if err := drop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}, nil
}

// newPostgres does the work of Postgres and NewPostgres: it creates a
// database as a copy of template, or of the server's default template when
// it is empty. The returned drop func runs only once; later calls return
// the first call's error.
func newPostgres(ctx context.Context, template string) (*DB, func() error, error) {
	serverURL := os.Getenv(envURL)
	if serverURL == "" {
		serverURL = defaultURL
	}
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, nil, fmt.Errorf("testdb: %s must be a postgres:// URL, got %q", envURL, serverURL)
	}
	shown := u.Redacted()

	admin, err := openPostgres(ctx, serverURL)
	if err != nil {
		return nil, nil, fmt.Errorf("testdb: no PostgreSQL server answers at %s: %w; start one or set %s", shown, err, envURL)
	}
	defer admin.Close()

	name, err := randomName()
	if err != nil {
		return nil, nil, err
	}
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if _, err := admin.ExecContext(ctx, create); err != nil {
		return nil, nil, fmt.Errorf("testdb: create database %s on %s: %w", name, shown, err)
	}

	dbURL := *u
	dbURL.Path = "/" + name
	dbURL.RawPath = ""
	dsn := dbURL.String()

	drop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), dropTimeout)
		defer cancel()
		admin, err := openPostgres(ctx, serverURL)
		if err != nil {
			return fmt.Errorf("testdb: drop database %s: %w", name, err)
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("testdb: drop database %s: %w", name, err)
		}
		return nil
	}

	handle, err := openPostgres(ctx, dsn)
	if err != nil {
		err = fmt.Errorf("testdb: open database %s: %w", name, err)
		if derr := drop(); derr != nil {
			err = fmt.Errorf("%w (and %w)", err, derr)
		}
		return nil, nil, err
	}
	// The shop's search fields have trigram indexes, which need pg_trgm.
	if _, err := handle.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm"); err != nil {
		handle.Close()
		err = fmt.Errorf("testdb: create extension pg_trgm in %s: %w", name, err)
		if derr := drop(); derr != nil {
			err = fmt.Errorf("%w (and %w)", err, derr)
		}
		return nil, nil, err
	}

	var (
		once    sync.Once
		dropErr error
	)
	closeAndDrop := func() error {
		once.Do(func() {
			handle.Close()
			dropErr = drop()
		})
		return dropErr
	}
	return &DB{Dialect: dialect.Postgres, DSN: dsn, DB: handle}, closeAndDrop, nil
}

// openPostgres opens dsn with the pgx driver and pings it, giving up after
// connectTimeout.
func openPostgres(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// randomName returns a fresh database name, entadmin_test_<random hex>. It
// needs no quoting in SQL.
func randomName() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("testdb: random database name: %w", err)
	}
	return "entadmin_test_" + hex.EncodeToString(b[:]), nil
}

// SQLite opens a fresh SQLite database file in t.TempDir() with DSN
// "file:<path>?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_time_format=sqlite",
// closed in t.Cleanup.
func SQLite(t testing.TB) *DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_time_format=sqlite"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatalf("testdb: open SQLite database %s: %v", path, err)
	}
	// Registered after t.TempDir, so it runs before the directory is removed.
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("testdb: close SQLite database %s: %v", path, err)
		}
	})
	if err := db.Ping(); err != nil {
		t.Fatalf("testdb: open SQLite database %s: %v", path, err)
	}
	return &DB{Dialect: dialect.SQLite, DSN: dsn, DB: db}
}
