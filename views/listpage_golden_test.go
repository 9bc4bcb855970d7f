package views

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestListPageMarkup")

// hostile is a value of every kind a user or the data may put in a page:
// markup, quotes, an ampersand and a script URL.
const hostile = `<script>alert("x")</script> & 'q' javascript:alert(1)`

// hostileURL is a link a value could forge.
const hostileURL = `javascript:alert("x")`

// everythingPage is a list with every part of the page shown and every
// value hostile.
func everythingPage() ListPage {
	p := sampleList()
	p.Page = Page{
		SiteTitle: hostile, Title: hostile, Prefix: `/ad"min`,
		Nav: []NavSection{
			{Label: hostile, Items: []NavItem{{Label: hostile, URL: hostileURL, Active: true}, {Label: "Orders", URL: "/admin/orders/?a=1&b=2"}}},
			{Label: "Auth", Items: []NavItem{{Label: "Users", URL: "/admin/user/"}}},
		},
		Breadcrumbs: []Link{{Label: hostile, URL: hostileURL}, {Label: "No link"}, {Label: hostile, URL: "/x/"}},
		Messages:    []Message{{Level: LevelError, Text: hostile}, {Level: hostile, Text: "unknown level"}},
		User:        hostile,
		Notice:      hostile,
		PageFrame: PageFrame{
			LogoutURL: hostileURL, PasswordURL: hostileURL, SiteURL: hostileURL,
			Theme: hostile, Themes: []Choice{{Value: hostile, Label: hostile, Selected: true}, {Value: "dark", Label: "Dark"}},
			ThemeURL: hostileURL, Return: hostile,
			CSS: []string{hostileURL, "/static/a.css?x=1&y=2"}, JS: []string{hostileURL, "/static/a.js"},
			BodyClass: hostile,
		},
	}
	p.ListURL = `/admin/pro"ducts/`
	p.AddURL = hostileURL
	p.AddLabel = hostile
	p.Search = hostile
	p.SearchKeep = []Param{{Name: hostile, Value: hostile}}
	p.Tools = []Tool{{Label: hostile, URL: hostileURL, Post: true}, {Label: hostile, URL: hostileURL}}
	p.Columns = []Column{
		{Label: hostile, SortURL: p.ListURL + "?o=" + hostile, Sorted: 1, SortPriority: 2},
		{Label: "Price", SortURL: hostileURL, Sorted: -1, Numeric: true, Width: WidthNarrow, SortPriority: 1},
		{Label: "Plain", SortURL: "/elsewhere/?o=1"},
		{Label: hostile},
	}
	p.Rows[0].DeleteURL, p.Rows[0].ConfirmDeleteURL = hostileURL, hostile
	p.Filters = []Filter{
		{Title: hostile, Param: `cat.name"x`, Note: hostile, SearchURL: hostileURL, SearchLabel: hostile, Search: hostile,
			Keep:    []Param{{Name: hostile, Value: hostile}},
			Choices: []Choice{{Label: hostile, URL: hostileURL, Selected: true, Count: hostile}, {Label: "B", URL: p.ListURL + "?b=1&c=2"}}},
		{Title: "Status", Param: "status", Choices: []Choice{{Label: "All", URL: p.ListURL}}},
	}
	p.ClearURL = p.ListURL + "?" + hostile
	p.FacetsURL, p.FacetsShown = hostileURL, true
	p.EmptyText = hostile
	p.ResultSummary = hostile
	p.CountNote = hostile
	p.ExportURL = hostileURL
	p.Chooser = &ColumnChooser{Action: hostileURL, Return: hostile, Columns: []Choice{{Value: hostile, Label: hostile, Selected: true}, {Value: "b", Label: "B"}}}
	p.DateNav = &DateNav{Label: hostile, Back: &Link{Label: hostile, URL: hostileURL}, Current: hostile, Links: []Link{{Label: hostile, URL: p.ListURL + "?d=" + hostile}, {Label: "Other", URL: hostileURL}}}
	p.FormURL = hostileURL
	p.Actions = &ActionBar{Choices: []Choice{{Value: hostile, Label: hostile}}, Across: hostile}
	p.Edit = &ListEdit{SaveURL: hostileURL, Errors: []string{hostile, "second"}}
	p.Pagination = Pagination{Page: 2, Pages: 9, PrevURL: hostileURL, NextURL: p.ListURL + "?p=3&" + hostile, Links: []PageLink{
		{Number: 1, URL: p.ListURL},
		{Gap: true},
		{Number: 2, Current: true},
		{Number: 3, Current: true, URL: hostileURL},
		{Number: -3, URL: p.ListURL + "?p=-3"},
		{Number: -1, URL: hostileURL},
	}}
	return p
}

// listPages are the list pages whose markup TestListPageMarkup pins.
func listPages() map[string]ListPage {
	bare := ListPage{ListURL: "/admin/tag/", Columns: []Column{{Label: "Name"}}}
	empty := sampleList()
	empty.Rows = nil
	empty.Search = "red"
	empty.SearchKeep = nil
	empty.Pagination = Pagination{}
	first := sampleList()
	first.Pagination = Pagination{Page: 1, Pages: 3, NextURL: "/admin/products/?p=2", Links: []PageLink{{Number: 1, Current: true, URL: "/admin/products/"}, {Number: 2, URL: "/admin/products/?p=2"}}}
	first.Page.PageFrame = PageFrame{Themes: []Choice{{Value: "auto", Label: "Auto", Selected: true}}, ThemeURL: "/admin/theme/", LogoutURL: "/admin/logout/"}
	first.Page.Nav = nil
	first.Filters = nil
	first.Searchable = false
	first.AddURL = ""
	return map[string]ListPage{"everything": everythingPage(), "bare": bare, "empty-search": empty, "sample": sampleList(), "first-page": first}
}

// TestListPageMarkup pins the markup of list pages, their partial and the
// frame, which are written directly rather than by templ: the golden files
// were written by the templ components they replaced.
func TestListPageMarkup(t *testing.T) {
	for name, p := range listPages() {
		for kind, c := range map[string]templ.Component{
			"page":    ListView(p),
			"partial": ListPartial(p),
			"choices": FilterChoices(p.ListURL, append(p.Filters, Filter{})[0]),
		} {
			t.Run(name+"-"+kind, func(t *testing.T) {
				var buf bytes.Buffer
				if err := c.Render(context.Background(), &buf); err != nil {
					t.Fatal(err)
				}
				file := filepath.Join("testdata", "list-"+name+"-"+kind+".html")
				if *update {
					if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if got := buf.String(); got != string(want) {
					t.Errorf("the markup changed:\n%s", firstDifference(got, string(want)))
				}
			})
		}
	}
}

// firstDifference shows where got first differs from want.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-80)
	return "got  …" + got[from:min(len(got), i+80)] + "\nwant …" + want[from:min(len(want), i+80)]
}

// TestListPageHostileValues checks, on a page where every value is
// hostile, that no value's markup gets through and that every link a value
// sets is sanitized, except the ones templ took as safe (the site's own
// link and the list's own export and date links, which the server builds).
func TestListPageHostileValues(t *testing.T) {
	p := everythingPage()
	for kind, c := range map[string]templ.Component{"page": ListView(p), "partial": ListPartial(p), "choices": FilterChoices(p.ListURL, p.Filters[0])} {
		doc, html := render(t, c)
		if strings.Contains(html, "<script>alert") || strings.Contains(html, `"x")</script>`) {
			t.Errorf("%s: a value's markup got through", kind)
		}
		if n, want := doc.Find("script").Length(), map[string]int{"page": 4 + len(p.JS)}[kind]; n != want {
			t.Errorf("%s: %d script elements, want %d", kind, n, want)
		}
		doc.Find("[href], [action], [src]").Each(func(_ int, s *goquery.Selection) {
			for _, attr := range []string{"href", "action", "src"} {
				v, ok := s.Attr(attr)
				if !ok || !strings.HasPrefix(strings.ToLower(v), "javascript:") {
					continue
				}
				trusted := s.Is(`.user-menu a:first-of-type, a.export-link, .date-nav a, script`)
				if !trusted {
					h, _ := goquery.OuterHtml(s)
					t.Errorf("%s: an unsanitized %s: %.200s", kind, attr, h)
				}
			}
		})
	}
}

// TestPageLinkText checks the text and accessible name the pagination
// writes for a page link: the number, "Last", or a page counted from the end.
func TestPageLinkText(t *testing.T) {
	for _, c := range []struct {
		n           int
		text, label string
	}{
		{1, "1", "Page 1"},
		{123, "123", "Page 123"},
		{-1, "Last", "Last page"},
		{-2, "Last−1", "Page 2 from the end"},
		{-15, "Last−14", "Page 15 from the end"},
	} {
		l := PageLink{Number: c.n}
		var text, label bytes.Buffer
		for buf, write := range map[*bytes.Buffer]func(*htmlWriter){&text: func(h *htmlWriter) { h.pageText(l) }, &label: func(h *htmlWriter) { h.pageLabel(l) }} {
			if err := directly(func(_ context.Context, h *htmlWriter) error { write(h); return h.err }).Render(context.Background(), buf); err != nil {
				t.Fatal(err)
			}
		}
		if text.String() != c.text || label.String() != c.label {
			t.Errorf("page %d: text %q, label %q; want %q, %q", c.n, text.String(), label.String(), c.text, c.label)
		}
	}
}

// TestListPageCancelled checks that, as templ's components, the written
// page stops when the request's context is done.
func TestListPageCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	if err := ListView(everythingPage()).Render(ctx, &buf); !errors.Is(err, context.Canceled) || buf.Len() != 0 {
		t.Errorf("a cancelled render: error %v, %d bytes written; want context.Canceled and none", err, buf.Len())
	}
}

// TestListAroundAndResultsAreTheListPage checks that the list page written
// around its results, with the results written apart, is the page.
func TestListAroundAndResultsAreTheListPage(t *testing.T) {
	for name, p := range listPages() {
		var page, around, results bytes.Buffer
		if err := ListView(p).Render(context.Background(), &page); err != nil {
			t.Fatal(err)
		}
		at, err := ListAround(context.Background(), p, &around)
		if err != nil {
			t.Fatal(err)
		}
		if err := ListResults(p).Render(context.Background(), &results); err != nil {
			t.Fatal(err)
		}
		got := string(around.Bytes()[:at]) + results.String() + string(around.Bytes()[at:])
		if got != page.String() {
			t.Errorf("%s: around and results differ from the page:\n%s", name, firstDifference(got, page.String()))
		}
		if results.Len() == 0 || !strings.Contains(page.String(), results.String()) {
			t.Errorf("%s: the results are not in the page", name)
		}
	}
}
