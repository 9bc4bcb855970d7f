package entadmin_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent/category"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
)

// policy is an Authorizer for tests: one user with the listed permissions
// ("product.view") and field access ("product.price" → hidden).
type policy struct {
	perms  map[string]bool
	fields map[string]entadmin.Access
}

type tester struct{}

func (tester) DisplayName() string { return "tester" }

func (p policy) Authenticate(*http.Request) (entadmin.User, error) { return tester{}, nil }

func (p policy) Allowed(_ context.Context, _ entadmin.User, a entadmin.Action, slug string) bool {
	return p.perms[slug+"."+string(a)]
}

func (p policy) FieldAccess(_ context.Context, _ entadmin.User, slug, field string) entadmin.Access {
	if a, ok := p.fields[slug+"."+field]; ok {
		return a
	}
	return entadmin.AccessWrite
}

func perms(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

func TestEveryRouteChecksItsPermission(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "category.view", "category.add")}))
	f := s.seed(1)
	id := strconv.Itoa(f.products[0].ID)
	tests := []struct {
		method, path string
		want         int
	}{
		{"GET", "/product/", http.StatusOK},
		{"GET", "/product/" + id + "/", http.StatusOK}, // read-only
		{"POST", "/product/" + id + "/", http.StatusForbidden},
		{"GET", "/product/add/", http.StatusForbidden},
		{"POST", "/product/add/", http.StatusForbidden},
		{"GET", "/product/" + id + "/delete/", http.StatusForbidden},
		{"POST", "/product/" + id + "/delete/", http.StatusForbidden},
		{"GET", "/tag/", http.StatusForbidden},
		{"GET", "/category/add/", http.StatusOK},
	}
	for _, tt := range tests {
		var p *page
		if tt.method == "GET" {
			p = s.get(tt.path)
		} else {
			p = s.post(tt.path, productForm("Hacked", "1", f.kitchen.ID))
		}
		if p.status != tt.want {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, p.status, tt.want)
		}
		if p.status == http.StatusForbidden && !strings.Contains(p.body, "permission") {
			t.Errorf("%s %s: the 403 page does not say what is missing", tt.method, tt.path)
		}
	}
	if got := s.client.Product.GetX(context.Background(), f.products[0].ID).Name; got != "Product 000" {
		t.Errorf("a forbidden POST changed the name to %q", got)
	}
	dash := s.get("/")
	if strings.Contains(dash.body, `href="/admin/tag/"`) || !strings.Contains(dash.body, `href="/admin/product/"`) {
		t.Error("the dashboard shows what the user may not see, or hides what they may")
	}
	if strings.Contains(dash.body, `href="/admin/product/add/"`) {
		t.Error("the dashboard offers to add products without add permission")
	}
	form := s.get("/product/" + id + "/")
	if form.doc.Find("main form button[type=submit]").Length() != 0 || form.doc.Find(`a[href$="/delete/"]`).Length() != 0 {
		t.Error("a view-only form has save or delete buttons")
	}
	if form.doc.Find("main input, main select, main textarea").Length() != 0 {
		t.Error("a view-only form has inputs")
	}
}

func TestHiddenAndReadOnlyFieldsAreNeitherShownNorAccepted(t *testing.T) {
	t.Parallel()
	auth := policy{
		perms:  perms("product.view", "product.change", "product.add", "category.view"),
		fields: map[string]entadmin.Access{"product.price": entadmin.AccessHidden, "product.stock_count": entadmin.AccessReadOnly},
	}
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(auth))
	f := s.seed(3)
	ctx := context.Background()

	list := s.get("/product/")
	if strings.Contains(list.doc.Find("thead").Text(), "Price") {
		t.Error("the list shows a hidden column")
	}
	if p := s.get("/product/?o=price"); p.status != http.StatusBadRequest {
		t.Errorf("sorting by a hidden field: status %d, want 400", p.status)
	}

	path := "/product/" + strconv.Itoa(f.products[1].ID) + "/"
	form := s.get(path)
	if form.doc.Find(`[name="price"]`).Length() != 0 || strings.Contains(form.doc.Find("main").Text(), "Price") {
		t.Error("the form shows a hidden field")
	}
	if form.doc.Find(`[name="stock_count"]`).Length() != 0 || !strings.Contains(form.doc.Find(".readonly").Text(), "1") {
		t.Error("a read-only field has an input, or is not shown")
	}
	post := productForm("Renamed", "999", f.kitchen.ID)
	post.Set("stock_count", "777")
	p := s.post(path, post)
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d:\n%s", p.status, p.body)
	}
	got := s.client.Product.GetX(ctx, f.products[1].ID)
	if got.Name != "Renamed" || got.Price != 1.5 || got.StockCount != 1 {
		t.Errorf("saved name %q price %v stock %d: the hidden and read-only fields changed", got.Name, got.Price, got.StockCount)
	}
	msg := s.get("/product/").doc.Find(`[role="status"]`).Text()
	if !strings.Contains(msg, "Not saved, because you may not change them: price, stock_count.") || !strings.Contains(msg, "was changed") {
		t.Errorf("messages = %q", msg)
	}
}

func TestRowScopeAppliesToListCountsEditsDeletesAndChoices(t *testing.T) {
	t.Parallel()
	all := perms("product.view", "product.change", "product.delete", "category.view", "category.change")
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: all}))
	f := s.seed(6)
	ctx := context.Background()
	s.res.Product.Scope = func(ctx context.Context, u entadmin.User) (entadmin.Predicate, error) {
		return product.HasCategoryWith(category.ID(f.kitchen.ID)), nil
	}
	s.res.Category.Scope = func(ctx context.Context, u entadmin.User) (entadmin.Predicate, error) {
		return category.ID(f.kitchen.ID), nil
	}
	list := s.get("/product/")
	if rows := list.rows(); len(rows) != 3 || !strings.Contains(list.body, "3 products") {
		t.Errorf("scoped list shows %q", rows)
	}
	garden := strconv.Itoa(f.products[1].ID) // odd products are in the garden
	for _, path := range []string{"/product/" + garden + "/", "/product/" + garden + "/delete/"} {
		if p := s.get(path); p.status != http.StatusNotFound {
			t.Errorf("GET %s outside the scope: status %d, want 404", path, p.status)
		}
	}
	if p := s.post("/product/"+garden+"/", productForm("Hacked", "1", f.kitchen.ID)); p.status != http.StatusNotFound {
		t.Errorf("POST outside the scope: status %d", p.status)
	}
	if p := s.post("/product/"+garden+"/delete/", nil); p.status != http.StatusNotFound {
		t.Errorf("delete outside the scope: status %d", p.status)
	}
	if got := s.client.Product.GetX(ctx, f.products[1].ID); got.Name != "Product 001" {
		t.Errorf("an out-of-scope product changed: %q", got.Name)
	}
	form := s.get("/product/" + strconv.Itoa(f.products[0].ID) + "/")
	if form.doc.Find(`select[name="category"] option[value="`+strconv.Itoa(f.garden.ID)+`"]`).Length() != 0 {
		t.Error("the category select offers a category outside the user's scope")
	}
	p := s.post("/product/"+strconv.Itoa(f.products[0].ID)+"/", productForm("Moved", "1", f.garden.ID))
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.fieldError("category"), "Select a valid choice") {
		t.Errorf("a forged category outside the scope: status %d, error %q", p.status, p.fieldError("category"))
	}
	if got := s.client.Product.GetX(ctx, f.products[0].ID); got.CategoryID == f.garden.ID {
		t.Error("a product was moved into a category outside the scope")
	}
	// Outside an admin request, the application's own code sees every row.
	if n := s.client.Product.Query().CountX(ctx); n != 6 {
		t.Errorf("application code sees %d products, want 6", n)
	}
}

// askingPolicy is a policy that counts its questions.
type askingPolicy struct {
	policy
	mu    sync.Mutex
	asked map[string]int // "product.view", "product.field.price"
}

func (p *askingPolicy) count(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked[key]++
}

func (p *askingPolicy) Allowed(ctx context.Context, u entadmin.User, a entadmin.Action, slug string) bool {
	p.count(slug + "." + string(a))
	return p.policy.Allowed(ctx, u, a, slug)
}

func (p *askingPolicy) FieldAccess(ctx context.Context, u entadmin.User, slug, field string) entadmin.Access {
	p.count(slug + ".field." + field)
	return p.policy.FieldAccess(ctx, u, slug, field)
}

func TestARequestAsksTheAuthorizerEachQuestionOnce(t *testing.T) {
	t.Parallel()
	auth := &askingPolicy{policy: policy{
		perms:  perms("product.view", "product.change", "category.view"),
		fields: map[string]entadmin.Access{"product.price": entadmin.AccessHidden},
	}}
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(auth))
	f := s.seed(3)
	for _, path := range []string{"/product/", "/product/" + strconv.Itoa(f.products[0].ID) + "/"} {
		auth.asked = map[string]int{}
		if p := s.get(path); p.status != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, p.status)
		}
		for key, n := range auth.asked {
			if n != 1 {
				t.Errorf("GET %s asked %q %d times", path, key, n)
			}
		}
		if auth.asked["product.view"] != 1 || auth.asked["product.field.price"] != 1 {
			t.Errorf("GET %s did not ask for the view permission and the field access: %v", path, auth.asked)
		}
	}
}
