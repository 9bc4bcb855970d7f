package entadmin_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
)

// TestEveryPageShowsTheRowsOfItsPlaceInTheOrdering pages through lists of
// a staff user who may only view products and their categories, within a
// row scope, on both databases: the pages beyond the first (whose rows are skipped by id, and
// read from the end in the second half of an exactly counted list) must
// hold, in order, the rows of the same list read as one page.
func TestEveryPageShowsTheRowsOfItsPlaceInTheOrdering(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "category.view")}))
		s.seed(47)
		ctx := context.Background()
		// Products without a category sort as NULLs by category.
		for i := range 3 {
			s.client.Product.Create().SetName(fmt.Sprintf("Loose %d", i)).SetPrice(1).SaveX(ctx)
		}
		s.res.Product.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
			return product.NameNotIn("Product 003", "Product 030", "Loose 1"), nil
		}
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

// TestADeepPageSkipsRowsByTheirIDsOnly checks the statement of deep pages:
// the rows skipped are skipped in a subquery that selects their ids, and
// the last page of an exactly counted list skips none, so that the select
// list (joined edges, tags as JSON) is computed for the page's rows only.
func TestADeepPageSkipsRowsByTheirIDsOnly(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "category.view", "tag.view")}))
		s.seed(60)
		s.res.Product.PerPage = 5
		for _, tt := range []struct {
			page       string
			wantOffset bool
		}{{"3", true}, {"12", false}} {
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
