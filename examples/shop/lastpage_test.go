package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestALastPageHoldsOnlyTheRowsOfTheUsersScope asks for the last page of
// lists in each way of naming it, as users whose rows are scoped by object
// grants (olga changes one product, rob views one order) and as the
// superuser: a scoped user's last page holds the granted object alone.
func TestALastPageHoldsOnlyTheRowsOfTheUsersScope(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	rowIDs := func(r response) []string {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		doc.Find("#results tbody tr[data-id]").Each(func(_ int, tr *goquery.Selection) {
			ids = append(ids, tr.AttrOr("data-id", ""))
		})
		return ids
	}
	for _, tt := range []struct {
		role, slug string
		want       []string // nil: any rows, the same for each page parameter
	}{
		{"olga", "product", []string{f.ids["product"][idIn]}},
		{"rob", "order", []string{f.ids["order"][idIn]}},
		{"root", "product", nil},
	} {
		var first []string
		for _, page := range []string{"last", "-1"} {
			r := f.fetch(t, f.role(tt.role).client, http.MethodGet, "/"+tt.slug+"/?p="+page, nil, false)
			ids := rowIDs(r)
			switch {
			case r.status != http.StatusOK:
				t.Errorf("%s: /%s/?p=%s: status %d", tt.role, tt.slug, page, r.status)
			case tt.want != nil && !slices.Equal(ids, tt.want):
				t.Errorf("%s: /%s/?p=%s shows %q, want %q", tt.role, tt.slug, page, ids, tt.want)
			case len(ids) == 0 || first != nil && !slices.Equal(ids, first):
				t.Errorf("%s: /%s/?p=%s shows %q, and the first way %q", tt.role, tt.slug, page, ids, first)
			}
			first = ids
		}
	}
}
