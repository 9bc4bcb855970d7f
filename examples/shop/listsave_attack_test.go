package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/rbac"
)

// listSaveForm is the form of a list-save changing one cell of a row,
// from the value the page showed to value.
func listSaveForm(id, field, shown, value string) url.Values {
	return url.Values{"_row": {id}, "o." + id + "." + field: {shown}, "e." + id + "." + field: {value}}
}

// The price of a published product is read-only for everyone but
// superusers (the product form's ReadOnlyFields hook): the list must
// neither offer it as an input nor save it.
func TestListSaveKeepsTheFormsReadOnlyFields(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	ctx := context.Background()
	eve := f.role("eve") // changes products, not a superuser
	p := f.a.db.client.Product.UpdateOneID(atoi(t, f.ids["product"][idIn])).SetStatus(product.StatusPublished).SetPrice(9500.5).SaveX(entadmin.AsSystem(ctx, "test"))
	id := strconv.Itoa(p.ID)

	list := f.fetch(t, eve.client, http.MethodGet, "/product/?status=published&q="+url.QueryEscape(p.Name), nil, false)
	if strings.Contains(list.body, `name="e.`+id+`.price"`) {
		t.Errorf("eve's list offers the price of published product %s as an input", id)
	}
	// The value the page showed, as the superuser's list shows it.
	m := regexp.MustCompile(`name="o\.` + id + `\.price" value="([^"]*)"`).FindStringSubmatch(f.fetch(t, f.role("root").client, http.MethodGet, "/product/?status=published&q="+url.QueryEscape(p.Name), nil, false).body)
	if m == nil {
		t.Fatalf("the superuser's list shows no price input for product %s", id)
	}
	r := f.fetch(t, eve.client, http.MethodPost, "/product/list-save/", listSaveForm(id, "price", m[1], "9600"), false)
	if r.status >= 500 {
		t.Fatalf("eve's list-save of a read-only price: status %d", r.status)
	}
	if got := f.a.db.client.Product.GetX(ctx, p.ID).Price; got != 9500.5 {
		t.Errorf("eve changed the price of published product %s through the list-save to %v", id, got)
	}
	// A cell she may change still saves.
	shown := strconv.Itoa(p.StockCount)
	r = f.fetch(t, eve.client, http.MethodPost, "/product/list-save/", listSaveForm(id, "stock_count", shown, "4321"), false)
	if got := f.a.db.client.Product.GetX(ctx, p.ID).StockCount; r.status != http.StatusSeeOther || got != 4321 {
		t.Errorf("eve's list-save of the stock count: status %d, stock count %d; want 303 and 4321", r.status, got)
	}
}

// A user who sees every product but may change one only (an object grant)
// gets a refusal, not a server error, for a forged list-save of another,
// and the list offers inputs on the rows she may change only.
func TestListSaveOutsideTheChangeScope(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	ctx := context.Background()
	lou := newStaff(t, f.a, "lou")
	if err := f.a.enforcer.Grant(ctx, rbac.UserSubject(lou), "product", "view"); err != nil {
		t.Fatal(err)
	}
	in, out := f.ids["product"][idIn], f.ids["product"][idOut]
	f.a.own.ObjectGrant.Create().SetUserID(lou).SetResource("product").SetObjectID(in).SetAction("change").ExecX(ctx)
	client := login(t, f.base, "lou", "pw of lou")

	before := f.a.db.client.Product.GetX(ctx, atoi(t, out))
	shown := strconv.Itoa(before.StockCount)
	r := f.fetch(t, client, http.MethodPost, "/product/list-save/", listSaveForm(out, "stock_count", shown, "777"), false)
	if r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Errorf("lou's list-save of product %s, outside her change grants: status %d, want 403 or 404", out, r.status)
	}
	if got := f.a.db.client.Product.GetX(ctx, atoi(t, out)).StockCount; got != before.StockCount {
		t.Errorf("lou changed the stock count of product %s to %d", out, got)
	}

	list := f.fetch(t, client, http.MethodGet, "/product/?q="+url.QueryEscape(before.Name), nil, false)
	if strings.Contains(list.body, fmt.Sprintf(`name="e.%s.stock_count"`, out)) {
		t.Errorf("lou's list offers an input on product %s, which she may not change", out)
	}

	mine := f.a.db.client.Product.GetX(ctx, atoi(t, in))
	r = f.fetch(t, client, http.MethodPost, "/product/list-save/", listSaveForm(in, "stock_count", strconv.Itoa(mine.StockCount), "778"), false)
	if got := f.a.db.client.Product.GetX(ctx, atoi(t, in)).StockCount; r.status != http.StatusSeeOther || got != 778 {
		t.Errorf("lou's list-save of her product %s: status %d, stock count %d; want 303 and 778", in, r.status, got)
	}
}
