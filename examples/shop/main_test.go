package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/internal/testdb"
)

// testPasswordParams make argon2id cheap for the tests, which hash and
// check passwords for hundreds of users and logins: with the production
// parameters (19 MiB, two passes) that was half of the test binary's CPU
// time. Package password's tests hold DefaultParams to the production
// values.
var testPasswordParams = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// TestMain runs the tests, or serves the shop as an instance (see
// instanceEnv) until SIGTERM, or until its standard input closes: the
// test that started it has ended, however it ended. Either way passwords
// are hashed with testPasswordParams. The tests' databases are dropped in
// the background (see testdb.Main).
func TestMain(m *testing.M) {
	password.DefaultParams = testPasswordParams
	if addr := os.Getenv(instanceEnv); addr != "" {
		go func() {
			io.Copy(io.Discard, os.Stdin)
			self, _ := os.FindProcess(os.Getpid())
			self.Signal(syscall.SIGTERM)
		}()
		if err := run(addr, 0, "", false, "", nil, 5*time.Second); err != nil {
			fmt.Fprintln(os.Stderr, "shop:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := testdb.Main(m)
	chromium.close()
	seeded.close()
	os.Exit(code)
}

// seeded holds the template databases of seededPostgres.
var seeded seedTemplates

// seedTemplates are PostgreSQL databases migrated and seeded once for the
// package's tests, by number of products and by hour (the seed's dates
// follow the hour it runs in).
type seedTemplates struct {
	mu        sync.Mutex
	templates map[seedKey]*testdb.Template
}

// seedKey names a template: its number of products and its hour.
type seedKey struct {
	products int
	hour     time.Time
}

// seededPostgres returns the URL of a fresh PostgreSQL database with the
// shop's schema and n seeded products (as prepare makes them), dropped
// when the test ends: a copy of a template database, which the first test
// to ask for n products in the hour migrates and seeds.
func seededPostgres(t *testing.T, n int) string {
	t.Helper()
	return seeded.template(n).Postgres(t).DSN
}

// template returns the template of n products for the current hour.
func (s *seedTemplates) template(n int) *testdb.Template {
	key := seedKey{n, time.Now().Truncate(time.Hour)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.templates == nil {
		s.templates = map[seedKey]*testdb.Template{}
	}
	tp := s.templates[key]
	if tp == nil {
		tp = testdb.NewTemplate(func(ctx context.Context, dsn string) error {
			db, err := openDB(ctx, dsn, "")
			if err != nil {
				return err
			}
			defer db.Close()
			return prepare(ctx, db, n)
		})
		s.templates[key] = tp
	}
	return tp
}

// close drops the template databases.
func (s *seedTemplates) close() {
	for _, tp := range s.templates {
		if err := tp.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
}
