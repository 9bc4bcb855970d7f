package main

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/orderline"
)

// shopAsSuperuser starts the closed shop admin on Postgres with 20 products
// and returns a client logged in as a superuser.
func shopAsSuperuser(t *testing.T) (*app, *browserless) {
	ctx := context.Background()
	a, srv := startSeeded(t, 20, nil)
	cookie, err := a.login(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(srv.URL)
	jar.SetCookies(u, []*http.Cookie{cookie})
	return a, &browserless{t: t, base: srv.URL + "/admin", http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// orderLines returns "product:quantity:unit price" of an order's lines, by
// sort order.
func orderLines(t *testing.T, c *ent.Client, orderID int) []string {
	t.Helper()
	ls := c.OrderLine.Query().Where(orderline.OrderID(orderID)).Order(orderline.BySortOrder(), orderline.ByID()).AllX(context.Background())
	var out []string
	for _, l := range ls {
		out = append(out, strconv.Itoa(l.ProductID)+":"+strconv.Itoa(l.Quantity)+":"+strconv.FormatFloat(l.UnitPrice, 'f', -1, 64))
	}
	return out
}

// orderForm is the posted form of an order: its fields and its lines, each
// "id product quantity price sort [DELETE]".
func orderForm(o *ent.Order, customer string, lines ...[]string) url.Values {
	form := url.Values{"number": {o.Number}, "customer": {customer}, "status": {string(o.Status)}}
	for k, l := range lines {
		p := "lines-" + strconv.Itoa(k) + "-"
		form.Set(p+"id", l[0])
		form.Set(p+"product", l[1])
		form.Set(p+"quantity", l[2])
		form.Set(p+"unit_price", l[3])
		form.Set(p+"sort_order", l[4])
		if len(l) > 5 {
			form.Set(p+"DELETE", "on")
		}
	}
	return form
}

func TestOrderLinesAreEditedOnTheOrdersForm(t *testing.T) {
	t.Parallel()
	a, b := shopAsSuperuser(t)
	ctx := context.Background()
	c := a.db.client
	o := c.Order.Query().Order(ent.Asc("id")).FirstX(ctx)
	ls := c.OrderLine.Query().Where(orderline.OrderID(o.ID)).Order(orderline.BySortOrder()).AllX(ctx)
	if len(ls) != linesPerOrder {
		t.Fatalf("the seeded order has %d lines, want %d", len(ls), linesPerOrder)
	}
	path := "/order/" + strconv.Itoa(o.ID) + "/"
	status, body := b.do("GET", path, nil)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if status != http.StatusOK || doc.Find("#inline-lines tbody tr").Length() != linesPerOrder+1 {
		t.Fatalf("status %d, %d rows: want the %d lines and a blank row", status, doc.Find("#inline-lines tbody tr").Length(), linesPerOrder)
	}
	if doc.Find(`[name="lines-0-product"]`).Length() != 1 || doc.Find(`[name="status"][type="radio"]`).Length() != 4 {
		t.Error("the form lacks the lines' product input or the status radios")
	}
	id := func(l *ent.OrderLine) string { return strconv.Itoa(l.ID) }
	p := func(l *ent.OrderLine) string { return strconv.Itoa(l.ProductID) }
	before := orderLines(t, c, o.ID)

	// A bad line (quantity 0) rolls the whole save back and the form comes
	// back with every value typed.
	bad := orderForm(o, "Renamed customer",
		[]string{id(ls[0]), p(ls[0]), "0", "1.5", "1"},
		[]string{id(ls[1]), p(ls[1]), "1", "2", "2", "DELETE"},
		[]string{id(ls[2]), p(ls[2]), "7", "3", "3"},
		[]string{"", "1", "2", "9.99", "4"},
	)
	status, body = b.do("POST", path, bad)
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("quantity 0: status %d, want 422", status)
	}
	if got := orderLines(t, c, o.ID); !slices.Equal(got, before) {
		t.Errorf("lines %q after a failed save, want %q", got, before)
	}
	if got := c.Order.GetX(ctx, o.ID).Customer; got != o.Customer {
		t.Errorf("customer %q after a failed save", got)
	}
	if msg := strings.TrimSpace(doc.Find("#id_lines-0-quantity-error").Text()); msg == "" {
		t.Error("no error on the line with quantity 0")
	}
	for name, want := range map[string]string{
		"customer": "Renamed customer", "lines-0-quantity": "0", "lines-2-quantity": "7",
		"lines-3-product": "1", "lines-3-unit_price": "9.99",
	} {
		if got := doc.Find(`[name="`+name+`"]`).AttrOr("value", ""); got != want {
			t.Errorf("%s = %q after the failed save, want %q", name, got, want)
		}
	}
	if doc.Find(`input[name="lines-1-DELETE"][checked]`).Length() != 1 {
		t.Error("the ticked delete box came back unticked")
	}

	// Fixed, the same form adds, changes and deletes lines in one save.
	bad.Set("lines-0-quantity", "5")
	status, body = b.do("POST", path, bad)
	if status != http.StatusSeeOther {
		doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
		t.Fatalf("save: status %d: %s", status, doc.Find(`[role="alert"], .field-error`).Text())
	}
	want := []string{p(ls[0]) + ":5:1.5", p(ls[2]) + ":7:3", "1:2:9.99"}
	if got := orderLines(t, c, o.ID); !slices.Equal(got, want) {
		t.Errorf("lines %q, want %q", got, want)
	}
	if got := c.Order.GetX(ctx, o.ID).Customer; got != "Renamed customer" {
		t.Errorf("customer %q", got)
	}
	// A product once per order: a second line of it is an error on the row.
	dup := orderForm(o, "Renamed customer", []string{"", p(ls[0]), "1", "1", "9"})
	if status, _ := b.do("POST", path, dup); status != http.StatusUnprocessableEntity {
		t.Errorf("a product twice on an order: status %d, want 422", status)
	}
	if got := orderLines(t, c, o.ID); !slices.Equal(got, want) {
		t.Errorf("lines %q after a duplicate, want %q", got, want)
	}
}
