package auditdiff_test

import (
	"testing"

	entgo "entgo.io/ent"
	"github.com/google/go-cmp/cmp"

	"github.com/entadmin/entadmin/hooks/auditdiff"
	"github.com/entadmin/entadmin/internal/fixture/ent"
)

// schema records a product's name, price, category and cost price; the
// cost price without its value, the brand not at all.
var schema = auditdiff.Schema[*ent.Product]{
	Values: func(p *ent.Product) map[string]any {
		return map[string]any{"name": p.Name, "price": p.Price, "category_id": p.CategoryID, "cost_price": p.CostPrice}
	},
	Opaque:     []string{"cost_price"},
	Unaudited:  []string{"brand"},
	FieldEdges: []string{"category"},
	Key:        func(name string) bool { return name == "category_id" },
}

// deletion is a delete of products: ent's delete builders do not expose
// their mutation.
type deletion struct{ *ent.ProductMutation }

func (deletion) Op() entgo.Op { return entgo.OpDelete }

func TestEntriesRecordWhatTheMutationChanged(t *testing.T) {
	t.Parallel()
	client := ent.NewClient() // builds mutations only, never runs them
	tea := &ent.Product{ID: 1, Name: "Tea", Price: 3}
	coffee := &ent.Product{ID: 2, Name: "Coffee", Price: 4.5, CategoryID: 7}
	tests := []struct {
		name  string
		m     entgo.Mutation
		saved *ent.Product
		rows  []*ent.Product
		want  []auditdiff.Entry[*ent.Product]
	}{{
		name:  "An add records the new values, an unset key as unset and the ids of edges",
		m:     client.Product.Create().SetName("Tea").SetPrice(3).SetCategoryID(0).SetCostPrice(1).SetBrand("Acme").AddTagIDs(5).Mutation(),
		saved: tea,
		want: []auditdiff.Entry[*ent.Product]{{Row: tea, Changes: map[string]auditdiff.Change{
			"name": {New: "Tea"}, "price": {New: 3.0}, "cost_price": {Hidden: true}, "tags": {Added: []entgo.Value{5}},
		}}},
	}, {
		name:  "A change that changes no recorded value makes no entry",
		m:     client.Product.UpdateOne(tea).SetName("Tea").SetBrand("Other").Mutation(),
		saved: tea,
		rows:  []*ent.Product{tea},
	}, {
		name: "A bulk update adds to each row's number",
		m:    client.Product.Update().AddPrice(2).Mutation(),
		rows: []*ent.Product{tea, coffee},
		want: []auditdiff.Entry[*ent.Product]{
			{Row: tea, Changes: map[string]auditdiff.Change{"price": {Old: 3.0, New: int64(5)}}},
			{Row: coffee, Changes: map[string]auditdiff.Change{"price": {Old: 4.5, New: 6.5}}},
		},
	}, {
		name: "A delete records the last state",
		m:    deletion{client.Product.Update().Mutation()},
		rows: []*ent.Product{coffee},
		want: []auditdiff.Entry[*ent.Product]{{Row: coffee, Changes: map[string]auditdiff.Change{
			"name": {Old: "Coffee"}, "price": {Old: 4.5}, "category_id": {Old: 7},
		}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := schema.Entries(tt.m, tt.saved, tt.rows)
			same := cmp.Comparer(func(a, b *ent.Product) bool { return a == b })
			if diff := cmp.Diff(tt.want, got, same); diff != "" {
				t.Errorf("Entries (-want +got):\n%s", diff)
			}
		})
	}
}
