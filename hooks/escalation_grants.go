package hooks

import (
	"context"
	"fmt"
	"strings"

	entgo "entgo.io/ent"

	"github.com/entadmin/entadmin/auth"
	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/rbac"
)

// guardJoin refuses adding users to the groups unless the actor holds
// everything each group gives its members (its own rules and grants and its
// parents').
func guardJoin(ctx context.Context, e *rbac.Enforcer, actor *auth.User, groupIDs []int) error {
	for _, id := range groupIDs {
		beyond, err := e.Beyond(ctx, actor.ID, rbac.GroupSubject(id))
		if err != nil {
			return err
		}
		if len(beyond) > 0 {
			return &entadmin.FormError{Message: fmt.Sprintf(
				"You cannot add users to the group %s, because you do not hold all of its permissions (missing: %s); the change was refused.",
				groupName(ctx, e, id), strings.Join(beyond, ", "))}
		}
	}
	return nil
}

// groupName returns the group's name in quotes, for messages.
func groupName(ctx context.Context, e *rbac.Enforcer, id int) string {
	if g, err := e.Client().Group.Query().Where(group.ID(id)).Only(system(ctx)); err == nil {
		return "“" + g.Name + "”"
	}
	return fmt.Sprintf("group %d", id)
}

// guardObjectGrant refuses object grants to the actor, and grants of an
// action on an object the actor may not do themself.
func guardObjectGrant(ctx context.Context, e *rbac.Enforcer, actor *auth.User, m *ent.ObjectGrantMutation) error {
	if m.Op().Is(entgo.OpUpdate | entgo.OpDelete) {
		return &entadmin.FormError{Message: "Only superusers can change object grants in bulk; the change was refused."}
	}
	var subjects []*int
	if m.Op().Is(entgo.OpUpdateOne | entgo.OpDeleteOne) {
		id, _ := m.ID()
		old, err := m.Client().ObjectGrant.Get(system(ctx), id)
		if err != nil {
			return err
		}
		subjects = append(subjects, old.UserID)
	}
	if m.Op().Is(entgo.OpDeleteOne) {
		return refuseSelf(actor, subjects)
	}
	g, err := grantAfter(ctx, m)
	if err != nil {
		return err
	}
	if err := refuseSelf(actor, append(subjects, g.userID)); err != nil {
		return err
	}
	if e.Allowed(actor.ID, g.resource, g.action) {
		return nil
	}
	ok, _, err := e.ObjectGranted(ctx, actor.ID, g.resource, g.objectID, g.action)
	if err != nil || ok {
		return err
	}
	return &entadmin.FormError{Message: fmt.Sprintf(
		"You cannot grant “%s” on %s %s, because you do not hold it; the change was refused.", g.action, g.resource, g.objectID)}
}

// refuseSelf refuses when one of the user ids is the actor's.
func refuseSelf(actor *auth.User, userIDs []*int) error {
	for _, id := range userIDs {
		if id != nil && *id == actor.ID {
			return &entadmin.FormError{Message: "You cannot change your own permissions; the change was refused."}
		}
	}
	return nil
}
