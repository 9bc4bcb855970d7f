package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/entadmin/entadmin/entadmin/pgconfig"
	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/rbac"
)

// TestListStatementsArePlannedWithTheirValuesAfterManyRuns runs the
// product list's searches, filters, counts and date drill-down a dozen
// times on one connection, as a superuser and as a staff user who may only
// view products, and checks that PostgreSQL planned every run of every
// parameterised statement with its values: after five runs of a prepared
// statement it may switch to a generic plan, which for a search (ILIKE $1)
// cannot use the trigram index and scans the table.
func TestListStatementsArePlannedWithTheirValuesAfterManyRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Two connections: the policy watcher holds one for LISTEN, every
	// statement of the admin runs on the other.
	a, srv := startSeeded(t, 300, withParams("pool_max_conns", "2"))

	staff := newStaff(t, a, "sam")
	if err := a.enforcer.Grant(ctx, rbac.UserSubject(staff), "product", "view"); err != nil {
		t.Fatal(err)
	}
	sam := login(t, srv.URL+"/admin", "sam", "pw of sam")
	cookie, err := a.login(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	superuser := func(path string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/admin"+path, nil)
		req.AddCookie(cookie)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s as the superuser: status %d", path, resp.StatusCode)
		}
	}

	p := a.db.client.Product.Query().Where(product.CategoryIDNotNil()).Order(ent.Asc(product.FieldID)).FirstX(ctx)
	y, m, _ := p.CreatedAt.In(time.Local).Date()
	paths := []string{
		"/product/?q=oak",
		"/product/?q=red",
		"/product/?status=discontinued",
		fmt.Sprintf("/product/?is_active=yes&category=%d", p.CategoryID),
		fmt.Sprintf("/product/?created_at__year=%d&created_at__month=%d", y, int(m)),
		"/product/?p=2",
	}
	listed := map[string]bool{} // the statements of the list requests
	for run := range 12 {
		for _, path := range paths {
			if run == 0 {
				a.db.counter.Reset()
				a.db.counter.Record(true)
			}
			superuser(path)
			if status, _ := sam.do("GET", path, nil); status != http.StatusOK {
				t.Fatalf("%s as a staff user: status %d", path, status)
			}
			if run == 0 {
				a.db.counter.Record(false)
				for _, s := range a.db.counter.Statements() {
					listed[s] = true
				}
			}
		}
	}

	// The connection all of that ran on.
	conn, err := a.db.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	var mode string
	if err := conn.QueryRow(ctx, "SHOW plan_cache_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != pgconfig.ForceCustom {
		t.Errorf("plan_cache_mode is %q on the admin's connections, want %q", mode, pgconfig.ForceCustom)
	}
	rows, err := conn.Query(ctx, `SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements
		WHERE cardinality(parameter_types) > 0`)
	if err != nil {
		t.Fatal(err)
	}
	var checked int
	for rows.Next() {
		var (
			stmt            string
			generic, custom int64
		)
		if err := rows.Scan(&stmt, &generic, &custom); err != nil {
			t.Fatal(err)
		}
		if !listed[stmt] {
			continue
		}
		if generic+custom >= 10 {
			checked++
		}
		if generic > 0 {
			t.Errorf("a statement of the list took a generic plan %d times of %d: %.300s…", generic, generic+custom, stmt)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// The searches, filters, counts and probes, at least.
	if checked < len(paths) {
		t.Errorf("%d of the list's parameterised statements ran 10 times or more on the connection, want at least %d", checked, len(paths))
	}
}
