package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/entadmin/entadmin/entadmin/admin"
	"github.com/entadmin/entadmin/policy/condition"
)

// PolicyRule is one casbin rule, stored by entadmin's casbin adapter:
// "p, group:editors, product, change, allow" or "g, user:alice, group:editors".
type PolicyRule struct {
	ent.Schema
}

// Fields of the PolicyRule.
func (PolicyRule) Fields() []ent.Field {
	fields := []ent.Field{field.String("ptype").NotEmpty().MaxLen(10)}
	for _, v := range []string{"v0", "v1", "v2", "v3", "v4", "v5"} {
		fields = append(fields, field.String(v).Default("").MaxLen(255))
	}
	// Conditions of a permission rule (entadmin's contextual rules): the
	// rule applies only when they all hold.
	fields = append(fields, field.JSON("conditions", &condition.Set{}).Optional().
		Annotations(admin.HelpText(`Conditions of a "p" rule as JSON, e.g. {"cidr": ["10.0.0.0/8"], "time": {"from": "08:00", "to": "18:00", "days": ["mon"], "zone": "Europe/Berlin"}}; see the README.`)))
	return fields
}

// Indexes of the PolicyRule.
func (PolicyRule) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("ptype", "v0", "v1", "v2", "v3", "v4", "v5").Unique(),
	}
}

// Annotations of the PolicyRule.
func (PolicyRule) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Table("entadmin_policy_rules"),
		admin.Label("policy rule"),
		admin.DisplayField("v0"),
		admin.ListDisplay("ptype", "v0", "v1", "v2", "v3", "v4"),
		admin.ListFilter("ptype"),
		admin.SearchFields("v0", "v1", "v2"),
		admin.Ordering("ptype", "v0", "v1"),
	}
}
