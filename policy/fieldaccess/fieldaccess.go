// Package fieldaccess carries the admin's field access (see
// entadmin.FieldAccesser: a field hidden from a user, or read-only for
// them) onto an ent client, so that no write made with the client inside an
// admin request sets or clears a field the user may not change: not the
// admin's forms and list-save, which already leave such fields out, and
// not the application's code that runs with the request's context either,
// such as bulk actions, endpoints, save hooks, form parts and inlines. The
// generated Register installs Mutations on the client for every type, next
// to package rowscope's hook:
//
//	client.Product.Use(rowscope.Mutations(r.Product), fieldaccess.Mutations(r.Product, fieldaccess.Defaults{
//		Create: []string{"status", "is_active", "stock_count", "created_at"},
//	}))
//
// # What is checked
//
// The hook refuses, with an *Error wrapping ErrDenied, a create or an
// update that sets, adds to or clears a field, or adds, removes or clears
// an edge, that the user's access marks hidden or read-only (capped by the
// model permissions: without the change permission every field of an
// update is read-only). An edge whose foreign key is a field, such as a
// product's category_id, is checked under the edge's name ("category"), as
// field access names it. Nothing is checked outside an admin request (no
// user in the context: the application's jobs, migrations and seeds), for
// superusers, under entadmin.Unscoped (the library's own bookkeeping), and
// for deletes, which the delete permission and the row scope decide.
//
// The hook checks what the caller asked for. It runs before the admin's
// write hook (entadmin.Register installs that one after it), so values the
// save hooks derive (entadmin.OnSave) and the schema's own hooks set are
// trusted: they run after the check. The values ent fills in itself before
// any hook runs, a field's Default on a create and its UpdateDefault on an
// update (an updated_at, often the optimistic-lock version field), cannot
// be told from values the caller set, so the generated code names them in
// Defaults and the hook leaves them alone.
//
// # Opting out
//
// Code that writes such a field on purpose says so: a bulk action or an
// endpoint declares the fields its permission lets it write with Writes,
// e.g.
//
//	res.Product.Action("activate", "Mark as active", activate).
//		Permission("activate").
//		Writes("is_active")
//
// and other code wraps its context with Allow.
//
// # Why a hook
//
// It is an ent hook, like package rowscope's, rather than a rule of ent's
// privacy layer: a privacy policy is compiled into the schema and needs the
// privacy feature, while field access is known only per request and the
// hook goes on a client the application already has. The package imports
// neither casbin nor entadmin: entadmin imports it, for Allow and Error,
// and generated code links no casbin through it.
package fieldaccess

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"entgo.io/ent"
)

// ErrDenied is wrapped by the error refusing a write of a field the user
// may not change.
var ErrDenied = errors.New("the user may not change this field")

// Error is the error refusing a write of a field the user may not change.
// It names the field, never its value.
type Error struct {
	Type  string // the ent type, e.g. "Product"
	Field string // the ent name of the field or edge
	Label string // the field's label in the admin, e.g. "Cost price"
}

func (e *Error) Error() string {
	return fmt.Sprintf("fieldaccess: %s.%s: %v", e.Type, e.Field, ErrDenied)
}

// Unwrap returns ErrDenied.
func (e *Error) Unwrap() error { return ErrDenied }

// Resource is an admin resource as the rule sees it;
// *entadmin.Resource implements it. Allow tells resources apart with ==,
// so an implementation must be comparable, e.g. a pointer.
type Resource interface {
	// Unwritable returns the fields and edges that the user of the admin
	// request in ctx may not set or clear on a create (create true) or an
	// update: their labels by ent name. It returns nil when the user may
	// write every one, and outside an admin request.
	Unwritable(ctx context.Context, create bool) map[string]string
}

// Defaults names the fields ent fills in itself, before any hook runs: on
// Create those with a Default, on Update those with an UpdateDefault.
type Defaults struct {
	Create, Update []string
}

// Mutations returns the ent hook that refuses a create or an update, made
// inside an admin request, that writes a field of r the user may not
// change. d names the fields ent fills in itself, which are not checked.
func Mutations(r Resource, d Defaults) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if err := check(ctx, r, d, m); err != nil {
				return nil, err
			}
			return next.Mutate(ctx, m)
		})
	}
}

// check returns the error refusing m, nil when it may run.
func check(ctx context.Context, r Resource, d Defaults, m ent.Mutation) error {
	op := m.Op()
	if !op.Is(ent.OpCreate | ent.OpUpdate | ent.OpUpdateOne) {
		return nil
	}
	create := op.Is(ent.OpCreate)
	denied := r.Unwritable(ctx, create)
	if len(denied) == 0 {
		return nil
	}
	filled := d.Update
	if create {
		filled = d.Create
	}
	// Set values may be ent's defaults; additions and clears never are.
	set := slices.Concat(m.Fields(), m.AddedEdges())
	changed := slices.Concat(m.AddedFields(), m.ClearedFields(), m.RemovedEdges(), m.ClearedEdges())
	for i, name := range slices.Concat(set, changed) {
		label, ok := denied[name]
		if !ok || i < len(set) && slices.Contains(filled, name) || allowed(ctx, r, name) {
			continue
		}
		return &Error{Type: m.Type(), Field: name, Label: label}
	}
	return nil
}

type allowKey struct{}

// allowance is one call of Allow, linked to the calls before it.
type allowance struct {
	r      Resource
	fields []string
	prev   *allowance
}

// Allow returns a context in which writes of the named fields and edges
// of r are not refused, for code that writes them on purpose whatever the
// user's access to them, e.g. a copy that keeps a cost price its user may
// not see:
//
//	ctx = fieldaccess.Allow(ctx, res.Product, "cost_price")
//
// Names that are not fields of r allow nothing. Bulk actions and endpoints
// declare theirs with Writes instead.
func Allow(ctx context.Context, r Resource, fields ...string) context.Context {
	if len(fields) == 0 {
		return ctx
	}
	prev, _ := ctx.Value(allowKey{}).(*allowance)
	return context.WithValue(ctx, allowKey{}, &allowance{r: r, fields: fields, prev: prev})
}

// allowed reports whether ctx comes from Allow with the field of r.
func allowed(ctx context.Context, r Resource, name string) bool {
	for a, _ := ctx.Value(allowKey{}).(*allowance); a != nil; a = a.prev {
		if a.r == r && slices.Contains(a.fields, name) {
			return true
		}
	}
	return false
}
