package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// ProductImage is one picture of a product.
type ProductImage struct {
	ent.Schema
}

// Fields of the ProductImage.
func (ProductImage) Fields() []ent.Field {
	return []ent.Field{
		field.String("url").NotEmpty().MaxLen(500),
		field.String("alt_text").Optional().MaxLen(200).
			Annotations(admin.EmptyValue("(no alt text)")),
		field.Int("sort_order").Default(0),
	}
}

// Edges of the ProductImage.
func (ProductImage) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("product", Product.Type).Ref("images").Unique().Required(),
	}
}

// Indexes of the ProductImage.
func (ProductImage) Indexes() []ent.Index {
	return []ent.Index{
		index.Edges("product"),
		// The list is ordered by sort_order, filtered by alt_text and
		// searched by url.
		index.Fields("sort_order"),
		index.Fields("alt_text"),
		trigram("product_images", "url"),
	}
}

// Annotations of the ProductImage.
func (ProductImage) Annotations() []schema.Annotation {
	return []schema.Annotation{
		admin.Slug("productimage"),
		admin.Label("product image"),
		admin.ListDisplay("url", "product", "product.category.name", "alt_text", "sort_order"),
		admin.ListFilter("product", "product.category", "alt_text"),
		admin.SearchFields("url", "@alt_text"),
		admin.Ordering("sort_order"),
		admin.DisplayField("url"),
		admin.Facets(),
	}
}
