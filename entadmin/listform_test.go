package entadmin_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/views"
)

func TestAPasswordWidgetNeverWritesItsValueIntoThePage(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	s.res.Product.Field("brand").Widget = views.WidgetPassword
	ctx := context.Background()
	p := s.client.Product.UpdateOne(f.products[0]).SetBrand("stored-s3cret").SaveX(ctx)
	path := "/product/" + strconv.Itoa(p.ID) + "/"

	form := s.get(path)
	if strings.Contains(form.body, "stored-s3cret") {
		t.Fatal("the edit form holds the stored value")
	}
	if _, required := form.doc.Find(`input[name="brand"]`).Attr("required"); required || form.doc.Find(`input[type="password"][name="brand"]`).Length() != 1 {
		t.Error("the password input is missing or required on an existing entity")
	}
	// Saved empty, the stored value stays.
	values := productForm(p.Name, "3.50", f.kitchen.ID)
	values.Set("brand", "")
	if got := s.post(path, values); got.status != http.StatusSeeOther {
		t.Fatalf("save: status %d", got.status)
	}
	if got := s.client.Product.GetX(ctx, p.ID).Brand; got != "stored-s3cret" {
		t.Errorf("an empty password input changed the value to %q", got)
	}
	// A typed value is saved, and not written back after a failed save.
	values.Set("brand", "typed-s3cret")
	values.Set("price", "not a number")
	if got := s.post(path, values); got.status != http.StatusUnprocessableEntity && got.status != http.StatusOK || strings.Contains(got.body, "typed-s3cret") {
		t.Errorf("the failed save answers %d and holds the typed value: %v", got.status, strings.Contains(got.body, "typed-s3cret"))
	}
	values.Set("price", "3.50")
	if got := s.post(path, values); got.status != http.StatusSeeOther {
		t.Fatalf("save: status %d", got.status)
	}
	if got := s.client.Product.GetX(ctx, p.ID).Brand; got != "typed-s3cret" {
		t.Errorf("the typed value was not saved: %q", got)
	}
}

func TestAQuotedPhraseIsSearchedAsOneTerm(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(0)
	ctx := context.Background()
	for _, name := range []string{"Modern Steel Coat Rack", "Steel Hook for a Coat", "Wooden Coat Hanger"} {
		s.client.Product.Create().SetName(name).SetPrice(1).SetCategory(f.kitchen).ExecX(ctx)
	}
	for _, tc := range []struct {
		search string
		want   []string
	}{
		{`steel coat`, []string{"Modern Steel Coat Rack", "Steel Hook for a Coat"}},
		{`"steel coat"`, []string{"Modern Steel Coat Rack"}},
		{`'coat rack' modern`, []string{"Modern Steel Coat Rack"}},
		{`"coat steel"`, nil},
	} {
		got := s.get("/product/?o=name&q=" + url.QueryEscape(tc.search)).rows()
		if !slices.Equal(got, tc.want) {
			t.Errorf("search %s finds %q, want %q", tc.search, got, tc.want)
		}
	}
	if p := s.get("/product/?q=" + url.QueryEscape(`"a b c d e f g h i j k"`)); p.status != http.StatusBadRequest {
		t.Errorf("a quoted phrase of 11 words answers %d, want 400", p.status)
	}
}

func TestAFormHookMakesAFieldRequiredForTheRequest(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	s.res.Product.FormHooks.RequiredFields = func(r *http.Request, p *ent.Product) []string {
		if p != nil && r.URL.Query().Get("strict") == "1" {
			return []string{"cost_price", "unknown"}
		}
		return nil
	}
	ctx := context.Background()
	p := f.products[0]
	path := "/product/" + strconv.Itoa(p.ID) + "/"
	if _, ok := s.get(path).doc.Find(`input[name="cost_price"]`).Attr("required"); ok {
		t.Error("cost_price is required without the hook's condition")
	}
	if _, ok := s.get(path + "?strict=1").doc.Find(`input[name="cost_price"]`).Attr("required"); !ok {
		t.Error("the hook's required field is not marked required")
	}
	values := productForm("Renamed", "3.50", f.kitchen.ID)
	got := s.post(path+"?strict=1", values)
	if got.status == http.StatusSeeOther || got.fieldError("cost_price") != "This field is required." {
		t.Errorf("saving without the required field: status %d, error %q", got.status, got.fieldError("cost_price"))
	}
	if name := s.client.Product.GetX(ctx, p.ID).Name; name != p.Name {
		t.Errorf("the failed save renamed the product to %q", name)
	}
	values.Set("cost_price", "1.25")
	if got := s.post(path+"?strict=1", values); got.status != http.StatusSeeOther {
		t.Errorf("saving with the required field: status %d", got.status)
	}
	if got := s.post(path, productForm("Renamed again", "3.50", f.kitchen.ID)); got.status != http.StatusSeeOther {
		t.Errorf("without the hook's condition the field stays optional: status %d", got.status)
	}
}

func TestAFieldsetDescriptionHoldsMarkupOnlyWhenMarkedTrusted(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	s.seed(1)
	s.res.Product.FormHooks.Fieldsets = func(*http.Request, *ent.Product) []entadmin.Fieldset {
		return []entadmin.Fieldset{{
			Title:           "Product",
			Description:     "Plain <b>text</b> stays text.",
			DescriptionHTML: templ.Raw(`See the <a href="/guide/">pricing guide</a>.`),
			Fields:          []string{"name", "price"},
		}}
	}
	p := s.get("/product/add/")
	if !strings.Contains(p.body, "Plain &lt;b&gt;text&lt;/b&gt; stays text.") {
		t.Error("the plain description is not escaped")
	}
	if p.doc.Find(`.fieldset-description a[href="/guide/"]`).Text() != "pricing guide" {
		t.Error("the trusted markup is not rendered")
	}
}

func TestWidgetAttrsOfTheSchemaReachTheForm(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	s.seed(1)
	p := s.get("/product/add/")
	price := p.doc.Find(`input[name="price"]`)
	if got := price.AttrOr("step", ""); got != "0.01" || price.Length() != 1 {
		t.Errorf("price step = %q, want 0.01", got)
	}
	desc := p.doc.Find(`textarea[name="description"]`)
	if rows, ph := desc.AttrOr("rows", ""), desc.AttrOr("placeholder", ""); rows != "3" || ph != "What customers read in the shop" {
		t.Errorf("description rows %q, placeholder %q", rows, ph)
	}
	if html, _ := goquery.OuterHtml(price); strings.Count(html, "step=") != 1 {
		t.Errorf("the price input has its step more than once: %s", html)
	}
}
