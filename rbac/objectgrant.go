package rbac

import (
	"context"
	"fmt"
	"slices"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/objectgrant"
	"github.com/entadmin/entadmin/ent/predicate"
	"github.com/entadmin/entadmin/entadmin"
)

// Per-object grants are rows of the ObjectGrant table, not casbin rules:
// there may be millions of them, and they become a SQL predicate on the
// resource's table rather than an answer computed in memory. A grant's
// subject is one user or one group; a user holds the grants of its groups
// and of their parents, resolved from the in-memory group hierarchy.

// groupIDs returns the ids of the groups the subject is or belongs to,
// directly or through parents.
func (e *Enforcer) groupIDs(subject string) []int {
	roles, err := e.se.GetImplicitRolesForUser(subject)
	if err != nil {
		return nil
	}
	ids := make([]int, 0, len(roles)+1)
	for _, r := range append(roles, subject) {
		if s, err := parseSubject(r); err == nil && s.group {
			ids = append(ids, s.id)
		}
	}
	slices.Sort(ids)
	return ids
}

// grantActions returns the actions of object grants that give action:
// action itself and "*", and for view also change and delete, since who may
// change or delete an object may see it.
func grantActions(action string) []string {
	if action == "view" {
		return []string{"view", "change", "delete", "*"}
	}
	return []string{action, "*"}
}

// ofUser returns the predicate on object grants held by the user, its
// groups and their parents.
func (e *Enforcer) ofUser(userID int) predicate.ObjectGrant {
	return e.ofSubject(UserSubject(userID))
}

// ofSubject returns the predicate on object grants held by the subject (a
// user or a group), its groups and their parents.
func (e *Enforcer) ofSubject(subject string) predicate.ObjectGrant {
	var ps []predicate.ObjectGrant
	if s, err := parseSubject(subject); err == nil && !s.group {
		ps = append(ps, objectgrant.UserID(s.id))
	}
	if gids := e.groupIDs(subject); len(gids) > 0 {
		ps = append(ps, objectgrant.GroupIDIn(gids...))
	}
	return objectgrant.Or(ps...)
}

// ObjectPredicate returns the SQL predicate that limits rows of resource,
// whose id is in idColumn, to the objects on which the user holds an
// object grant giving action: id IN (SELECT object_id FROM
// entadmin_object_grants WHERE ...). With numericID the stored ids are
// cast to integers. It reads the grants table of the Enforcer's client,
// so the resource's table must be in the same database.
func (e *Enforcer) ObjectPredicate(userID int, resource, action, idColumn string, numericID bool) func(*sql.Selector) {
	actions := grantActions(action)
	of := e.ofUser(userID)
	return func(s *sql.Selector) {
		b := sql.Dialect(s.Dialect())
		t := b.Table(objectgrant.Table)
		col := t.C(objectgrant.FieldObjectID)
		if numericID {
			col = "CAST(" + col + " AS BIGINT)"
		}
		sub := b.Select(col).From(t)
		sub.Where(sql.EQ(t.C(objectgrant.FieldResource), resource))
		objectgrant.ActionIn(actions...)(sub)
		of(sub)
		s.Where(sql.In(s.C(idColumn), sub))
	}
}

// HasObjectGrants reports whether the user holds an object grant giving
// action on at least one object of resource.
func (e *Enforcer) HasObjectGrants(ctx context.Context, userID int, resource, action string) (bool, error) {
	ok, err := e.client.ObjectGrant.Query().
		Where(e.ofUser(userID), objectgrant.Resource(resource), objectgrant.ActionIn(grantActions(action)...)).
		Exist(system(ctx))
	if err != nil {
		return false, fmt.Errorf("rbac: read object grants: %w", err)
	}
	return ok, nil
}

// ObjectGrantsOf returns the resources and actions of every object grant
// the user holds, as "resource\x00action" keys, for answering many
// HasObjectGrants questions with one query.
func (e *Enforcer) ObjectGrantsOf(ctx context.Context, userID int) (map[[2]string]bool, error) {
	var rows []struct {
		Resource string `json:"resource"`
		Action   string `json:"action"`
	}
	err := e.client.ObjectGrant.Query().
		Where(e.ofUser(userID)).
		Unique(true).
		Select(objectgrant.FieldResource, objectgrant.FieldAction).
		Scan(system(ctx), &rows)
	if err != nil {
		return nil, fmt.Errorf("rbac: read object grants: %w", err)
	}
	set := make(map[[2]string]bool, len(rows))
	for _, r := range rows {
		for _, a := range []string{"view", "change", "delete", r.Action} {
			if slices.Contains(grantActions(a), r.Action) {
				set[[2]string{r.Resource, a}] = true
			}
		}
	}
	return set, nil
}

// ObjectGranted reports whether the user holds an object grant giving
// action on the object of resource with the id, and through which subject
// ("user:<id>" or "group:<id>").
func (e *Enforcer) ObjectGranted(ctx context.Context, userID int, resource, objectID, action string) (bool, string, error) {
	g, err := e.client.ObjectGrant.Query().
		Where(e.ofUser(userID), objectgrant.Resource(resource), objectgrant.ObjectID(objectID),
			objectgrant.ActionIn(grantActions(action)...)).
		First(system(ctx))
	switch {
	case err == nil:
		if g.UserID != nil {
			return true, UserSubject(*g.UserID), nil
		}
		return true, GroupSubject(*g.GroupID), nil
	case ent.IsNotFound(err):
		return false, "", nil
	}
	return false, "", fmt.Errorf("rbac: read object grants: %w", err)
}

// system returns ctx without the admin user, so that entadmin's row scopes
// do not limit the Enforcer's own reads of the policy tables.
func system(ctx context.Context) context.Context {
	if entadmin.UserFrom(ctx) == nil {
		return ctx
	}
	return entadmin.WithUser(ctx, nil)
}
