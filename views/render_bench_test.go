package views

import (
	"bytes"
	"context"
	"strconv"
	"testing"
)

// BenchmarkListResults100Rows renders the results of a list page of 100
// rows of seven columns (text, number, link, badge, empty), as the list
// and the partial endpoint do (into memory, as Site.render), and reports
// the allocations.
func BenchmarkListResults100Rows(b *testing.B) {
	p := ListPage{ListURL: "/admin/product/", ResultSummary: "about 1.2 million products", CountNote: "Estimated from the database's statistics", ExportURL: "/admin/product/export/"}
	for _, l := range []string{"Name", "Price", "Category", "Status", "Active", "Stock", "Created at"} {
		p.Columns = append(p.Columns, Column{Label: l, SortURL: "/admin/product/?o=" + l})
	}
	for i := range 100 {
		id := strconv.Itoa(i + 1)
		url := "/admin/product/" + id + "/"
		p.Rows = append(p.Rows, Row{ID: id, URL: url, Name: "Product " + id, Cells: []Cell{
			{Text: "Rustic Oak Cutting Board " + id, Link: url},
			{Text: "12.50", Numeric: true},
			{Text: "Kitchen"},
			{Text: "Published"},
			{Kind: CellBool, Bool: i%2 == 0},
			{Kind: CellEmpty, Text: "(not set)"},
			{Text: "2026-11-29 03:50"},
		}})
	}
	p.Pagination = Pagination{Page: 1, NextURL: "/admin/product/?p=2", Links: []PageLink{{Number: 1, Current: true, URL: "/admin/product/"}, {Number: 2, URL: "/admin/product/?p=2"}}}
	ctx := context.Background()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := ListResults(p).Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
	}
}

// shopSearchPage is the product list of a search without results, as the
// shop shows it: the frame with three sections of navigation, the theme
// and user menus, five filters, ten columns, bulk actions and editable
// columns.
func shopSearchPage() ListPage {
	const list = "/admin/product/"
	p := ListPage{ListURL: list, AddURL: list + "add/?_changelist_filters=q%3Dred", AddLabel: "Add product", Searchable: true, Search: "red",
		ClearURL: list, FacetsURL: list + "?_facets=1&q=red", ResultSummary: "0 products (1,000,000 total)", ExportURL: list + "export/?q=red",
		EmptyText: "No products found.", FormURL: list + "?q=red", Edit: &ListEdit{SaveURL: list + "list-save/?q=red"},
		Tools:   []Tool{{Label: "Restock empty products", URL: list + "restock/", Post: true}},
		Actions: &ActionBar{Choices: []Choice{{Value: "delete_selected", Label: "Delete selected"}, {Value: "export_selected", Label: "Export selected as CSV"}, {Value: "activate", Label: "Mark as active"}}},
		Chooser: &ColumnChooser{Action: list + "columns/", Return: "q=red"},
	}
	p.Page = Page{SiteTitle: "Shop administration", Title: "Products", Prefix: "/admin", User: "root",
		Breadcrumbs: []Link{{Label: "Home", URL: "/admin/"}, {Label: "Products"}},
		PageFrame: PageFrame{LogoutURL: "/admin/logout/", PasswordURL: "/admin/user/1/password/", SiteURL: "/shop/", ThemeURL: "/admin/theme/", Return: list + "?q=red",
			Themes: []Choice{{Value: "auto", Label: "Auto (system)", Selected: true}, {Value: "light", Label: "Light"}, {Value: "dark", Label: "Dark"}, {Value: "high-contrast", Label: "High contrast"}},
			CSS:    []string{"/admin/static/media/themes.648916d56921.css", "/admin/static/media/media/product.92b8ebe7673f.css"}}}
	for _, s := range []struct {
		label string
		items []string
	}{{"Shop", []string{"Categories", "Orders", "Order lines", "Products", "Product images", "Tags"}},
		{"Authentication and authorization", []string{"Audit log", "Groups", "Object grants", "Policy rules", "Sessions", "Users"}},
		{"Administration", []string{"RBAC audit log", "Login rate limits", "Permissions", "Cache"}}} {
		sec := NavSection{Label: s.label}
		for _, it := range s.items {
			sec.Items = append(sec.Items, NavItem{Label: it, URL: "/admin/" + it + "/", Active: it == "Products"})
		}
		p.Nav = append(p.Nav, sec)
	}
	for _, c := range []string{"name", "price", "margin", "category", "tags", "status", "is_active", "stock_count", "created_at"} {
		p.Chooser.Columns = append(p.Chooser.Columns, Choice{Value: c, Label: c, Selected: true})
		p.Columns = append(p.Columns, Column{Label: c, SortURL: list + "?o=" + c + "&q=red", Width: WidthNarrow, Numeric: c == "price"})
	}
	for _, f := range []struct {
		param   string
		choices int
	}{{"is_active", 3}, {"status", 4}, {"category", 13}, {"created_at", 5}, {"price_band", 4}} {
		fl := Filter{Title: "By " + f.param, Param: f.param}
		for i := range f.choices {
			fl.Choices = append(fl.Choices, Choice{Label: "Choice " + strconv.Itoa(i), URL: list + "?" + f.param + "=" + strconv.Itoa(i) + "&q=red", Selected: i == 0})
		}
		p.Filters = append(p.Filters, fl)
	}
	return p
}

// BenchmarkListViewEmptySearch renders the whole page of a search without
// results, the fixed cost of every list page.
func BenchmarkListViewEmptySearch(b *testing.B) {
	p := shopSearchPage()
	ctx := context.Background()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := ListView(p).Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
	}
}
