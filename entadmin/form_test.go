package entadmin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
)

func productForm(name, price string, categoryID int) url.Values {
	return url.Values{
		"name":        {name},
		"description": {"A sturdy mug."},
		"price":       {price},
		"cost_price":  {""},
		"category":    {strconv.Itoa(categoryID)},
		"brand":       {"Acme"},
		"status":      {"published"},
		"is_active":   {"on"},
		"stock_count": {"12"},
		"_save":       {""},
	}
}

func TestAddFormShowsDefaultsAndRequiredFields(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	p := s.get("/product/add/")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	checks := []struct{ name, want string }{
		{"status", "published"},
		{"stock_count", "0"},
		{"name", ""},
	}
	for _, c := range checks {
		if got := p.value(c.name); got != c.want {
			t.Errorf("%s = %q, want %q", c.name, got, c.want)
		}
	}
	if _, checked := p.doc.Find(`input[name="is_active"]`).Attr("checked"); !checked {
		t.Error("is_active is not checked by default")
	}
	if _, ok := p.doc.Find(`input[name="name"]`).Attr("required"); !ok {
		t.Error("name is not marked required")
	}
	if _, ok := p.doc.Find(`input[name="cost_price"]`).Attr("required"); ok {
		t.Error("cost_price is optional but marked required")
	}
	if got := p.doc.Find(`label[for="id_name"]`).Length(); got != 1 {
		t.Errorf("name has %d labels", got)
	}
	if p.doc.Find(`textarea[name="description"]`).Length() != 1 {
		t.Error("description is not a textarea")
	}
	if p.doc.Find(`select[name="category"] option[value="`+strconv.Itoa(f.garden.ID)+`"]`).Text() != "Garden" {
		t.Error("the category select does not offer Garden by name")
	}
	if p.doc.Find(`details`).Length() != 1 || p.doc.Find(`details[open]`).Length() != 0 {
		t.Error("the Inventory fieldset should start collapsed")
	}
	if !strings.Contains(p.body, "What customers see in the shop.") {
		t.Error("fieldset description missing")
	}
	if p.doc.Find(`[name="created_at"]`).Length() != 0 {
		t.Error("created_at is read-only but has an input")
	}
}

func TestAddSavesAndRedirectsWithAMessage(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		f := s.seed(0)
		p := s.post("/product/add/", productForm("Red Mug", "9.99", f.kitchen.ID))
		if p.status != http.StatusSeeOther || p.location != "/admin/product/" {
			t.Fatalf("status %d to %q:\n%s", p.status, p.location, p.body)
		}
		got := s.client.Product.Query().WithCategory().OnlyX(context.Background())
		if got.Name != "Red Mug" || got.Price != 9.99 || got.CostPrice != nil || got.Edges.Category.ID != f.kitchen.ID || !got.IsActive || got.StockCount != 12 {
			t.Errorf("saved %+v", got)
		}
		list := s.get("/product/")
		if msg := strings.TrimSpace(list.doc.Find(`[role="status"]`).Text()); !strings.Contains(msg, "The product “Red Mug” was added.") {
			t.Errorf("message = %q", msg)
		}
		if again := s.get("/product/"); strings.Contains(again.body, "was added") {
			t.Error("the message shows twice")
		}
	})
}

func TestSaveButtonsRedirect(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(0)
	form := productForm("Mug", "1", f.kitchen.ID)
	form.Del("_save")
	form.Set("_continue", "")
	p := s.post("/product/add/", form)
	id := s.client.Product.Query().OnlyIDX(context.Background())
	if want := "/admin/product/" + strconv.Itoa(id) + "/"; p.location != want {
		t.Errorf("save and continue goes to %q, want %q", p.location, want)
	}
	form.Del("_continue")
	form.Set("_addanother", "")
	if p := s.post("/product/add/", form); p.location != "/admin/product/add/" {
		t.Errorf("save and add another goes to %q", p.location)
	}
}

func TestBadInputComesBackWithValuesAndAMessagePerField(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		f := s.seed(0)
		form := productForm("", "-3", f.kitchen.ID)
		form.Set("stock_count", "twelve")
		form.Set("cost_price", "1e999")
		form.Set("status", "sold")
		form.Set("brand", strings.Repeat("b", 101))
		form.Set("description", "<script>alert(1)</script>")
		p := s.post("/product/add/", form)
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", p.status)
		}
		errs := map[string]string{
			"name":        "This field is required.",
			"price":       "Ensure this value is greater than or equal to 0.",
			"stock_count": "Enter a whole number.",
			"cost_price":  "The number is out of range.",
			"status":      "Select a valid choice",
			"brand":       "Value is greater than the required length.",
		}
		for field, want := range errs {
			if got := p.fieldError(field); !strings.Contains(got, want) {
				t.Errorf("%s error = %q, want %q", field, got, want)
			}
		}
		// ent's Min(0) and NonNegative() are the inputs' min.
		for _, name := range []string{"price", "stock_count", "cost_price"} {
			if got, _ := p.doc.Find(`input[name="` + name + `"]`).Attr("min"); got != "0" {
				t.Errorf("the %s input has min %q, want 0 from the ent validator", name, got)
			}
		}
		if got := p.value("stock_count"); got != "twelve" {
			t.Errorf("stock_count came back as %q", got)
		}
		if got := p.value("description"); got != "<script>alert(1)</script>" {
			t.Errorf("description came back as %q", got)
		}
		if strings.Contains(p.body, "<script>alert(1)") {
			t.Error("the description was not escaped")
		}
		if got := p.value("category"); got != strconv.Itoa(f.kitchen.ID) {
			t.Errorf("category came back as %q", got)
		}
		if n := s.client.Product.Query().CountX(context.Background()); n != 0 {
			t.Errorf("%d products saved", n)
		}
	})
}

func TestUniqueAndPatternValidators(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		f := s.seed(0)
		p := s.post("/category/add/", url.Values{"name": {"Kitchen 2"}, "slug": {"kitchen"}})
		if got := p.fieldError("slug"); got != "A category with this slug already exists." {
			t.Errorf("duplicate slug error = %q", got)
		}
		p = s.post("/category/add/", url.Values{"name": {"Bad"}, "slug": {"Not A Slug"}})
		if got := p.fieldError("slug"); !strings.Contains(got, "does not match") {
			t.Errorf("pattern error = %q", got)
		}
		// Saving an entity with its own unique value is no conflict.
		p = s.post("/category/"+strconv.Itoa(f.kitchen.ID)+"/", url.Values{"name": {"Kitchen & Dining"}, "slug": {"kitchen"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", p.status, p.fieldError("slug"))
		}
	})
}

func TestEditChangesOnlyEditableFields(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	ctx := context.Background()
	pr := s.client.Product.GetX(ctx, f.products[0].ID) // as stored, in the database's precision
	path := "/product/" + strconv.Itoa(pr.ID) + "/"
	p := s.get(path)
	if got := p.value("price"); got != "0.5" {
		t.Errorf("price input = %q", got)
	}
	if !strings.Contains(p.doc.Find(".readonly").Text(), pr.CreatedAt.UTC().Format("2006-01-02 15:04")) {
		t.Error("created_at is not shown read-only")
	}
	if href := p.doc.Find(`a[href$="/delete/"]`).AttrOr("href", ""); href != "/admin"+path+"delete/" {
		t.Errorf("delete link = %q", href)
	}
	form := productForm("Renamed", "14.99", f.garden.ID)
	form.Set("cost_price", "7.5")
	form.Del("is_active")
	form.Set("created_at", "2001-01-01T00:00") // read-only: ignored
	if p := s.post(path, form); p.status != http.StatusSeeOther {
		t.Fatalf("status %d:\n%s", p.status, p.body)
	}
	got := s.client.Product.Query().Where(product.ID(pr.ID)).WithCategory().OnlyX(ctx)
	if got.Name != "Renamed" || got.Price != 14.99 || got.CostPrice == nil || *got.CostPrice != 7.5 || got.IsActive || got.Edges.Category.ID != f.garden.ID {
		t.Errorf("saved %+v", got)
	}
	if !got.CreatedAt.Equal(pr.CreatedAt) {
		t.Errorf("created_at changed from %v to %v", pr.CreatedAt, got.CreatedAt)
	}
	// Clearing optional values writes NULL, not zero.
	form.Set("cost_price", "")
	form.Set("category", "")
	s.post(path, form)
	got = s.client.Product.Query().Where(product.ID(pr.ID)).WithCategory().OnlyX(ctx)
	if got.CostPrice != nil || got.Edges.Category != nil {
		t.Errorf("cleared values saved as %v, %v", got.CostPrice, got.Edges.Category)
	}
	if p := s.get(path); p.value("cost_price") != "" {
		t.Errorf("a NULL cost_price shows as %q", p.value("cost_price"))
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	s.seed(1)
	for _, path := range []string{"/nope/", "/product/999999/", "/product/abc/", "/product/999999/delete/", "/product/1/nope/"} {
		if p := s.get(path); p.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, p.status)
		}
	}
	if p := s.post("/product/999999/", productForm("x", "1", 1)); p.status != http.StatusNotFound {
		t.Errorf("post to a missing id: status %d", p.status)
	}
}

func TestDeleteConfirmsListsCascadesAndDeletes(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		f := s.seed(2)
		ctx := context.Background()
		pr := f.products[0]
		s.client.ProductImage.Create().SetURL("https://img.example.com/1.jpg").SetProduct(pr).ExecX(ctx)
		tag := s.client.Tag.Create().SetName("sale").AddProducts(pr).SaveX(ctx)
		path := "/product/" + strconv.Itoa(pr.ID) + "/delete/"
		p := s.get(path)
		if p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
		text := p.doc.Text()
		for _, want := range []string{"Product 000", "Images", "https://img.example.com/1.jpg", "Tags", "sale"} {
			if !strings.Contains(text, want) {
				t.Errorf("confirmation lacks %q", want)
			}
		}
		if n := s.client.Product.Query().CountX(ctx); n != 2 {
			t.Fatalf("GET deleted: %d products left", n)
		}
		p = s.post(path, url.Values{})
		if p.status != http.StatusSeeOther || p.location != "/admin/product/" {
			t.Fatalf("status %d to %q", p.status, p.location)
		}
		if s.client.Product.Query().Where(product.ID(pr.ID)).ExistX(ctx) {
			t.Error("not deleted")
		}
		if n := s.client.ProductImage.Query().CountX(ctx); n != 0 {
			t.Errorf("%d images left; they cascade", n)
		}
		if !s.client.Tag.Query().Where().ExistX(ctx) || s.client.Tag.GetX(ctx, tag.ID).QueryProducts().CountX(ctx) != 0 {
			t.Error("the tag should stay, unlinked")
		}
		if !strings.Contains(s.get("/product/").body, "The product “Product 000” was deleted.") {
			t.Error("no message after the delete")
		}
	})
}

func TestDeleteOfACategoryUnlinksItsProducts(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(2)
	p := s.get("/category/" + strconv.Itoa(f.kitchen.ID) + "/delete/")
	if !strings.Contains(p.doc.Text(), "Product 000") || !strings.Contains(p.body, "unlinked") {
		t.Errorf("confirmation does not say the products will be unlinked:\n%s", p.doc.Find("main").Text())
	}
	s.post("/category/"+strconv.Itoa(f.kitchen.ID)+"/delete/", url.Values{})
	got := s.client.Product.GetX(context.Background(), f.products[0].ID)
	if got.CategoryID != 0 {
		t.Errorf("product still points at category %d", got.CategoryID)
	}
}

func TestMountedUnderAnyPrefix(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.SQLite, "/backoffice/admin")
	s.seed(1)
	p := s.get("/product/")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	p.doc.Find("a[href], link[href], script[src], form[action]").Each(func(_ int, sel *goquery.Selection) {
		for _, attr := range []string{"href", "src", "action"} {
			if v, ok := sel.Attr(attr); ok && strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "/backoffice/admin/") {
				t.Errorf("%s=%q ignores the prefix", attr, v)
			}
		}
	})
	if p := s.get("/static/admin.css"); p.status != http.StatusOK {
		t.Errorf("static: status %d", p.status)
	}
	if got := p.doc.Find("title").Text(); !strings.Contains(got, "Test shop") {
		t.Errorf("title %q lacks the site title", got)
	}
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.SQLite, "/admin")
	f := s.seed(0)
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/admin/product/add/", strings.NewReader(productForm("Evil", "1", f.kitchen.ID).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	p := s.do(req)
	if p.status != http.StatusForbidden {
		t.Errorf("status %d, want 403", p.status)
	}
	if n := s.client.Product.Query().CountX(context.Background()); n != 0 {
		t.Errorf("%d products saved", n)
	}
}

func TestErrorsFromEntHooksComeBackOnTheForm(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	s.client.Product.Use(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if v, ok := m.Field("price"); ok && v.(float64) > 1000 {
				return nil, &entadmin.FieldError{Field: "price", Message: "Prices above 1000 need approval."}
			}
			if v, ok := m.Field("name"); ok && v.(string) == "Forbidden" {
				return nil, &entadmin.FormError{Message: "This name is reserved."}
			}
			return next.Mutate(ctx, m)
		})
	})
	path := "/product/" + strconv.Itoa(f.products[0].ID) + "/"
	p := s.post(path, productForm("Dear", "5000", f.kitchen.ID))
	if p.status != http.StatusUnprocessableEntity || p.fieldError("price") != "Prices above 1000 need approval." || p.value("price") != "5000" {
		t.Errorf("field error: status %d, error %q, value %q", p.status, p.fieldError("price"), p.value("price"))
	}
	p = s.post(path, productForm("Forbidden", "5", f.kitchen.ID))
	if !strings.Contains(p.doc.Find(`[role="alert"]`).Text(), "This name is reserved.") {
		t.Errorf("form error not shown: %q", p.doc.Find(`[role="alert"]`).Text())
	}
	if got := s.client.Product.GetX(context.Background(), f.products[0].ID); got.Name != "Product 000" {
		t.Errorf("refused saves changed the product: %q", got.Name)
	}
}
