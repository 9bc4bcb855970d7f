package views

import (
	"context"
	"io"
	"strconv"
	"testing"
)

// BenchmarkListResults100Rows renders the results of a list page of 100
// rows of seven columns (text, number, link, badge, empty), as the list
// and the partial endpoint do, and reports the allocations.
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
	b.ReportAllocs()
	for b.Loop() {
		if err := ListResults(p).Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
