package hooks

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	entgo "entgo.io/ent"

	"github.com/entadmin/entadmin/auth"
	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/rbac"
)

// EscalationGuard returns an ent hook, for the client of entadmin's own
// models, that keeps admin users who are not superusers from raising
// privileges, their own or anyone's, and from harming their peers:
//
//   - they cannot create staff or superuser accounts or change those flags,
//     nor change their own groups or permissions, nor move a group they
//     belong to under another parent;
//   - they cannot change, deactivate, delete or set the password or groups
//     of a superuser, nor of a user who holds something they do not hold
//     themselves (see rbac.Enforcer.Beyond);
//   - they cannot grant what they do not hold, by any way: a permission
//     rule, a field access rule, an object grant, conditions dropped from a
//     rule, a user added to a group, or a group given a parent; nor lift a
//     restriction (a deny rule, a field rule limiting access) on what they
//     do not hold.
//
// It refuses with an entadmin.FieldError or FormError, which the admin
// shows on the form (or, for deletes, bulk actions and list editing, as a
// message) with nothing saved.
//
// It acts only inside an admin request (an *auth.User in the context), so
// the application's own code and commands such as createsuperuser are not
// affected.
func EscalationGuard(e *rbac.Enforcer) entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			actor, ok := entadmin.UserFrom(ctx).(*auth.User)
			if ok && actor.User != nil && !actor.IsSuperuser {
				if err := guard(ctx, e, actor, m); err != nil {
					return nil, err
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}

func guard(ctx context.Context, e *rbac.Enforcer, actor *auth.User, m entgo.Mutation) error {
	switch m := m.(type) {
	case *ent.UserMutation:
		if err := guardUser(ctx, actor, m); err != nil {
			return err
		}
		if err := guardAccounts(ctx, e, actor, m); err != nil {
			return err
		}
		if err := guardLeave(ctx, e, actor, m.RemovedGroupsIDs()); err != nil {
			return err
		}
		return guardJoin(ctx, e, actor, m.GroupsIDs())
	case *ent.GroupMutation:
		return guardGroup(ctx, e, actor, m)
	case *ent.ObjectGrantMutation:
		return guardObjectGrant(ctx, e, actor, m)
	case *ent.PolicyRuleMutation:
		return guardRule(ctx, e, actor, m)
	}
	return nil
}

// guardUser refuses changes to the staff and superuser flags, and to the
// actor's own groups.
func guardUser(ctx context.Context, actor *auth.User, m *ent.UserMutation) error {
	flags := []struct {
		name  string
		value func() (bool, bool)
		old   func(context.Context) (bool, error)
	}{
		{user.FieldIsSuperuser, m.IsSuperuser, m.OldIsSuperuser},
		{user.FieldIsStaff, m.IsStaff, m.OldIsStaff},
	}
	for _, f := range flags {
		v, set := f.value()
		if !set {
			continue
		}
		changed := v
		if m.Op().Is(entgo.OpUpdateOne) {
			old, err := f.old(ctx)
			if err != nil {
				return err
			}
			changed = v != old
		} else if m.Op().Is(entgo.OpUpdate) {
			changed = true
		}
		if changed {
			return &entadmin.FieldError{Field: f.name, Message: "Only superusers can change this; the change was refused."}
		}
	}
	if id, ok := m.ID(); ok && id == actor.ID && (len(m.GroupsIDs()) > 0 || len(m.RemovedGroupsIDs()) > 0 || m.GroupsCleared()) {
		return &entadmin.FormError{Message: "You cannot change your own groups; the change was refused."}
	}
	return nil
}

// guardAccounts refuses changes to and deletes of the accounts of others
// that the actor may not manage: superusers, and users who hold something
// the actor does not.
func guardAccounts(ctx context.Context, e *rbac.Enforcer, actor *auth.User, m *ent.UserMutation) error {
	if m.Op().Is(entgo.OpCreate) {
		return nil
	}
	ids, err := m.IDs(system(ctx))
	if err != nil {
		return err
	}
	ids = slices.DeleteFunc(ids, func(id int) bool { return id == actor.ID })
	if len(ids) == 0 {
		return nil
	}
	targets, err := m.Client().User.Query().
		Where(user.IDIn(ids...)).
		Select(user.FieldID, user.FieldUsername, user.FieldIsSuperuser).
		Order(user.ByID()).
		All(system(ctx))
	if err != nil {
		return err
	}
	for _, u := range targets {
		if u.IsSuperuser {
			return &entadmin.FormError{Message: fmt.Sprintf(
				"Only superusers can change or delete the account of the superuser “%s”; the change was refused.", u.Username)}
		}
		beyond, err := e.Beyond(ctx, actor.ID, rbac.UserSubject(u.ID))
		if err != nil {
			return err
		}
		if len(beyond) > 0 {
			return &entadmin.FormError{Message: fmt.Sprintf(
				"You cannot change or delete the account of “%s”, who holds permissions you do not (%s); the change was refused.",
				u.Username, strings.Join(beyond, ", "))}
		}
	}
	return nil
}

// guardGroup refuses changes to the actor's own memberships and to groups
// the actor belongs to, parents whose permissions the actor does not all
// hold, and adding users to groups whose permissions the actor does not
// all hold.
func guardGroup(ctx context.Context, e *rbac.Enforcer, actor *auth.User, m *ent.GroupMutation) error {
	if slices.Contains(m.UsersIDs(), actor.ID) || slices.Contains(m.RemovedUsersIDs(), actor.ID) {
		return &entadmin.FormError{Message: "You cannot change your own groups; the change was refused."}
	}
	parent, parentSet := m.ParentID()
	if parentSet && m.Op().Is(entgo.OpUpdateOne) {
		if old, err := m.OldParentID(ctx); err == nil && old == parent {
			parentSet = false // the form sent the parent back unchanged
		}
	}
	var ids []int // the groups changed; none when the group is new
	if !m.Op().Is(entgo.OpCreate) {
		var err error
		if ids, err = m.IDs(system(ctx)); err != nil {
			return err
		}
	}
	if len(ids) > 0 && (parentSet || m.ParentCleared() || m.UsersCleared() || m.Op().Is(entgo.OpDelete|entgo.OpDeleteOne)) {
		mine, err := m.Client().Group.Query().Where(group.IDIn(ids...), group.HasUsersWith(user.ID(actor.ID))).Exist(system(ctx))
		if err != nil {
			return err
		}
		if mine {
			return &entadmin.FormError{Message: "You cannot change the parent or the members of a group you belong to, nor delete it; the change was refused."}
		}
	}
	if len(m.RemovedUsersIDs()) > 0 || m.UsersCleared() || m.Op().Is(entgo.OpDelete|entgo.OpDeleteOne) {
		if err := guardLeave(ctx, e, actor, ids); err != nil {
			return err
		}
	}
	if parentSet {
		beyond, err := e.Beyond(ctx, actor.ID, rbac.GroupSubject(parent))
		if err != nil {
			return err
		}
		if len(beyond) > 0 {
			return &entadmin.FieldError{Field: "parent", Message: fmt.Sprintf(
				"You cannot choose %s as the parent group, because its members get permissions you do not hold (missing: %s); the change was refused.",
				groupName(ctx, e, parent), strings.Join(beyond, ", "))}
		}
	}
	if len(m.UsersIDs()) > 0 {
		// A new group gives its members only its parent's permissions,
		// checked above.
		return guardJoin(ctx, e, actor, ids)
	}
	return nil
}

// guardRule refuses rules about the actor, grants of what the actor does
// not hold, and lifting restrictions on what the actor does not hold: the
// rules a mutation removes or changes are checked as restrictions lifted,
// the rules it leaves as grants made.
func guardRule(ctx context.Context, e *rbac.Enforcer, actor *auth.User, m *ent.PolicyRuleMutation) error {
	var olds, news []*ent.PolicyRule
	if m.Op().Is(entgo.OpCreate) {
		news = append(news, ruleAfter(m, &ent.PolicyRule{}))
	} else {
		ids, err := m.IDs(system(ctx))
		if err != nil {
			return err
		}
		if olds, err = m.Client().PolicyRule.Query().Where(policyrule.IDIn(ids...)).All(system(ctx)); err != nil {
			return err
		}
		if m.Op().Is(entgo.OpUpdate | entgo.OpUpdateOne) {
			for _, r := range olds {
				news = append(news, ruleAfter(m, r))
			}
		}
	}
	self := rbac.UserSubject(actor.ID)
	for _, r := range append(slices.Clip(olds), news...) {
		if r.V0 == self {
			return &entadmin.FormError{Message: "You cannot change your own permissions; the change was refused."}
		}
	}
	for _, r := range olds {
		if err := guardLift(e, actor, r); err != nil {
			return err
		}
	}
	for _, r := range news {
		if err := guardGrant(e, actor, r); err != nil {
			return err
		}
	}
	return nil
}

// ruleAfter returns the rule old as m leaves it.
func ruleAfter(m *ent.PolicyRuleMutation, old *ent.PolicyRule) *ent.PolicyRule {
	r := *old
	for _, f := range []struct {
		dst *string
		get func() (string, bool)
	}{{&r.Ptype, m.Ptype}, {&r.V0, m.V0}, {&r.V1, m.V1}, {&r.V2, m.V2}, {&r.V3, m.V3}, {&r.V4, m.V4}, {&r.V5, m.V5}} {
		if v, ok := f.get(); ok {
			*f.dst = v
		}
	}
	if m.ConditionsCleared() {
		r.Conditions = nil
	}
	if v, ok := m.Conditions(); ok {
		r.Conditions = v
	}
	return &r
}

// guardGrant refuses a rule that gives what the actor does not hold: an
// allow rule on a permission the actor lacks, or a field rule giving more
// access than the actor has. Only superusers write rules of other types.
func guardGrant(e *rbac.Enforcer, actor *auth.User, r *ent.PolicyRule) error {
	switch r.Ptype {
	case "p":
		if r.V3 != "deny" && !e.Allowed(actor.ID, r.V1, r.V2) {
			return &entadmin.FormError{Message: fmt.Sprintf("You cannot grant the “%s” permission on %s, because you do not hold it; the change was refused.", r.V2, r.V1)}
		}
	case "p2":
		if a := rbac.ParseAccess(r.V3); r.V4 == "allow" && a > rbac.Hidden && a > e.FieldLevel(actor.ID, r.V1, r.V2) {
			return &entadmin.FormError{Message: fmt.Sprintf("You cannot give “%s” access to %s.%s, because you do not have it yourself; the change was refused.", a, r.V1, r.V2)}
		}
	default:
		return &entadmin.FieldError{Field: "ptype", Message: fmt.Sprintf("Only superusers can write rules of type %q; the change was refused.", r.Ptype)}
	}
	return nil
}

// guardLift refuses removing or changing a restriction on what the actor
// does not hold.
func guardLift(e *rbac.Enforcer, actor *auth.User, r *ent.PolicyRule) error {
	if r.Ptype != "p" && r.Ptype != "p2" {
		return &entadmin.FieldError{Field: "ptype", Message: fmt.Sprintf("Only superusers can change rules of type %q; the change was refused.", r.Ptype)}
	}
	if what := restriction(e, actor, r); what != "" {
		return &entadmin.FormError{Message: fmt.Sprintf("You cannot remove or change %s, because you do not hold what it restricts; the change was refused.", what)}
	}
	return nil
}

// guardLeave refuses taking users out of the groups (or deleting them)
// when a rule of a group restricts its members on what the actor does not
// hold.
func guardLeave(ctx context.Context, e *rbac.Enforcer, actor *auth.User, groupIDs []int) error {
	if len(groupIDs) == 0 {
		return nil
	}
	ids := make(map[string]int, len(groupIDs)) // by subject
	for _, id := range groupIDs {
		ids[rbac.GroupSubject(id)] = id
	}
	rules, err := e.Client().PolicyRule.Query().Where(policyrule.V0In(slices.Collect(maps.Keys(ids))...)).All(system(ctx))
	if err != nil {
		return err
	}
	for _, r := range rules {
		if what := restriction(e, actor, r); what != "" {
			return &entadmin.FormError{Message: fmt.Sprintf(
				"You cannot take users out of the group %s, nor delete it, because %s applies to its members and you do not hold what it restricts; the change was refused.",
				groupName(ctx, e, ids[r.V0]), what)}
		}
	}
	return nil
}

// restriction describes the rule when it restricts what the actor does not
// hold: a deny rule on a permission the actor lacks, or a field rule
// limiting access to a field the actor may not write. It is "" for other
// rules.
func restriction(e *rbac.Enforcer, actor *auth.User, r *ent.PolicyRule) string {
	switch {
	case r.Ptype == "p" && r.V3 == "deny" && !e.Allowed(actor.ID, r.V1, r.V2):
		return fmt.Sprintf("the rule denying “%s” on %s", r.V2, r.V1)
	case r.Ptype == "p2" && r.V4 == "allow" && rbac.ParseAccess(r.V3) < rbac.Write && e.FieldLevel(actor.ID, r.V1, r.V2) < rbac.Write:
		return fmt.Sprintf("the rule limiting access to %s.%s", r.V1, r.V2)
	}
	return ""
}

// value returns a field's new value, or its old one when the mutation does
// not set it.
func value(ctx context.Context, get func() (string, bool), old func(context.Context) (string, error)) string {
	if v, ok := get(); ok {
		return v
	}
	v, _ := old(ctx)
	return v
}
