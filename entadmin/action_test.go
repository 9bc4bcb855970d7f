package entadmin_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
)

// recorded is what a test action saw.
type recorded struct {
	mu    sync.Mutex
	names []string
}

func (r *recorded) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.names)
}

// addActivate adds the action "activate" (permission "activate") that marks
// the selected products active and records their names.
func addActivate(s *shop) *recorded {
	rec := &recorded{}
	s.res.Product.Action("activate", "Mark as active", func(w http.ResponseWriter, r *http.Request, ps []*ent.Product) (string, error) {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.names = nil
		for _, p := range ps {
			rec.names = append(rec.names, p.Name)
			if err := p.Update().SetIsActive(true).Exec(r.Context()); err != nil {
				return "", err
			}
		}
		return fmt.Sprintf("Marked %d products as active.", len(ps)), nil
	}).Permission("activate").Writes("is_active")
	return rec
}

func selected(action string, ids ...int) url.Values {
	form := url.Values{"action": {action}}
	for _, id := range ids {
		form.Add("_selected", strconv.Itoa(id))
	}
	return form
}

func TestActionsOnlySeeRowsInTheUsersScope(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "product.activate", "product.delete")}))
	rec := addActivate(s)
	f := s.seed(6) // even: kitchen, odd: garden; i%3 == 0 inactive
	kitchen := f.kitchen.ID
	s.res.Product.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
		return sql.FieldEQ(product.FieldCategoryID, kitchen), nil
	}
	inside, outside := f.products[0], f.products[3] // both inactive; 3 is in the garden

	p := s.post("/product/", selected("activate", inside.ID, outside.ID))
	if p.status != http.StatusNotFound || !strings.Contains(p.body, strconv.Itoa(outside.ID)) {
		t.Fatalf("a forged id outside the scope: status %d, want 404 naming it:\n%s", p.status, p.body)
	}
	if rec.seen() != nil {
		t.Errorf("the action ran on %q", rec.seen())
	}
	ctx := context.Background()
	if s.client.Product.GetX(ctx, inside.ID).IsActive {
		t.Error("the row inside the scope was changed although the request was refused")
	}
	p = s.post("/product/", selected("delete_selected", outside.ID))
	if p.status != http.StatusNotFound {
		t.Errorf("delete of a row outside the scope: status %d, want 404", p.status)
	}

	p = s.post("/product/?q=Product", selected("activate", inside.ID))
	if p.status != http.StatusSeeOther || p.location != "/admin/product/?q=Product" {
		t.Fatalf("status %d to %q, want 303 back to the list with its parameters", p.status, p.location)
	}
	if got := rec.seen(); !slices.Equal(got, []string{inside.Name}) {
		t.Errorf("the action saw %q", got)
	}
	if !s.client.Product.GetX(ctx, inside.ID).IsActive {
		t.Error("the action's write was not committed")
	}
	if list := s.get("/product/"); !strings.Contains(list.body, "Marked 1 products as active.") {
		t.Error("the action's message is not shown on the list")
	}

	// Select all matching: every row of the scope matching the filters, not
	// the ids posted, and never a row outside the scope.
	form := selected("activate", inside.ID)
	form.Set("select_across", "1")
	s.client.Product.Update().SetIsActive(false).ExecX(ctx)
	if p := s.post("/product/?is_active=no", form); p.status != http.StatusSeeOther {
		t.Fatalf("select across: status %d:\n%s", p.status, p.body)
	}
	if got, want := rec.seen(), []string{"Product 000", "Product 002", "Product 004"}; !slices.Equal(got, want) {
		t.Errorf("select all matching acted on %q, want the kitchen products %q", got, want)
	}
	if n := s.client.Product.Query().Where(product.IsActive(true), product.CategoryID(f.garden.ID)).CountX(ctx); n != 0 {
		t.Errorf("%d garden products (outside the scope) were activated", n)
	}
}

func TestSelectAllMatchingAppliesToTheFilteredQueryAcrossPages(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	rec := addActivate(s)
	f := s.seed(90) // 30 inactive (i%3 == 0), 45 in the garden
	ctx := context.Background()
	list := s.get("/product/?is_active=no&category=" + strconv.Itoa(f.garden.ID))
	// i%3 == 0 and odd: 3, 9, 15, ..., 87: 15 rows, one page; select all
	// matching is offered only when the matches span pages.
	if list.doc.Find(`input[name="select_across"]`).Length() != 0 {
		t.Error("select all matching is offered although every match is on the page")
	}
	list = s.get("/product/?is_active=no")
	label := strings.TrimSpace(list.doc.Find(".select-across").Text())
	if label != "Select all 30 products" {
		t.Errorf("select across label = %q", label)
	}
	if n := list.doc.Find(`input[name="_selected"]`).Length(); n != 25 {
		t.Errorf("%d row checkboxes on the first page, want 25", n)
	}
	form := selected("activate", f.products[1].ID) // an active product: ignored with select_across
	form.Set("select_across", "1")
	if p := s.post("/product/?is_active=no", form); p.status != http.StatusSeeOther {
		t.Fatalf("status %d:\n%s", p.status, p.body)
	}
	got := rec.seen()
	if len(got) != 30 || !slices.Contains(got, "Product 087") || slices.Contains(got, "Product 001") {
		t.Errorf("the action saw %d rows %q, want the 30 inactive ones across both pages", len(got), got)
	}
	if n := s.client.Product.Query().Where(product.IsActive(false)).CountX(ctx); n != 0 {
		t.Errorf("%d products still inactive", n)
	}
}

func TestDeleteSelectedConfirmsListingCascadesAndNeedsThePermission(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "product.change")}))
	f := s.seed(3)
	ctx := context.Background()
	a, b := f.products[0], f.products[1]
	s.addImages(a, "a1.jpg", "a2.jpg")
	tag := s.client.Tag.Create().SetName("sale").SaveX(ctx)
	s.client.Product.UpdateOne(b).AddTags(tag).ExecX(ctx)

	list := s.get("/product/")
	if list.doc.Find(`select[name="action"] option[value="delete_selected"]`).Length() != 0 {
		t.Error("delete selected is offered without the delete permission")
	}
	if p := s.post("/product/", selected("delete_selected", a.ID)); p.status != http.StatusForbidden || !strings.Contains(p.body, "delete") {
		t.Errorf("without delete permission: status %d", p.status)
	}

	s = newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "product.delete", "productimage.view", "tag.view")}))
	f = s.seed(3)
	a, b = f.products[0], f.products[1]
	s.addImages(a, "a1.jpg", "a2.jpg")
	tag = s.client.Tag.Create().SetName("sale").SaveX(ctx)
	s.client.Product.UpdateOne(b).AddTags(tag).ExecX(ctx)
	if s.get("/product/").doc.Find(`select[name="action"] option[value="delete_selected"]`).Length() != 1 {
		t.Error("delete selected is not offered with the delete permission")
	}
	p := s.post("/product/?status=published", selected("delete_selected", a.ID, b.ID))
	if p.status != http.StatusOK {
		t.Fatalf("confirmation: status %d:\n%s", p.status, p.body)
	}
	text := p.doc.Find(".action-confirm").Text()
	for _, want := range []string{a.Name, b.Name, "Images", "will also be deleted", "a1.jpg", "a2.jpg", "will be unlinked", "sale"} {
		if !strings.Contains(text, want) {
			t.Errorf("the confirmation does not mention %q:\n%s", want, text)
		}
	}
	if n := s.client.Product.Query().CountX(ctx); n != 3 {
		t.Fatalf("the confirmation page deleted something: %d products left", n)
	}
	form := url.Values{}
	p.doc.Find(`.action-confirm form input[type="hidden"]`).Each(func(_ int, in *goquery.Selection) {
		form.Add(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	action := p.doc.Find(".action-confirm form").AttrOr("action", "")
	if action != "/admin/product/?status=published" {
		t.Errorf("the confirmation posts to %q, want the list with its parameters", action)
	}
	p = s.post(strings.TrimPrefix(action, "/admin"), form)
	if p.status != http.StatusSeeOther {
		t.Fatalf("delete: status %d:\n%s", p.status, p.body)
	}
	if s.client.Product.Query().Where(product.IDIn(a.ID, b.ID)).ExistX(ctx) {
		t.Error("the selected products still exist")
	}
	if n := s.client.ProductImage.Query().CountX(ctx); n != 0 {
		t.Errorf("%d images of the deleted product are left", n)
	}
	if !s.client.Tag.Query().ExistX(ctx) || !s.client.Product.Query().Where(product.ID(f.products[2].ID)).ExistX(ctx) {
		t.Error("a row that was not selected was deleted")
	}
	if !strings.Contains(s.get("/product/").body, "Deleted 2 products.") {
		t.Error("no message after the delete")
	}
}

func TestCustomActionPermissionIsEnforced(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "product.change", "product.delete")}))
	rec := addActivate(s)
	f := s.seed(2)
	if opts := s.get("/product/").doc.Find(`select[name="action"] option[value="activate"]`); opts.Length() != 0 {
		t.Error("the action is offered without its permission")
	}
	p := s.post("/product/", selected("activate", f.products[0].ID))
	if p.status != http.StatusForbidden || !strings.Contains(p.body, "activate") {
		t.Errorf("without product.activate: status %d, want 403 naming the permission", p.status)
	}
	if rec.seen() != nil {
		t.Error("the action ran without its permission")
	}
	if p := s.post("/product/", selected("nope", f.products[0].ID)); p.status != http.StatusBadRequest {
		t.Errorf("an unknown action: status %d, want 400", p.status)
	}
	if p := s.post("/product/", selected("delete_selected")); p.status != http.StatusSeeOther {
		t.Errorf("no row selected: status %d, want a redirect with a message", p.status)
	}
}

func TestActionConfirmationStepAndOwnResponse(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(3)
	ran := 0
	s.res.Product.Action("discontinue", "Discontinue", func(w http.ResponseWriter, r *http.Request, ps []*ent.Product) (string, error) {
		ran++
		for _, p := range ps {
			if err := p.Update().SetStatus(product.StatusDiscontinued).Exec(r.Context()); err != nil {
				return "", err
			}
		}
		if len(ps) > 1 {
			return "", &entadmin.FormError{Message: "Discontinue one product at a time."}
		}
		return "Discontinued.", nil
	}).Confirm("Discontinue the selected products?")
	s.res.Product.Action("csv", "Download as CSV", func(w http.ResponseWriter, r *http.Request, ps []*ent.Product) (string, error) {
		w.Header().Set("Content-Type", "text/csv")
		cw := csv.NewWriter(w)
		for _, p := range ps {
			cw.Write([]string{p.Name, strconv.FormatFloat(p.Price, 'f', 2, 64)})
		}
		cw.Flush()
		return "", cw.Error()
	}).Permission(entadmin.ActionView)

	p := s.post("/product/", selected("discontinue", f.products[0].ID))
	if p.status != http.StatusOK || ran != 0 || !strings.Contains(p.body, "Discontinue the selected products?") || !strings.Contains(p.body, f.products[0].Name) {
		t.Fatalf("first post: status %d, ran %d times; want the confirmation page:\n%s", p.status, ran, p.body)
	}
	form := selected("discontinue", f.products[0].ID)
	form.Set("_confirm", "yes")
	if p := s.post("/product/", form); p.status != http.StatusSeeOther || ran != 1 {
		t.Fatalf("confirmed: status %d, ran %d times", p.status, ran)
	}
	ctx := context.Background()
	if s.client.Product.GetX(ctx, f.products[0].ID).Status != product.StatusDiscontinued {
		t.Error("the confirmed action did not change the row")
	}
	// An error rolls the action's writes back and is shown as a message.
	form = selected("discontinue", f.products[1].ID, f.products[2].ID)
	form.Set("_confirm", "yes")
	if p := s.post("/product/", form); p.status != http.StatusSeeOther {
		t.Fatalf("failing action: status %d", p.status)
	}
	if n := s.client.Product.Query().Where(product.StatusEQ(product.StatusDiscontinued)).CountX(ctx); n != 1 {
		t.Errorf("%d discontinued products, want the failed action rolled back", n)
	}
	if !strings.Contains(s.get("/product/").body, "Discontinue one product at a time.") {
		t.Error("the action's error is not shown")
	}

	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/admin/product/", strings.NewReader(selected("csv", f.products[0].ID, f.products[1].ID).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p = s.do(req)
	if p.status != http.StatusOK || !strings.Contains(p.body, f.products[0].Name+",") || !strings.Contains(p.body, f.products[1].Name+",") {
		t.Errorf("own response: status %d body %q", p.status, p.body)
	}
}

func TestExportSelectedAsCSV(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view")}))
	f := s.seed(60) // 20 inactive
	if s.get("/product/").doc.Find(`select[name="action"] option[value="export_selected"]`).Length() != 1 {
		t.Error("export selected is not offered with the view permission")
	}
	lines := func(p *page) []string {
		t.Helper()
		if p.status != http.StatusOK {
			t.Fatalf("status %d:\n%s", p.status, p.body)
		}
		rs, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range rs[1:] {
			names = append(names, r[0])
		}
		return names
	}
	got := lines(s.post("/product/", selected("export_selected", f.products[2].ID, f.products[1].ID)))
	if !slices.Equal(got, []string{"Product 001", "Product 002"}) {
		t.Errorf("exported %q", got)
	}
	form := selected("export_selected", f.products[1].ID)
	form.Set("select_across", "1")
	got = lines(s.post("/product/?is_active=no&o=name", form))
	if len(got) != 20 || got[0] != "Product 000" || got[19] != "Product 057" {
		t.Errorf("select all matching exported %d rows: %q", len(got), got)
	}
	kitchen := f.kitchen.ID
	s.res.Product.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
		return sql.FieldEQ(product.FieldCategoryID, kitchen), nil
	}
	if p := s.post("/product/", selected("export_selected", f.products[0].ID, f.products[1].ID)); p.status != http.StatusNotFound {
		t.Errorf("export with an id outside the scope: status %d, want 404", p.status)
	}
}
