package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// Group collects users and inherits the permissions of its parent group.
type Group struct {
	ent.Schema
}

// Fields of the Group.
func (Group) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").Unique().NotEmpty().MaxLen(150),
		field.String("description").Optional().MaxLen(500),
		field.Int("parent_id").Optional(),
	}
}

// Edges of the Group.
func (Group) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("children", Group.Type).
			From("parent").Unique().Field("parent_id").
			Annotations(admin.HelpText("Members of this group also get every permission of the parent group.")),
		edge.From("users", User.Type).Ref("groups"),
		// Per-object grants of the group go with the group.
		edge.To("object_grants", ObjectGrant.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Annotations of the Group.
func (Group) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Table("entadmin_groups"),
		admin.ListDisplay("name", "parent", "description"),
		admin.ListFilter("parent"),
		admin.SearchFields("name", "description"),
		admin.Ordering("name"),
	}
}
