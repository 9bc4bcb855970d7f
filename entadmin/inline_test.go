package entadmin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/entadmin"
	entshop "github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
	"github.com/entadmin/entadmin/internal/fixture/ent/productimage"
)

// image is one posted inline row of a product's images.
type image struct {
	id, url, alt, sort string
	del                bool
}

// withImages adds image rows, numbered from 0, to a product form.
func withImages(form url.Values, rows ...image) url.Values {
	for k, r := range rows {
		p := "images-" + strconv.Itoa(k) + "-"
		form.Set(p+"id", r.id)
		form.Set(p+"url", r.url)
		form.Set(p+"alt_text", r.alt)
		form.Set(p+"sort_order", r.sort)
		if r.del {
			form.Set(p+"DELETE", "on")
		}
	}
	return form
}

// addImages gives a product images with the urls, sorted in that order.
func (s *shop) addImages(p *entshop.Product, urls ...string) []*entshop.ProductImage {
	s.t.Helper()
	var out []*entshop.ProductImage
	for i, u := range urls {
		out = append(out, s.client.ProductImage.Create().SetProduct(p).SetURL(u).SetSortOrder(i+1).SaveX(context.Background()))
	}
	return out
}

// images returns "url:sort" of a product's images, by sort order.
func (s *shop) images(productID int) []string {
	s.t.Helper()
	imgs := s.client.ProductImage.Query().
		Where(productimage.HasProductWith(product.ID(productID))).
		Order(productimage.BySortOrder(), productimage.ByID()).
		AllX(context.Background())
	var out []string
	for _, im := range imgs {
		out = append(out, im.URL+":"+strconv.Itoa(im.SortOrder))
	}
	return out
}

func ids(v int) string { return strconv.Itoa(v) }

func TestInlineShowsChildrenInOrderWithABlankRow(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	p0 := f.products[0]
	s.client.ProductImage.Create().SetProduct(p0).SetURL("https://img/b.jpg").SetSortOrder(2).SaveX(context.Background())
	s.client.ProductImage.Create().SetProduct(p0).SetURL("https://img/a.jpg").SetSortOrder(1).SaveX(context.Background())
	p := s.get("/product/" + ids(p0.ID) + "/")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	var urls []string
	p.doc.Find(`#inline-images tbody tr input[name$="-url"]`).Each(func(_ int, in *goquery.Selection) {
		urls = append(urls, in.AttrOr("value", ""))
	})
	if want := []string{"https://img/a.jpg", "https://img/b.jpg", ""}; !slices.Equal(urls, want) {
		t.Errorf("rows %q, want %q (sorted by sort_order, then one blank row)", urls, want)
	}
	if p.doc.Find(`input[name="images-2-id"][value=""]`).Length() != 1 {
		t.Error("the blank row does not continue the numbering")
	}
	if _, req := p.doc.Find(`input[name="images-2-url"]`).Attr("required"); req {
		t.Error("a blank row is required: the browser would refuse to submit the form")
	}
	if p.doc.Find(`input[name="images-0-DELETE"]`).Length() != 1 || p.doc.Find(`input[name="images-2-DELETE"]`).Length() != 0 {
		t.Error("saved rows need a delete box, new rows none")
	}
	if p.doc.Find(`#inline-images [data-inline-handle]`).Length() != 3 {
		t.Error("rows of a sortable inline need a drag handle")
	}
	if href := p.doc.Find(`#inline-images a.inline-change-link`).First().AttrOr("href", ""); !strings.HasPrefix(href, "/admin/productimage/") {
		t.Errorf("change link %q", href)
	}
	if p.doc.Find(`[name="images-0-product"]`).Length() != 0 {
		t.Error("the edge back to the parent is on the form")
	}
	add := s.get("/product/add/")
	if add.doc.Find(`#inline-images tbody tr`).Length() != 1 {
		t.Errorf("the add form has %d image rows, want the one extra", add.doc.Find(`#inline-images tbody tr`).Length())
	}
}

func TestInlineAddChangeDeleteAndReorderInOneSave(t *testing.T) {
	t.Parallel()
	onBoth(t, testInlineSave)
}

func testInlineSave(t *testing.T, dbDialect string) {
	s := newShop(t, dbDialect, "/admin")
	f := s.seed(1)
	p0 := f.products[0]
	im := s.addImages(p0, "https://img/a.jpg", "https://img/b.jpg", "https://img/c.jpg")
	s.counter.Record(true)
	form := withImages(productForm("Renamed", "9.5", f.kitchen.ID),
		image{id: ids(im[0].ID), url: "https://img/a2.jpg", sort: "3"},
		image{id: ids(im[1].ID), url: "https://img/b.jpg", sort: "2", del: true},
		image{id: ids(im[2].ID), url: "https://img/c.jpg", sort: "1"},
		image{url: "https://img/d.jpg", alt: "New", sort: "2"},
		image{sort: "5"}, // the blank row, left alone
	)
	s.counter.Reset()
	p := s.post("/product/"+ids(p0.ID)+"/", form)
	statements, log := s.counter.Count(), s.counter.Statements()
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d: %s", p.status, p.doc.Find(`[role="alert"], .field-error`).Text())
	}
	got := s.images(p0.ID)
	if want := []string{"https://img/c.jpg:1", "https://img/d.jpg:2", "https://img/a2.jpg:3"}; !slices.Equal(got, want) {
		t.Errorf("images %q, want %q", got, want)
	}
	if name := s.client.Product.GetX(context.Background(), p0.ID).Name; name != "Renamed" {
		t.Errorf("product name %q", name)
	}
	t.Logf("inline save (parent + 1 delete + 2 changes + 1 add): %d statements", statements)
	if testing.Verbose() {
		t.Log(strings.Join(log, "\n"))
	}
}

func TestAFailingInlineRowRollsBackTheWholeSave(t *testing.T) {
	t.Parallel()
	onBoth(t, testInlineRollback)
}

func testInlineRollback(t *testing.T, dbDialect string) {
	s := newShop(t, dbDialect, "/admin")
	f := s.seed(1)
	p0 := f.products[0]
	im := s.addImages(p0, "https://img/a.jpg", "https://img/b.jpg")
	s.client.ProductImage.Use(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if v, ok := m.Field("url"); ok && strings.Contains(v.(string), "forbidden") {
				return nil, &entadmin.FieldError{Field: "url", Message: "This host is not allowed."}
			}
			return next.Mutate(ctx, m)
		})
	})
	before := s.images(p0.ID)
	form := withImages(productForm("Renamed", "9.5", f.kitchen.ID),
		image{id: ids(im[0].ID), url: "https://img/a2.jpg", sort: "1"},
		image{id: ids(im[1].ID), url: "https://img/b.jpg", sort: "2", del: true},
		image{url: "https://img/new.jpg", sort: "3"},
		image{url: "https://forbidden/x.jpg", alt: "Typed", sort: "4"},
		image{sort: "5"},
	)
	p := s.post("/product/"+ids(p0.ID)+"/", form)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", p.status)
	}
	if got := s.images(p0.ID); !slices.Equal(got, before) {
		t.Errorf("images %q after a failed save, want them unchanged %q", got, before)
	}
	if name := s.client.Product.GetX(context.Background(), p0.ID).Name; name != "Product 000" {
		t.Errorf("the product was renamed to %q by a failed save", name)
	}
	if n := s.client.ProductImage.Query().CountX(context.Background()); n != 2 {
		t.Errorf("%d images in the database, want 2", n)
	}
	if e := p.fieldError("images-3-url"); e != "This host is not allowed." {
		t.Errorf("row error %q", e)
	}
	for name, want := range map[string]string{
		"name": "Renamed", "images-0-url": "https://img/a2.jpg", "images-2-url": "https://img/new.jpg",
		"images-3-url": "https://forbidden/x.jpg", "images-3-alt_text": "Typed", "images-4-url": "",
	} {
		if got := p.value(name); got != want {
			t.Errorf("%s = %q, want the typed %q", name, got, want)
		}
	}
	if p.doc.Find(`input[name="images-4-id"]`).Length() != 1 {
		t.Error("the blank row is gone")
	}
	if _, checked := p.doc.Find(`input[name="images-1-DELETE"]`).Attr("checked"); !checked {
		t.Error("the delete box lost its check")
	}
	if !strings.Contains(p.doc.Find(".form-errors").First().Text(), "Please correct the errors below.") {
		t.Error("no summary at the top of the form")
	}
}

func TestInlineRowsAreValidatedWithTheChildsDecoders(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	p0 := f.products[0]
	form := withImages(productForm("Mug", "3", f.kitchen.ID),
		image{alt: "No url", sort: "1"},
		image{url: strings.Repeat("x", 501), sort: "2"},
	)
	p := s.post("/product/"+ids(p0.ID)+"/", form)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", p.status)
	}
	if e := p.fieldError("images-0-url"); e != "This field is required." {
		t.Errorf("row 0: %q", e)
	}
	if e := p.fieldError("images-1-url"); !strings.Contains(e, "length") {
		t.Errorf("row 1: %q", e)
	}
	if p.value("images-0-alt_text") != "No url" {
		t.Error("the typed alt text is lost")
	}
	if n := s.client.ProductImage.Query().CountX(context.Background()); n != 0 {
		t.Errorf("%d images saved", n)
	}
}

func TestInlineMinAndMax(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	p0 := f.products[0]
	im := s.addImages(p0, "https://img/a.jpg")
	cfg := s.res.Product.Inlines[0].Config()
	cfg.Min, cfg.Max = 1, 2
	path := "/product/" + ids(p0.ID) + "/"

	p := s.post(path, withImages(productForm("Mug", "3", f.kitchen.ID), image{id: ids(im[0].ID), url: "https://img/a.jpg", sort: "1", del: true}))
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.doc.Find("#inline-images .inline-errors").Text(), "Please submit at least 1 product image.") {
		t.Errorf("min: status %d, errors %q", p.status, p.doc.Find("#inline-images .inline-errors").Text())
	}
	p = s.post(path, withImages(productForm("Mug", "3", f.kitchen.ID),
		image{id: ids(im[0].ID), url: "https://img/a.jpg", sort: "1"},
		image{url: "https://img/b.jpg", sort: "2"},
		image{url: "https://img/c.jpg", sort: "3"},
	))
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.doc.Find("#inline-images .inline-errors").Text(), "Please submit at most 2 product images.") {
		t.Errorf("max: status %d, errors %q", p.status, p.doc.Find("#inline-images .inline-errors").Text())
	}
	if got := s.images(p0.ID); !slices.Equal(got, []string{"https://img/a.jpg:1"}) {
		t.Errorf("images %q", got)
	}
	edit := s.get(path)
	if n := edit.doc.Find("#inline-images tbody tr").Length(); n != 2 {
		t.Errorf("%d rows offered, want 1 saved + 1 blank (max 2)", n)
	}
	cfg.Max = 1
	if s.get(path).doc.Find("[data-inline-add]").Length() != 0 {
		t.Error("Add another is offered at the maximum")
	}
}

func TestForgedInlineRowIDsAreRefused(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(2)
	mine := s.addImages(f.products[0], "https://img/mine.jpg")
	theirs := s.addImages(f.products[1], "https://img/theirs.jpg")
	tests := []struct {
		name string
		rows []image
	}{
		{"another product's image", []image{{id: ids(theirs[0].ID), url: "https://img/stolen.jpg", sort: "1"}}},
		{"another product's image, deleted", []image{{id: ids(theirs[0].ID), url: "x", sort: "1", del: true}}},
		{"an id that does not exist", []image{{id: "999999", url: "https://img/x.jpg", sort: "1"}}},
		{"an id that is no number", []image{{id: "1 OR 1=1", url: "https://img/x.jpg", sort: "1"}}},
		{"the same image twice", []image{{id: ids(mine[0].ID), url: "https://img/1.jpg", sort: "1"}, {id: ids(mine[0].ID), url: "https://img/2.jpg", sort: "2", del: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := s.post("/product/"+ids(f.products[0].ID)+"/", withImages(productForm("Stolen", "1", f.kitchen.ID), tt.rows...))
			if p.status != http.StatusBadRequest {
				t.Errorf("status %d, want 400", p.status)
			}
		})
	}
	if got := s.images(f.products[1].ID); !slices.Equal(got, []string{"https://img/theirs.jpg:1"}) {
		t.Errorf("the other product's images became %q", got)
	}
	if got := s.images(f.products[0].ID); !slices.Equal(got, []string{"https://img/mine.jpg:1"}) {
		t.Errorf("the product's images became %q", got)
	}
	if name := s.client.Product.GetX(context.Background(), f.products[0].ID).Name; name == "Stolen" {
		t.Error("a refused form saved the parent")
	}
}

func TestInlineRowEndpoint(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	p := s.get("/product/inline-row/?inline=0&index=4&total=3")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	for _, name := range []string{"images-4-id", "images-4-url", "images-4-alt_text", "images-4-sort_order"} {
		if p.doc.Find(`[name="`+name+`"]`).Length() != 1 {
			t.Errorf("no input %s in %s", name, p.body)
		}
	}
	if strings.Contains(p.body, "<html") {
		t.Error("the row comes in a whole page")
	}
	for _, tt := range []struct {
		query string
		want  int
	}{
		{"inline=0&index=10&total=10", http.StatusConflict}, // max 10
		{"inline=1&index=0", http.StatusBadRequest},
		{"inline=x&index=0", http.StatusBadRequest},
		{"inline=0&index=-1", http.StatusBadRequest},
		{"inline=0", http.StatusBadRequest},
	} {
		if got := s.get("/product/inline-row/?" + tt.query).status; got != tt.want {
			t.Errorf("%s: status %d, want %d", tt.query, got, tt.want)
		}
	}
	if got := s.get("/category/inline-row/?inline=0&index=0").status; got != http.StatusBadRequest {
		t.Errorf("a resource without inlines: status %d", got)
	}
}

func TestInlineFollowsTheChildsPermissions(t *testing.T) {
	t.Parallel()
	auth := policy{perms: perms("product.view", "product.change", "productimage.view")}
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(auth))
	f := s.seed(1)
	p0 := f.products[0]
	im := s.addImages(p0, "https://img/a.jpg")
	path := "/product/" + ids(p0.ID) + "/"
	p := s.get(path)
	if p.doc.Find(`#inline-images input`).Length() != 0 || p.doc.Find(`#inline-images [data-inline-add]`).Length() != 0 {
		t.Error("a user who may only view images gets inputs for them")
	}
	if !strings.Contains(p.doc.Find("#inline-images").Text(), "https://img/a.jpg") {
		t.Error("the images are not shown")
	}
	form := withImages(productForm("Mug", "3", f.kitchen.ID),
		image{id: ids(im[0].ID), url: "https://img/changed.jpg", sort: "1", del: true},
		image{url: "https://img/added.jpg", sort: "2"},
	)
	if p := s.post(path, form); p.status != http.StatusSeeOther {
		t.Fatalf("status %d", p.status)
	}
	if got := s.images(p0.ID); !slices.Equal(got, []string{"https://img/a.jpg:1"}) {
		t.Errorf("images %q: rows were written without the permissions", got)
	}
	if got := s.get("/product/inline-row/?inline=0&index=1").status; got != http.StatusForbidden {
		t.Errorf("inline-row without add permission: status %d", got)
	}
	none := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "product.change")}))
	g := none.seed(1)
	if none.get("/product/"+ids(g.products[0].ID)+"/").doc.Find("#inline-images").Length() != 0 {
		t.Error("a user who may not view images sees the inline")
	}
}

func TestSaveAsNewCopiesTheInlineRows(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	p0 := f.products[0]
	im := s.addImages(p0, "https://img/a.jpg", "https://img/b.jpg")
	s.client.ProductImage.UpdateOne(im[0]).SetAltText("kept").ExecX(context.Background())
	if s.get("/product/"+ids(p0.ID)+"/").doc.Find(`button[name="_saveasnew"]`).Length() == 0 {
		t.Fatal("no Save as new button")
	}
	form := withImages(productForm("Copy", "7", f.kitchen.ID),
		image{id: ids(im[0].ID), url: "https://img/a.jpg", alt: "kept", sort: "1"},
		image{id: ids(im[1].ID), url: "https://img/b.jpg", sort: "2", del: true},
		image{url: "https://img/c.jpg", sort: "3"},
	)
	form.Del("_save")
	form.Set("_saveasnew", "")
	p := s.post("/product/"+ids(p0.ID)+"/", form)
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d", p.status)
	}
	copied := s.client.Product.Query().Where(product.Name("Copy")).OnlyX(context.Background())
	if copied.ID == p0.ID {
		t.Fatal("the product was changed, not copied")
	}
	if want := fmt.Sprintf("/admin/product/%d/", copied.ID); p.location != want {
		t.Errorf("redirect to %q, want the copy's form %q", p.location, want)
	}
	if got := s.images(copied.ID); !slices.Equal(got, []string{"https://img/a.jpg:1", "https://img/c.jpg:3"}) {
		t.Errorf("the copy's images %q", got)
	}
	if alt := s.client.ProductImage.Query().Where(productimage.HasProductWith(product.ID(copied.ID)), productimage.URL("https://img/a.jpg")).OnlyX(context.Background()).AltText; alt != "kept" {
		t.Errorf("alt text of the copied image %q", alt)
	}
	if got := s.images(p0.ID); !slices.Equal(got, []string{"https://img/a.jpg:1", "https://img/b.jpg:2"}) {
		t.Errorf("the original's images changed: %q", got)
	}
	if name := s.client.Product.GetX(context.Background(), p0.ID).Name; name != "Product 000" {
		t.Errorf("the original was renamed %q", name)
	}
}

func TestSaveAsNewReportsAUniqueClashOnTheField(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(0)
	form := url.Values{"name": {"Kitchen copy"}, "slug": {"kitchen"}, "_saveasnew": {""}}
	p := s.post("/category/"+ids(f.kitchen.ID)+"/", form)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", p.status)
	}
	if e := p.fieldError("slug"); !strings.Contains(e, "already exists") {
		t.Errorf("slug error %q", e)
	}
	if n := s.client.Category.Query().CountX(context.Background()); n != 2 {
		t.Errorf("%d categories, want the 2 seeded", n)
	}
	form.Set("slug", "kitchen-2")
	if p := s.post("/category/"+ids(f.kitchen.ID)+"/", form); p.status != http.StatusSeeOther {
		t.Errorf("with a free slug: status %d", p.status)
	}
	if n := s.client.Category.Query().CountX(context.Background()); n != 3 {
		t.Errorf("%d categories after the copy, want 3", n)
	}
}

func TestInlineQueryCounts(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(2)
	s.addImages(f.products[0], "https://img/1.jpg")
	var many []string
	for i := range 8 {
		many = append(many, fmt.Sprintf("https://img/%d.jpg", i))
	}
	big := s.addImages(f.products[1], many...)
	count := func(path string) int {
		s.counter.Reset()
		if p := s.get(path); p.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, p.status)
		}
		return s.counter.Count()
	}
	one, eight := count("/product/"+ids(f.products[0].ID)+"/"), count("/product/"+ids(f.products[1].ID)+"/")
	if one != eight {
		t.Errorf("form page: %d statements with 1 image, %d with 8", one, eight)
	}
	t.Logf("product form page: %d statements (1 or 8 images)", eight)

	// Saving the form unchanged writes only the product.
	var rows []image
	for i, im := range big {
		rows = append(rows, image{id: ids(im.ID), url: im.URL, sort: strconv.Itoa(i + 1)})
	}
	save := func(rows []image) int {
		s.counter.Reset()
		p := s.post("/product/"+ids(f.products[1].ID)+"/", withImages(productForm("Product 001", "1.5", f.garden.ID), rows...))
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d", p.status)
		}
		return s.counter.Count()
	}
	unchanged := save(rows)
	for i := range rows {
		rows[i].alt = "changed"
	}
	changed := save(rows)
	t.Logf("inline save: %d statements with 8 unchanged rows, %d with 8 changed rows", unchanged, changed)
	if perRow := float64(changed-unchanged) / 8; perRow > 2 {
		t.Errorf("each changed row costs %.1f statements, want at most the 2 of ent's UPDATE and its SELECT", perRow)
	}
}

func TestStackedAndCollapsedInlines(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	p0 := f.products[0]
	s.addImages(p0, "https://img/a.jpg")
	cfg := s.res.Product.Inlines[0].Config()
	cfg.Stacked, cfg.Collapsed, cfg.Title = true, true, "Pictures"
	p := s.get("/product/" + ids(p0.ID) + "/")
	if p.doc.Find(`#inline-images fieldset.inline-row`).Length() != 2 {
		t.Errorf("%d stacked rows, want the image and a blank one", p.doc.Find(`#inline-images fieldset.inline-row`).Length())
	}
	if p.doc.Find(`#inline-images label[for="id_images-0-url"]`).Text() == "" || p.doc.Find(`#inline-images table`).Length() != 0 {
		t.Error("stacked rows need labelled fields and no table")
	}
	if p.doc.Find(`#inline-images details summary`).Text() != "Pictures" || p.doc.Find(`#inline-images details[open]`).Length() != 0 {
		t.Error("a collapsed inline should start closed under its title")
	}
	// With an error in a row, the collapsed inline opens.
	p = s.post("/product/"+ids(p0.ID)+"/", withImages(productForm("Mug", "3", f.kitchen.ID), image{alt: "no url", sort: "1"}))
	if p.doc.Find(`#inline-images details[open]`).Length() != 1 {
		t.Error("a collapsed inline with errors stays closed")
	}
}

func TestSaveHooksRunForEveryInlineRow(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	p0 := f.products[0]
	im := s.addImages(p0, "https://img/a.jpg", "https://img/b.jpg")
	var saved, deleted, added []string
	entadmin.OnSave(s.res.ProductImage, func(ctx context.Context, m *entshop.ProductImageMutation, old *entshop.ProductImage) error {
		u, _ := m.URL()
		if strings.Contains(u, "refused") {
			return &entadmin.FieldError{Field: "url", Message: "Refused by the save hook."}
		}
		saved = append(saved, u)
		return nil
	})
	entadmin.OnDelete(s.res.ProductImage, func(ctx context.Context, e *entshop.ProductImage) error {
		deleted = append(deleted, e.URL)
		return nil
	})
	entadmin.AfterAdd(s.res.ProductImage, func(ctx context.Context, e *entshop.ProductImage) error {
		added = append(added, e.URL)
		return nil
	})
	path := "/product/" + ids(p0.ID) + "/"
	p := s.post(path, withImages(productForm("Mug", "3", f.kitchen.ID),
		image{id: ids(im[0].ID), url: "https://img/a2.jpg", sort: "1"},
		image{id: ids(im[1].ID), url: "https://img/b.jpg", sort: "2", del: true},
		image{url: "https://img/c.jpg", sort: "3"},
	))
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d", p.status)
	}
	if !slices.Equal(saved, []string{"https://img/a2.jpg", "https://img/c.jpg"}) || !slices.Equal(deleted, []string{"https://img/b.jpg"}) || !slices.Equal(added, []string{"https://img/c.jpg"}) {
		t.Errorf("save hooks saw %q, delete hooks %q, after-add hooks %q", saved, deleted, added)
	}
	added = nil
	p = s.post(path, withImages(productForm("Mug", "3", f.kitchen.ID),
		image{id: ids(im[0].ID), url: "https://img/a3.jpg", sort: "1"},
		image{url: "https://img/d.jpg", sort: "2"},
		image{url: "https://img/refused.jpg", sort: "3"},
	))
	if p.status != http.StatusUnprocessableEntity || p.fieldError("images-2-url") != "Refused by the save hook." {
		t.Errorf("status %d, row error %q", p.status, p.fieldError("images-2-url"))
	}
	if got := s.images(p0.ID); !slices.Equal(got, []string{"https://img/a2.jpg:1", "https://img/c.jpg:3"}) || len(added) != 0 {
		t.Errorf("after a refused row: images %q, after-add hooks %q", got, added)
	}
}
