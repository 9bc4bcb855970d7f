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
	fields := []ent.Field{field.String("ptype").NotEmpty().MaxLen(10).
		Annotations(admin.Label("Rule type"), admin.HelpText(`"p" grants an action, "p2" sets the access to a field, "g" makes a user a member of a group or a group the child of another.`))}
	// The columns of casbin's rules, named as policy/model.conf uses them.
	for _, v := range []struct{ name, label, help string }{
		{"v0", "Subject", `Who: "user:<id>" or "group:<id>".`},
		{"v1", "Object", `The resource, e.g. "product", or one object, "product/42"; for a "g" rule, the group.`},
		{"v2", "Action or field", `For "p": view, add, change, delete, an action of your own, or * for any; for "p2": the field, e.g. "cost_price".`},
		{"v3", "Effect or access", `For "p": allow or deny; for "p2": hidden, readonly or write.`},
		{"v4", "Field rule effect", `For "p2": allow.`},
		{"v5", "Reserved", "Unused by entadmin's model."},
	} {
		fields = append(fields, field.String(v.name).Default("").MaxLen(255).
			Annotations(admin.Label(v.label), admin.HelpText(v.help)))
	}
	// Conditions of a permission rule (entadmin's contextual rules): the
	// rule applies only when they all hold.
	fields = append(fields, field.JSON("conditions", &condition.Set{}).Optional().
		Annotations(admin.Label("Conditions"), admin.HelpText(`Conditions of a "p" rule as JSON, e.g. {"cidr": ["10.0.0.0/8"], "time": {"from": "08:00", "to": "18:00", "days": ["mon"], "zone": "Europe/Berlin"}}; see the README.`)))
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
