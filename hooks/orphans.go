package hooks

import (
	"context"

	entgo "entgo.io/ent"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/rbac"
)

// RemoveOrphans returns an ent hook, for the client of entadmin's own
// models, that deletes the policy rules (permissions, field access and
// their conditions) of users and groups when they are deleted, in the same
// transaction. Their object grants go with them through the database's
// ON DELETE CASCADE. Install it after PolicySync, so that the policy is
// reloaded once the rules are gone.
func RemoveOrphans() entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			if !m.Op().Is(entgo.OpDelete | entgo.OpDeleteOne) {
				return next.Mutate(ctx, m)
			}
			var subjects []string
			var client *ent.Client
			switch m := m.(type) {
			case *ent.UserMutation:
				ids, err := m.IDs(ctx)
				if err != nil {
					return nil, err
				}
				for _, id := range ids {
					subjects = append(subjects, rbac.UserSubject(id))
				}
				client = m.Client()
			case *ent.GroupMutation:
				ids, err := m.IDs(ctx)
				if err != nil {
					return nil, err
				}
				for _, id := range ids {
					subjects = append(subjects, rbac.GroupSubject(id))
				}
				client = m.Client()
			default:
				return next.Mutate(ctx, m)
			}
			v, err := next.Mutate(ctx, m)
			if err != nil || len(subjects) == 0 {
				return v, err
			}
			if _, err := client.PolicyRule.Delete().Where(policyrule.V0In(subjects...)).Exec(system(ctx)); err != nil {
				return nil, err
			}
			return v, nil
		})
	}
}
