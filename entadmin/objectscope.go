package entadmin

import (
	"context"
	"reflect"
)

// ObjectScoper is implemented by Authorizers that limit rows per action,
// such as per-object grants: a user may see product 7 and change product
// 9. The site asks it, once per request, with ActionView for queries,
// ActionChange for updates and ActionDelete for deletes made inside an
// admin request, and adds the predicate to the resource's row scope (see
// Resource.RowScope).
// A nil predicate means every row.
type ObjectScoper interface {
	ObjectScope(ctx context.Context, u User, t ScopeTarget) (Predicate, error)
}

// ScopeTarget names the rows an ObjectScoper is asked about.
type ScopeTarget struct {
	Slug   string
	Action Action
	// IDColumn is the SQL column of the resource's id.
	IDColumn string
	// NumericID is true when ids are integers; ids stored as text must
	// then be cast to compare with the column.
	NumericID bool
}

// scopeTarget returns the resource's ScopeTarget for action.
func (r *Resource[T]) scopeTarget(action Action) ScopeTarget {
	return ScopeTarget{Slug: r.Slug, Action: action, IDColumn: r.IDColumn, NumericID: r.numericID()}
}

// numericID reports whether the resource's ids are integers.
func (r *Resource[T]) numericID() bool {
	if r.ParseID == nil {
		return false
	}
	v, err := r.ParseID("1")
	if err != nil {
		return false
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// actionScope returns the predicate of the rows the site's ObjectScoper
// lets the request's user do action on, nil when none limits them.
func (r *Resource[T]) actionScope(ctx context.Context, action Action) (Predicate, error) {
	os, ok := r.m.site.auth.(ObjectScoper)
	u := UserFrom(ctx)
	if !ok || u == nil || unscoped(ctx) {
		return nil, nil
	}
	return os.ObjectScope(ctx, u, r.scopeTarget(action))
}

type unscopedKey struct{}

// Unscoped returns a context in which the row scopes of resources (see
// Resource.RowScope) and the refusal of writes of fields the user may not
// change (see Resource.Unwritable) do not apply, while the admin user stays
// in it, for the audit log and the escalation guard. It is for writes the
// library's own checks have already allowed, such as users changing their
// own password without the permission to change users, and for the
// library's bookkeeping: sessions, preferences, audit entries.
func Unscoped(ctx context.Context) context.Context {
	return context.WithValue(ctx, unscopedKey{}, true)
}

// unscoped reports whether ctx comes from Unscoped.
func unscoped(ctx context.Context) bool {
	v, _ := ctx.Value(unscopedKey{}).(bool)
	return v
}
