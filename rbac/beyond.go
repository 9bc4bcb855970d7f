package rbac

import (
	"context"
	"fmt"
	"slices"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/objectgrant"
	"github.com/entadmin/entadmin/ent/predicate"
)

// FieldLevel returns the user's access to a field of resource on its
// forms: the field rules' access as FieldAccess resolves it (Write where no
// rule names the field), capped by the model permissions: Write with
// change, ReadOnly with view, Hidden without either.
func (e *Enforcer) FieldLevel(userID int, resource, field string) Access {
	limit := Hidden
	switch {
	case e.Allowed(userID, resource, "change"):
		limit = Write
	case e.Allowed(userID, resource, "view"):
		limit = ReadOnly
	}
	a, explicit := e.FieldAccess(userID, resource, field)
	if !explicit {
		a = Write
	}
	return min(a, limit)
}

// Beyond returns what subject ("user:<id>" or "group:<id>") holds, through
// its own rules and grants and those of its groups and their parents, that
// the user does not: permissions, access to fields and object grants, each
// described for people ("“delete” on product"). The user may hand on
// exactly what is not beyond them: put someone in a group, make a group
// another's parent, or manage a user's account only when the list is
// empty.
func (e *Enforcer) Beyond(ctx context.Context, userID int, subject string) ([]string, error) {
	sub, err := parseSubject(subject)
	if err != nil {
		return nil, fmt.Errorf("rbac: %w", err)
	}
	var beyond []string

	// Permissions: for a user those it has (Effective leaves out what a deny
	// rule takes away), for a group those its allow rules give members.
	var perms [][2]string
	if sub.group {
		rules, err := e.se.GetNamedImplicitPermissionsForUser("p", "g", subject)
		if err != nil {
			return nil, fmt.Errorf("rbac: %w", err)
		}
		for _, r := range rules { // sub, obj, act, eft
			if len(r) >= 4 && r[3] == allow {
				perms = append(perms, [2]string{r[1], r[2]})
			}
		}
	} else {
		eff, err := e.Effective(ctx, sub.id)
		if err != nil {
			return nil, err
		}
		for _, p := range eff {
			perms = append(perms, [2]string{p.Resource, p.Action})
		}
	}
	seen := map[[2]string]bool{}
	for _, p := range perms {
		if !seen[p] && !e.Allowed(userID, p[0], p[1]) {
			beyond = append(beyond, fmt.Sprintf("“%s” on %s", p[1], p[0]))
		}
		seen[p] = true
	}

	// Fields: a group's field rule raises its members' access up to its
	// own; a user's access is compared over the fields that rules of
	// either name.
	fields, err := e.fieldsBeyond(userID, subject, sub)
	if err != nil {
		return nil, err
	}
	beyond = append(beyond, fields...)

	// Object grants, one example for each resource and action.
	objects, err := e.objectGrantsBeyond(ctx, userID, e.ofSubject(subject))
	if err != nil {
		return nil, err
	}
	return append(beyond, objects...), nil
}

// fieldsBeyond returns the access to fields that subject has or gives
// beyond the user's.
func (e *Enforcer) fieldsBeyond(userID int, subject string, sub subject) ([]string, error) {
	rules, err := e.se.GetNamedImplicitPermissionsForUser("p2", "g", subject)
	if err != nil {
		return nil, fmt.Errorf("rbac: %w", err)
	}
	levels := map[[2]string]Access{} // what subject has or gives, by resource and field
	for _, r := range rules {        // sub, obj, fld, act, eft
		if len(r) >= 5 && r[4] == allow {
			levels[[2]string{r[1], r[2]}] = max(levels[[2]string{r[1], r[2]}], ParseAccess(r[3]))
		}
	}
	if !sub.group {
		own, err := e.se.GetNamedImplicitPermissionsForUser("p2", "g", UserSubject(userID))
		if err != nil {
			return nil, fmt.Errorf("rbac: %w", err)
		}
		for _, r := range own {
			if len(r) >= 3 {
				levels[[2]string{r[1], r[2]}] = Hidden
			}
		}
		for k := range levels {
			levels[k] = e.FieldLevel(sub.id, k[0], k[1])
		}
	}
	var beyond []string
	for k, a := range levels {
		if a > e.FieldLevel(userID, k[0], k[1]) {
			beyond = append(beyond, fmt.Sprintf("“%s” access to %s.%s", a, k[0], k[1]))
		}
	}
	slices.Sort(beyond)
	return beyond, nil
}

// objectGrantsBeyond returns, for each resource and action of the object
// grants that of selects and that the user does not hold on the whole
// resource, one object on which the user holds no grant giving it.
func (e *Enforcer) objectGrantsBeyond(ctx context.Context, userID int, of predicate.ObjectGrant) ([]string, error) {
	ctx = system(ctx)
	var pairs []struct {
		Resource string `json:"resource"`
		Action   string `json:"action"`
	}
	err := e.client.ObjectGrant.Query().
		Where(of).
		Unique(true).
		Order(objectgrant.ByResource(), objectgrant.ByAction()).
		Select(objectgrant.FieldResource, objectgrant.FieldAction).
		Scan(ctx, &pairs)
	if err != nil {
		return nil, fmt.Errorf("rbac: read object grants: %w", err)
	}
	var beyond []string
	for _, p := range pairs {
		if e.Allowed(userID, p.Resource, p.Action) {
			continue
		}
		held := predicate.ObjectGrant(e.ObjectPredicate(userID, p.Resource, p.Action, objectgrant.FieldObjectID, false))
		g, err := e.client.ObjectGrant.Query().
			Where(of, objectgrant.Resource(p.Resource), objectgrant.Action(p.Action), objectgrant.Not(held)).
			Order(objectgrant.ByObjectID()).
			First(ctx)
		switch {
		case ent.IsNotFound(err):
			continue
		case err != nil:
			return nil, fmt.Errorf("rbac: read object grants: %w", err)
		}
		beyond = append(beyond, fmt.Sprintf("“%s” on %s %s", p.Action, p.Resource, g.ObjectID))
	}
	return beyond, nil
}
