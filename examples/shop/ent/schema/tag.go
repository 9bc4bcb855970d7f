package schema

import (
	"regexp"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// Tag labels products across categories.
type Tag struct {
	ent.Schema
}

// Fields of the Tag.
func (Tag) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").Unique().NotEmpty().MaxLen(50),
		field.String("color").Default("#64748b").MaxLen(7).
			Match(regexp.MustCompile(`^#[0-9a-f]{6}$`)).
			Annotations(admin.Widget(admin.WidgetColor), admin.HelpText("The colour of the tag's badge in the shop.")),
	}
}

// Edges of the Tag.
func (Tag) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("products", Product.Type).Ref("tags"),
	}
}

// Annotations of the Tag.
func (Tag) Annotations() []schema.Annotation {
	return []schema.Annotation{
		admin.ListDisplay("name", "color"),
		admin.SearchFields("name"),
		admin.Ordering("name"),
	}
}
