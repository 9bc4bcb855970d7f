package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/internal/testdb"
)

// TestTheProductListRunsAtMostFourStatementsBesidesTheSession loads the
// product list (its filters, date drill-down, joined category and tags
// columns) the ways the bench does, on PostgreSQL, and counts the
// statements of each request but the session lookup.
func TestTheProductListRunsAtMostFourStatementsBesidesTheSession(t *testing.T) {
	ctx := context.Background()
	tdb := testdb.Postgres(t)
	db, err := openDB(ctx, tdb.DSN, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := prepare(ctx, db, 300); err != nil {
		t.Fatal(err)
	}
	a, err := newApp(ctx, db, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	srv := httptest.NewServer(a.router())
	t.Cleanup(srv.Close)
	cookie, err := a.login(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := db.client.Product.Query().Where(product.CategoryIDNotNil()).Order(ent.Asc(product.FieldID)).FirstX(ctx)
	y, m, _ := p.CreatedAt.In(time.Local).Date()
	drill := fmt.Sprintf("/admin/product/?is_active=yes&category=%d&created_at__year=%d&created_at__month=%d", p.CategoryID, y, int(m))
	for _, path := range []string{
		"/admin/product/",
		"/admin/product/?p=2",
		"/admin/product/partial/",
		"/admin/product/?o=-price",
		fmt.Sprintf("/admin/product/?is_active=yes&category=%d", p.CategoryID),
		fmt.Sprintf("/admin/product/?created_at__year=%d", y),
		drill,
	} {
		db.counter.Reset()
		db.counter.Record(true)
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.AddCookie(cookie)
		resp, err := http.DefaultClient.Do(req)
		db.counter.Record(false)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, resp.StatusCode)
		}
		var list []string
		for _, q := range db.counter.Statements() {
			if !strings.Contains(q, "entadmin_sessions") {
				list = append(list, q)
			}
		}
		if len(list) > 4 {
			t.Errorf("%s: %d statements besides the session lookup, want at most 4:\n%s", path, len(list), strings.Join(list, "\n"))
		}
	}
}
