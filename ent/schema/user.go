// Package schema holds entadmin's own models: the admin's users, groups,
// sessions, policy rules and audit log. Their tables carry an entadmin_
// prefix so that they sit beside an application's own tables.
package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// User is a person who may log in to the admin.
type User struct {
	ent.Schema
}

// Fields of the User.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("username").Unique().NotEmpty().MaxLen(150),
		field.String("email").Optional().MaxLen(254),
		field.String("password_hash").Sensitive().Optional().
			Comment("argon2id in PHC format; empty means the user cannot log in with a password."),
		field.Bool("is_active").Default(true).
			Annotations(admin.Label("Active"), admin.HelpText("Inactive users cannot log in.")),
		field.Bool("is_staff").Default(false).
			Annotations(admin.Label("Staff"), admin.HelpText("Staff users may log in to the admin.")),
		field.Bool("is_superuser").Default(false).
			Annotations(admin.Label("Superuser"), admin.HelpText("Superusers pass every permission check.")),
		field.Time("last_login").Optional().Nillable().
			Annotations(admin.NoAudit()), // a login is an event of its own in the audit log
		field.Time("created_at").Default(time.Now).Immutable(),
		field.JSON("preferences", map[string]string{}).Optional().
			Comment("The user's settings in the admin, such as the columns hidden in each list; read with the session, so they cost no statement.").
			Annotations(admin.Hidden(), admin.NoAudit()),
	}
}

// Edges of the User.
func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("groups", Group.Type).StorageKey(edge.Table("entadmin_user_groups")),
		edge.To("sessions", Session.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		// Per-object grants of the user go with the user.
		edge.To("object_grants", ObjectGrant.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Annotations of the User.
func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Table("entadmin_users"),
		admin.ListDisplay("username", "email", "is_active", "is_staff", "is_superuser", "last_login"),
		admin.ListFilter("is_active", "is_staff", "is_superuser"),
		admin.SearchFields("username", "email"),
		admin.Ordering("username"),
		admin.ReadOnlyFields("last_login", "created_at"),
	}
}
