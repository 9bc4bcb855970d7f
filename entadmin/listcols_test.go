package entadmin_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
	"github.com/entadmin/entadmin/internal/fixture/ent/adminres"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
	"github.com/entadmin/entadmin/views"
)

// headers returns the column headers of a list page, without sort arrows.
func (p *page) headers() []string {
	var hs []string
	p.doc.Find("#results thead th:not(.select-col):not(.delete-col)").Each(func(_ int, th *goquery.Selection) {
		th.Find(".sort-arrow, .sort-priority").Remove()
		hs = append(hs, strings.TrimSpace(th.Text()))
	})
	return hs
}

// column returns the text of one column, by header, of every row.
func (p *page) column(header string) []string {
	i := slices.Index(p.headers(), header)
	if i < 0 {
		return nil
	}
	var cells []string
	p.doc.Find("#results tbody tr").Each(func(_ int, tr *goquery.Selection) {
		cells = append(cells, strings.TrimSpace(tr.Find("td:not(.select-col)").Eq(i).Text()))
	})
	return cells
}

// tagged gives the first product five tags and the second one.
func (s *shop) tagged(f fixture) {
	ctx := context.Background()
	var tags []*ent.Tag
	for _, name := range []string{"eco", "bio", "fair", "local", "new"} {
		tags = append(tags, s.client.Tag.Create().SetName(name).SaveX(ctx))
	}
	s.client.Product.UpdateOne(f.products[0]).AddTags(tags...).SetCostPrice(0.25).ExecX(ctx)
	s.client.Product.UpdateOne(f.products[1]).AddTags(tags[4]).ExecX(ctx)
}

func TestListShowsComputedEdgePathAndToManyColumns(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		f := s.seed(3)
		s.tagged(f)
		ctx := context.Background()
		s.client.ProductImage.Create().SetURL("https://img/1.jpg").SetProduct(f.products[1]).SaveX(ctx)

		p := s.get("/product/?o=name")
		if got := p.column("Margin"); !slices.Equal(got, []string{"50%", "(not set)", "(not set)"}) {
			t.Errorf("computed margin = %q", got)
		}
		// Tags in name order, the first three, then how many more.
		if got := p.column("Tags"); !slices.Equal(got, []string{"bio, eco, fair +2 more", "new", "(not set)"}) {
			t.Errorf("to-many tags = %q", got)
		}
		if td := p.doc.Find("#results tbody tr").First().Find("td:not(.select-col)").Eq(2); !td.HasClass("num") {
			t.Error("the numeric computed column is not right-aligned")
		}

		p = s.get("/productimage/")
		if got := p.column("Product category name"); !slices.Equal(got, []string{"Garden"}) {
			t.Errorf("two-level path = %q", got)
		}
		if got := p.column("Alt text"); !slices.Equal(got, []string{"(no alt text)"}) {
			t.Errorf("field with its own empty value shows %q", got)
		}
	})
}

func TestListQueryCountIsTheSameFor10And100RowsWithEveryKindOfColumn(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(100)
	s.tagged(f)
	ctx := context.Background()
	for _, pr := range f.products {
		s.client.ProductImage.Create().SetURL("https://img/" + strconv.Itoa(pr.ID) + ".jpg").SetProduct(pr).SaveX(ctx)
	}
	count := func(path string, perPage int) int {
		s.res.Product.PerPage, s.res.ProductImage.PerPage = perPage, perPage
		s.counter.Reset()
		p := s.get(path)
		if p.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, p.status)
		}
		return s.counter.Count()
	}
	tests := []struct {
		name, path string
		want       int
	}{
		// the count with the unfiltered total and the date drill-down's
		// range, rows with their categories and tags (joined), the
		// drill-down's probes (a searched list's once the range is
		// known), the category filter's choices.
		{"products: fields, an edge, a to-many edge, a computed column", "/product/?q=Product", 4},
		// the count with the unfiltered total, rows, products, their
		// categories, and the choices of the product, product.category
		// and alt_text filters.
		{"images: an edge and a path two edges deep", "/productimage/?q=img/", 7},
		// the same, plus one GROUP BY per field filter and one COUNT per
		// date or custom choice.
		{"products with facet counts", "/product/?_facets=1&q=Product", 4 + 3 + 4 + 2},
	}
	for _, tt := range tests {
		ten, hundred := count(tt.path, 10), count(tt.path, 100)
		if ten != hundred || hundred != tt.want {
			s.counter.Record(true)
			count(tt.path, 100)
			t.Errorf("%s: %d statements for 10 rows, %d for 100, want %d:\n%s", tt.name, ten, hundred, tt.want, strings.Join(s.counter.Statements(), "\n"))
			s.counter.Record(false)
		}
	}
}

func TestComputedColumnLeavesWithTheFieldItNeeds(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{
		perms:  perms("product.view", "product.change"),
		fields: map[string]entadmin.Access{"product.cost_price": entadmin.AccessHidden},
	}))
	s.seed(1)
	if hs := s.get("/product/").headers(); slices.Contains(hs, "Margin") {
		t.Errorf("margin reads the hidden cost price, yet is shown: %q", hs)
	}
}

func TestMultiColumnSortFromHeaderClicks(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	s.seed(6)
	// Active first, then by price descending.
	p := s.get("/product/?o=-is_active,-price")
	if got := p.rows(); !slices.Equal(got, []string{"Product 005", "Product 004", "Product 002", "Product 001", "Product 003", "Product 000"}) {
		t.Errorf("rows = %q", got)
	}
	link := func(header string) string {
		return p.doc.Find("#results thead a").FilterFunction(func(_ int, a *goquery.Selection) bool {
			return strings.HasPrefix(strings.TrimSpace(a.Text()), header)
		}).AttrOr("href", "")
	}
	o := func(u string) string {
		parsed, _ := url.Parse(u)
		return parsed.Query().Get("o")
	}
	tests := []struct{ header, want string }{
		{"Name", "name,-is_active,-price"}, // a new primary, the others after it
		{"Price", "price,-is_active"},      // the secondary becomes primary
		{"Active", "is_active,-price"},     // the primary reverses
	}
	for _, tt := range tests {
		if got := o(link(tt.header)); got != tt.want {
			t.Errorf("%s sorts by %q, want %q", tt.header, got, tt.want)
		}
	}
	if pr := p.doc.Find("#results thead .sort-priority").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); !slices.Equal(pr, []string{"2", "1"}) {
		t.Errorf("sort priorities = %q", pr)
	}
	for _, bad := range []string{"?o=price,price", "?o=description", "?o=margin"} {
		if st := s.get("/product/" + bad).status; st != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", bad, st)
		}
	}
}

func TestSortableByAndDetailLinksForViewOnlyUsers(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view")}))
	s.seed(2)
	s.res.Product.SortableBy = []string{"price"}
	p := s.get("/product/")
	var sortable []string
	p.doc.Find("#results thead a.sort").Each(func(_ int, a *goquery.Selection) {
		a.Find("span").Remove()
		sortable = append(sortable, strings.TrimSpace(a.Text()))
	})
	// Price, and created_at from the default ordering, which sorts anyway.
	if !slices.Equal(sortable, []string{"Price", "Created at"}) {
		t.Errorf("sortable headers = %q", sortable)
	}
	if st := s.get("/product/?o=name").status; st != http.StatusBadRequest {
		t.Errorf("sorting by a column left out of SortableBy: status %d", st)
	}
	// Each row links to its read-only detail page, as Django's admin does.
	var links []string
	p.doc.Find("#results tbody a").Each(func(_ int, a *goquery.Selection) {
		links = append(links, a.AttrOr("href", ""))
	})
	if len(links) != 2 || !strings.HasPrefix(links[0], "/admin/product/") || s.get(strings.TrimPrefix(links[0], "/admin")).status != http.StatusOK {
		t.Errorf("a view-only user's rows link to %q, want each row's detail page", links)
	}
}

func TestListDisplayFuncPicksColumnsPerRequest(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	s.seed(2)
	s.res.Product.ListDisplayFunc = func(r *http.Request) []string {
		if r.URL.Query().Get("q") != "" {
			return []string{"name", "tags"}
		}
		return []string{"name", "brand", "margin"} // brand is a field not in ListDisplay
	}
	if hs := s.get("/product/").headers(); !slices.Equal(hs, []string{"Name", "Brand", "Margin"}) {
		t.Errorf("headers = %q", hs)
	}
	if hs := s.get("/product/?q=Product").headers(); !slices.Equal(hs, []string{"Name", "Tags"}) {
		t.Errorf("headers with a search = %q", hs)
	}
	s.res.Product.ListDisplayFunc = func(*http.Request) []string { return []string{"name", "nope"} }
	if st := s.get("/product/").status; st != http.StatusInternalServerError {
		t.Errorf("an unknown column: status %d, want 500", st)
	}
	// A path that only a filter names is not loaded with the page: refused
	// rather than shown empty.
	s.res.ProductImage.ListDisplayFunc = func(*http.Request) []string { return []string{"url", "product.category"} }
	if st := s.get("/productimage/").status; st != http.StatusInternalServerError {
		t.Errorf("a column whose edges are not loaded: status %d, want 500", st)
	}
}

func TestColumnChooserIsRememberedAndValidated(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	s.seed(2)
	p := s.get("/product/?o=price")
	var offered []string
	p.doc.Find(`.column-chooser input[name="col"]`).Each(func(_ int, in *goquery.Selection) { offered = append(offered, in.AttrOr("value", "")) })
	if !slices.Equal(offered, []string{"name", "price", "margin", "category", "tags", "status", "is_active", "stock_count", "created_at"}) {
		t.Errorf("chooser offers %q", offered)
	}
	r := s.post("/product/columns/", url.Values{"col": {"price", "name", "forged"}, "_changelist_filters": {"o=price"}})
	if r.status != http.StatusSeeOther || r.location != "/admin/product/?o=price" {
		t.Fatalf("choosing: status %d location %q", r.status, r.location)
	}
	if hs := s.get("/product/").headers(); !slices.Equal(hs, []string{"Name", "Price"}) {
		t.Errorf("after choosing name and price: %q", hs)
	}
	if hs := s.get("/product/partial/").headers(); !slices.Equal(hs, []string{"Name", "Price"}) {
		t.Errorf("the partial endpoint ignores the choice: %q", hs)
	}
	// Hiding every column is refused and changes nothing.
	if r := s.post("/product/columns/", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("status %d", r.status)
	}
	p = s.get("/product/")
	if hs := p.headers(); !slices.Equal(hs, []string{"Name", "Price"}) {
		t.Errorf("after choosing nothing: %q", hs)
	}
	if !strings.Contains(p.body, "Keep at least one column.") {
		t.Error("no message about keeping a column")
	}
	// A cookie written for another user is ignored.
	u, _ := url.Parse(s.srv.URL + "/admin/product/")
	s.http.Jar.SetCookies(u, []*http.Cookie{{Name: "entadmin_columns", Value: "someoneelse~name", Path: "/admin/product/"}})
	if hs := s.get("/product/").headers(); len(hs) != 9 {
		t.Errorf("another user's choice applies: %q", hs)
	}
	if st := s.get("/product/columns/").status; st != http.StatusMethodNotAllowed {
		t.Errorf("GET /columns/: status %d", st)
	}
}

func TestSearchPrefixesPerField(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		f := s.seed(3)
		ctx := context.Background()
		s.client.Product.UpdateOne(f.products[0]).SetBrand("Acme").ExecX(ctx)
		s.client.Product.UpdateOne(f.products[1]).SetBrand("Xacme").ExecX(ctx)
		s.client.Category.Create().SetName("Kitchenware").SetSlug("kitchenware").ExecX(ctx)
		s.client.Category.Create().SetName("Pans").SetSlug("pan").ExecX(ctx)
		s.client.Category.Create().SetName("Dishes").SetSlug("pan-dishes").ExecX(ctx)
		for i, alt := range []string{"A red enamel mug", "Mugshot of the owner"} {
			s.client.ProductImage.Create().SetURL("https://img/" + strconv.Itoa(i)).SetAltText(alt).SetProduct(f.products[0]).ExecX(ctx)
		}
		tests := []struct {
			name, path string
			want       []string
		}{
			{"^brand: starts with, any case", "/product/?q=ACM", []string{"Product 000"}},
			{"^name: starts with", "/category/?q=kitch", []string{"Kitchen", "Kitchenware"}},
			{"=slug: equals, not contains", "/category/?q=PAN", []string{"Pans"}},
			{"no match inside a name for ^", "/category/?q=ware", nil},
		}
		if d == dialect.Postgres {
			// @alt_text: full-text words, not substrings.
			tests = append(tests, struct {
				name, path string
				want       []string
			}{"@alt_text: a whole word", "/productimage/?q=mug", []string{"https://img/0"}})
		} else {
			// The portable fallback matches substrings.
			tests = append(tests, struct {
				name, path string
				want       []string
			}{"@alt_text falls back to contains", "/productimage/?q=mug&o=url", []string{"https://img/0", "https://img/1"}})
		}
		for _, tt := range tests {
			if got := s.get(tt.path).rows(); !slices.Equal(got, tt.want) {
				t.Errorf("%s: rows = %q, want %q", tt.name, got, tt.want)
			}
		}
	})
}

func TestSearchFuncExtendsTheDefaultSearch(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(12)
	// Search by id too: "#7" finds the product with id 7.
	s.res.Product.SearchFunc = func(_ *http.Request, text string, def entadmin.Predicate) (entadmin.Predicate, error) {
		if id, err := strconv.Atoi(strings.TrimPrefix(text, "#")); err == nil && strings.HasPrefix(text, "#") {
			return product.ID(id), nil
		}
		return def, nil
	}
	if got := s.get("/product/?q=%23" + strconv.Itoa(f.products[7].ID)).rows(); !slices.Equal(got, []string{"Product 007"}) {
		t.Errorf("search by id = %q", got)
	}
	if got := s.get("/product/?q=Product+011").rows(); !slices.Equal(got, []string{"Product 011"}) {
		t.Errorf("default search = %q", got)
	}
	// A resource without search fields gets a search box with a SearchFunc.
	s.res.ProductImage.SearchFields = nil
	s.res.ProductImage.SearchFunc = func(_ *http.Request, text string, _ entadmin.Predicate) (entadmin.Predicate, error) {
		return nil, fmt.Errorf("search backend down")
	}
	if p := s.get("/productimage/?q=x"); p.status != http.StatusInternalServerError {
		t.Errorf("a failing SearchFunc: status %d", p.status)
	}
}

func TestCustomAndEdgePathFilters(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		f := s.seed(4) // prices 0.5 .. 3.5
		ctx := context.Background()
		for _, pr := range f.products {
			s.client.ProductImage.Create().SetURL("https://img/" + strings.TrimPrefix(pr.Name, "Product ")).SetProduct(pr).ExecX(ctx)
		}
		s.res.ProductImage.ListFilter = append(s.res.ProductImage.ListFilter, "product.category.name")
		if got := s.get("/product/?price_band=low&o=name").rows(); !slices.Equal(got, []string{"Product 000"}) {
			t.Errorf("custom filter = %q", got)
		}
		if st := s.get("/product/?price_band=huge").status; st != http.StatusBadRequest {
			t.Errorf("a custom filter's unknown value: status %d", st)
		}
		p := s.get("/productimage/?o=url&product.category=" + strconv.Itoa(f.garden.ID))
		if got := p.rows(); !slices.Equal(got, []string{"https://img/001", "https://img/003"}) {
			t.Errorf("filter on a path ending on an edge = %q", got)
		}
		var titles []string
		p.doc.Find(".filters h3").Each(func(_ int, h *goquery.Selection) { titles = append(titles, h.Text()) })
		if !slices.Contains(titles, "By product category") || !slices.Contains(titles, "By product category name") {
			t.Errorf("filter titles = %q", titles)
		}
		if got := s.get("/productimage/?o=url&product.category.name=Kitchen").rows(); !slices.Equal(got, []string{"https://img/000", "https://img/002"}) {
			t.Errorf("filter on a path ending on a string = %q", got)
		}
		if st := s.get("/productimage/?product.category=abc").status; st != http.StatusBadRequest {
			t.Errorf("a bad id in a path filter: status %d", st)
		}
	})
}

func TestFacetCountsFollowTheOtherFilters(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		s.seed(12) // active unless i%3 == 0; draft when i%4 == 0; kitchen when even
		facets := func(p *page) map[string]string {
			m := map[string]string{}
			p.doc.Find(".filters section").Each(func(_ int, sec *goquery.Selection) {
				title := sec.Find("h3").Text()
				sec.Find("a").Each(func(_ int, a *goquery.Selection) {
					n := a.Find(".facet").Text()
					a.Find(".facet").Remove()
					m[title+"/"+strings.TrimSpace(a.Text())] = n
				})
			})
			return m
		}
		if m := facets(s.get("/product/")); m["By active/Yes"] != "" {
			t.Errorf("counts without asking for them: %v", m)
		}
		p := s.get("/product/?_facets=1&status=draft")
		m := facets(p)
		want := map[string]string{
			"By active/All": "3", "By active/Yes": "2", "By active/No": "1", // drafts: 0, 4, 8
			"By status/Draft": "3", "By status/Published": "9", "By status/All": "12", // not filtered by itself
			"By category/Kitchen": "3", "By category/Garden": "0",
			"By price/Under 1": "1", "By price/1 and more": "2",
		}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("%s = %q, want %q", k, m[k], v)
			}
		}
		if link := p.doc.Find("a.facets-toggle"); strings.TrimSpace(link.Text()) != "Hide counts" || strings.Contains(link.AttrOr("href", ""), "_facets") {
			t.Errorf("toggle = %q %q", link.Text(), link.AttrOr("href", ""))
		}
	})
}

func TestSavingReturnsToTheFilteredList(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(40)
	list := "/product/?q=Product&is_active=yes&o=-price&p=2"
	p := s.get(list)
	href := p.doc.Find("#results tbody tr a").First().AttrOr("href", "")
	u, _ := url.Parse(href)
	kept, _ := url.ParseQuery(u.Query().Get("_changelist_filters"))
	if kept.Get("q") != "Product" || kept.Get("o") != "-price" || kept.Get("p") != "2" || kept.Get("is_active") != "yes" {
		t.Fatalf("row link %q does not carry the list's parameters", href)
	}
	form := s.get(strings.TrimPrefix(href, "/admin"))
	action := form.doc.Find("form.form").AttrOr("action", "")
	if !strings.Contains(action, "_changelist_filters=") {
		t.Errorf("form action %q drops the list's parameters", action)
	}
	if cancel := form.doc.Find("a.btn-link").AttrOr("href", ""); !strings.HasPrefix(cancel, "/admin/product/?") || !strings.Contains(cancel, "p=2") {
		t.Errorf("cancel = %q", cancel)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(u.Path, "/admin/product/"), "/")
	values := productForm("Renamed", "7", f.kitchen.ID)
	values.Set("_save", "")
	r := s.post(strings.TrimPrefix(action, "/admin"), values)
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", r.status, r.body)
	}
	back, _ := url.Parse(r.location)
	if back.Path != "/admin/product/" || back.Query().Get("q") != "Product" || back.Query().Get("p") != "2" || back.Query().Get("o") != "-price" {
		t.Errorf("save returns to %q", r.location)
	}
	values.Del("_save")
	values.Set("_continue", "")
	if r := s.post(strings.TrimPrefix(action, "/admin"), values); !strings.HasPrefix(r.location, "/admin/product/"+id+"/?_changelist_filters=") {
		t.Errorf("save and continue goes to %q", r.location)
	}
	// Whatever the parameter holds, the redirect stays on the list.
	for _, evil := range []string{"//evil.example/x", "https://evil.example/", "/../../logout/"} {
		path := "/product/" + id + "/?" + url.Values{"_changelist_filters": {evil}}.Encode()
		r := s.post(path, productForm("Renamed", "7", f.kitchen.ID))
		if !strings.HasPrefix(r.location, "/admin/product/") || strings.Contains(r.location, "//evil") {
			t.Errorf("%q redirects to %q", evil, r.location)
		}
	}
}

func TestPartialEndpointAndToasts(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	s.seed(30)
	req, _ := http.NewRequest(http.MethodGet, s.srv.URL+"/admin/product/partial/?q=Product+01&is_active=yes", nil)
	req.Header.Set("HX-Request", "true")
	resp, err := s.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if push := resp.Header.Get("HX-Push-Url"); push != "/admin/product/?is_active=yes&q=Product+01" {
		t.Errorf("HX-Push-Url = %q", push)
	}
	p := s.get("/product/partial/?q=Product+01&is_active=yes")
	if strings.Contains(p.body, "<html") || p.doc.Find("#results table").Length() != 1 {
		t.Fatalf("the partial is not just the results:\n%s", p.body)
	}
	if got := p.rows(); len(got) != 8 { // 001, 010..019, less the inactive 012, 015, 018
		t.Errorf("rows = %q", got)
	}
	if oob := p.doc.Find(`aside#filters[hx-swap-oob="true"]`); oob.Length() != 1 {
		t.Error("the filters are not swapped out of band")
	}
	if v := p.doc.Find(`#search-keep[hx-swap-oob] input[name="is_active"]`).AttrOr("value", ""); v != "yes" {
		t.Errorf("the search form's kept filter = %q", v)
	}
	if st := s.get("/product/partial/?o=nope").status; st != http.StatusBadRequest {
		t.Errorf("bad parameters on the partial: status %d", st)
	}
	// The full page links every control to the partial endpoint.
	full := s.get("/product/?q=Product")
	if hx := full.doc.Find("form.search").AttrOr("hx-get", ""); hx != "/admin/product/partial/" {
		t.Errorf("search form hx-get = %q", hx)
	}
	if tr := full.doc.Find("form.search").AttrOr("hx-trigger", ""); !strings.Contains(tr, "delay:300ms") {
		t.Errorf("search hx-trigger = %q", tr)
	}
	if hx := full.doc.Find(".pagination a.page-next").AttrOr("hx-get", ""); !strings.HasPrefix(hx, "/admin/product/partial/?") {
		t.Errorf("next page hx-get = %q", hx)
	}
	// A history restore gets the whole page.
	req, _ = http.NewRequest(http.MethodGet, s.srv.URL+"/admin/product/", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "results")
	req.Header.Set("HX-History-Restore-Request", "true")
	if r := s.do(req); !strings.Contains(r.body, "<html") {
		t.Error("a history restore did not get the whole page")
	}

	// Messages queued for an htmx response come as out-of-band toasts.
	site := entadmin.New(entadmin.WithAuthorizer(entadmin.Open{}))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entadmin.AddMessage(w, r, views.LevelSuccess, "Done <b>now</b>.")
		site.RenderFragment(w, r, http.StatusOK, views.ListResults(views.ListPage{}))
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	body := rec.Body.String()
	if !strings.Contains(body, `<div id="messages" hx-swap-oob="beforeend">`) || !strings.Contains(body, "Done &lt;b&gt;now&lt;/b&gt;.") {
		t.Errorf("no escaped out-of-band toast:\n%s", body)
	}
	if strings.Contains(rec.Header().Get("Set-Cookie"), "entadmin_messages=e") {
		t.Error("the toast is shown now and queued for the next page too")
	}
}

func TestComputedColumnKindsAndOptions(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(3)
	s.client.Product.UpdateOne(f.products[1]).SetBrand("Acme").ExecX(context.Background())
	// Declared as the schema would with admin.Computed.
	s.res.Product.Computed = append(s.res.Product.Computed, "badge", "cheap", "brand_upper")
	s.res.Product.Column("badge", entadmin.ComputedHTML(func(p *ent.Product) templ.Component {
		if p.StockCount == 0 {
			return nil
		}
		return templ.Raw(`<mark class="stock">` + strconv.Itoa(p.StockCount) + `</mark>`)
	}).Header("In stock").Empty("none"))
	s.res.Product.Column("cheap", entadmin.ComputedBool(func(p *ent.Product) bool { return p.Price < 1 }).SortBy("price"))
	s.res.Product.Column("brand_upper", entadmin.Computed(func(p *ent.Product) string { return strings.ToUpper(p.Brand) }))
	s.res.Product.ListDisplayFunc = func(*http.Request) []string { return []string{"cheap", "name", "badge", "brand_upper"} }

	p := s.get("/product/?o=-cheap")
	if hs := p.headers(); !slices.Equal(hs, []string{"Cheap", "Name", "In stock", "Brand upper"}) {
		t.Errorf("headers = %q", hs)
	}
	// Sorting by "cheap" sorts by price: descending puts Product 002 first.
	if got := p.column("Name"); !slices.Equal(got, []string{"Product 002", "Product 001", "Product 000"}) {
		t.Errorf("sorted by -cheap: %q", got)
	}
	if got := p.column("In stock"); !slices.Equal(got, []string{"2", "1", "none"}) {
		t.Errorf("HTML column = %q", got)
	}
	if p.doc.Find("#results tbody mark.stock").Length() != 2 {
		t.Error("the component's HTML is not rendered as HTML")
	}
	if got := p.column("Cheap"); !slices.Equal(got, []string{"No", "No", "Yes"}) {
		t.Errorf("bool column = %q", got)
	}
	if got := p.column("Brand upper"); !slices.Equal(got, []string{"(not set)", "ACME", "(not set)"}) {
		t.Errorf("text column = %q", got)
	}
	if p.doc.Find("#results tbody tr").First().Find("td:not(.select-col)").Eq(1).Find("a").Length() != 1 {
		t.Error("the name column (ListDisplayLinks) is not a link")
	}
	// Without the link columns, the first column links, whatever its kind.
	s.res.Product.ListDisplayFunc = func(*http.Request) []string { return []string{"cheap", "badge"} }
	p = s.get("/product/")
	if p.doc.Find("#results tbody tr").First().Find("td:not(.select-col)").First().Find("a .badge").Length() != 1 {
		t.Error("the first column is not a link")
	}
}

func TestComputedColumnMistakesPanicAtStartup(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	mustPanic := func(name, want string, fn func()) {
		t.Helper()
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), want) {
				t.Errorf("%s: panic %v, want it to contain %q", name, r, want)
			}
		}()
		fn()
	}
	text := entadmin.Computed(func(*ent.Product) string { return "" })
	mustPanic("undeclared", `the schema declares no computed column "profit"`, func() { s.res.Product.Column("profit", text) })
	mustPanic("added twice", "added twice", func() { s.res.Product.Column("margin", text) })
	s.res.Product.Computed = append(s.res.Product.Computed, "x", "y")
	mustPanic("bad SortBy", `SortBy("prise")`, func() {
		s.res.Product.Column("x", entadmin.Computed(func(*ent.Product) string { return "" }).SortBy("prise"))
	})
	mustPanic("bad Needs", `Needs("cost")`, func() {
		s.res.Product.Column("y", entadmin.Computed(func(*ent.Product) string { return "" }).Needs("cost"))
	})

	site := entadmin.New(entadmin.WithAuthorizer(entadmin.Open{}), entadmin.WithLogger(slog.New(slog.DiscardHandler)))
	adminres.Register(site, s.client)
	mustPanic("never added", `computed column "margin" is declared with admin.Computed but never added`, func() { site.Handler() })
}
