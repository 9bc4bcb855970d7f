package testdb

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// Template is a PostgreSQL database that is filled once and then copied
// (CREATE DATABASE … TEMPLATE) for each test that asks for a database: the
// tests start with what it holds, e.g. a migrated schema and seed data,
// without making it again. Close drops it, e.g. at the end of TestMain.
//
//	var seeded = testdb.NewTemplate(func(ctx context.Context, dsn string) error {
//		return migrateAndSeed(ctx, dsn) // closes its connections
//	})
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		seeded.Close()
//		os.Exit(code)
//	}
//
//	func TestX(t *testing.T) {
//		db := seeded.Postgres(t)
//		...
//	}
type Template struct {
	fill func(ctx context.Context, dsn string) error

	once sync.Once
	name string       // of the template database, once filled
	drop func() error // drops it
	err  error        // of making or filling it
}

// NewTemplate returns a template that fill fills on its first use, given
// the URL of the new database. fill must close the connections it opens:
// PostgreSQL copies only a database that nobody is connected to.
func NewTemplate(fill func(ctx context.Context, dsn string) error) *Template {
	return &Template{fill: fill}
}

// Postgres is the package's Postgres for a fresh copy of the template,
// which it makes and fills first if it is the first to ask. A template
// whose fill failed fails every test that asks for it.
func (tp *Template) Postgres(t testing.TB) *DB {
	t.Helper()
	tp.once.Do(tp.make)
	if tp.err != nil {
		t.Fatal(tp.err)
	}
	return postgres(t, tp.name)
}

// make creates the template database and fills it.
func (tp *Template) make() {
	ctx := context.Background()
	db, drop, err := newPostgres(ctx, "")
	if err != nil {
		tp.err = err
		return
	}
	var name string
	err = db.DB.QueryRowContext(ctx, "SELECT current_database()").Scan(&name)
	db.DB.Close()
	if err == nil {
		err = tp.fill(ctx, db.DSN)
	}
	if err != nil {
		tp.err = fmt.Errorf("testdb: fill template %s: %w", name, err)
		if derr := drop(); derr != nil {
			tp.err = fmt.Errorf("%w (and %w)", tp.err, derr)
		}
		return
	}
	tp.name, tp.drop = name, drop
}

// Close drops the template database, if it was made. The template must no
// longer be used.
func (tp *Template) Close() error {
	if tp.drop == nil {
		return nil
	}
	return tp.drop()
}
