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

// Session is a logged-in browser. The cookie carries a random token; the
// table keeps only its SHA-256, so a leaked table does not leak sessions.
type Session struct {
	ent.Schema
}

// Fields of the Session.
func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").Unique().Sensitive().NotEmpty(),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("last_seen_at").Default(time.Now),
		field.Time("expires_at").Comment("Absolute expiry, whatever the activity."),
		field.String("ip").Optional().MaxLen(64),
		field.String("user_agent").Optional().MaxLen(512),
	}
}

// Edges of the Session.
func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("sessions").Unique().Required(),
	}
}

// Indexes of the Session.
func (Session) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("expires_at"),
		index.Edges("user"),
	}
}

// Annotations of the Session.
func (Session) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Table("entadmin_sessions"),
		admin.ListDisplay("user", "ip", "created_at", "last_seen_at", "expires_at"),
		admin.ListFilter("user", "expires_at"),
		admin.Ordering("-last_seen_at"),
		admin.ReadOnlyFields("created_at", "last_seen_at", "expires_at", "ip", "user_agent"),
		admin.NoAudit(),
	}
}
