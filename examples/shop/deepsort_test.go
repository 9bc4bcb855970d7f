package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestSortByAPathTwoEdgesDeep: the images list sorts by the name of the
// category of the image's product, both ways, from the column's header.
func TestSortByAPathTwoEdgesDeep(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	root, _ := superuser(t, a, eve.base)
	categories := func(path string) []string {
		t.Helper()
		status, page := root.do("GET", path, nil)
		if status != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, status)
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		doc.Find("#results thead th").Each(func(i int, th *goquery.Selection) {
			if strings.Contains(th.Text(), "category name") {
				col = i
			}
		})
		if col < 0 {
			t.Fatalf("%s has no category column: %s", path, doc.Find("#results thead").Text())
		}
		var names []string
		doc.Find("#results tbody tr").Each(func(_ int, tr *goquery.Selection) {
			if name := strings.TrimSpace(tr.Children().Eq(col).Text()); name != "-" { // no category: NULL
				names = append(names, name)
			}
		})
		if len(names) < 10 {
			t.Fatalf("%s lists %d rows", path, len(names))
		}
		return names
	}
	_, page := root.do("GET", "/productimage/", nil)
	if !strings.Contains(page, "o=product.category.name") {
		t.Fatal("the category column's header does not sort")
	}
	up := categories("/productimage/?o=product.category.name")
	if !slices.IsSorted(up) {
		t.Errorf("ascending: %q", up)
	}
	down := categories("/productimage/?o=-product.category.name")
	if !slices.IsSortedFunc(down, func(a, b string) int { return strings.Compare(b, a) }) || down[0] == up[0] {
		t.Errorf("descending: %q", down)
	}
}
