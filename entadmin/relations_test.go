package entadmin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
	"github.com/entadmin/entadmin/internal/fixture/ent/tag"
)

// autocomplete is the decoded answer of the autocomplete endpoint.
type autocomplete struct {
	Results []struct{ ID, Text string }
	Error   string
}

func (s *shop) autocomplete(query string) (int, autocomplete) {
	s.t.Helper()
	p := s.get("/product/autocomplete/?" + query)
	var a autocomplete
	if err := json.Unmarshal([]byte(p.body), &a); err != nil {
		s.t.Fatalf("autocomplete %s: %v in %q", query, err, p.body)
	}
	return p.status, a
}

func (a autocomplete) texts() []string {
	var out []string
	for _, r := range a.Results {
		out = append(out, r.Text)
	}
	return out
}

func TestAutocompleteSearchesTheRelatedTypesSearchFields(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, dbDialect string) {
		s := newShop(t, dbDialect, "/admin")
		f := s.seed(1)
		status, a := s.autocomplete("field=category&q=KIT")
		if status != http.StatusOK || !slices.Equal(a.texts(), []string{"Kitchen"}) || a.Results[0].ID != strconv.Itoa(f.kitchen.ID) {
			t.Errorf("search for KIT: %d %+v", status, a)
		}
		if _, a := s.autocomplete("field=category&q=garden"); !slices.Equal(a.texts(), []string{"Garden"}) {
			t.Errorf("search by slug: %+v", a) // Category searches name and slug
		}
		if _, a := s.autocomplete("field=category"); !slices.Equal(a.texts(), []string{"Garden", "Kitchen"}) {
			t.Errorf("empty search lists in the related type's order: %+v", a)
		}
		s.client.Category.Create().SetName("Kitchenware").SetSlug("kw").ExecX(context.Background())
		if _, a := s.autocomplete("field=category&q=kitchen&limit=1"); len(a.Results) != 1 {
			t.Errorf("limit=1 gives %d results", len(a.Results))
		}
		if _, a := s.autocomplete("field=tags&q=zzz"); len(a.Results) != 0 || a.Results == nil {
			t.Errorf("many-to-many edge, no match: %+v (want an empty list)", a)
		}
	})
}

func TestAutocompleteRefusesWhatItMayNotAnswer(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "productimage.view")}))
	s.seed(1)
	tests := []struct {
		name, path string
		want       int
	}{
		{"a field that is not an edge", "/product/autocomplete/?field=name&q=a", http.StatusBadRequest},
		{"a name that is nothing", "/product/autocomplete/?field=nope", http.StatusBadRequest},
		{"no view permission on the related type", "/product/autocomplete/?field=category&q=k", http.StatusForbidden},
		{"no view permission on the resource", "/category/autocomplete/?field=products", http.StatusForbidden},
		{"a bad limit", "/productimage/autocomplete/?field=product&limit=x", http.StatusBadRequest},
	}
	for _, tt := range tests {
		if p := s.get(tt.path); p.status != tt.want {
			t.Errorf("%s: GET %s = %d, want %d: %s", tt.name, tt.path, p.status, tt.want, p.body)
		}
	}
}

func TestAutocompleteOfAnUnregisteredTargetIs400(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	s.seed(1)
	s.res.Product.Field("category").Target = ""
	if status, a := s.autocomplete("field=category&q=k"); status != http.StatusBadRequest || !strings.Contains(a.Error, "not in the admin") {
		t.Errorf("status %d, %+v", status, a)
	}
}

func TestAutocompleteAndChoicesStayInTheTargetsScope(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(2)
	s.res.Category.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
		return func(sel *sql.Selector) { sel.Where(sql.EQ(sel.C("id"), f.kitchen.ID)) }, nil
	}
	if _, a := s.autocomplete("field=category"); !slices.Equal(a.texts(), []string{"Kitchen"}) {
		t.Errorf("scoped autocomplete lists %q", a.texts())
	}
	form := productForm("Hose", "3", f.garden.ID)
	if p := s.post("/product/add/", form); p.status != http.StatusUnprocessableEntity || p.fieldError("category") == "" {
		t.Errorf("a category outside the scope: status %d, error %q", p.status, p.fieldError("category"))
	}
}

func TestEdgeWidgetsFollowTheSizeOfTheRelatedType(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	id := strconv.Itoa(f.products[0].ID)
	p := s.get("/product/" + id + "/")
	if p.doc.Find(`select[name="category"] option`).Length() != 3 {
		t.Errorf("category select with 2 categories:\n%s", p.doc.Find(`#id_category`).Parent().Text())
	}
	ctx := context.Background()
	for i := range 50 {
		s.client.Category.Create().SetName(fmt.Sprintf("Extra %02d", i)).SetSlug(fmt.Sprintf("extra-%02d", i)).ExecX(ctx)
	}
	p = s.get("/product/" + id + "/")
	box := p.doc.Find(`.autocomplete[data-autocomplete]`)
	if box.Length() != 1 || p.doc.Find(`select[name="category"]`).Length() != 0 {
		t.Fatalf("with 52 categories the category is not an autocomplete:\n%s", p.doc.Find(`.field-select, .field-autocomplete`).Text())
	}
	if got := box.AttrOr("data-autocomplete", ""); got != "/admin/product/autocomplete/?field=category" {
		t.Errorf("search URL %q", got)
	}
	if box.AttrOr("data-label", "") != "Kitchen" || p.value("category") != strconv.Itoa(f.kitchen.ID) {
		t.Errorf("autocomplete shows %q / %q, want Kitchen / %d", box.AttrOr("data-label", ""), p.value("category"), f.kitchen.ID)
	}
	// What the form shows is what is saved: the autocomplete posts the id.
	form := productForm("Renamed", "2", f.garden.ID)
	if p := s.post("/product/"+id+"/", form); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.status, p.doc.Find(".form-errors, .field-error").Text())
	}
	if got := s.client.Product.Query().Where(product.ID(f.products[0].ID)).QueryCategory().OnlyX(ctx); got.ID != f.garden.ID {
		t.Errorf("saved category %s", got.Name)
	}
}

func TestRawIDWidgetShowsTheRelatedName(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	s.res.Product.Field("category").Widget = "rawid"
	p := s.get("/product/" + strconv.Itoa(f.products[0].ID) + "/")
	if got := p.value("category"); got != strconv.Itoa(f.kitchen.ID) {
		t.Errorf("raw id = %q", got)
	}
	if got := p.doc.Find(".rawid-name").Text(); got != "Kitchen" {
		t.Errorf("name beside the raw id = %q", got)
	}
	if got := p.doc.Find(".rawid-lookup").AttrOr("href", ""); got != "/admin/category/" {
		t.Errorf("lookup link %q", got)
	}
	form := productForm("Mug", "1", f.garden.ID)
	form.Set("category", "999999")
	p = s.post("/product/add/", form)
	if p.status != http.StatusUnprocessableEntity || p.value("category") != "999999" || p.fieldError("category") == "" {
		t.Errorf("unknown raw id: status %d, value %q, error %q", p.status, p.value("category"), p.fieldError("category"))
	}
}

// tagsOf returns the names of a product's tags, sorted.
func tagsOf(t *testing.T, c *ent.Client, id int) []string {
	t.Helper()
	names := c.Product.Query().Where(product.ID(id)).QueryTags().Order(tag.ByName()).Select(tag.FieldName).StringsX(context.Background())
	return names
}

func TestManyToManyEdgesAreSyncedWithTheSave(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, dbDialect string) {
		s := newShop(t, dbDialect, "/admin")
		f := s.seed(1)
		ctx := context.Background()
		red := s.client.Tag.Create().SetName("red").SaveX(ctx)
		blue := s.client.Tag.Create().SetName("blue").SaveX(ctx)
		green := s.client.Tag.Create().SetName("green").SaveX(ctx)
		pid := f.products[0].ID
		s.client.Product.UpdateOneID(pid).AddTags(red, blue).ExecX(ctx)
		path := "/product/" + strconv.Itoa(pid) + "/"

		p := s.get(path)
		var chosen []string
		p.doc.Find(`select[name="tags"] option[selected]`).Each(func(_ int, o *goquery.Selection) { chosen = append(chosen, o.Text()) })
		slices.Sort(chosen)
		if !slices.Equal(chosen, []string{"blue", "red"}) || p.doc.Find(`select[name="tags"] option`).Length() != 3 {
			t.Errorf("dual select chosen %q of %d options", chosen, p.doc.Find(`select[name="tags"] option`).Length())
		}

		form := productForm("Mug", "1", f.kitchen.ID)
		form["tags"] = []string{strconv.Itoa(blue.ID), strconv.Itoa(green.ID), strconv.Itoa(green.ID)}
		if p := s.post(path, form); p.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", p.status, p.doc.Find(".form-errors, .field-error").Text())
		}
		if got := tagsOf(t, s.client, pid); !slices.Equal(got, []string{"blue", "green"}) {
			t.Errorf("tags after the save = %q, want blue, green", got)
		}
		delete(form, "tags")
		s.post(path, form)
		if got := tagsOf(t, s.client, pid); len(got) != 0 {
			t.Errorf("nothing chosen leaves %q", got)
		}

		form["tags"] = []string{strconv.Itoa(red.ID), "999999"}
		p = s.post(path, form)
		if p.status != http.StatusUnprocessableEntity || p.fieldError("tags") == "" {
			t.Fatalf("unknown tag id: status %d, error %q", p.status, p.fieldError("tags"))
		}
		if got := tagsOf(t, s.client, pid); len(got) != 0 {
			t.Errorf("a refused save changed the tags to %q", got)
		}
		var kept []string
		p.doc.Find(`select[name="tags"] option[selected]`).Each(func(_ int, o *goquery.Selection) { kept = append(kept, o.AttrOr("value", "")) })
		if !slices.Contains(kept, strconv.Itoa(red.ID)) {
			t.Errorf("the form came back without the user's choice: %q", kept)
		}

		// On add too, and a tag outside the Tag scope is a field error.
		s.res.Tag.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
			return func(sel *sql.Selector) { sel.Where(sql.NEQ(sel.C("id"), green.ID)) }, nil
		}
		form = productForm("New", "1", f.kitchen.ID)
		form["tags"] = []string{strconv.Itoa(green.ID)}
		if p := s.post("/product/add/", form); p.status != http.StatusUnprocessableEntity || p.fieldError("tags") == "" {
			t.Errorf("a tag outside the scope: status %d, error %q", p.status, p.fieldError("tags"))
		}
		form["tags"] = []string{strconv.Itoa(red.ID)}
		if p := s.post("/product/add/", form); p.status != http.StatusSeeOther {
			t.Fatalf("add with a tag: %d", p.status)
		}
		added := s.client.Product.Query().Where(product.Name("New")).OnlyX(ctx)
		if got := tagsOf(t, s.client, added.ID); !slices.Equal(got, []string{"red"}) {
			t.Errorf("added product's tags %q", got)
		}
	})
}

func TestManyToManySyncRollsBackWithTheEntity(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	ctx := context.Background()
	red := s.client.Tag.Create().SetName("red").SaveX(ctx)
	pid := f.products[0].ID
	// A hook refuses the save after the edge change was made on the
	// mutation: nothing of it may be written.
	s.client.Product.Use(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			if err == nil {
				err = &entadmin.FormError{Message: "refused after the write"}
			}
			return v, err
		})
	})
	form := productForm("Mug", "1", f.kitchen.ID)
	form["tags"] = []string{strconv.Itoa(red.ID)}
	if p := s.post("/product/"+strconv.Itoa(pid)+"/", form); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", p.status)
	}
	if got := tagsOf(t, s.client, pid); len(got) != 0 {
		t.Errorf("the edge was written although the save failed: %q", got)
	}
}

func TestValidateEndpointAnswersTheFieldsError(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	ctx := context.Background()
	before := s.client.Product.Query().CountX(ctx)
	form := productForm("", "-3", f.kitchen.ID)
	tests := []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"required", "/product/validate/?field=name", form, "This field is required."},
		{"ent validator", "/product/validate/?field=price", form, "Ensure this value is greater than or equal to 0."},
		{"a good value", "/product/validate/?field=stock_count", form, ""},
		{"unique on add", "/category/validate/?field=slug", url.Values{"slug": {"kitchen"}}, "A category with this slug already exists."},
		{"unique on change of itself", "/category/validate/?field=slug&id=" + strconv.Itoa(f.kitchen.ID), url.Values{"slug": {"kitchen"}}, ""},
		{"pattern", "/category/validate/?field=slug", url.Values{"slug": {"Not A Slug"}}, "does not match"},
		{"a number that does not parse", "/product/validate/?field=stock_count", url.Values{"stock_count": {"many"}}, "Enter a whole number."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := s.post(tt.path, tt.form)
			if p.status != http.StatusOK {
				t.Fatalf("status %d: %s", p.status, p.body)
			}
			field := strings.Split(strings.Split(tt.path, "field=")[1], "&")[0]
			slot := p.doc.Find("#id_" + field + "-errors")
			if slot.Length() != 1 {
				t.Fatalf("no error slot in %q", p.body)
			}
			got := strings.TrimSpace(slot.Text())
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("error %q, want %q", got, tt.want)
			}
		})
	}
	if p := s.post("/product/validate/?field=created_at", form); p.status != http.StatusBadRequest {
		t.Errorf("a read-only field: status %d", p.status)
	}
	whole := s.post("/product/validate/", form)
	if whole.doc.Find(`[hx-swap-oob="true"]`).Length() < 5 || !strings.Contains(whole.doc.Find("#id_name-errors").Text(), "required") {
		t.Errorf("whole form validation: %s", whole.body)
	}
	if after := s.client.Product.Query().CountX(ctx); after != before {
		t.Errorf("validation wrote rows: %d products, was %d", after, before)
	}
}

func TestValidateChecksPermissionAndScope(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "category.view", "category.change")}))
	f := s.seed(1)
	if p := s.post("/product/validate/?field=name", url.Values{"name": {"x"}}); p.status != http.StatusForbidden {
		t.Errorf("validate without add permission: %d", p.status)
	}
	if p := s.post("/product/validate/?field=name&id="+strconv.Itoa(f.products[0].ID), url.Values{"name": {"x"}}); p.status != http.StatusForbidden {
		t.Errorf("validate without change permission: %d", p.status)
	}
	s.res.Category.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
		return func(sel *sql.Selector) { sel.Where(sql.EQ(sel.C("id"), f.kitchen.ID)) }, nil
	}
	if p := s.post("/category/validate/?field=name&id="+strconv.Itoa(f.garden.ID), url.Values{"name": {"x"}}); p.status != http.StatusNotFound {
		t.Errorf("validate of a row outside the scope: %d", p.status)
	}
}

func TestConfirmDeleteDialog(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(3)
	id := strconv.Itoa(f.kitchen.ID)
	p := s.get("/category/" + id + "/confirm-delete/")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	d := p.doc.Find("dialog[data-modal]")
	if d.Length() != 1 || strings.Contains(p.body, "<html") {
		t.Fatalf("not a dialog fragment: %s", p.body)
	}
	if got := d.Find(`form[method="post"]`).AttrOr("action", ""); got != "/admin/category/"+id+"/delete/" {
		t.Errorf("confirm posts to %q", got)
	}
	if !strings.Contains(d.Text(), "Products") || !strings.Contains(d.Text(), "Product 000") {
		t.Errorf("the dialog does not list the related products:\n%s", d.Text())
	}
	if d.Find(`form[method="dialog"] button`).Length() != 1 {
		t.Error("no button closes the dialog")
	}
	form := s.get("/category/" + id + "/")
	link := form.doc.Find("a.delete-link").First()
	if link.AttrOr("href", "") != "/admin/category/"+id+"/delete/" || link.AttrOr("hx-get", "") != "/admin/category/"+id+"/confirm-delete/" {
		t.Errorf("delete link href=%q hx-get=%q", link.AttrOr("href", ""), link.AttrOr("hx-get", ""))
	}
	deny := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("category.view")}))
	g := deny.seed(0)
	if p := deny.get("/category/" + strconv.Itoa(g.kitchen.ID) + "/confirm-delete/"); p.status != http.StatusForbidden {
		t.Errorf("dialog without delete permission: %d", p.status)
	}
}

func TestFormOptions(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	s.res.Product.ViewOnSite = func(p *ent.Product) string { return "https://shop.example/p/" + strconv.Itoa(p.ID) }
	p := s.get("/product/" + strconv.Itoa(f.products[0].ID) + "/")
	if got := p.doc.Find("a.view-on-site").AttrOr("href", ""); got != "https://shop.example/p/"+strconv.Itoa(f.products[0].ID) {
		t.Errorf("view on site %q", got)
	}
	if p.doc.Find(".submit-row-top button[name=_save]").Length() != 1 {
		t.Error("SaveOnTop: no save button above the form")
	}
	if n := p.doc.Find(`input[type="radio"][name="status"]`).Length(); n != 3 {
		t.Errorf("status radio buttons: %d", n)
	}
	if p.doc.Find(`.radio-group.layout-horizontal`).Length() != 1 {
		t.Error("status radios are not horizontal")
	}
	add := s.get("/category/add/")
	slug := add.doc.Find("#id_slug")
	if slug.AttrOr("data-prepopulate", "") != "id_name" || slug.AttrOr("data-slugify", "") != "true" {
		t.Errorf("slug prepopulation: %q %q", slug.AttrOr("data-prepopulate", ""), slug.AttrOr("data-slugify", ""))
	}
	// A Display function set at run time names categories everywhere.
	s.res.Category.Display = func(c *ent.Category) string { return c.Name + " (" + c.Slug + ")" }
	p = s.get("/product/" + strconv.Itoa(f.products[0].ID) + "/")
	if got := p.doc.Find(`select[name="category"] option[selected]`).Text(); got != "Kitchen (kitchen)" {
		t.Errorf("category choice labelled %q", got)
	}
	list := s.get("/product/")
	if !strings.Contains(list.doc.Find("#results tbody").Text(), "Kitchen (kitchen)") {
		t.Error("the list does not use the Display function")
	}
}

func TestFormPageQueryCountDoesNotGrowWithRelations(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(2)
	ctx := context.Background()
	var tags []*ent.Tag
	for i := range 30 {
		tags = append(tags, s.client.Tag.Create().SetName(fmt.Sprintf("tag %02d", i)).SaveX(ctx))
	}
	s.client.Product.UpdateOne(f.products[1]).AddTags(tags...).ExecX(ctx)
	count := func(id int) int {
		s.counter.Reset()
		if p := s.get("/product/" + strconv.Itoa(id) + "/"); p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
		return s.counter.Count()
	}
	none, thirty := count(f.products[0].ID), count(f.products[1].ID)
	if none != thirty {
		t.Errorf("form page: %d statements with no tags, %d with 30", none, thirty)
	}
	for i := range 60 {
		s.client.Category.Create().SetName(fmt.Sprintf("More %02d", i)).SetSlug(fmt.Sprintf("more-%02d", i)).ExecX(ctx)
	}
	auto := count(f.products[1].ID)
	if auto != thirty {
		t.Errorf("form page: %d statements with a category select, %d with an autocomplete", thirty, auto)
	}
	t.Logf("product form page: %d statements (select or autocomplete, 0 or 30 tags)", auto)
}
