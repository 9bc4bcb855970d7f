package main

import (
	"context"
	"github.com/entadmin/entadmin/rbac"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"testing"
)

// facetCount finds a count shown beside a filter choice of a list.
var facetCount = regexp.MustCompile(`<span class="facet"[^>]*>(\d+)</span>`)

// TestCachedFacetsAndCountsKeepToTheUsersScope warms the cache as the
// superuser and then asks as olga (one product through an object grant),
// and the reverse, with searches and pages from the end: olga's facet
// counts never exceed her one product, the superuser's are the whole list's.
func TestCachedFacetsAndCountsKeepToTheUsersScope(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	root, olga := f.role("root"), f.role("olga")
	paths := []string{"/product/?_facets=1", "/product/?_facets=1&q=a", "/product/?_facets=1&p=last", "/product/?_facets=1&p=-1&o=-price", "/product/?_facets=1&is_active=yes"}
	check := func(who string) {
		for _, path := range paths {
			other, me := root, olga // the other warms the cache first
			if who == "root" {
				other, me = olga, root
			}
			f.fetch(t, other.client, http.MethodGet, path, nil, false)
			r := f.fetch(t, me.client, http.MethodGet, path, nil, false)
			if r.status != http.StatusOK {
				t.Fatalf("%s %s: status %d", who, path, r.status)
			}
			most := 0
			for _, m := range facetCount.FindAllStringSubmatch(r.body, -1) {
				n, _ := strconv.Atoi(m[1])
				most = max(most, n)
			}
			switch {
			case who == "olga" && most > 1:
				t.Errorf("olga %s: a facet counts %d products, she may see 1", path, most)
			case path == paths[0] && (who == "olga") != (most == 1):
				t.Errorf("%s %s: the facets count at most %d products", who, path, most)
			}
		}
	}
	check("olga")
	check("root")
	check("olga")
}

// TestCachedCountsFollowObjectGrants: rob sees the orders his object
// grants name; a grant added or removed (through the application's client)
// and an order deleted change the count he is shown at once.
func TestCachedCountsFollowObjectGrants(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	ctx := context.Background()
	rob, root := f.role("rob"), f.role("root")
	count := func(c *browserless) int {
		r := f.fetch(t, c, http.MethodGet, "/order/", nil, false)
		m := regexp.MustCompile(`class="result-summary">(\d+) `).FindStringSubmatch(r.body)
		if r.status != http.StatusOK || m == nil {
			t.Fatalf("order list: status %d, no count", r.status)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	for range 2 {
		if n := count(rob.client); n != 1 {
			t.Fatalf("rob sees %d orders, want 1", n)
		}
	}
	g := f.a.own.ObjectGrant.Create().SetUserID(rob.id).SetResource("order").SetObjectID("6").SetAction("view").SaveX(ctx)
	if n := count(rob.client); n != 2 {
		t.Errorf("after a grant on order 6, rob sees %d orders, want 2", n)
	}
	f.a.own.ObjectGrant.DeleteOneID(g.ID).ExecX(ctx)
	if n := count(rob.client); n != 1 {
		t.Errorf("after the grant is removed, rob sees %d orders, want 1", n)
	}
	all := count(root.client)
	if status, _ := root.client.do("POST", "/order/"+f.ids["order"][idIn]+"/delete/", nil); status != http.StatusSeeOther {
		t.Fatalf("delete of order in: status %d", status)
	}
	if n := count(rob.client); n != 0 {
		t.Errorf("after his order is deleted, rob sees %d orders, want 0", n)
	}
	if n := count(root.client); n != all-1 {
		t.Errorf("after a delete, root sees %d orders, want %d", n, all-1)
	}
}

// TestOddPageNumbersAreNeverAServerError asks for pages beyond any bound,
// from the end, with orderings and cursors, as a scoped user and the
// superuser: each is a page or a 400.
func TestOddPageNumbersAreNeverAServerError(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	for _, who := range []string{"olga", "root", "vic"} {
		for _, q := range []string{
			"p=-999999999", "p=-1073741824", "p=-1073741825", "p=1073741824", "p=99999999999999999999",
			"p=last&o=999", "p=last&o=-1.-2", "p=last&o=price.-price", "p=-0", "p=+5", "p=0x10", "p=1e3", "p=%00",
			"p=last&after=garbage", "p=-1&before=AAAA", "p=3&after=x&before=y", "p=-2&q=a&is_active=no&_facets=1",
			"p=last&created_at__year=99999", "p=last&category=abc", "p=-1&o=-category",
		} {
			r := f.fetch(t, f.role(who).client, http.MethodGet, "/product/?"+q, nil, false)
			if r.status != http.StatusOK && r.status != http.StatusBadRequest {
				t.Errorf("%s /product/?%s: status %d", who, q, r.status)
			}
		}
	}
}

// TestCachedEdgeFilterChoicesKeepToTheRelatedScope: cora views every
// product but only the categories her object grants name; the product
// list's category filter offers her those alone, whether the superuser
// filled the cache first or after her, and follows a new grant.
func TestCachedEdgeFilterChoicesKeepToTheRelatedScope(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	ctx := context.Background()
	cora := newStaff(t, f.a, "cora")
	if err := f.a.enforcer.Grant(ctx, rbac.UserSubject(cora), "product", "view"); err != nil {
		t.Fatal(err)
	}
	cats := f.a.db.client.Category.Query().IDsX(ctx)
	slices.Sort(cats)
	grant := func(id int) {
		f.a.own.ObjectGrant.Create().SetUserID(cora).SetResource("category").SetObjectID(strconv.Itoa(id)).SetAction("view").ExecX(ctx)
	}
	grant(cats[0])
	asCora, root := login(t, f.base, "cora", "pw of cora"), f.role("root").client
	choice := regexp.MustCompile(`[?&;]category=(\d+)`)
	offered := func(c *browserless) []string {
		status, body := c.do("GET", "/product/", nil)
		if status != http.StatusOK {
			t.Fatalf("product list: status %d", status)
		}
		var ids []string
		for _, m := range choice.FindAllStringSubmatch(body, -1) {
			if !slices.Contains(ids, m[1]) {
				ids = append(ids, m[1])
			}
		}
		slices.Sort(ids)
		return ids
	}
	want := []string{strconv.Itoa(cats[0])}
	for range 2 {
		if got := offered(root); len(got) != len(cats) {
			t.Fatalf("root is offered categories %q, want all %d", got, len(cats))
		}
		if got := offered(asCora); !slices.Equal(got, want) {
			t.Errorf("cora is offered categories %q, want %q", got, want)
		}
	}
	grant(cats[1])
	want = append(want, strconv.Itoa(cats[1]))
	slices.Sort(want)
	if got := offered(asCora); !slices.Equal(got, want) {
		t.Errorf("after a grant, cora is offered categories %q, want %q", got, want)
	}
}
