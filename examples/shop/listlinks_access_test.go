package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestViewOnlyUsersFollowTheListToTheDetailPage checks that a user who
// may only view products opens each one from the list, as an editor opens
// its edit form, and finds the read-only detail page without the field
// hidden from them; a user with rights on one product only is linked to it
// alone.
func TestViewOnlyUsersFollowTheListToTheDetailPage(t *testing.T) {
	f := newAccessFixture(t)
	for _, tc := range []struct{ role, want string }{
		{"vic", "every row"},
		{"fay", "every row"},
		{"olga", "one row"},
	} {
		t.Run(tc.role, func(t *testing.T) {
			role := f.role(tc.role)
			list := f.fetch(t, role.client, http.MethodGet, "/product/", nil, false)
			if list.status != http.StatusOK {
				t.Fatalf("list: status %d", list.status)
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(list.body))
			if err != nil {
				t.Fatal(err)
			}
			rows := doc.Find("#results tbody tr[data-id]")
			var links []string
			rows.Each(func(_ int, tr *goquery.Selection) {
				if href, ok := tr.Find("td.first a").Attr("href"); ok && strings.HasPrefix(href, "/admin/product/"+tr.AttrOr("data-id", "")+"/") {
					links = append(links, href)
				}
			})
			got := "every row"
			if len(links) != rows.Length() || len(links) == 0 {
				got = "only some rows"
			}
			if rows.Length() == 1 && len(links) == 1 && tc.want == "one row" {
				got = "one row"
			}
			if got != tc.want {
				t.Fatalf("%d of %d rows link to their page, want %s", len(links), rows.Length(), tc.want)
			}
			detail := f.fetch(t, role.client, http.MethodGet, strings.TrimPrefix(links[0], "/admin"), nil, false)
			if detail.status != http.StatusOK {
				t.Fatalf("%s: status %d", links[0], detail.status)
			}
			readOnly := strings.Contains(detail.body, `class="form read-only"`)
			if wantRO := !holds(role.model["product"], "change") && !holds(role.objects["product"], "change"); readOnly != wantRO {
				t.Errorf("%s: read-only %v, want %v", links[0], readOnly, wantRO)
			}
			for _, c := range role.hiddenCanaries {
				for _, form := range f.canaries[c] {
					if strings.Contains(detail.body, form) {
						t.Errorf("%s shows the %s", links[0], c)
					}
				}
			}
		})
	}
}
