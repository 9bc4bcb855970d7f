package rbac

import (
	"context"
	"strings"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/objectgrant"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/ent/user"
)

// importTx writes a validated document with c, a client inside a
// transaction.
func importTx(ctx context.Context, c *ent.Client, p *Policy, mode ImportMode) error {
	names := make([]string, len(p.Groups))
	for i, g := range p.Groups {
		names[i] = g.Name
	}
	if mode == Replace {
		if _, err := c.ObjectGrant.Delete().Exec(ctx); err != nil {
			return err
		}
		if _, err := c.PolicyRule.Delete().Exec(ctx); err != nil {
			return err
		}
		if err := c.User.Update().Where(user.HasGroups()).ClearGroups().Exec(ctx); err != nil {
			return err
		}
		if err := c.Group.Update().Where(group.ParentIDNotNil()).ClearParent().Exec(ctx); err != nil {
			return err
		}
		if _, err := c.Group.Delete().Where(group.NameNotIn(names...)).Exec(ctx); err != nil {
			return err
		}
	}
	groups, err := c.Group.Query().All(ctx)
	if err != nil {
		return err
	}
	groupID := map[string]int{}
	for _, g := range groups {
		groupID[g.Name] = g.ID
	}
	for _, g := range p.Groups {
		if _, ok := groupID[g.Name]; ok {
			continue
		}
		created, err := c.Group.Create().SetName(g.Name).SetDescription(g.Description).Save(ctx)
		if err != nil {
			return err
		}
		groupID[g.Name] = created.ID
	}
	for _, g := range p.Groups {
		upd := c.Group.UpdateOneID(groupID[g.Name]).SetDescription(g.Description)
		if g.Parent == "" {
			upd.ClearParent()
		} else {
			upd.SetParentID(groupID[g.Parent])
		}
		if err := upd.Exec(ctx); err != nil {
			return err
		}
	}
	users, err := c.User.Query().WithGroups().All(ctx)
	if err != nil {
		return err
	}
	userID := map[string]int{}
	member := map[[2]int]bool{}
	for _, u := range users {
		userID[u.Username] = u.ID
		for _, g := range u.Edges.Groups {
			member[[2]int{u.ID, g.ID}] = true
		}
	}
	for _, m := range p.Memberships {
		key := [2]int{userID[m.User], groupID[m.Group]}
		if member[key] {
			continue
		}
		member[key] = true
		if err := c.User.UpdateOneID(key[0]).AddGroupIDs(key[1]).Exec(ctx); err != nil {
			return err
		}
	}
	subject := func(s string) string {
		kind, name, _ := strings.Cut(s, ":")
		if kind == "user" {
			return UserSubject(userID[name])
		}
		return GroupSubject(groupID[name])
	}
	for _, g := range p.Grants {
		sub := subject(g.Subject)
		id, err := c.PolicyRule.Query().
			Where(policyrule.Ptype("p"), policyrule.V0(sub), policyrule.V1(g.Resource), policyrule.V2(g.Action), policyrule.V3(g.Effect),
				policyrule.V4(""), policyrule.V5("")).
			OnlyID(ctx)
		switch {
		case ent.IsNotFound(err):
			create := c.PolicyRule.Create().SetPtype("p").SetV0(sub).SetV1(g.Resource).SetV2(g.Action).SetV3(g.Effect)
			if !g.Conditions.Empty() {
				create.SetConditions(g.Conditions)
			}
			err = create.Exec(ctx)
		case err == nil:
			upd := c.PolicyRule.UpdateOneID(id).ClearConditions()
			if !g.Conditions.Empty() {
				upd.SetConditions(g.Conditions)
			}
			err = upd.Exec(ctx)
		}
		if err != nil {
			return err
		}
	}
	for _, g := range p.FieldGrants {
		sub := subject(g.Subject)
		same, err := c.PolicyRule.Query().
			Where(policyrule.Ptype("p2"), policyrule.V0(sub), policyrule.V1(g.Resource), policyrule.V2(g.Field)).
			Select(policyrule.FieldV3, policyrule.FieldV4).
			All(ctx)
		if err != nil {
			return err
		}
		if len(same) == 1 && same[0].V3 == g.Access && same[0].V4 == allow {
			continue // unchanged: no delete and create in the audit log
		}
		if _, err := c.PolicyRule.Delete().
			Where(policyrule.Ptype("p2"), policyrule.V0(sub), policyrule.V1(g.Resource), policyrule.V2(g.Field)).
			Exec(ctx); err != nil {
			return err
		}
		if err := c.PolicyRule.Create().SetPtype("p2").SetV0(sub).SetV1(g.Resource).SetV2(g.Field).SetV3(g.Access).SetV4(allow).Exec(ctx); err != nil {
			return err
		}
	}
	for _, g := range p.ObjectGrants {
		kind, name, _ := strings.Cut(g.Subject, ":")
		q := c.ObjectGrant.Query().Where(objectgrant.Resource(g.Resource), objectgrant.ObjectID(g.ObjectID), objectgrant.Action(g.Action))
		create := c.ObjectGrant.Create().SetResource(g.Resource).SetObjectID(g.ObjectID).SetAction(g.Action)
		if kind == "user" {
			q.Where(objectgrant.UserID(userID[name]))
			create.SetUserID(userID[name])
		} else {
			q.Where(objectgrant.GroupID(groupID[name]))
			create.SetGroupID(groupID[name])
		}
		exists, err := q.Exist(ctx)
		if err != nil {
			return err
		}
		if !exists {
			if err := create.Exec(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}
