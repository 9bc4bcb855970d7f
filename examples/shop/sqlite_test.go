package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/examples/shop/ent/product"
)

// TestAFilteredListOnSQLiteShowsTheUnfilteredTotal loads the product list
// on SQLite with a filter: its summary gives the filtered count and the
// unfiltered total, as on PostgreSQL.
func TestAFilteredListOnSQLiteShowsTheUnfilteredTotal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, srv := startShop(t, "", filepath.Join(t.TempDir(), "shop.db"), 300)
	cookie, err := a.login(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	published := a.db.client.Product.Query().Where(product.StatusEQ(product.StatusPublished)).CountX(ctx)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/admin/product/?status=published", nil)
	req.AddCookie(cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	want := fmt.Sprintf("%d products (300 total)", published)
	if !strings.Contains(string(body), want) {
		t.Errorf("the filtered list does not say %q", want)
	}
}
