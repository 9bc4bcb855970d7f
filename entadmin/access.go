package entadmin

import (
	"context"
	"net/http"

	"entgo.io/ent/dialect/sql"
)

// Access is how much of one field a user may see and change.
type Access int

// Levels of field access, from least to most.
const (
	AccessHidden   Access = iota // not shown, not accepted
	AccessReadOnly               // shown, not accepted
	AccessWrite                  // shown and accepted
)

// FieldAccesser is implemented by Authorizers that decide access per field,
// e.g. cost_price hidden from one group and read-only for another. The site
// caps the answer by the model permissions: without change permission a
// field is at most read-only.
type FieldAccesser interface {
	FieldAccess(ctx context.Context, u User, slug, field string) Access
}

// hiddenFields returns the fields the request's user may not see.
func (r *Resource[T]) hiddenFields(req *http.Request) map[string]bool {
	g := r.m.grant(req.Context())
	var hidden map[string]bool
	for _, f := range r.Fields {
		if !g.visible(f.Name) {
			if hidden == nil {
				hidden = map[string]bool{}
			}
			hidden[f.Name] = true
		}
	}
	return hidden
}

// RowScoper is implemented by Authorizers that limit the rows of a
// resource a user may see and change, e.g. by per-object grants. A nil
// predicate means every row.
type RowScoper interface {
	RowScope(ctx context.Context, u User, slug string) (Predicate, error)
}

// RowScope returns the predicate limiting the rows of the resource that the
// admin user in ctx may see and change: the resource's Scope function and
// the Authorizer's RowScoper together. It returns nil outside an admin
// request (no user in ctx) and when every row is allowed.
//
// The generated Register installs it on the ent client as an interceptor
// and a mutation hook (package policy/rowscope), so it applies to every
// query and write made with the client inside an admin request: lists,
// counts, filters' choices, edits, deletes, eager loads, and code in hooks
// and actions alike.
func (r *Resource[T]) RowScope(ctx context.Context) (Predicate, error) {
	return r.rowScope(ctx, ActionView)
}

// RowScopeFor is RowScope for one action: ActionView for queries,
// ActionChange for updates, ActionDelete for deletes (see ObjectScoper).
// package rowscope installs it on the ent client.
func (r *Resource[T]) RowScopeFor(ctx context.Context, action Action) (Predicate, error) {
	return r.rowScope(ctx, action)
}

// rowScope is RowScope for one action: view for queries, change for
// updates, delete for deletes (see ObjectScoper). It is the row scope of
// the request's grant (see meta.grant).
func (r *Resource[T]) rowScope(ctx context.Context, action Action) (Predicate, error) {
	if UserFrom(ctx) == nil || unscoped(ctx) {
		return nil, nil
	}
	if action == ActionChange {
		if p, ok := ctx.Value(actingKey{r.Slug}).(Action); ok {
			action = p
		}
	}
	return r.m.grant(ctx).scope(action)
}

// actingKey marks the context of a custom action or endpoint of the
// resource of this slug with the permission it runs under.
type actingKey struct{ slug string }

// acting returns ctx for the function of an action or endpoint that needs
// perm: when perm is one of the resource's own permissions (activate,
// restock) rather than view, add, change or delete, the function's updates
// keep to the rows of that permission's scope instead of the change
// permission's, so that a user granted the action but not change may run
// it on the rows the grant gives.
func acting(ctx context.Context, slug string, perm Action) context.Context {
	switch perm {
	case ActionView, ActionAdd, ActionChange, ActionDelete:
		return ctx
	}
	return context.WithValue(ctx, actingKey{slug}, perm)
}

// scopeOf computes the row scope of u for action: the resource's Scope and
// the Authorizer's row and object scopes together.
func (r *Resource[T]) scopeOf(ctx context.Context, u User, action Action) (Predicate, error) {
	var preds []Predicate
	if r.Scope != nil {
		p, err := r.Scope(ctx, u)
		if err != nil {
			return nil, err
		}
		if p != nil {
			preds = append(preds, p)
		}
	}
	if rs, ok := r.m.site.auth.(RowScoper); ok {
		p, err := rs.RowScope(ctx, u, r.Slug)
		if err != nil {
			return nil, err
		}
		if p != nil {
			preds = append(preds, p)
		}
	}
	if os, ok := r.m.site.auth.(ObjectScoper); ok {
		p, err := os.ObjectScope(ctx, u, r.scopeTarget(action))
		if err != nil {
			return nil, err
		}
		if p != nil {
			preds = append(preds, p)
		}
	}
	switch len(preds) {
	case 0:
		return nil, nil
	case 1:
		return preds[0], nil
	}
	return func(s *sql.Selector) {
		for _, p := range preds {
			p(s)
		}
	}, nil
}
