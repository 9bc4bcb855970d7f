package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// Order is a customer's order of products, each on an order line.
type Order struct {
	ent.Schema
}

// Fields of the Order.
func (Order) Fields() []ent.Field {
	return []ent.Field{
		field.String("number").Unique().NotEmpty().MaxLen(20).
			Comment("The order number customers quote, such as SO-1001."),
		field.String("customer").NotEmpty().MaxLen(200).
			Annotations(admin.Label("Customer name")),
		field.Enum("status").Values("pending", "paid", "shipped", "cancelled").Default("pending"),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the Order.
func (Order) Edges() []ent.Edge {
	return []ent.Edge{
		// The products of the order, through its lines (an edge schema with
		// a quantity and a price), which are edited on the order's form.
		edge.To("products", Product.Type).Through("lines", OrderLine.Type).
			Annotations(admin.Inline().WithFields("product", "quantity", "unit_price").Sortable("sort_order").WithTitle("Order lines")),
	}
}

// Indexes of the Order.
func (Order) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("created_at"),
		index.Fields("status"),
		trigram("orders", "customer"),
	}
}

// Annotations of the Order.
func (Order) Annotations() []schema.Annotation {
	return []schema.Annotation{
		admin.ListDisplay("number", "customer", "status", "created_at"),
		admin.ListFilter("status", "created_at"),
		admin.SearchFields("^number", "customer"),
		admin.Ordering("-created_at"),
		admin.ReadOnlyFields("created_at"),
		admin.RadioFields(admin.Horizontal, "status"),
		admin.DisplayField("number"),
	}
}
