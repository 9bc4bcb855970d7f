package rbac_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/entadmin/entadmin/internal/testdb"
	"github.com/entadmin/entadmin/rbac"
)

// pgInstance returns an Enforcer over f with a PGWatcher on its own pool,
// as a separate instance of the admin would have.
func pgInstance(t *testing.T, f *fixture, dsn string) *rbac.Enforcer {
	t.Helper()
	pool, err := pgxpool.New(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	w, err := rbac.NewPGWatcher(t.Context(), pool)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return f.enforcer(t, rbac.WithWatcher(w))
}

func TestPGWatcher(t *testing.T) {
	t.Parallel()
	db := testdb.Postgres(t)
	f := newFixture(t, db)
	a, b := pgInstance(t, f, db.DSN), pgInstance(t, f, db.DSN)
	twoInstances(t, f, a, b, 2*time.Second)

	t.Run("after a lost connection the watcher reconnects and reloads", func(t *testing.T) {
		// A rule stored without telling anyone: only a reload finds it.
		f.client.PolicyRule.Create().SetPtype("p").SetV0(rbac.UserSubject(f.carol)).
			SetV1("invoice").SetV2("view").SetV3("allow").SaveX(t.Context())
		var killed int
		err := db.DB.QueryRowContext(t.Context(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND query = 'LISTEN entadmin_policy'`).Scan(&killed)
		if err != nil {
			t.Fatal(err)
		}
		if killed != 2 {
			t.Fatalf("terminated %d listening connections, want 2", killed)
		}
		if !eventually(2*time.Second, func() bool { return b.Allowed(f.carol, "invoice", "view") }) {
			t.Fatal("no reload within 2s of the lost connection")
		}
		// And it listens again.
		if err := a.Revoke(t.Context(), rbac.UserSubject(f.carol), "invoice", "view"); err != nil {
			t.Fatal(err)
		}
		if !eventually(2*time.Second, func() bool { return !b.Allowed(f.carol, "invoice", "view") }) {
			t.Fatal("a change after reconnecting did not arrive within 2s")
		}
	})
}

func TestPollingWatcher(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.SQLite(t))
	const interval = 50 * time.Millisecond
	instance := func() *rbac.Enforcer {
		w := rbac.NewPollingWatcher(f.client, interval)
		t.Cleanup(w.Close)
		return f.enforcer(t, rbac.WithWatcher(w))
	}
	a, b := instance(), instance()
	twoInstances(t, f, a, b, 10*interval)

	t.Run("a change made directly in the database is seen without any notice", func(t *testing.T) {
		// chief still holds the invoice grant from twoInstances.
		f.client.User.UpdateOneID(f.carol).AddGroupIDs(f.chief).ExecX(t.Context())
		if !eventually(10*interval, func() bool { return b.Allowed(f.carol, "invoice", "view") }) {
			t.Fatalf("not within %v", 10*interval)
		}
	})
}
