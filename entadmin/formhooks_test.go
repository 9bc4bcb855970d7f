package entadmin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/entadmin"
	entshop "github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
)

func TestPerRequestFormHooksAreEnforcedOnPost(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(2) // product 0 is a draft, product 1 published
	var sawAdd bool
	hooks := &s.res.Product.FormHooks
	hooks.ReadOnlyFields = func(r *http.Request, p *entshop.Product) []string {
		if p == nil {
			sawAdd = true
			return nil
		}
		if p.Status == "published" {
			return []string{"price"}
		}
		return nil
	}
	hooks.Fields = func(r *http.Request, p *entshop.Product) []string {
		if r.URL.Query().Get("lean") != "" {
			return []string{"name", "price", "status", "stock_count", "brand", "nope"}
		}
		return []string{"name", "description", "price", "cost_price", "category", "brand", "status", "is_active", "stock_count"}
	}
	hooks.Fieldsets = func(r *http.Request, p *entshop.Product) []entadmin.Fieldset {
		return []entadmin.Fieldset{{Title: "Main", Fields: []string{"name", "price", "status"}}}
	}
	draft, published := f.products[0], f.products[1]

	// Read-only for this entity: shown as text, a posted value changes nothing.
	p := s.get("/product/" + ids(published.ID) + "/")
	if p.doc.Find(`input[name="price"]`).Length() != 0 || !strings.Contains(p.doc.Find("#id_price").Text(), "1.5") {
		t.Error("price of a published product is not read-only on the form")
	}
	post := s.post("/product/"+ids(published.ID)+"/", productForm("Published renamed", "999", f.kitchen.ID))
	if post.status != http.StatusSeeOther {
		t.Fatalf("status %d", post.status)
	}
	if got := s.client.Product.GetX(context.Background(), published.ID); got.Price != 1.5 || got.Name != "Published renamed" {
		t.Errorf("price %v name %q: a read-only price was accepted, or the name was not", got.Price, got.Name)
	}
	if post := s.post("/product/"+ids(draft.ID)+"/", productForm("Draft", "42", f.kitchen.ID)); post.status != http.StatusSeeOther {
		t.Fatalf("draft: status %d", post.status)
	}
	if got := s.client.Product.GetX(context.Background(), draft.ID); got.Price != 42 {
		t.Errorf("the price of a draft is writable, but came out %v", got.Price)
	}

	// Fieldsets from the hook; the form's other fields go into "Other".
	p = s.get("/product/" + ids(draft.ID) + "/")
	var legends []string
	p.doc.Find("form legend, form summary").Each(func(_ int, l *goquery.Selection) { legends = append(legends, strings.TrimSpace(l.Text())) })
	if strings.Join(legends, ",") != "Main,Other" {
		t.Errorf("fieldsets %q, want Main, Other", legends)
	}
	if p.doc.Find(`[name="description"]`).Length() != 1 {
		t.Error("a field of the form in no fieldset is not shown")
	}

	// Fields from the hook: a field that is not on the form is not accepted.
	post = s.post("/product/"+ids(draft.ID)+"/?lean=1", productForm("Lean", "43", f.garden.ID))
	if post.status != http.StatusSeeOther {
		t.Fatalf("lean: status %d", post.status)
	}
	if g := s.client.Product.GetX(context.Background(), draft.ID); g.Name != "Lean" || g.CategoryID != f.kitchen.ID {
		t.Errorf("name %q, category %d: the category is off the form but was written", g.Name, g.CategoryID)
	}
	if s.get("/product/add/").status != http.StatusOK || !sawAdd {
		t.Error("the hooks did not run with a nil product on the add form")
	}
}

func TestResponsesDecideWhereTheUserGoes(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(3)
	res := &s.res.Product.Responses
	res.Add = func(r *http.Request, p *entshop.Product) entadmin.Response { return entadmin.ToEdit() }
	res.Change = func(r *http.Request, p *entshop.Product) entadmin.Response {
		if p.Name == "Elsewhere" {
			return entadmin.ToURL("/shop/products/" + ids(p.ID))
		}
		return entadmin.Response{} // the buttons decide
	}
	res.Delete = func(r *http.Request, p *entshop.Product) entadmin.Response { return entadmin.ToAddAnother() }

	p := s.post("/product/add/", productForm("Added", "1", f.kitchen.ID))
	id := s.client.Product.Query().Where(product.Name("Added")).OnlyX(context.Background()).ID
	if p.location != "/admin/product/"+ids(id)+"/" {
		t.Errorf("after add: %q, want the new product's form", p.location)
	}
	if p := s.post("/product/"+ids(id)+"/", productForm("Elsewhere", "1", f.kitchen.ID)); p.location != "/shop/products/"+ids(id) {
		t.Errorf("after change: %q", p.location)
	}
	form := productForm("Plain", "1", f.kitchen.ID)
	form.Set("_continue", "")
	if p := s.post("/product/"+ids(id)+"/", form); p.location != "/admin/product/"+ids(id)+"/" {
		t.Errorf("a zero Response keeps the button's redirect; got %q", p.location)
	}
	if p := s.post("/product/"+ids(f.products[0].ID)+"/delete/", nil); p.location != "/admin/product/add/" {
		t.Errorf("after delete: %q", p.location)
	}
}

func TestValidateEndpointHonorsTheFormHooks(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(2) // product 0 is a draft, product 1 published
	hooks := &s.res.Product.FormHooks
	hooks.ReadOnlyFields = func(r *http.Request, p *entshop.Product) []string {
		if p != nil && p.Status == "published" {
			return []string{"price"}
		}
		return nil
	}
	hooks.Fields = func(r *http.Request, p *entshop.Product) []string {
		return []string{"name", "price", "status", "stock_count"}
	}
	draft, published := ids(f.products[0].ID), ids(f.products[1].ID)
	form := productForm("", "-3", f.kitchen.ID)
	tests := []struct {
		name, path string
		status     int
	}{
		{"a field on the form", "/product/validate/?field=price&id=" + draft, http.StatusOK},
		{"a field read-only for this entity", "/product/validate/?field=price&id=" + published, http.StatusBadRequest},
		{"the same field on the add form", "/product/validate/?field=price", http.StatusOK},
		{"a field the hook leaves off the form", "/product/validate/?field=brand&id=" + draft, http.StatusBadRequest},
		{"an edge the hook leaves off the form", "/product/validate/?field=category", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if p := s.post(tt.path, form); p.status != tt.status {
				t.Errorf("status %d, want %d: %s", p.status, tt.status, p.body)
			}
		})
	}
	// The whole form answers the fields the save would accept, no others.
	whole := s.post("/product/validate/?id="+published, form)
	var got []string
	whole.doc.Find(`[hx-swap-oob="true"]`).Each(func(_ int, e *goquery.Selection) { got = append(got, e.AttrOr("id", "")) })
	if strings.Join(got, ",") != "id_name-errors,id_status-errors,id_stock_count-errors" {
		t.Errorf("whole form validated %q", got)
	}
}
