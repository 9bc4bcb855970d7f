//go:build screenshot

package views

// Writes sample pages and the static assets to a directory, to look at the
// views in a browser:
//
//	go test -tags screenshot -run TestScreenshotPages ./views/ -args -out /tmp/viewshot
//	python3 -m http.server -d /tmp/viewshot -b 127.0.0.1 8765

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/a-h/templ"
)

var screenshotOut = flag.String("out", "/tmp/viewshot", "directory the sample pages are written to")

func TestScreenshotPages(t *testing.T) {
	dir := *screenshotOut
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// The pages load their assets from Prefix + "/static/": serve them from
	// the directory's root.
	err := fs.WalkDir(Static(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, "static", path), 0o755)
		}
		b, err := fs.ReadFile(Static(), path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, "static", path), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}

	page := func(title string) Page {
		return Page{
			SiteTitle: "Shop admin",
			Title:     title,
			Nav: []NavSection{{Label: "Shop", Items: []NavItem{
				{Label: "Products", URL: "/list.html", Active: true},
				{Label: "Categories", URL: "#"},
				{Label: "Orders", URL: "#"},
				{Label: "Customers", URL: "#"},
				{Label: "Product images", URL: "#"},
			}}},
			Breadcrumbs: []Link{{Label: "Home", URL: "/"}, {Label: "Products", URL: "/list.html"}, {Label: title}},
			User:        "alice@example.com",
		}
	}

	list := ListPage{
		Page:       page("Products"),
		ListURL:    "/list.html",
		AddURL:     "/form.html",
		AddLabel:   "Add product",
		Searchable: true,
		Search:     "chair",
		SearchKeep: []Param{{Name: "status", Value: "active"}},
		Columns: []Column{
			{Label: "ID", SortURL: "#", Numeric: true},
			{Label: "Name", SortURL: "#", Sorted: 1},
			{Label: "Category", SortURL: "#"},
			{Label: "Price", SortURL: "#", Numeric: true},
			{Label: "Stock", Numeric: true},
			{Label: "Active"},
			{Label: "Updated", SortURL: "#", Sorted: -1},
		},
		Filters: []Filter{
			{Title: "Status", Choices: []Choice{
				{Label: "All", URL: "#"}, {Label: "Active", URL: "#", Selected: true}, {Label: "Draft", URL: "#"}, {Label: "Archived", URL: "#"},
			}},
			{Title: "Category", Choices: []Choice{
				{Label: "All", URL: "#", Selected: true}, {Label: "Chairs", URL: "#"}, {Label: "Tables", URL: "#"}, {Label: "Lamps", URL: "#"},
			}},
		},
		ClearURL: "/list.html",
		Pagination: Pagination{Page: 2, Pages: 12, PrevURL: "#", NextURL: "#", Links: []PageLink{
			{Number: 1, URL: "#"}, {Number: 2, URL: "#", Current: true}, {Number: 3, URL: "#"}, {Gap: true}, {Number: 12, URL: "#"},
		}},
		ResultSummary: "10 of 118 products",
	}
	list.Breadcrumbs = list.Breadcrumbs[:1:1]
	list.Breadcrumbs = append(list.Breadcrumbs, Link{Label: "Products"})
	list.Messages = []Message{{Level: LevelSuccess, Text: "The product “Oak chair” was changed."}}
	list.Notice = "Authentication is off: anyone who reaches this site can change its data."
	names := []string{"Oak chair", "Walnut table", "Reading lamp <b>", "Bar stool", "Linen sofa with an unusually long name for a product", "Desk", "Bookshelf", "Armchair", "Side table", "Floor lamp"}
	cats := []string{"Chairs", "Tables", "Lamps", "Chairs", "Sofas", "Tables", "Storage", "Chairs", "Tables", "Lamps"}
	for i, n := range names {
		c := Cell{Kind: CellText, Text: cats[i], Link: "#"}
		if i == 5 {
			c = Cell{Kind: CellEmpty, Text: "-"}
		}
		list.Rows = append(list.Rows, Row{ID: fmt.Sprint(i + 1), URL: "/form.html", Cells: []Cell{
			{Kind: CellText, Text: fmt.Sprint(i + 1), Numeric: true},
			{Kind: CellText, Text: n, Link: "/form.html"},
			c,
			{Kind: CellText, Text: fmt.Sprintf("%d.%02d", 20+i*37, i*7%100)},
			{Kind: CellText, Text: fmt.Sprint(i * 13 % 50)},
			{Kind: CellBool, Bool: i%3 != 1},
			{Kind: CellText, Text: fmt.Sprintf("2024-05-%02d 10:%02d", 28-i, i*5)},
		}})
	}

	form := FormPage{
		Page:      page("Change product"),
		Action:    "/form.html",
		Errors:    []string{"Please correct the errors below."},
		DeleteURL: "/delete.html",
		CancelURL: "/list.html",
		Fieldsets: []Fieldset{
			{Title: "General", Description: "What customers see in the shop.", Fields: []Field{
				{Name: "name", ID: "id_name", Label: "Name", Widget: WidgetText, Value: "Oak chair", Required: true, MaxLength: 120, Help: "Shown in listings and on the product page."},
				{Name: "price", ID: "id_price", Label: "Price", Widget: WidgetNumber, Value: "-3", Step: "0.01", Min: "0", Required: true, Error: "Ensure this value is greater than or equal to 0."},
				{Name: "category", ID: "id_category", Label: "Category", Widget: WidgetSelect, Choices: []Choice{{Label: "Chairs", Value: "1", Selected: true}, {Label: "Tables", Value: "2"}}},
				{Name: "description", ID: "id_description", Label: "Description", Widget: WidgetTextarea, Value: "Solid oak, oiled.\nMade in Portugal."},
				{Name: "active", ID: "id_active", Label: "Active", Widget: WidgetCheckbox, Checked: true},
				{Name: "featured", ID: "id_featured", Label: "Featured", Widget: WidgetToggle, Checked: true, Help: "Featured products appear on the home page."},
				{Name: "created", ID: "id_created", Label: "Created", Widget: WidgetReadOnly, Display: "2024-05-28 10:15"},
			}},
			{Title: "Advanced", Collapsed: true, Fields: []Field{
				{Name: "attrs", ID: "id_attrs", Label: "Attributes", Widget: WidgetJSON, Value: `{"wood": "oak"}`},
				{Name: "released", ID: "id_released", Label: "Released", Widget: WidgetDate, Value: "2024-05-01"},
			}},
			{Title: "Shipping", Collapsed: true, Description: "Collapsed, but open: it holds an error.", Fields: []Field{
				{Name: "weight", ID: "id_weight", Label: "Weight (kg)", Widget: WidgetNumber, Value: "abc", Error: "Enter a number."},
				{Name: "ships", ID: "id_ships", Label: "Ships at", Widget: WidgetDateTime, Value: "2024-06-01T09:30"},
				{Name: "color", ID: "id_color", Label: "Color", Widget: WidgetColor, Value: "#8b5a2b"},
			}},
		},
	}
	form.Messages = []Message{{Level: LevelError, Text: "The product could not be saved."}}

	del := DeletePage{
		Page: page("Delete product"), Object: "Oak chair", TypeLabel: "product", Action: "#", CancelURL: "/form.html",
		Related: []Related{
			{Label: "Product images", Effect: EffectDeleted, Items: []Link{{Label: "front.jpg", URL: "#"}, {Label: "side.jpg", URL: "#"}}, More: 4},
			{Label: "Tags", Effect: EffectUnlinked, Items: []Link{{Label: "sale", URL: "#"}}},
		},
	}
	protected := del
	protected.Protected = true
	protected.Related = append(protected.Related, Related{Label: "Order lines", Effect: EffectProtected, Items: []Link{{Label: "Order 1042, line 1", URL: "#"}}})

	dash := DashboardPage{Page: page("Site administration"), Sections: []DashboardSection{{Label: "Shop", Items: []DashboardItem{
		{Label: "Products", Count: "1,204 products", ListURL: "/list.html", AddURL: "/form.html"},
		{Label: "Categories", Count: "12 categories", ListURL: "#", AddURL: "#"},
		{Label: "Orders", Count: "about 1.2 million orders", ListURL: "#"},
		{Label: "Customers", Count: "310 customers", ListURL: "#", AddURL: "#"},
	}}}}
	dash.Breadcrumbs = nil

	errPage := ErrorPage{Page: page(""), Status: 404, Message: "There is no product with ID 99."}
	errPage.Breadcrumbs = nil

	for name, c := range map[string]templ.Component{
		"list.html":      ListView(list),
		"form.html":      FormView(form),
		"delete.html":    DeleteView(del),
		"protected.html": DeleteView(protected),
		"index.html":     DashboardView(dash),
		"error.html":     ErrorView(errPage),
	} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Render(context.Background(), f); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
