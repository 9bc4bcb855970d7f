package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// AuditEntry records one write or one admin event: who did what to which
// object, when, from where, and what changed. It holds the user's id and
// name rather than an edge, so that history outlives deleted users and
// objects.
type AuditEntry struct {
	ent.Schema
}

// Fields of the AuditEntry.
func (AuditEntry) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at").Default(time.Now).Immutable(),
		field.String("action").NotEmpty().MaxLen(50).Immutable().
			Comment("add, change, delete, login, login_failed, export, action:<name>, ..."),
		field.String("resource").Optional().MaxLen(100).Immutable(),
		field.String("object_id").Optional().MaxLen(100).Immutable(),
		field.String("object_repr").Optional().MaxLen(300).Immutable(),
		field.Int("user_id").Optional().Nillable().Immutable(),
		field.String("user_name").Optional().MaxLen(150).Immutable().
			Comment(`The admin user, or "system: <label>" for writes outside an admin request.`),
		field.String("ip").Optional().MaxLen(64).Immutable(),
		field.String("message").Optional().MaxLen(1000).Immutable().
			Comment("What an event did, e.g. how many rows an export wrote."),
		field.JSON("changes", map[string]any{}).Optional().Immutable().
			Comment(`Per changed field: {"old": ..., "new": ...}; sensitive fields without values.`),
	}
}

// Indexes of the AuditEntry.
func (AuditEntry) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("resource", "object_id", "at"),
		index.Fields("user_id", "at"),
		index.Fields("user_name", "at"),
		// Failed logins per address, for login throttling.
		index.Fields("ip", "at"),
		index.Fields("at"),
	}
}

// Annotations of the AuditEntry.
func (AuditEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Table("entadmin_audit_entries"),
		admin.Label("audit entry"),
		admin.LabelPlural("audit log"),
		admin.Slug("auditentry"),
		admin.DisplayField("object_repr"),
		admin.ListDisplay("at", "user_name", "action", "resource", "object_repr"),
		admin.ListFilter("action", "resource", "user_name", "at"),
		admin.SearchFields("object_repr", "object_id", "user_name"),
		admin.Ordering("-at"),
		admin.NoAudit(),
		admin.ViewOnly(),
	}
}
