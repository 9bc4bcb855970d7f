package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
)

// TestTheProductListRunsAtMostFourStatementsBesidesTheSession loads the
// product list (its filters, date drill-down, joined category and tags
// columns) the ways the bench does, on PostgreSQL, and counts the
// statements of each request but the session lookup.
func TestTheProductListRunsAtMostFourStatementsBesidesTheSession(t *testing.T) {
	t.Parallel()
	a, srv := startSeeded(t, 300, nil)
	testListStatements(t, a, srv, 4)
}

// TestTheProductListOnSQLiteRunsAtMostFiveStatementsBesidesTheSession is
// the same on SQLite, which loads the category and tags columns in a
// statement each (ent's eager loading, store.LoadMany) and counts the rows in the
// statement that probes the date drill-down.
func TestTheProductListOnSQLiteRunsAtMostFiveStatementsBesidesTheSession(t *testing.T) {
	t.Parallel()
	a, srv := startShop(t, "", filepath.Join(t.TempDir(), "shop.db"), 300)
	testListStatements(t, a, srv, 5)
}

// testListStatements loads the product list the ways the bench does and
// fails when a request runs more than most statements besides the session
// lookup.
func testListStatements(t *testing.T, a *app, srv *httptest.Server, most int) {
	ctx := context.Background()
	cookie, err := a.login(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := a.db.client.Product.Query().Where(product.CategoryIDNotNil()).Order(ent.Asc(product.FieldID)).FirstX(ctx)
	y, m, _ := p.CreatedAt.In(time.Local).Date()
	drill := fmt.Sprintf("/admin/product/?is_active=yes&category=%d&created_at__year=%d&created_at__month=%d", p.CategoryID, y, int(m))
	for _, path := range []string{
		"/admin/product/",
		"/admin/product/?p=2",
		"/admin/product/?p=11", // the second half, read from the end
		"/admin/product/partial/",
		"/admin/product/?o=-price",
		fmt.Sprintf("/admin/product/?is_active=yes&category=%d", p.CategoryID),
		fmt.Sprintf("/admin/product/?created_at__year=%d", y),
		drill,
	} {
		a.db.counter.Reset()
		a.db.counter.Record(true)
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.AddCookie(cookie)
		resp, err := http.DefaultClient.Do(req)
		a.db.counter.Record(false)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, resp.StatusCode)
		}
		var list []string
		for _, q := range a.db.counter.Statements() {
			if !strings.Contains(q, "entadmin_sessions") {
				list = append(list, q)
			}
		}
		if len(list) > most {
			t.Errorf("%s: %d statements besides the session lookup, want at most %d:\n%s", path, len(list), most, strings.Join(list, "\n"))
		}
	}
}
