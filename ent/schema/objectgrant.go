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

// ObjectGrant gives one user or one group an action on one object of a
// resource: "group editors may change product 42". Object grants become a
// SQL predicate on the resource's queries (the row scope of users who do
// not hold the action on the whole resource), so they live in a table of
// their own rather than in casbin's in-memory policy. Deleting the user or
// group deletes its grants.
type ObjectGrant struct {
	ent.Schema
}

// Fields of the ObjectGrant.
func (ObjectGrant) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id").Optional().Nillable().
			Annotations(admin.HelpText("Set either a user or a group.")),
		field.Int("group_id").Optional().Nillable(),
		field.String("resource").NotEmpty().MaxLen(100).
			Annotations(admin.HelpText(`The resource's slug, e.g. "product".`)),
		field.String("object_id").NotEmpty().MaxLen(100).
			Annotations(admin.Label("Object ID"), admin.HelpText("The object's id, as in its admin URL.")),
		field.String("action").NotEmpty().MaxLen(50).
			Annotations(admin.HelpText("view, change, delete, or a custom action. Change and delete grants also let the object be seen.")),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the ObjectGrant.
func (ObjectGrant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("object_grants").Unique().Field("user_id"),
		edge.From("group", Group.Type).Ref("object_grants").Unique().Field("group_id"),
	}
}

// Indexes of the ObjectGrant.
func (ObjectGrant) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("resource", "action", "user_id", "object_id"),
		index.Fields("resource", "action", "group_id", "object_id"),
		index.Fields("user_id", "group_id", "resource", "object_id", "action").Unique(),
	}
}

// Annotations of the ObjectGrant.
func (ObjectGrant) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Table("entadmin_object_grants"),
		admin.Label("object grant"),
		admin.DisplayField("object_id"),
		admin.ListDisplay("resource", "object_id", "action", "user", "group", "created_at"),
		admin.ListFilter("resource", "action", "user", "group"),
		admin.SearchFields("resource", "object_id"),
		admin.Ordering("resource", "object_id"),
		admin.ReadOnlyFields("created_at"),
	}
}
