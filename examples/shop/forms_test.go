package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/examples/shop/ent/product"
)

func TestOnlySuperusersChangeThePriceOfAPublishedProduct(t *testing.T) {
	t.Parallel()
	a, b, _ := shopWithUsers(t)
	ctx := context.Background()
	p := a.db.client.Product.Query().Where(product.StatusEQ(product.StatusPublished)).FirstX(ctx)
	path := "/product/" + strconv.Itoa(p.ID) + "/"
	_, form := b.do("GET", path, nil)
	if strings.Contains(form, `name="price"`) {
		t.Error("the price of a published product has an input for a non-superuser")
	}
	status, _ := b.do("POST", path, url.Values{
		"name": {p.Name}, "price": {"0.01"}, "status": {"published"}, "stock_count": {"3"},
	})
	if status != http.StatusSeeOther {
		t.Fatalf("status %d", status)
	}
	if got := a.db.client.Product.GetX(ctx, p.ID).Price; got != p.Price {
		t.Errorf("price %v, want it unchanged %v", got, p.Price)
	}
}

func TestDeletingAProductGoesBackToItsCategory(t *testing.T) {
	t.Parallel()
	a, b, _ := shopWithUsers(t)
	ctx := context.Background()
	cookie, err := a.login(ctx, strings.TrimSuffix(b.base, "/admin"))
	if err != nil {
		t.Fatal(err)
	}
	p := a.db.client.Product.Query().Where(product.CategoryIDNotNil()).FirstX(ctx)
	req, _ := http.NewRequest("POST", b.base+"/product/"+strconv.Itoa(p.ID)+"/delete/", nil)
	req.AddCookie(cookie)
	// A client of its own: b's cookie jar holds the editor's session.
	su := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := su.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := "/admin/product/?category=" + strconv.Itoa(p.CategoryID); resp.Header.Get("Location") != want {
		t.Errorf("status %d, location %q, want %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
}
