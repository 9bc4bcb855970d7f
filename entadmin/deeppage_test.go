package entadmin_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/entadmin/entadmin/cache"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
)

// scopedShop is the shop with 50 products, 3 without a category, as a
// staff user who may only view products and their categories, within a row
// scope that leaves 3 of them out; opts configure the site further.
func scopedShop(t *testing.T, d string, opts ...entadmin.Option) *shop {
	s := newShop(t, d, "/admin", append([]entadmin.Option{entadmin.WithAuthorizer(policy{perms: perms("product.view", "category.view")})}, opts...)...)
	s.seed(47)
	// Products without a category sort as NULLs by category.
	for i := range 3 {
		s.client.Product.Create().SetName(fmt.Sprintf("Loose %d", i)).SetPrice(1).SaveX(context.Background())
	}
	s.res.Product.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
		return product.NameNotIn("Product 003", "Product 030", "Loose 1"), nil
	}
	return s
}

// TestEveryPageShowsTheRowsOfItsPlaceInTheOrdering pages through lists of
// a staff user who may only view products and their categories, within a
// row scope, on both databases: the pages beyond the first (whose rows are skipped by id, and
// read from the end in the second half of an exactly counted list) must
// hold, in order, the rows of the same list read as one page.
func TestEveryPageShowsTheRowsOfItsPlaceInTheOrdering(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := scopedShop(t, d)
		for _, query := range []string{
			"",
			"o=price",
			"o=-status",
			"o=category,-stock_count",
			"o=-category",
			"is_active=yes&o=name",
			"q=Product+0",
		} {
			s.res.Product.PerPage = 500
			all := s.get("/product/?" + query).rows()
			if len(all) == 0 || slices.Contains(all, "Product 003") || slices.Contains(all, "Loose 1") {
				t.Fatalf("%s: the list as one page: %q", query, all)
			}
			s.res.Product.PerPage = 4
			var paged []string
			pages := (len(all) + 3) / 4
			for n := 1; n <= pages; n++ {
				p := s.get("/product/?" + query + "&p=" + strconv.Itoa(n))
				rows := p.rows()
				if want := all[(n-1)*4 : min(n*4, len(all))]; !slices.Equal(rows, want) {
					t.Errorf("%s: page %d of %d shows %q, want %q", query, n, pages, rows, want)
				}
				if hasNext := p.next() != ""; hasNext != (n < pages) {
					t.Errorf("%s: page %d of %d has a Next link: %v", query, n, pages, hasNext)
				}
				paged = append(paged, rows...)
			}
			if !slices.Equal(paged, all) {
				t.Errorf("%s: the pages together show %q, want %q", query, paged, all)
			}
		}
	})
}

// cachedScopedShop is scopedShop on a site with a cache in process, its
// planner statistics up to date.
func cachedScopedShop(t *testing.T, d string) *shop {
	ctx := context.Background()
	c, err := cache.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	s := scopedShop(t, d, entadmin.WithCache(c))
	if d == dialect.Postgres {
		if _, err := s.client.ExecContext(ctx, "ANALYZE products"); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// pagesByNumber checks the pages of the product list of query, counted
// as mode says, 4 rows a page, from page from to the end and one beyond
// it, against the list read as one page: each holds the rows of its place,
// with a Next link but on the last; a page beyond the end is the last
// page. It returns the number of pages.
func pagesByNumber(t *testing.T, s *shop, query string, mode entadmin.CountMode, from int) int {
	t.Helper()
	s.res.Product.CountMode = entadmin.CountExact
	s.res.Product.PerPage = 500
	all := s.get("/product/?" + query).rows()
	if len(all) < 10 || slices.Contains(all, "Product 003") || slices.Contains(all, "Loose 1") {
		t.Fatalf("%s: the list as one page: %q", query, all)
	}
	s.res.Product.CountMode = mode
	s.res.Product.PerPage = 4
	n := (len(all) + 3) / 4
	for i := max(1, from); i <= n+1; i++ {
		p := s.get("/product/?" + query + "&p=" + strconv.Itoa(i))
		want := all[(min(i, n)-1)*4 : min(i*4, len(all))]
		if rows := p.rows(); p.status != 200 || !slices.Equal(rows, want) {
			t.Errorf("%s: page %d of %d: status %d, rows %q, want %q", query, i, n, p.status, rows, want)
		}
		if hasNext := p.next() != ""; hasNext != (i < n) {
			t.Errorf("%s: page %d of %d has a Next link: %v", query, i, n, hasNext)
		}
	}
	return n
}

// pageStatement returns the statements of a request for path, and the
// one that reads the page's rows, SQLite's quotes made PostgreSQL's.
func pageStatement(t *testing.T, s *shop, path string) (all []string, rows string) {
	t.Helper()
	s.counter.Reset()
	s.counter.Record(true)
	s.get(path)
	s.counter.Record(false)
	for _, q := range s.counter.Statements() {
		q = strings.ReplaceAll(q, "`", `"`)
		if strings.Contains(q, `"products"."description"`) {
			rows = q
		}
		all = append(all, q)
	}
	if rows == "" {
		t.Fatalf("no statement of %s read the page's rows: %q", path, all)
	}
	return all, rows
}

// TestAFarPageOfAnEstimatedListShowsTheRowsOfItsPlace pages by number
// through lists whose total is estimated, on a site with a cache, as a
// staff user who may only view products and their categories, within a row
// scope that the table's estimate does not see, on both databases (SQLite
// has no estimates: its lists are counted exactly). Every page holds the
// rows of its place in the ordering; the pages beyond the estimated middle
// are read from the end without skipping rows by OFFSET, and the exact
// count they need is cached until a write to the table, after which the
// pages hold the rows of their place again; a page beyond the end is the
// last page, as on an exactly counted list.
func TestAFarPageOfAnEstimatedListShowsTheRowsOfItsPlace(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := cachedScopedShop(t, d)
		for _, query := range []string{
			"",
			"o=price",
			"o=-category",
			"is_active=yes&o=name",
			"q=Product+0",
		} {
			pagesByNumber(t, s, query, entadmin.CountEstimated, 1)
		}

		// The last page by number again: counted already, read from the end.
		n := pagesByNumber(t, s, "", entadmin.CountEstimated, 1)
		all, rows := pageStatement(t, s, "/product/?p="+strconv.Itoa(n))
		for _, q := range all {
			if strings.Contains(q, "count(") {
				t.Errorf("the last page, counted before, counts again:\n%s", q)
			}
		}
		if strings.Contains(rows, "OFFSET") {
			t.Errorf("the last page skips rows by OFFSET:\n%s", rows)
		}

		// Writes through the client: the pages hold their rows again.
		ctx := context.Background()
		for i := range 5 {
			s.client.Product.Create().SetName(fmt.Sprintf("Added %d", i)).SetPrice(2).SaveX(ctx)
		}
		pagesByNumber(t, s, "", entadmin.CountEstimated, n-1)
		s.client.Product.Delete().Where(product.NameIn("Added 0", "Added 1", "Added 2", "Product 010")).ExecX(ctx)
		pagesByNumber(t, s, "", entadmin.CountEstimated, n-2)
	})
}

// TestADeepPageByNumberIsReadFromAnAnchor pages by number through lists
// whose anchors are 5 rows apart, used from the third page, estimated and
// counted exactly, on a site with a cache, as a staff user who may only
// view products and their categories, within a row scope, on both
// databases: every page holds the rows of its place in the ordering
// (orderings through an edge have no anchors and skip rows as before),
// from the start or, in the second half and counted from the end, from
// the end; the anchors are
// read once, and after writes through the client the
// pages hold their rows again. It changes the anchors' spacing for the
// package, so it is not parallel.
func TestADeepPageByNumberIsReadFromAnAnchor(t *testing.T) {
	entadmin.SpaceAnchorsForTest(t, 5, 8)
	onBoth(t, func(t *testing.T, d string) {
		s := cachedScopedShop(t, d)
		for _, mode := range []entadmin.CountMode{entadmin.CountEstimated, entadmin.CountExact} {
			for _, query := range []string{
				"",
				"o=price",
				"o=-price",
				"o=-category",
				"is_active=yes&o=name",
				"q=Product+0",
			} {
				pagesByNumber(t, s, query, mode, 1)
			}
		}

		// Pages counted from the end of a list that is not counted.
		for _, query := range []string{"", "o=price", "q=Product+0"} {
			s.res.Product.CountMode = entadmin.CountExact
			s.res.Product.PerPage = 500
			all := s.get("/product/?" + query).rows()
			s.res.Product.CountMode = entadmin.CountNone
			s.res.Product.PerPage = 4
			for i := 1; (i-1)*4 < len(all); i++ {
				want := all[max(0, len(all)-4*i) : len(all)-4*(i-1)]
				if rows := s.get("/product/?" + query + "&p=-" + strconv.Itoa(i)).rows(); !slices.Equal(rows, want) {
					t.Errorf("%s: page -%d shows %q, want %q", query, i, rows, want)
				}
			}
		}

		// Page 5 skips 16 rows: the 15 up to the third anchor by a seek,
		// the anchors read before, and 1 more. Page 8, in the second half,
		// is read from the end: the 15 rows after it up to the third
		// anchor from the end by a seek, and none more.
		s.res.Product.CountMode = entadmin.CountExact
		for page, want := range map[string]string{"5": "OFFSET 1)", "8": ""} {
			all, rows := pageStatement(t, s, "/product/?p="+page)
			for _, q := range all {
				if strings.Contains(strings.ToUpper(q), "ROW_NUMBER") {
					t.Errorf("page %s reads the anchors again:\n%s", page, q)
				}
			}
			if want == "" && strings.Contains(rows, "OFFSET") || !strings.Contains(rows, want) {
				t.Errorf("page %s does not skip its rows from an anchor (%q):\n%s", page, want, rows)
			}
		}

		ctx := context.Background()
		for i := range 7 {
			s.client.Product.Create().SetName(fmt.Sprintf("Added %d", i)).SetPrice(float64(i) * 10).SaveX(ctx)
		}
		pagesByNumber(t, s, "o=price", entadmin.CountExact, 1)
		s.client.Product.Delete().Where(product.NameIn("Added 0", "Added 5", "Product 020")).ExecX(ctx)
		pagesByNumber(t, s, "o=price", entadmin.CountEstimated, 1)
	})
}

// TestADeepPageSkipsRowsByTheirIDsOnly checks the statement of deep pages:
// the rows skipped are skipped in a subquery that selects their ids, and
// the last page skips none, whether the list is counted or not, so that
// the select list (joined edges, tags as JSON) is computed for the page's
// rows only.
func TestADeepPageSkipsRowsByTheirIDsOnly(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "category.view", "tag.view")}))
		s.seed(60)
		s.res.Product.PerPage = 5
		for _, tt := range []struct {
			mode       entadmin.CountMode
			page       string
			wantOffset bool
		}{
			{entadmin.CountAuto, "3", true},
			{entadmin.CountAuto, "12", false},
			{entadmin.CountAuto, "last", false},
			{entadmin.CountNone, "last", false},
			{entadmin.CountNone, "-3", true},
		} {
			s.res.Product.CountMode = tt.mode
			s.counter.Reset()
			s.counter.Record(true)
			p := s.get("/product/?p=" + tt.page)
			s.counter.Record(false)
			if len(p.rows()) != 5 {
				t.Fatalf("page %s shows %q", tt.page, p.rows())
			}
			var page string
			for _, q := range s.counter.Statements() {
				q = strings.ReplaceAll(q, "`", `"`) // SQLite's quotes
				if strings.Contains(q, `"products"."description"`) {
					page = q
				}
			}
			outer, inner, ok := strings.Cut(page, `"products"."id" IN (SELECT "products"."id" FROM "products"`)
			if !ok {
				t.Fatalf("page %s is not read by the ids of a subquery:\n%s", tt.page, page)
			}
			rest := inner[strings.LastIndex(inner, ")"):]
			if strings.Contains(outer, "OFFSET") || strings.Contains(rest, "OFFSET") {
				t.Errorf("page %s skips rows outside the subquery of ids:\n%s", tt.page, page)
			}
			if strings.Contains(inner, "OFFSET") != tt.wantOffset {
				t.Errorf("page %s: OFFSET in the subquery: %v, want %v:\n%s", tt.page, !tt.wantOffset, tt.wantOffset, page)
			}
		}
	})
}

// prev returns the href of the list's "Previous" link, "" when there is none.
func (p *page) prev() string {
	return p.doc.Find(`nav[aria-label="Pagination"] a[rel="prev"]`).AttrOr("href", "")
}

// TestPagesCountedFromTheEndHoldTheListsFinalRows reads lists whose total
// is estimated or not counted from their end, as a staff user who may only
// view products and their categories, within a row scope: the paginator
// links the last page, which holds the list's final rows, and the pages
// before it, reached by their Previous links (numbers, then cursors beyond
// the numbered pages), hold together every row of the list once, in order,
// and none outside the scope.
func TestPagesCountedFromTheEndHoldTheListsFinalRows(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := scopedShop(t, d)
		ctx := context.Background()
		if d == dialect.Postgres {
			if _, err := s.client.ExecContext(ctx, "ANALYZE products"); err != nil {
				t.Fatal(err)
			}
		}
		modes := map[string]entadmin.CountMode{"estimated": entadmin.CountEstimated, "not counted": entadmin.CountNone}
		for name, mode := range modes {
			for _, query := range []string{
				"",
				"o=price",
				"o=-category", // through an edge: no cursors, numbers only
				"is_active=yes&o=name",
				"q=Product+0",
			} {
				t.Run(name+"/"+query, func(t *testing.T) {
					s.res.Product.CountMode = entadmin.CountExact
					s.res.Product.PerPage = 500
					all := s.get("/product/?" + query).rows()
					if len(all) < 10 || slices.Contains(all, "Product 003") || slices.Contains(all, "Loose 1") {
						t.Fatalf("the list as one page: %q", all)
					}
					s.res.Product.CountMode = mode
					s.res.Product.PerPage = 2
					// Counted exactly (SQLite has no estimates), the list
					// links its last page by number.
					exact := mode == entadmin.CountEstimated && d == dialect.SQLite
					first := s.get("/product/?" + query)
					lastURL := first.doc.Find(`nav[aria-label="Pagination"] a[aria-label="Last page"]`).AttrOr("href", "")
					if exact {
						lastURL = first.doc.Find(`nav[aria-label="Pagination"] a.page`).Last().AttrOr("href", "")
					}
					if !strings.Contains(lastURL, "p=last") && !exact {
						t.Fatalf("page 1 links no last page: %q", lastURL)
					}
					var paged []string
					path, cursors := lastURL, 0
					for n := 1; path != ""; n++ {
						p := s.get(strings.TrimPrefix(path, "/admin"))
						if p.status != 200 {
							t.Fatalf("%s: status %d", path, p.status)
						}
						rows := p.rows()
						if n == 1 {
							want := all[len(all)-2:]
							if exact {
								want = all[len(all)/2*2:]
							}
							if !slices.Equal(rows, want) || p.next() != "" {
								t.Errorf("the last page shows %q (Next %q), want %q", rows, p.next(), want)
							}
						}
						if n > len(all) {
							t.Fatalf("more pages than rows from %s", lastURL)
						}
						paged = append(rows, paged...)
						path = p.prev()
						if strings.Contains(path, "before=") {
							cursors++
						}
					}
					if query == "" && !exact && cursors == 0 {
						t.Errorf("no page beyond the numbered ones was reached by cursor")
					}
					if !slices.Equal(paged, all) {
						t.Errorf("the pages from the end show %q, want %q", paged, all)
					}
				})
			}
		}
	})
}

// TestPageNumbersFromTheEndCountWholePagesBackwards checks the page
// parameter of a list that is not counted: "last" and -1 are the final
// rows, -3 the page two before them; a page before the start is empty,
// not an error.
func TestPageNumbersFromTheEndCountWholePagesBackwards(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view")}))
	s.seed(30)
	s.res.Product.CountMode = entadmin.CountNone
	s.res.Product.PerPage = 100
	all := s.get("/product/").rows()
	s.res.Product.PerPage = 10
	for _, tt := range []struct {
		page string
		want []string
	}{
		{"last", all[20:]},
		{"-1", all[20:]},
		{"-2", all[10:20]},
		{"-3", all[:10]},
		{"-4", nil},
	} {
		p := s.get("/product/?p=" + tt.page)
		if rows := p.rows(); p.status != 200 || !slices.Equal(rows, tt.want) {
			t.Errorf("?p=%s: status %d, rows %q, want %q", tt.page, p.status, rows, tt.want)
		}
	}
}
