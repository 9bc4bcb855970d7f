package main

import (
	"context"
	"regexp"
	"strconv"
	"testing"

	"github.com/entadmin/entadmin/examples/shop/ent/category"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/examples/shop/ent/productimage"
)

// TestFacetCountsOnAnEdgePathFilter: the images list filters by the
// category of the image's product; with counts on, each category shows how
// many images it would list, and the counts follow the search.
func TestFacetCountsOnAnEdgePathFilter(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	root, _ := superuser(t, a, eve.base)
	ctx := context.Background()
	cats := a.db.client.Category.Query().Order(category.ByID()).AllX(ctx)
	choice := regexp.MustCompile(`hx-get="[^"]*product.category=(\d+)[^"]*"[^>]*>[^<]*<span class="facet"[^>]*>(\d+)</span>`)
	total := regexp.MustCompile(`class="result-summary">(\d+) `)
	for _, q := range []string{"", "&q=1"} {
		_, page := root.do("GET", "/productimage/?_facets=1"+q, nil)
		got := map[string]string{}
		for _, m := range choice.FindAllStringSubmatch(page, -1) {
			got[m[1]] = m[2]
		}
		if len(got) == 0 {
			t.Fatalf("no counts on the category filter of /productimage/?_facets=1%s:\n%s", q, page)
		}
		for _, c := range cats {
			want := "0" // what the list shows with that choice
			_, list := root.do("GET", "/productimage/?product.category="+strconv.Itoa(c.ID)+q, nil)
			if m := total.FindStringSubmatch(list); m != nil {
				want = m[1]
			}
			if q == "" {
				n := a.db.client.ProductImage.Query().Where(productimage.HasProductWith(product.HasCategoryWith(category.ID(c.ID)))).CountX(ctx)
				if want != strconv.Itoa(n) {
					t.Fatalf("%s: the list shows %s images, the database has %d", c.Name, want, n)
				}
			}
			if got[strconv.Itoa(c.ID)] != want {
				t.Errorf("%s%s: count %q, want %s", c.Name, q, got[strconv.Itoa(c.ID)], want)
			}
		}
	}
}
