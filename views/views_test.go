package views

import (
	"bytes"
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

const evil = `<script>alert("x")</script>`

func render(t *testing.T, c templ.Component) (*goquery.Document, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	html := buf.String()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc, html
}

func basePage() Page {
	return Page{
		SiteTitle: "Shop admin",
		Title:     "Products",
		Prefix:    "/admin",
		Nav: []NavSection{{Label: "Shop", Items: []NavItem{
			{Label: "Products", URL: "/admin/products/", Active: true},
			{Label: "Orders", URL: "/admin/orders/"},
		}}},
		Breadcrumbs: []Link{{Label: "Home", URL: "/admin/"}, {Label: "Products"}},
		Messages:    []Message{{Level: LevelSuccess, Text: "The product was added."}},
		User:        "alice",
		Notice:      "Authentication is off.",
	}
}

func sampleList() ListPage {
	return ListPage{
		Page:       basePage(),
		ListURL:    "/admin/products/",
		AddURL:     "/admin/products/add",
		AddLabel:   "Add product",
		Searchable: true,
		Search:     "chair",
		SearchKeep: []Param{{Name: "o", Value: "-price"}, {Name: "status", Value: "active"}},
		Columns: []Column{
			{Label: "Name", SortURL: "/admin/products/?o=-name", Sorted: 1},
			{Label: "Price", SortURL: "/admin/products/?o=price", Numeric: true},
			{Label: "Active"},
			{Label: "Note"},
		},
		Rows: []Row{
			{ID: "1", URL: "/admin/products/1", Cells: []Cell{
				{Kind: CellText, Text: evil, Link: "/admin/products/1"},
				{Kind: CellText, Text: "12.50"},
				{Kind: CellBool, Bool: true},
				{Kind: CellEmpty, Text: "-"},
			}},
			{ID: "2", URL: "/admin/products/2", Cells: []Cell{
				{Kind: CellText, Text: "Table", Link: "javascript:alert(1)"},
				{Kind: CellText, Text: "99.00", Numeric: true},
				{Kind: CellBool, Bool: false, Link: "/admin/products/2"},
				{Kind: CellText, Text: "oak"},
			}},
		},
		Filters: []Filter{{Title: "Status", Choices: []Choice{
			{Label: "All", URL: "/admin/products/?q=chair"},
			{Label: "Active", URL: "/admin/products/?status=active", Selected: true},
			{Label: "Draft", URL: "/admin/products/?status=draft"},
		}}},
		ClearURL: "/admin/products/",
		Pagination: Pagination{
			Page: 2, Pages: 9,
			PrevURL: "", NextURL: "/admin/products/?p=3",
			Links: []PageLink{
				{Number: 1, URL: "/admin/products/?p=1"},
				{Number: 2, URL: "/admin/products/?p=2", Current: true},
				{Number: 3, URL: "/admin/products/?p=3"},
				{Gap: true},
				{Number: 9, URL: "/admin/products/?p=9"},
			},
		},
		EmptyText:     "No products.",
		ResultSummary: "2 of 120 products",
	}
}

func sampleForm() FormPage {
	p := basePage()
	p.Title = "Change product"
	return FormPage{
		Page:      p,
		Action:    "/admin/products/1",
		Errors:    []string{"Please correct the errors below."},
		DeleteURL: "/admin/products/1/delete",
		CancelURL: "/admin/products/",
		Fieldsets: []Fieldset{
			{Fields: []Field{
				{Name: "name", ID: "id_name", Label: "Name", Widget: WidgetText, Value: `"><script>alert(1)</script>`, Required: true, MaxLength: 120, Help: "Shown to customers."},
				{Name: "price", ID: "id_price", Label: "Price", Widget: WidgetNumber, Value: "12.5", Step: "0.01", Min: "0", Error: "Must be positive."},
			}},
			{Title: "Details", Description: "More about it.", Fields: []Field{
				{Name: "description", ID: "id_description", Label: "Description", Widget: WidgetTextarea, Value: "\nLine"},
				{Name: "attrs", ID: "id_attrs", Label: "Attributes", Widget: WidgetJSON, Value: `{"a":1}`},
				{Name: "active", ID: "id_active", Label: "Active", Widget: WidgetCheckbox, Checked: true, Required: true},
				{Name: "published", ID: "id_published", Label: "Published", Widget: WidgetToggle},
				{Name: "category", ID: "id_category", Label: "Category", Widget: WidgetSelect, Choices: []Choice{
					{Label: "Chairs", Value: "1"}, {Label: "Tables", Value: "2", Selected: true},
				}},
				{Name: "kind", ID: "id_kind", Label: "Kind", Widget: WidgetSelect, Required: true, Choices: []Choice{
					{Label: "A", Value: "a", Selected: true}, {Label: "B", Value: "b"},
				}},
			}},
			{Title: "Advanced", Collapsed: true, Fields: []Field{
				{Name: "released", ID: "id_released", Label: "Released", Widget: WidgetDate, Value: "2024-01-02"},
				{Name: "updated", ID: "id_updated", Label: "Updated", Widget: WidgetDateTime, Value: "2024-01-02T10:00"},
				{Name: "color", ID: "id_color", Label: "Color", Widget: WidgetColor, Value: "#ff0000"},
				{Name: "secret", ID: "id_secret", Label: "Secret", Widget: WidgetPassword},
				{Name: "created", ID: "id_created", Label: "Created", Widget: WidgetReadOnly, Display: "yesterday"},
			}},
			{Title: "Broken", Collapsed: true, Fields: []Field{
				{Name: "sku", ID: "id_sku", Label: "SKU", Widget: WidgetText, Error: "Taken."},
			}},
		},
	}
}

func sampleDelete(protected bool) DeletePage {
	p := basePage()
	p.Title = "Delete product"
	rel := []Related{
		{Label: "Product images", Effect: EffectDeleted, Items: []Link{{Label: "front.jpg", URL: "/admin/images/1"}}, More: 3},
		{Label: "Tags", Effect: EffectUnlinked, Items: []Link{{Label: "sale"}}},
	}
	if protected {
		rel = append(rel, Related{Label: "Orders", Effect: EffectProtected, Items: []Link{{Label: "Order 7", URL: "/admin/orders/7"}}})
	}
	return DeletePage{
		Page: p, Object: evil, TypeLabel: "product",
		Action: "/admin/products/1/delete", CancelURL: "/admin/products/1",
		Related: rel, Protected: protected,
	}
}

func allViews() map[string]templ.Component {
	return map[string]templ.Component{
		"dashboard": DashboardView(DashboardPage{Page: basePage(), Sections: []DashboardSection{{Label: "Shop", Items: []DashboardItem{
			{Label: "Products", Count: "12 products", ListURL: "/admin/products/", AddURL: "/admin/products/add"},
			{Label: "Orders", ListURL: "/admin/orders/"},
		}}}}),
		"list":      ListView(sampleList()),
		"form":      FormView(sampleForm()),
		"delete":    DeleteView(sampleDelete(false)),
		"protected": DeleteView(sampleDelete(true)),
		"error":     ErrorView(ErrorPage{Page: Page{SiteTitle: "Shop admin", Prefix: "/admin"}, Status: 404, Message: "No such product."}),
	}
}

func TestTitle(t *testing.T) {
	for _, tc := range []struct {
		title, site, want string
	}{
		{"Products", "Shop admin", "Products | Shop admin"},
		{"", "Shop admin", "Shop admin"},
		{"Products", "", "Products"},
	} {
		doc, _ := render(t, DashboardView(DashboardPage{Page: Page{Title: tc.title, SiteTitle: tc.site}}))
		if got := doc.Find("title").Text(); got != tc.want {
			t.Errorf("title(%q, %q) = %q, want %q", tc.title, tc.site, got, tc.want)
		}
		if tc.title != "" {
			if got := doc.Find("main h1").Text(); got != tc.title {
				t.Errorf("h1 = %q, want %q", got, tc.title)
			}
		}
	}
}

func TestLayout(t *testing.T) {
	for name, c := range allViews() {
		t.Run(name, func(t *testing.T) {
			doc, html := render(t, c)
			if !strings.HasPrefix(strings.ToLower(html), "<!doctype html>") {
				t.Error("no doctype")
			}
			if doc.Find(`meta[name="viewport"]`).Length() != 1 {
				t.Error("no viewport meta")
			}
			if v, _ := doc.Find(`meta[name="htmx-config"]`).Attr("content"); v != `{"includeIndicatorStyles":false}` {
				t.Errorf("htmx-config = %q", v)
			}
			// Assets come from the prefix.
			var assets []string
			doc.Find("link[href]").Each(func(_ int, s *goquery.Selection) { assets = append(assets, s.AttrOr("href", "")) })
			doc.Find("script").Each(func(_ int, s *goquery.Selection) {
				src, ok := s.Attr("src")
				if !ok {
					t.Errorf("inline script: %q", s.Text())
				}
				if _, ok := s.Attr("defer"); !ok {
					t.Errorf("script %q not deferred", src)
				}
				assets = append(assets, src)
			})
			want := []string{"/admin/static/favicon.svg", "/admin/static/admin.css", "/admin/static/frame.css", "/admin/static/htmx.min.js", "/admin/static/admin.js", "/admin/static/widgets.js", "/admin/static/frame.js"}
			if strings.Join(assets, " ") != strings.Join(want, " ") {
				t.Errorf("assets = %q, want %q", assets, want)
			}
			// A strict CSP: no inline styles or handlers.
			if doc.Find("[style], style").Length() > 0 {
				t.Error("inline style")
			}
			doc.Find("*").Each(func(_ int, s *goquery.Selection) {
				for _, a := range s.Nodes[0].Attr {
					if strings.HasPrefix(a.Key, "on") {
						t.Errorf("inline handler %s", a.Key)
					}
				}
			})
			if href := doc.Find("header a.brand").AttrOr("href", ""); href != "/admin/" {
				t.Errorf("brand href = %q", href)
			}
			if doc.Find(`a.skip-link[href="#content"]`).Length() != 1 || doc.Find("main#content").Length() != 1 {
				t.Error("no skip link to main#content")
			}
			live := doc.Find(`.messages[role="status"][aria-live="polite"]`)
			if live.Length() != 1 {
				t.Fatal("no messages live region")
			}
		})
	}
}

func TestLayoutChrome(t *testing.T) {
	doc, _ := render(t, DashboardView(DashboardPage{Page: basePage()}))
	if got := doc.Find("header .user").Text(); !strings.Contains(got, "alice") {
		t.Errorf("user = %q", got)
	}
	if got := doc.Find(".notice").Text(); got != "Authentication is off." {
		t.Errorf("notice = %q", got)
	}
	active := doc.Find(`nav.sidebar a[aria-current="page"]`)
	if active.Length() != 1 || active.Text() != "Products" || !active.HasClass("active") {
		t.Errorf("active nav = %d %q", active.Length(), active.Text())
	}
	bc := doc.Find(`nav[aria-label="Breadcrumb"] li`)
	if bc.Length() != 2 || bc.First().Find("a").AttrOr("href", "") != "/admin/" || bc.Last().Find(`[aria-current="page"]`).Text() != "Products" {
		t.Errorf("breadcrumbs: %q", bc.Text())
	}
	m := doc.Find(".messages .message")
	if m.Length() != 1 || !m.HasClass("message-success") || m.Find(".message-text").Text() != "The product was added." {
		t.Errorf("messages: %d %q", m.Length(), m.Text())
	}

	doc, _ = render(t, Messages([]Message{{Level: "bogus", Text: "x"}, {Level: LevelError, Text: evil}}))
	if !doc.Find(".message").First().HasClass("message-info") || !doc.Find(".message").Last().HasClass("message-error") {
		t.Error("message level classes")
	}
}

func TestEscaping(t *testing.T) {
	for name, c := range map[string]templ.Component{
		"list":   ListView(sampleList()),
		"form":   FormView(sampleForm()),
		"delete": DeleteView(sampleDelete(false)),
		"msg":    Messages([]Message{{Text: evil}}),
	} {
		_, html := render(t, c)
		if strings.Contains(html, "<script>alert") {
			t.Errorf("%s: unescaped script in output", name)
		}
	}
	doc, _ := render(t, ListView(sampleList()))
	if got := doc.Find("tbody tr").First().Find("td a").First().Text(); got != evil {
		t.Errorf("cell text = %q, want %q", got, evil)
	}
	// Unsafe URLs are neutralized.
	if href := doc.Find("tbody tr").Eq(1).Find("td a").First().AttrOr("href", ""); strings.HasPrefix(href, "javascript:") {
		t.Errorf("javascript: URL kept: %q", href)
	}
	doc, _ = render(t, FormView(sampleForm()))
	if got := doc.Find("#id_name").AttrOr("value", ""); got != `"><script>alert(1)</script>` {
		t.Errorf("value = %q", got)
	}
	doc, _ = render(t, DeleteView(sampleDelete(false)))
	if !strings.Contains(doc.Find(".delete-question").Text(), "“"+evil+"”") {
		t.Errorf("delete question = %q", doc.Find(".delete-question").Text())
	}
}

func TestFormLabels(t *testing.T) {
	doc, _ := render(t, FormView(sampleForm()))
	inputs := doc.Find(`input:not([type="hidden"]), select, textarea`)
	if inputs.Length() != 13 {
		t.Errorf("inputs = %d, want 13", inputs.Length())
	}
	inputs.Each(func(_ int, s *goquery.Selection) {
		id := s.AttrOr("id", "")
		if id == "" {
			t.Errorf("input %s without id", s.AttrOr("name", "?"))
			return
		}
		if doc.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("input %s has no label", id)
		}
		if doc.Find(`[id="`+id+`"]`).Length() != 1 {
			t.Errorf("id %s not unique", id)
		}
		if s.AttrOr("name", "") == "" {
			t.Errorf("input %s without name", id)
		}
	})
	// Every aria-describedby points at existing elements.
	doc.Find("[aria-describedby]").Each(func(_ int, s *goquery.Selection) {
		for _, id := range strings.Fields(s.AttrOr("aria-describedby", "")) {
			if doc.Find(`[id="`+id+`"]`).Length() != 1 {
				t.Errorf("%s: aria-describedby %s missing", s.AttrOr("id", ""), id)
			}
		}
	})
	if got := doc.Find("#id_name").AttrOr("aria-describedby", ""); got != "id_name-help" {
		t.Errorf("help describedby = %q", got)
	}
	if got := doc.Find("#id_name-help").Text(); got != "Shown to customers." {
		t.Errorf("help = %q", got)
	}
}

func TestFormWidgets(t *testing.T) {
	doc, html := render(t, FormView(sampleForm()))
	for _, tc := range []struct{ sel, attr, want string }{
		{"#id_name", "type", "text"},
		{"#id_name", "maxlength", "120"},
		{"#id_price", "type", "number"},
		{"#id_price", "step", "0.01"},
		{"#id_price", "min", "0"},
		{"#id_released", "type", "date"},
		{"#id_updated", "type", "datetime-local"},
		{"#id_color", "type", "color"},
		{"#id_secret", "type", "password"},
		{"#id_active", "type", "checkbox"},
		{"#id_active", "value", "on"},
		{"#id_published", "role", "switch"},
		{"#id_attrs", "spellcheck", "false"},
		{"#id_attrs", "class", "mono"},
	} {
		if got := doc.Find(tc.sel).AttrOr(tc.attr, "<none>"); got != tc.want {
			t.Errorf("%s[%s] = %q, want %q", tc.sel, tc.attr, got, tc.want)
		}
	}
	if _, ok := doc.Find("#id_price").Attr("max"); ok {
		t.Error("unset max rendered")
	}
	if !doc.Find("#id_published").HasClass("toggle") {
		t.Error("toggle without class")
	}
	if _, ok := doc.Find("#id_active").Attr("checked"); !ok {
		t.Error("checkbox not checked")
	}
	if _, ok := doc.Find("#id_published").Attr("checked"); ok {
		t.Error("toggle checked")
	}
	// A textarea keeps a leading newline of its value.
	if got := doc.Find("#id_description").Text(); got != "\nLine" {
		t.Errorf("textarea = %q", got)
	}
	if !strings.Contains(html, "<textarea") {
		t.Error("no textarea")
	}
	// An optional select offers the empty choice; a required one with a
	// selection does not.
	if got := doc.Find("#id_category option").First().Text(); got != "---------" {
		t.Errorf("first option = %q", got)
	}
	if got := doc.Find("#id_category option[selected]").Text(); got != "Tables" {
		t.Errorf("selected = %q", got)
	}
	if got := doc.Find("#id_kind option").Length(); got != 2 {
		t.Errorf("required select options = %d", got)
	}
	ro := doc.Find("#id_created")
	if !ro.HasClass("readonly") || ro.Text() != "yesterday" || goquery.NodeName(ro) != "div" {
		t.Errorf("readonly = %s %q", goquery.NodeName(ro), ro.Text())
	}
}

func TestFormRequired(t *testing.T) {
	doc, _ := render(t, FormView(sampleForm()))
	in := doc.Find("#id_name")
	if _, ok := in.Attr("required"); !ok || in.AttrOr("aria-required", "") != "true" {
		t.Error("required input not marked")
	}
	marker := doc.Find(`label[for="id_name"] .required`)
	if marker.Text() != "*" || marker.AttrOr("aria-hidden", "") != "true" {
		t.Errorf("required marker = %q", marker.Text())
	}
	if doc.Find(`label[for="id_price"] .required`).Length() != 0 {
		t.Error("optional field marked required")
	}
	if _, ok := doc.Find("#id_price").Attr("required"); ok {
		t.Error("optional input required")
	}
	// A required checkbox may stay unchecked.
	if _, ok := doc.Find("#id_active").Attr("required"); ok {
		t.Error("required checkbox")
	}
}

func TestFormErrors(t *testing.T) {
	doc, _ := render(t, FormView(sampleForm()))
	alert := doc.Find(`.form-errors[role="alert"]`)
	if alert.Length() != 1 || !strings.Contains(alert.Text(), "Please correct") {
		t.Errorf("form errors = %q", alert.Text())
	}
	in := doc.Find("#id_price")
	if in.AttrOr("aria-invalid", "") != "true" {
		t.Error("no aria-invalid")
	}
	if !strings.Contains(in.AttrOr("aria-describedby", ""), "id_price-error") {
		t.Errorf("describedby = %q", in.AttrOr("aria-describedby", ""))
	}
	if got := doc.Find("#id_price-error.field-error").Text(); got != "Must be positive." {
		t.Errorf("field error = %q", got)
	}
	if _, ok := doc.Find("#id_name").Attr("aria-invalid"); ok {
		t.Error("valid input marked invalid")
	}

	// Field errors alone still raise the alert.
	p := sampleForm()
	p.Errors = nil
	doc, _ = render(t, FormView(p))
	if doc.Find(`.form-errors[role="alert"]`).Length() != 1 {
		t.Error("no alert for field errors")
	}
	p.Fieldsets = p.Fieldsets[1:3]
	doc, _ = render(t, FormView(p))
	if doc.Find(`[role="alert"]`).Length() != 0 {
		t.Error("alert without errors")
	}
}

func TestFormFieldsets(t *testing.T) {
	doc, _ := render(t, FormView(sampleForm()))
	if got := doc.Find("fieldset.fieldset > legend").Text(); got != "Details" {
		t.Errorf("legend = %q", got)
	}
	if got := doc.Find("fieldset.fieldset .fieldset-description").Text(); got != "More about it." {
		t.Errorf("description = %q", got)
	}
	details := doc.Find("details.fieldset")
	if details.Length() != 2 {
		t.Fatalf("details = %d", details.Length())
	}
	adv := details.First()
	if adv.Find("summary").Text() != "Advanced" {
		t.Errorf("summary = %q", adv.Find("summary").Text())
	}
	if _, open := adv.Attr("open"); open {
		t.Error("collapsed fieldset open")
	}
	if _, open := details.Last().Attr("open"); !open {
		t.Error("collapsed fieldset with an error closed")
	}
	if doc.Find("div.fieldset-plain #id_name").Length() != 1 {
		t.Error("untitled fieldset not plain")
	}
}

func TestFormButtons(t *testing.T) {
	doc, _ := render(t, FormView(sampleForm()))
	form := doc.Find("form.form")
	if form.AttrOr("method", "") != "post" || form.AttrOr("action", "") != "/admin/products/1" {
		t.Errorf("form = %s %s", form.AttrOr("method", ""), form.AttrOr("action", ""))
	}
	var names []string
	form.Find(`button[type="submit"]`).Each(func(_ int, s *goquery.Selection) { names = append(names, s.AttrOr("name", "")) })
	if strings.Join(names, ",") != "_save,_continue,_addanother" {
		t.Errorf("buttons = %q", names)
	}
	if !form.Find(`button[name="_save"]`).HasClass("btn-primary") {
		t.Error("save not primary")
	}
	if del := form.Find("a.btn-danger"); del.AttrOr("href", "") != "/admin/products/1/delete" || del.Text() != "Delete" {
		t.Errorf("delete link = %q", del.AttrOr("href", ""))
	}
	if form.Find(`a[href="/admin/products/"]`).Length() != 1 {
		t.Error("no cancel link")
	}

	p := sampleForm()
	p.ReadOnly = true
	doc, _ = render(t, FormView(p))
	if n := doc.Find("form, input, select, textarea, button[type=submit]").Length(); n != 0 {
		t.Errorf("read-only form has %d inputs", n)
	}
	if doc.Find(`main a[href="/admin/products/"]`).Length() != 1 {
		t.Error("read-only form without back link")
	}
	if doc.Find(`a[href="/admin/products/1/delete"]`).Length() != 0 {
		t.Error("read-only form with delete link")
	}
	if got := doc.Find("#id_category").Text(); got != "Tables" {
		t.Errorf("read-only select = %q", got)
	}
	if got := doc.Find("#id_active").Text(); got != "Yes" {
		t.Errorf("read-only checkbox = %q", got)
	}
}

func TestListToolbar(t *testing.T) {
	doc, _ := render(t, ListView(sampleList()))
	form := doc.Find("form.search")
	if form.AttrOr("method", "") != "get" || form.AttrOr("action", "") != "/admin/products/" {
		t.Errorf("search form = %s %s", form.AttrOr("method", ""), form.AttrOr("action", ""))
	}
	q := form.Find(`input[name="q"]`)
	if q.AttrOr("value", "") != "chair" {
		t.Errorf("q = %q", q.AttrOr("value", ""))
	}
	if form.Find(`label[for="`+q.AttrOr("id", "-")+`"]`).Length() != 1 {
		t.Error("search input without label")
	}
	var keep []string
	form.Find(`input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		keep = append(keep, s.AttrOr("name", "")+"="+s.AttrOr("value", ""))
	})
	if strings.Join(keep, "&") != "o=-price&status=active" {
		t.Errorf("kept = %q", keep)
	}
	if add := doc.Find(`a[href="/admin/products/add"]`); add.Text() != "Add product" {
		t.Errorf("add = %q", add.Text())
	}

	p := sampleList()
	p.Searchable, p.AddURL = false, ""
	doc, _ = render(t, ListView(p))
	if doc.Find("form.search").Length() != 0 || doc.Find(`a[href="/admin/products/add"]`).Length() != 0 {
		t.Error("search or add without permission")
	}
}

func TestListFilters(t *testing.T) {
	doc, _ := render(t, ListView(sampleList()))
	sel := doc.Find(`.filters a[aria-current="true"]`)
	if sel.Length() != 1 || strings.TrimSpace(sel.Text()) != "Active" || !sel.HasClass("selected") {
		t.Errorf("selected filter = %d %q", sel.Length(), sel.Text())
	}
	if doc.Find(".filters a.selected").Length() != 1 {
		t.Error("more than one selected")
	}
	if doc.Find(".filter h3").Text() != "Status" {
		t.Error("filter title")
	}
	if c := doc.Find(".filters a.clear-filters"); c.AttrOr("href", "") != "/admin/products/" {
		t.Error("no clear link")
	}
	p := sampleList()
	p.ClearURL = ""
	doc, _ = render(t, ListView(p))
	if doc.Find(".clear-filters").Length() != 0 {
		t.Error("clear link without active filters")
	}
}

func TestListTable(t *testing.T) {
	doc, _ := render(t, ListView(sampleList()))
	res := doc.Find("div#results")
	if res.Length() != 1 || res.Find("table").Length() != 1 || res.Find(`nav[aria-label="Pagination"]`).Length() != 1 {
		t.Fatal("#results does not hold table and pagination")
	}
	if doc.Find(".table-wrap > table").Length() != 1 {
		t.Error("no scroll wrapper")
	}
	if res.Find(".result-summary").Text() != "2 of 120 products" {
		t.Error("summary")
	}
	ths := doc.Find(`thead th[scope="col"]`)
	if ths.Length() != 4 {
		t.Fatalf("headers = %d", ths.Length())
	}
	name := ths.Eq(0)
	if name.AttrOr("aria-sort", "") != "ascending" {
		t.Errorf("aria-sort = %q", name.AttrOr("aria-sort", ""))
	}
	if a := name.Find("a"); a.AttrOr("href", "") != "/admin/products/?o=-name" || !strings.Contains(a.Text(), "▲") {
		t.Errorf("sort link = %q %q", a.AttrOr("href", ""), a.Text())
	}
	price := ths.Eq(1)
	if _, ok := price.Attr("aria-sort"); ok {
		t.Error("unsorted column with aria-sort")
	}
	if price.Find("a").AttrOr("href", "") != "/admin/products/?o=price" || !price.HasClass("num") {
		t.Error("price header")
	}
	if ths.Eq(2).Find("a").Length() != 0 {
		t.Error("unsortable column with link")
	}

	rows := doc.Find("tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("rows = %d", rows.Length())
	}
	r1 := rows.Eq(0).Find("td")
	if !r1.Eq(1).HasClass("num") || !rows.Eq(1).Find("td").Eq(1).HasClass("num") {
		t.Error("numeric cells not right-aligned")
	}
	if b := r1.Eq(2).Find(".badge"); b.Text() != "Yes" || !b.HasClass("badge-yes") {
		t.Errorf("bool cell = %q", b.Text())
	}
	if b := rows.Eq(1).Find("td").Eq(2).Find("a .badge"); b.Text() != "No" || !b.HasClass("badge-no") {
		t.Errorf("linked bool cell = %q", b.Text())
	}
	if e := r1.Eq(3).Find(".muted"); e.Text() != "-" {
		t.Errorf("empty cell = %q", e.Text())
	}
	if r1.Eq(0).Find("a").AttrOr("href", "") != "/admin/products/1" {
		t.Error("cell link")
	}

	p := sampleList()
	p.Rows = nil
	doc, _ = render(t, ListResults(p))
	empty := doc.Find("tbody tr td")
	if empty.Length() != 1 || empty.AttrOr("colspan", "") != "4" || empty.Text() != "No products." {
		t.Errorf("empty state = %q colspan %q", empty.Text(), empty.AttrOr("colspan", ""))
	}
}

func TestPagination(t *testing.T) {
	doc, _ := render(t, ListResults(sampleList()))
	nav := doc.Find(`nav[aria-label="Pagination"]`)
	cur := nav.Find(`[aria-current="page"]`)
	if cur.Length() != 1 || cur.Text() != "2" {
		t.Errorf("current page = %d %q", cur.Length(), cur.Text())
	}
	if prev := nav.Find(".page-prev"); goquery.NodeName(prev) != "span" || prev.AttrOr("aria-disabled", "") != "true" {
		t.Error("previous not disabled on the first page")
	}
	if next := nav.Find(".page-next"); next.AttrOr("href", "") != "/admin/products/?p=3" {
		t.Error("next link")
	}
	if nav.Find(".page-gap").Text() != "…" {
		t.Error("gap")
	}
	if nav.Find("a.page").Length() != 4 {
		t.Errorf("page links = %d", nav.Find("a.page").Length())
	}
	p := sampleList()
	p.Pagination = Pagination{Page: 1, Pages: 1}
	doc, _ = render(t, ListResults(p))
	if doc.Find(`nav[aria-label="Pagination"]`).Length() != 0 {
		t.Error("pagination for a single page")
	}
}

func TestDelete(t *testing.T) {
	doc, _ := render(t, DeleteView(sampleDelete(false)))
	form := doc.Find("main form")
	if form.AttrOr("method", "") != "post" || form.AttrOr("action", "") != "/admin/products/1/delete" {
		t.Fatal("no confirm form")
	}
	if b := form.Find(`button[type="submit"]`); !b.HasClass("btn-danger") || !strings.Contains(b.Text(), "Yes") {
		t.Error("confirm button")
	}
	if form.Find(`a[href="/admin/products/1"]`).Text() != "No, take me back" {
		t.Error("cancel link")
	}
	groups := doc.Find(".related-group")
	if groups.Length() != 2 {
		t.Fatalf("groups = %d", groups.Length())
	}
	if txt := groups.Eq(0).Text(); !strings.Contains(txt, "Product images") || !strings.Contains(txt, "will also be deleted") || !strings.Contains(txt, "and 3 more") {
		t.Errorf("group 1 = %q", txt)
	}
	if groups.Eq(0).Find(`a[href="/admin/images/1"]`).Text() != "front.jpg" {
		t.Error("item link")
	}
	if txt := groups.Eq(1).Text(); !strings.Contains(txt, "will be unlinked") || strings.Contains(txt, "more") {
		t.Errorf("group 2 = %q", txt)
	}

	doc, _ = render(t, DeleteView(sampleDelete(true)))
	if doc.Find("main form, main button").Length() != 0 {
		t.Error("protected delete has a form")
	}
	if !strings.Contains(doc.Find(".delete-protected").Text(), "cannot be deleted") {
		t.Error("no protected message")
	}
	if !strings.Contains(doc.Find(".effect-protected").Text(), "prevent the delete") {
		t.Error("protected wording")
	}
	if doc.Find(`main a[href="/admin/products/1"]`).Length() != 1 {
		t.Error("no way back")
	}
}

func TestDashboard(t *testing.T) {
	doc, _ := render(t, allViews()["dashboard"])
	sections := doc.Find(".dashboard-section")
	if sections.Length() != 1 || sections.Find("h2").Text() != "Shop" {
		t.Fatalf("sections = %d, first %q", sections.Length(), sections.Find("h2").Text())
	}
	rows := sections.Find("tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("rows = %d", rows.Length())
	}
	if add := rows.Eq(0).Find(`a[href="/admin/products/add"]`); add.Length() != 1 || add.Text() != "Add to Products" {
		t.Errorf("add link = %q", add.Text())
	}
	if got := rows.Eq(0).Find(".dashboard-count").Text(); got != "12 products" {
		t.Errorf("count = %q", got)
	}
	if rows.Eq(1).Find(`a[href="/admin/orders/"]`).Length() == 0 || strings.Contains(rows.Eq(1).Text(), "Add") {
		t.Error("orders row")
	}
}

func TestError(t *testing.T) {
	doc, _ := render(t, allViews()["error"])
	if doc.Find(".error-status").Text() != "404" || doc.Find(".error-message").Text() != "No such product." {
		t.Error("status or message")
	}
	if doc.Find("title").Text() != "Not Found | Shop admin" {
		t.Errorf("title = %q", doc.Find("title").Text())
	}
	if doc.Find(`main a[href="/admin/"]`).Length() != 1 {
		t.Error("no link to the dashboard")
	}
}

func TestDefault(t *testing.T) {
	v := Views{}.Or(Default())
	if v.Dashboard == nil || v.List == nil || v.Form == nil || v.Delete == nil || v.Error == nil {
		t.Fatal("unset default view")
	}
}

func TestStatic(t *testing.T) {
	for _, name := range []string{"admin.css", "admin.js", "htmx.min.js"} {
		b, err := fs.ReadFile(Static(), name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(b) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	css, _ := fs.ReadFile(Static(), "admin.css")
	for _, want := range []string{"--bg:", "--card:", "--primary:", "--text:", "--border:", "--muted:", "--btn-hover:",
		"color-scheme: light dark", "--bg: light-dark(", `[data-theme="light"]`, `[data-theme="dark"]`, ":focus-visible", "input.toggle"} {
		if !bytes.Contains(css, []byte(want)) {
			t.Errorf("admin.css lacks %q", want)
		}
	}
}
