package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// Product is something the shop sells.
type Product struct {
	ent.Schema
}

// Fields of the Product.
func (Product) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200),
		field.Text("description").Optional().
			Annotations(admin.Widget(admin.WidgetTextarea), admin.WidgetAttrs("rows", "3", "placeholder", "What customers read in the shop")),
		field.Float("price").Min(0).
			Annotations(admin.HelpText("Sale price in euros, VAT included."), admin.WidgetAttrs("step", "0.01")),
		field.Float("cost_price").Optional().Nillable().Min(0).
			Annotations(admin.Label("Cost price")),
		field.Int("category_id").Optional(),
		field.String("brand").Optional().MaxLen(100),
		field.Enum("status").Values("draft", "published", "discontinued").Default("published"),
		field.Bool("is_active").Default(true).
			Annotations(admin.Label("Active")),
		field.Int("stock_count").NonNegative().Default(0),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the Product.
func (Product) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("category", Category.Type).Ref("products").Unique().Field("category_id"),
		edge.To("images", ProductImage.Type).
			Annotations(
				entsql.OnDelete(entsql.Cascade),
				// Images are edited on the product's form, in the order
				// the user drags them to (saved in sort_order).
				admin.Inline().WithFields("url", "alt_text").Sortable("sort_order").WithExtra(1).WithMax(10).ChangeLink(),
			),
		edge.To("tags", Tag.Type),
		edge.From("orders", Order.Type).Ref("products").Through("order_lines", OrderLine.Type),
	}
}

// Indexes of the Product.
func (Product) Indexes() []ent.Index {
	return []ent.Index{
		// The list's orderings (newest first, by price), the id last as
		// the list orders ties: a deep page skips the rows before it in
		// the index alone (index-only on PostgreSQL).
		index.Fields("created_at", "id"),
		index.Fields("category_id"),
		// A list filtered by category reads its rows in the list's order,
		// the id last as it orders ties, (and counts and probes them for
		// the date drill-down) from this index alone, so that a deep page
		// skips rows without reading the table; is_active, included,
		// serves the activity filter too (index-only on PostgreSQL).
		index.Fields("category_id", "created_at", "id").Annotations(entsql.IncludeColumns("is_active")),
		index.Fields("is_active"),
		index.Fields("status"),
		index.Fields("price", "id"),
		// Trigram indexes for the search (ILIKE '%term%') on PostgreSQL;
		// other databases get a plain index.
		trigram("products", "name"),
		trigram("products", "brand"),
	}
}

// Annotations of the Product.
func (Product) Annotations() []schema.Annotation {
	return []schema.Annotation{
		admin.ListDisplay("name", "price", "margin", "category", "tags", "status", "is_active", "stock_count", "created_at"),
		admin.ListFilter("is_active", "status", "category", "created_at"),
		admin.SearchFields("name", "^brand"),
		admin.Ordering("-created_at"),
		admin.DateHierarchy("created_at"),
		admin.ReadOnlyFields("created_at"),
		admin.EmptyValue("(not set)"),
		admin.RadioFields(admin.Horizontal, "status"),
		admin.FilterHorizontal("tags"),
		admin.SaveOnTop(),
		// The list's computed column (added in shopapp/list.go) and facet counts.
		admin.Computed("margin"),
		admin.Facets(),
		admin.SaveAs(),
		// Price, activity and stock are edited in the list; one Save writes them.
		admin.ListEditable("price", "is_active", "stock_count"),
		admin.Fieldsets(
			admin.Fieldset("Product", "name", "description", "category", "tags", "brand", "status", "is_active").
				Describe("What customers see in the shop."),
			admin.Fieldset("Pricing", "price", "cost_price"),
			admin.Fieldset("Inventory", "stock_count", "created_at").Collapsed(),
		),
	}
}
