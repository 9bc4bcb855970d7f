package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	ownent "github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/rbac"
)

// manyCategories adds n categories named "Filtercat 000" and up, sorted
// after the seeded ones, and returns their ids in name order.
func manyCategories(t *testing.T, client *ent.Client, n int) []int {
	t.Helper()
	sys := entadmin.AsSystem(context.Background(), "fixture")
	builders := make([]*ent.CategoryCreate, n)
	for i := range builders {
		builders[i] = client.Category.Create().SetName(fmt.Sprintf("Filtercat %03d", i))
	}
	cats := client.Category.CreateBulk(builders...).SaveX(sys)
	ids := make([]int, n)
	for i, c := range cats {
		ids[i] = c.ID
	}
	return ids
}

var filtercat = regexp.MustCompile(`Filtercat \d{3}`)

// filtercats returns the names of the added categories a body shows.
func filtercats(body string) []string {
	names := filtercat.FindAllString(body, -1)
	slices.Sort(names)
	return slices.Compact(names)
}

// TestEdgeFilterSearchKeepsToTheRelatedScope: the product list's category
// filter over 150 categories shows the first 100 with a note and a search
// box. The superuser's search finds any category; cora, who views every
// product but only 120 categories through object grants, is told of her
// 120 and never shown another, whether she searches, asks for one she may
// not see as the filter's value, or comes after the superuser filled the
// cache. vic, who may not view categories, has neither the filter nor its
// search.
func TestEdgeFilterSearchKeepsToTheRelatedScope(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	ctx := context.Background()
	ids := manyCategories(t, a.db.client, 150)
	root, _ := superuser(t, a, eve.base)
	cora := newStaff(t, a, "cora")
	vic := newStaff(t, a, "vic")
	for _, id := range []int{cora, vic} {
		if err := a.enforcer.Grant(ctx, rbac.UserSubject(id), "product", "view"); err != nil {
			t.Fatal(err)
		}
	}
	var grants []*ownent.ObjectGrantCreate
	for _, id := range ids[:120] {
		grants = append(grants, a.own.ObjectGrant.Create().SetUserID(cora).SetResource("category").SetObjectID(strconv.Itoa(id)).SetAction("view"))
	}
	a.own.ObjectGrant.CreateBulk(grants...).ExecX(ctx)
	asCora, asVic := login(t, eve.base, "cora", "pw of cora"), login(t, eve.base, "vic", "pw of vic")
	inScope := func(name string) bool {
		n, _ := strconv.Atoi(strings.TrimPrefix(name, "Filtercat "))
		return n < 120
	}
	get := func(b *browserless, path string, want int) string {
		t.Helper()
		status, body := b.do("GET", path, nil)
		if status != want {
			t.Fatalf("GET %s: status %d, want %d", path, status, want)
		}
		return body
	}
	search := func(text string) string {
		return "/product/filter-choices/?" + url.Values{"_filter": {"category"}, "_filter_q": {text}, "is_active": {"yes"}, "o": {"name"}}.Encode()
	}
	onList := func(text string) string {
		return "/product/?" + url.Values{"_filter": {"category"}, "_filter_q": {text}, "o": {"name"}}.Encode()
	}

	for range 2 { // the second time from the cache
		// The superuser: the first 100 of every category, with the note and
		// the search box; searches find any category.
		page := get(root, "/product/?o=name", http.StatusOK)
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
		total := a.db.client.Category.Query().CountX(ctx)
		note := strings.TrimSpace(doc.Find("#filter-choices-category .filter-note").Text())
		if want := fmt.Sprintf("Showing the first 100 of %d categories.", total); note != want {
			t.Errorf("root's category filter note = %q, want %q", note, want)
		}
		if n := doc.Find("#filter-choices-category li").Length(); n != 101 {
			t.Errorf("root's category filter has %d choices, want All and 100", n)
		}
		form := doc.Find(`form.filter-search`)
		if v, _ := form.Find(`input[name="_filter"]`).Attr("value"); v != "category" {
			t.Errorf("the search form names the filter %q", v)
		}
		if v, _ := form.Find(`input[name="o"]`).Attr("value"); v != "name" {
			t.Errorf("the search form keeps o=%q, want name", v)
		}
		frag := get(root, search("Filtercat 14"), http.StatusOK)
		if got, want := filtercats(frag), []string{"Filtercat 140", "Filtercat 141", "Filtercat 142", "Filtercat 143", "Filtercat 144", "Filtercat 145", "Filtercat 146", "Filtercat 147", "Filtercat 148", "Filtercat 149"}; !slices.Equal(got, want) {
			t.Errorf("root's search finds %q, want %q", got, want)
		}
		// Its links keep the list's other parameters, and not the search.
		fdoc, _ := goquery.NewDocumentFromReader(strings.NewReader(frag))
		href, _ := fdoc.Find(`a:contains("Filtercat 145")`).Attr("href")
		if u, _ := url.Parse(href); u == nil || u.Path != "/admin/product/" || u.Query().Get("is_active") != "yes" || u.Query().Get("o") != "name" ||
			u.Query().Get("category") != strconv.Itoa(ids[145]) || u.Query().Has("_filter") || u.Query().Has("_filter_q") {
			t.Errorf("a found category links to %q", href)
		}
		// Without JavaScript the list itself narrows the filter.
		if got := filtercats(get(root, onList("Filtercat 14"), http.StatusOK)); len(got) != 10 {
			t.Errorf("the list with root's filter search shows %q", got)
		}
		// The selected category stays in view though not among the first 100.
		doc, _ = goquery.NewDocumentFromReader(strings.NewReader(get(root, "/product/?category="+strconv.Itoa(ids[149]), http.StatusOK)))
		if sel := strings.TrimSpace(doc.Find("#filter-choices-category a.selected").Text()); sel != "Filtercat 149" {
			t.Errorf("the selected category shows as %q", sel)
		}

		// cora: her 120, never another.
		page = get(asCora, "/product/?o=name", http.StatusOK)
		for _, name := range filtercats(page) {
			if !inScope(name) {
				t.Errorf("cora's product list shows %s", name)
			}
		}
		doc, _ = goquery.NewDocumentFromReader(strings.NewReader(page))
		if note := strings.TrimSpace(doc.Find("#filter-choices-category .filter-note").Text()); note != "Showing the first 100 of 120 categories." {
			t.Errorf("cora's category filter note = %q", note)
		}
		for _, text := range []string{"Filtercat", "Filtercat 1", "Filtercat 14", "Filtercat 149", "filtercat 12"} {
			for _, path := range []string{search(text), onList(text)} {
				body := strings.ReplaceAll(get(asCora, path, http.StatusOK), `value="`+text+`"`, "") // her own text in the search box
				for _, name := range filtercats(body) {
					if !inScope(name) {
						t.Errorf("GET %s shows cora %s", path, name)
					}
				}
			}
		}
		if got := filtercats(get(asCora, search("Filtercat 11"), http.StatusOK)); len(got) != 10 {
			t.Errorf("cora's search for Filtercat 11 finds %q", got)
		}
		if frag := get(asCora, search("Filtercat 14"), http.StatusOK); !strings.Contains(frag, "No categories match.") {
			t.Errorf("cora's search for categories outside her scope answers:\n%s", frag)
		}
		// A category outside her scope as the filter's value is not named.
		for _, path := range []string{"/product/?category=" + strconv.Itoa(ids[130]), search("") + "&category=" + strconv.Itoa(ids[130])} {
			if body := get(asCora, path, http.StatusOK); strings.Contains(body, "Filtercat 130") {
				t.Errorf("GET %s names the category outside cora's scope", path)
			}
		}
	}

	// vic may not view categories: no filter, and its search is refused.
	if body := get(asVic, "/product/", http.StatusOK); strings.Contains(body, "filter-choices-category") || len(filtercats(body)) > 0 {
		t.Error("vic's product list has the category filter")
	}
	get(asVic, search("Filtercat"), http.StatusForbidden)
	get(asVic, onList("Filtercat"), http.StatusOK) // the parameter of a filter vic does not have is ignored
}

// TestEdgeFilterSearchRefusesBadInput: a search text that is too long,
// holds a NUL or is not UTF-8, has too many words, or a filter that is not
// a searchable edge, is a 400 on the search route and on the list.
func TestEdgeFilterSearchRefusesBadInput(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	manyCategories(t, a.db.client, 110)
	root, _ := superuser(t, a, eve.base)
	long := strings.Repeat("x", 201)
	words := strings.Repeat("a ", 11)
	for _, q := range []string{
		"_filter=category&_filter_q=" + long,
		"_filter=category&_filter_q=%00",
		"_filter=category&_filter_q=a%00b",
		"_filter=category&_filter_q=%ff%fe",
		"_filter=category&_filter_q=" + url.QueryEscape(words),
		"_filter=category&_filter_q=a&category=abc",
	} {
		for _, path := range []string{"/product/filter-choices/?", "/product/?"} {
			if status, _ := root.do("GET", path+q, nil); status != http.StatusBadRequest {
				t.Errorf("GET %s%s: status %d, want 400", path, q, status)
			}
		}
	}
	for _, q := range []string{"", "_filter=nope&_filter_q=a", "_filter=status&_filter_q=a", "_filter=created_at", "_filter=" + long} {
		if status, _ := root.do("GET", "/product/filter-choices/?"+q, nil); status != http.StatusBadRequest {
			t.Errorf("GET /product/filter-choices/?%s: status %d, want 400", q, status)
		}
	}
	// The longest text allowed is answered, in characters as the box counts them.
	for _, text := range []string{strings.Repeat("x", 200), strings.Repeat("é", 200)} {
		if status, _ := root.do("GET", "/product/filter-choices/?_filter=category&_filter_q="+url.QueryEscape(text), nil); status != http.StatusOK {
			t.Errorf("a search of 200 characters (%d bytes): status %d, want 200", len(text), status)
		}
	}
}
