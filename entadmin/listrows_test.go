package entadmin

import (
	"github.com/entadmin/entadmin/entadmin/store"
	"strconv"
	"testing"
	"time"
)

// benchItem is an entity of the row benchmark.
type benchItem struct {
	id       int
	name     string
	price    float64
	status   benchStatus
	active   bool
	stock    int
	created  time.Time
	category *benchItem
}

type benchStatus string

func (s benchStatus) String() string { return string(s) }

// BenchmarkListRows100 formats the cells of a list page of 100 rows of
// seven columns (text, float, enum, bool, int, time, edge), with the list's
// filters kept in each row's link, and reports the allocations.
func BenchmarkListRows100(b *testing.B) {
	r := &Resource[*benchItem]{
		ID:         func(e *benchItem) string { return strconv.Itoa(e.id) },
		EmptyValue: "-",
		m:          meta{site: &Site{location: time.UTC}},
	}
	fields := []*Field[*benchItem]{
		{Name: "name", Kind: KindString, Get: func(e *benchItem) any { return e.name }},
		{Name: "price", Kind: KindFloat, Get: func(e *benchItem) any { return e.price }},
		{Name: "status", Kind: KindEnum, Enums: []Choice{{Value: "draft", Label: "Draft"}, {Value: "published", Label: "Published"}}, Get: func(e *benchItem) any { return e.status }},
		{Name: "active", Kind: KindBool, Get: func(e *benchItem) any { return e.active }},
		{Name: "stock", Kind: KindInt, Get: func(e *benchItem) any { return e.stock }},
		{Name: "created", Kind: KindTime, Get: func(e *benchItem) any { return e.created }},
		{Name: "category", Kind: KindEdge, Get: func(e *benchItem) any {
			if c := e.category; c != nil {
				return store.Ref{ID: strconv.Itoa(c.id), Label: c.name}
			}
			return nil
		}},
	}
	lc := &listConfig[*benchItem]{}
	for i, f := range fields {
		lc.columns = append(lc.columns, column[*benchItem]{name: f.Name, label: f.Name, field: f, link: i == 0})
	}
	kitchen := &benchItem{id: 1, name: "Kitchen"}
	items := make([]*benchItem, 100)
	for i := range items {
		items[i] = &benchItem{id: 1000 + i, name: "Rustic Oak Cutting Board " + strconv.Itoa(i), price: 12.5 + float64(i), status: "published", active: i%2 == 0, stock: 300 + i, created: time.Date(2026, 11, 29, 3, 50, 0, 0, time.UTC), category: kitchen}
	}
	b.ReportAllocs()
	for b.Loop() {
		rows := r.rows(lc, items, "/admin/product/", "o=-price&is_active=yes")
		if len(rows) != 100 {
			b.Fatal(len(rows))
		}
	}
}
