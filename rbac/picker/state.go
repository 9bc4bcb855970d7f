package picker

import (
	"context"
	"fmt"
	"slices"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/objectgrant"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/rbac"
)

// maxGroups caps the groups a subject's permissions are inherited from,
// and maxObjectGrants the object grants the picker lists.
const (
	maxGroups       = 1000
	maxObjectGrants = 50
)

// state is what a subject holds: its own rules that the grid expresses,
// its other rules and object grants, and what it inherits from groups.
type state struct {
	perms  map[key]*ent.PolicyRule   // own allow rules on whole resources
	fields map[key][]*ent.PolicyRule // own field rules
	other  []*ent.PolicyRule         // own rules the grid cannot express
	grants []*ent.ObjectGrant        // own object grants, at most maxObjectGrants

	inheritedPerms  map[key]string    // the name of the group giving the permission
	inheritedFields map[key]inherited // the most access groups give to the field
}

// inherited is the access to a field a group gives.
type inherited struct {
	access rbac.Access
	group  string
}

// load reads the subject's rules, and its object grants when grants is
// set, with client; ctx must carry no admin user, so that no row scope
// hides rules.
func load(ctx context.Context, client *ent.Client, sub Subject, c *catalog, grants bool) (*state, error) {
	st := &state{perms: map[key]*ent.PolicyRule{}, fields: map[key][]*ent.PolicyRule{},
		inheritedPerms: map[key]string{}, inheritedFields: map[key]inherited{}}
	own, err := client.PolicyRule.Query().
		Where(policyrule.V0(sub.String()), policyrule.PtypeIn("p", "p2")).
		Order(policyrule.ByID()).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("picker: read the rules of %s: %w", sub, err)
	}
	for _, r := range own {
		switch k, kind := c.classify(r); kind {
		case kindPerm:
			if st.perms[k] == nil {
				st.perms[k] = r
			} else {
				st.other = append(st.other, r)
			}
		case kindField:
			st.fields[k] = append(st.fields[k], r)
		default:
			st.other = append(st.other, r)
		}
	}
	groups, err := ancestors(ctx, client, sub)
	if err != nil {
		return nil, err
	}
	if err := st.inherit(ctx, client, c, groups); err != nil {
		return nil, err
	}
	if grants {
		of := objectgrant.UserID(sub.ID)
		if sub.Group {
			of = objectgrant.GroupID(sub.ID)
		}
		if st.grants, err = client.ObjectGrant.Query().Where(of).Order(objectgrant.ByID()).Limit(maxObjectGrants).All(ctx); err != nil {
			return nil, fmt.Errorf("picker: read the object grants of %s: %w", sub, err)
		}
	}
	return st, nil
}

// inherit reads the rules of the groups, nearest first, that the grid
// expresses.
func (st *state) inherit(ctx context.Context, client *ent.Client, c *catalog, groups []*ent.Group) error {
	if len(groups) == 0 {
		return nil
	}
	subjects := make([]string, len(groups))
	names := make(map[string]string, len(groups))
	for i, g := range groups {
		subjects[i] = rbac.GroupSubject(g.ID)
		names[subjects[i]] = g.Name
	}
	rules, err := client.PolicyRule.Query().
		Where(policyrule.V0In(subjects...), policyrule.PtypeIn("p", "p2")).
		All(ctx)
	if err != nil {
		return fmt.Errorf("picker: read the rules of groups: %w", err)
	}
	// Nearest group first, so that a permission is said to come from the
	// group closest to the subject.
	slices.SortStableFunc(rules, func(a, b *ent.PolicyRule) int {
		return slices.Index(subjects, a.V0) - slices.Index(subjects, b.V0)
	})
	for _, r := range rules {
		switch k, kind := c.classify(r); kind {
		case kindPerm:
			if _, ok := st.inheritedPerms[k]; !ok {
				st.inheritedPerms[k] = names[r.V0]
			}
		case kindField:
			if in, ok := st.inheritedFields[k]; !ok || rbac.ParseAccess(r.V3) > in.access {
				st.inheritedFields[k] = inherited{rbac.ParseAccess(r.V3), names[r.V0]}
			}
		}
	}
	return nil
}

// ancestors returns the groups the subject inherits permissions from,
// nearest first: a group's parents, or a user's groups and their parents.
func ancestors(ctx context.Context, client *ent.Client, sub Subject) ([]*ent.Group, error) {
	q := client.Group.Query().Where(group.HasUsersWith(user.ID(sub.ID)))
	if sub.Group {
		q = client.Group.Query().Where(group.HasChildrenWith(group.ID(sub.ID)))
	}
	level, err := q.Order(group.ByName()).All(ctx)
	seen := map[int]bool{sub.ID: sub.Group}
	var out []*ent.Group
	for err == nil && len(level) > 0 {
		var parents []int
		for _, g := range level {
			if seen[g.ID] || len(out) >= maxGroups {
				continue
			}
			seen[g.ID] = true
			out = append(out, g)
			if g.ParentID != 0 && !seen[g.ParentID] {
				parents = append(parents, g.ParentID)
			}
		}
		level = nil
		if len(parents) > 0 {
			level, err = client.Group.Query().Where(group.IDIn(parents...)).Order(group.ByName()).All(ctx)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("picker: read the groups of %s: %w", sub, err)
	}
	return out, nil
}

// ruleKind is how the picker shows a rule.
type ruleKind uint8

const (
	kindOther ruleKind = iota // listed read-only
	kindPerm                  // a checkbox of the grid
	kindField                 // a field's select
)

// classify returns how the picker shows the rule: a plain allow rule on a
// whole resource is a checkbox, a plain field rule a select; deny rules,
// rules on one object, with conditions or naming what the site lacks are
// others.
func (c *catalog) classify(r *ent.PolicyRule) (key, ruleKind) {
	k := key{r.V1, r.V2}
	if r.V5 != "" || !r.Conditions.Empty() {
		return k, kindOther
	}
	switch {
	case r.Ptype == "p" && r.V3 == "allow" && r.V4 == "" && c.actions[k]:
		return k, kindPerm
	case r.Ptype == "p2" && r.V4 == "allow" && r.V3 != "" && validAccess(r.V3) && c.fields[k]:
		return k, kindField
	}
	return k, kindOther
}
