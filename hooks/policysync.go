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
// deleted user or group. Inside a transaction it reloads after the commit.
func PolicySync(e *rbac.Enforcer) entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			v, err := next.Mutate(ctx, m)
			if err != nil || !changesPolicy(m) {
				return v, err
			}
			// Inside a transaction the change is not visible to the reload
			// until it commits.
			if tx := ent.TxFromContext(ctx); tx != nil {
				tx.OnCommit(func(next ent.Committer) ent.Committer {
					return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
						if err := next.Commit(ctx, tx); err != nil {
							return err
						}
						return e.GroupsChanged(ctx)
					})
				})
				return v, nil
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
