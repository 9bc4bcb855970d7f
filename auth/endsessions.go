package auth

import (
	"context"
	"fmt"

	entgo "entgo.io/ent"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/predicate"
	"github.com/entadmin/entadmin/ent/session"
	"github.com/entadmin/entadmin/ent/user"
)

type samePasswordKey struct{}

// samePassword marks a write that rehashes a user's password without
// changing it, which ends no session.
func samePassword(ctx context.Context) context.Context {
	return context.WithValue(ctx, samePasswordKey{}, true)
}

// endSessions is the ent hook, on entadmin's User model, that ends every
// session of the users a write deactivates or gives another password
// (cleared included): the admin's form, list editing, bulk actions and the
// application's own code alike. It deletes the sessions after the update,
// with the update's client, so in its transaction when it has one. Deleting
// a user deletes their sessions too, by the foreign key's ON DELETE
// CASCADE, in the same statement.
func endSessions(next entgo.Mutator) entgo.Mutator {
	return entgo.MutateFunc(func(ctx context.Context, mu entgo.Mutation) (entgo.Value, error) {
		m, ok := mu.(*ent.UserMutation)
		if !ok || !m.Op().Is(entgo.OpUpdate|entgo.OpUpdateOne) {
			return next.Mutate(ctx, mu)
		}
		ended := endedBy(ctx, m)
		if ended == nil {
			return next.Mutate(ctx, mu)
		}
		// A bulk update's rows, as they are before it: the mutation's
		// predicates may not match them after it.
		var ids []int
		if m.Op().Is(entgo.OpUpdate) {
			var err error
			if ids, err = m.IDs(ctx); err != nil {
				return nil, err
			}
		}
		v, err := next.Mutate(ctx, mu)
		if err != nil {
			return v, err
		}
		if id, ok := m.ID(); ok {
			ids = []int{id}
		}
		if len(ids) == 0 {
			return v, nil
		}
		// Of a bulk update's rows, those it changed: the row scope of the
		// admin user, which the update added, may have left some out.
		users := user.And(user.IDIn(ids...), ended)
		if _, err := m.Client().Session.Delete().Where(session.HasUserWith(users)).Exec(own(ctx)); err != nil {
			return nil, fmt.Errorf("auth: end sessions: %w", err)
		}
		return v, nil
	})
}

// endedBy returns what the users whose sessions the write ends are like
// after it, or nil when it ends none: inactive, or with the new password
// hash.
func endedBy(ctx context.Context, m *ent.UserMutation) predicate.User {
	var ended []predicate.User
	if active, ok := m.IsActive(); ok && !active {
		ended = append(ended, user.IsActive(false))
	}
	if same, _ := ctx.Value(samePasswordKey{}).(bool); !same {
		if h, ok := m.PasswordHash(); ok {
			ended = append(ended, user.PasswordHash(h))
		}
		if m.PasswordHashCleared() {
			ended = append(ended, user.PasswordHashIsNil())
		}
	}
	switch len(ended) {
	case 0:
		return nil
	case 1:
		return ended[0]
	}
	return user.Or(ended...)
}
