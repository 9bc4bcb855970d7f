package rbac

import (
	"context"
	"fmt"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/policy/condition"
)

// GrantIf stores the rule that subject may perform action on resource when
// the conditions hold, replacing the conditions of the same rule if it
// exists. Nil or empty conditions make the grant unconditional. The
// conditions are validated first (ValidateConditions).
func (e *Enforcer) GrantIf(ctx context.Context, subject, resource, action string, conds *condition.Set) error {
	rule, err := permissionRule(subject, resource, action)
	if err != nil {
		return err
	}
	if err := e.ValidateConditions(resource, conds); err != nil {
		return fmt.Errorf("rbac: invalid conditions: %w", err)
	}
	if conds.Empty() {
		conds = nil
	}
	ctx = system(ctx)
	id, err := e.client.PolicyRule.Query().
		Where(policyrule.Ptype("p"), policyrule.V0(rule[0]), policyrule.V1(rule[1]), policyrule.V2(rule[2]), policyrule.V3(rule[3]),
			policyrule.V4(""), policyrule.V5("")).
		OnlyID(ctx)
	switch {
	case ent.IsNotFound(err):
		c := e.client.PolicyRule.Create().SetPtype("p").SetV0(rule[0]).SetV1(rule[1]).SetV2(rule[2]).SetV3(rule[3])
		if conds != nil {
			c.SetConditions(conds)
		}
		err = c.Exec(ctx)
	case err == nil:
		upd := e.client.PolicyRule.UpdateOneID(id)
		if conds == nil {
			upd.ClearConditions()
		} else {
			upd.SetConditions(conds)
		}
		err = upd.Exec(ctx)
	}
	if err != nil {
		return fmt.Errorf("rbac: store %v: %w", rule, err)
	}
	return e.changed(ctx)
}
