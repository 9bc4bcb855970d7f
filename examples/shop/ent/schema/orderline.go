package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// OrderLine is the edge schema joining an order to a product it orders:
// how many, at what price.
type OrderLine struct {
	ent.Schema
}

// Fields of the OrderLine.
func (OrderLine) Fields() []ent.Field {
	return []ent.Field{
		field.Int("order_id"),
		field.Int("product_id"),
		field.Int("quantity").Positive().Default(1),
		field.Float("unit_price").Min(0).
			Annotations(admin.Label("Unit price"), admin.HelpText("In euros, VAT included.")),
		field.Int("sort_order").Default(0),
	}
}

// Edges of the OrderLine.
func (OrderLine) Edges() []ent.Edge {
	return []ent.Edge{
		// An order's lines go with it.
		edge.To("order", Order.Type).Unique().Required().Field("order_id").
			Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("product", Product.Type).Unique().Required().Field("product_id"),
	}
}

// Indexes of the OrderLine: a product appears once per order.
func (OrderLine) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("order_id", "product_id").Unique(),
		index.Fields("product_id"),
	}
}

// Annotations of the OrderLine.
func (OrderLine) Annotations() []schema.Annotation {
	return []schema.Annotation{
		admin.Slug("orderline"),
		admin.Label("order line"),
		admin.ListDisplay("order", "product", "quantity", "unit_price"),
		admin.ListFilter("order"),
		admin.Ordering("order_id", "sort_order"),
		admin.AutocompleteFields("product"),
	}
}
