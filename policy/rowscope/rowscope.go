// Package rowscope carries the row scope of the admin (see
// entadmin.Resource.RowScope) onto an ent client, so that every query and
// write made with the client inside an admin request stays within the rows
// the user may see, change or delete: lists, counts, eager loads, edits,
// deletes, and code in hooks and actions alike. The generated Register
// installs Queries and Mutations on the client for every type.
//
// They are an ent interceptor and an ent hook rather than rules of ent's
// privacy layer: a privacy policy is compiled into the schema (Policy(),
// with the entgo.io/ent/privacy feature) and decides allow or deny per
// operation, while the row scope is a predicate added to the statement at
// run time, installed on a client the application already has, and known
// only per request (the user's grant, see entadmin's grant). Interceptors
// and hooks take such a predicate and need no change to the user's schema.
//
// Its sibling, package fieldaccess, carries the user's field access onto the
// client the same way: together they are the choke point of the admin's
// permissions (see package policy).
//
// The package holds no casbin model and no ent client of its own, so that
// generated code importing it links neither.
package rowscope

import (
	"context"
	"fmt"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/entadmin"
)

// Queries returns an ent interceptor that adds the resource's row scope to
// every query of its type made inside an admin request. where adds a
// predicate to the query, which is of the generated query type of T, e.g.
//
//	func(q ent.Query, p entadmin.Predicate) { q.(*ent.ProductQuery).Where(p) }
func Queries[T any](r *entadmin.Resource[T], where func(ent.Query, entadmin.Predicate)) ent.Interceptor {
	return ent.TraverseFunc(func(ctx context.Context, q ent.Query) error {
		p, err := r.RowScope(ctx)
		if p != nil {
			where(q, p)
		}
		return err
	})
}

// Mutations returns an ent hook that adds the resource's row scope to
// updates and deletes made inside an admin request, so that a row outside
// the scope is not found.
func Mutations[T any](r *entadmin.Resource[T]) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if !m.Op().Is(ent.OpUpdate | ent.OpUpdateOne | ent.OpDelete | ent.OpDeleteOne) {
				return next.Mutate(ctx, m)
			}
			action := entadmin.ActionChange
			if m.Op().Is(ent.OpDelete | ent.OpDeleteOne) {
				action = entadmin.ActionDelete
			}
			p, err := r.RowScopeFor(ctx, action)
			if err != nil {
				return nil, err
			}
			if p != nil {
				w, ok := m.(interface{ WhereP(...func(*sql.Selector)) })
				if !ok {
					return nil, fmt.Errorf("entadmin: %T cannot be scoped", m)
				}
				w.WhereP(p)
			}
			return next.Mutate(ctx, m)
		})
	}
}
