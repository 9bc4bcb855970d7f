package schema

import (
	"regexp"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// Category groups products.
type Category struct {
	ent.Schema
}

// Fields of the Category.
func (Category) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.String("slug").Unique().Optional().MaxLen(100).
			Match(regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)).
			Comment("Lower-case words joined by hyphens, used in shop URLs; made from the name when left empty."),
	}
}

// Edges of the Category.
func (Category) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("products", Product.Type),
	}
}

// Annotations of the Category.
func (Category) Annotations() []schema.Annotation {
	return []schema.Annotation{
		admin.LabelPlural("categories"),
		admin.ListDisplay("name", "slug"),
		admin.SearchFields("^name", "=slug"),
		admin.Ordering("name"),
		admin.PrepopulatedFields("slug", "name"),
		admin.SaveAs(),
	}
}
