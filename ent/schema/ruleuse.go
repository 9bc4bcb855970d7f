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

// RuleUse records one use of a permission granted by a rate-limited policy
// rule, so that the limit holds across every instance sharing the
// database.
type RuleUse struct {
	ent.Schema
}

// Fields of the RuleUse.
func (RuleUse) Fields() []ent.Field {
	return []ent.Field{
		field.Int("rule_id").Immutable().Comment("The PolicyRule's id."),
		field.Int("user_id").Immutable(),
		field.Time("at").Default(time.Now).Immutable(),
	}
}

// Indexes of the RuleUse.
func (RuleUse) Indexes() []ent.Index {
	return []ent.Index{index.Fields("rule_id", "user_id", "at")}
}

// Annotations of the RuleUse.
func (RuleUse) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Table("entadmin_rule_uses"),
		admin.Skip(),
	}
}
