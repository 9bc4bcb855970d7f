package entadmin

import (
	"context"

	"entgo.io/ent/dialect/sql"
)

// AuditEntryScope returns a row scope (see Resource.Scope) for the admin
// resource that lists the audit log's entries themselves: it keeps the
// entries the user may read in full, those about no resource (logins,
// events) and those about resources the user may view with no row scope,
// no hidden field and no edge to a type they may not view. Entries about
// other resources stay readable through each object's history page, which
// leaves out what the user may not see field by field; the raw log cannot.
// column is the SQL column holding an entry's resource slug.
func (s *Site) AuditEntryScope(column string) func(context.Context, User) (Predicate, error) {
	return func(ctx context.Context, _ User) (Predicate, error) {
		var readable []any
		all := true
		for _, res := range s.resources {
			if !res.audited() {
				continue
			}
			ok, err := res.readableInFull(ctx)
			if err != nil {
				return nil, err
			}
			if !ok {
				all = false
				continue
			}
			readable = append(readable, res.meta().slug)
		}
		if all {
			return nil, nil
		}
		return func(sel *sql.Selector) {
			c := sel.C(column)
			preds := []*sql.Predicate{sql.IsNull(c), sql.EQ(c, "")}
			if len(readable) > 0 {
				preds = append(preds, sql.In(c, readable...))
			}
			sel.Where(sql.Or(preds...))
		}, nil
	}
}

// readableInFull reports whether the user in ctx may read every audit
// entry of the resource as it is stored: they may view it, see every row
// and every field, and view the types its edges point at.
func (r *Resource[T]) readableInFull(ctx context.Context) (bool, error) {
	g := r.m.grant(ctx)
	if !g.can(ActionView) {
		return false, nil
	}
	for _, f := range r.Fields {
		if !g.visible(f.Name) {
			return false, nil
		}
		if (f.Kind == KindEdge || f.Kind == KindEdges) && !g.canViewType(f.Target) {
			return false, nil
		}
	}
	scoped, err := g.scoped()
	return !scoped, err
}
