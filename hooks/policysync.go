package hooks

import (
	"context"

	entgo "entgo.io/ent"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/rbac"
)

// PolicySync returns an ent hook, for the client of entadmin's own models,
// that reloads the casbin policy (and tells other instances) after a write
// that changes it: a policy rule, a group's parent, a user's groups, or a
// deleted user or group.
func PolicySync(e *rbac.Enforcer) entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			v, err := next.Mutate(ctx, m)
			if err != nil || !changesPolicy(m) {
				return v, err
			}
			if err := e.GroupsChanged(ctx); err != nil {
				return nil, err
			}
			return v, nil
		})
	}
}

func changesPolicy(m entgo.Mutation) bool {
	switch m := m.(type) {
	case *ent.PolicyRuleMutation:
		return true
	case *ent.GroupMutation:
		_, parent := m.ParentID()
		return parent || m.ParentCleared() || m.Op().Is(entgo.OpDelete|entgo.OpDeleteOne) || len(m.UsersIDs()) > 0 || len(m.RemovedUsersIDs()) > 0
	case *ent.UserMutation:
		return m.Op().Is(entgo.OpDelete|entgo.OpDeleteOne) || len(m.GroupsIDs()) > 0 || len(m.RemovedGroupsIDs()) > 0 || m.GroupsCleared()
	}
	return false
}
