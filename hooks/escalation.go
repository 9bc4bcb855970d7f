// Package hooks holds the ent hooks entadmin installs on its own models.
package hooks

import (
	"context"
	"fmt"

	entgo "entgo.io/ent"

	"github.com/entadmin/entadmin/auth"
	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/rbac"
)

// EscalationGuard returns an ent hook, for the client of entadmin's own
// models, that keeps admin users who are not superusers from raising
// privileges: they cannot create staff or superuser accounts or change
// those flags, cannot change their own groups or permissions, cannot move
// a group they belong to under another parent, and cannot grant a
// permission (model or object) they do not hold, nor add a user to a group whose
// permissions they do not all hold. It refuses with an entadmin.FieldError or
// FormError, which the admin shows on the form with nothing saved.
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
		return guardJoin(ctx, e, actor, m.GroupsIDs())
	case *ent.GroupMutation:
		if err := guardGroup(ctx, actor, m); err != nil {
			return err
		}
		if len(m.UsersIDs()) == 0 {
			return nil
		}
		ids, err := m.IDs(ctx)
		if err != nil {
			return err
		}
		return guardJoin(ctx, e, actor, ids)
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

// guardGroup refuses moving a group the actor belongs to under another
// parent, which would change the actor's own permissions.
func guardGroup(ctx context.Context, actor *auth.User, m *ent.GroupMutation) error {
	_, set := m.ParentID()
	if !set && !m.ParentCleared() {
		return nil
	}
	ids, err := m.IDs(ctx)
	if err != nil || len(ids) == 0 {
		return err
	}
	mine, err := m.Client().Group.Query().Where(group.IDIn(ids...), group.HasUsersWith(user.ID(actor.ID))).Exist(ctx)
	if err != nil {
		return err
	}
	if mine {
		return &entadmin.FieldError{Field: "parent", Message: "You cannot change the parent of a group you belong to; the change was refused."}
	}
	return nil
}

// guardRule refuses rules about the actor and grants of permissions the
// actor does not hold.
func guardRule(ctx context.Context, e *rbac.Enforcer, actor *auth.User, m *ent.PolicyRuleMutation) error {
	self := rbac.UserSubject(actor.ID)
	subjects := []string{}
	if v, ok := m.V0(); ok {
		subjects = append(subjects, v)
	}
	if m.Op().Is(entgo.OpUpdateOne | entgo.OpDeleteOne) {
		if old, err := m.OldV0(ctx); err == nil {
			subjects = append(subjects, old)
		}
	}
	for _, s := range subjects {
		if s == self {
			return &entadmin.FormError{Message: "You cannot change your own permissions; the change was refused."}
		}
	}
	if !m.Op().Is(entgo.OpCreate | entgo.OpUpdateOne) {
		return nil
	}
	ptype := value(ctx, m.Ptype, m.OldPtype)
	resource := value(ctx, m.V1, m.OldV1)
	action := value(ctx, m.V2, m.OldV2)
	if ptype == "p" && value(ctx, m.V3, m.OldV3) != "deny" && !e.Allowed(actor.ID, resource, action) {
		return &entadmin.FormError{Message: fmt.Sprintf("You cannot grant the “%s” permission on %s, because you do not hold it; the change was refused.", action, resource)}
	}
	return nil
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
