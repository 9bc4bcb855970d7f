package entadmin

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"entgo.io/ent"

	"github.com/entadmin/entadmin/views"
)

// hookSet holds the hooks registered on a resource.
type hookSet[T any] struct {
	save    []func(ctx context.Context, m ent.Mutation, old T) error
	delete  []func(ctx context.Context, e T) error
	added   []func(ctx context.Context, e T) error
	changed []func(ctx context.Context, e T) error
	deleted []func(ctx context.Context, id string, last T) error
}

// OnSave registers a save hook on the resource: fn runs, in the order of
// registration, inside the transaction of every add and change made in an
// admin request (the form, list editing, inlines, "save as new", and any
// code running in the request), before the write. It gets the typed ent
// mutation, whose values it may read and change, and the entity as it was
// (nil on add). An error aborts the write and everything else the
// transaction did; a FieldError or FormError is shown on the form with the
// user's values kept:
//
//	entadmin.OnSave(res.Product, func(ctx context.Context, m *ent.ProductMutation, old *ent.Product) error {
//		if name, ok := m.Name(); ok && old == nil {
//			m.SetSlug(slugify(name))
//		}
//		return nil
//	})
//
// M must be the resource's mutation type; OnSave panics otherwise. A bulk
// update (ent's Update with predicates) runs fn once per affected row, with
// the one mutation they share.
//
// Save hooks are admin-only: writes outside an admin request skip them. A
// rule that must hold for every write belongs in an ent hook on the schema.
func OnSave[T any, M ent.Mutation](r *Resource[T], fn func(ctx context.Context, m M, old T) error) {
	want := reflect.TypeFor[M]()
	if want.Kind() != reflect.Pointer || want.Elem().Name() != r.Type+"Mutation" {
		panic(fmt.Sprintf("entadmin: OnSave on %s: the hook takes a %s, want *%sMutation", r.Type, want, r.Type))
	}
	r.hooks.save = append(r.hooks.save, func(ctx context.Context, m ent.Mutation, old T) error {
		tm, ok := m.(M)
		if !ok {
			return fmt.Errorf("entadmin: save hook of %s: got a %T, want %s", r.Type, m, want)
		}
		return fn(ctx, tm, old)
	})
}

// OnDelete registers a delete hook: fn runs inside the transaction of every
// delete made in an admin request, once per deleted row, before the
// delete; an error refuses the delete (a FormError's message is shown to
// the user).
func OnDelete[T any](r *Resource[T], fn func(ctx context.Context, e T) error) {
	r.hooks.delete = append(r.hooks.delete, fn)
}

// RefusalMessage returns the message of a FieldError or FormError in err
// (a hook refusing a write), or "" for other errors. Code that writes
// outside the form (bulk actions, list editing, deletes) shows it to the
// user.
func RefusalMessage(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Message
	}
	var fm *FormError
	if errors.As(err, &fm) {
		return fm.Message
	}
	return ""
}

// AfterAdd registers a post-action hook (Django's on_add): fn runs after
// the transaction of an add made in an admin request has committed and its
// audit entry is written, with the saved entity; it never runs after a
// rollback. It cannot undo the add: an error is logged and shown to the
// user as a warning.
func AfterAdd[T any](r *Resource[T], fn func(ctx context.Context, e T) error) {
	r.hooks.added = append(r.hooks.added, fn)
}

// AfterChange registers a post-action hook run after a change commits (see
// AfterAdd), with the saved entity (for a bulk update through ent's Update,
// once per row, as the row was before).
func AfterChange[T any](r *Resource[T], fn func(ctx context.Context, e T) error) {
	r.hooks.changed = append(r.hooks.changed, fn)
}

// AfterDelete registers a post-action hook run after a delete commits (see
// AfterAdd), with the deleted entity's id and its last state.
func AfterDelete[T any](r *Resource[T], fn func(ctx context.Context, id string, last T) error) {
	r.hooks.deleted = append(r.hooks.deleted, fn)
}

// WriteHook returns the ent hook through which every write of the
// resource's ent type passes; the generated Register installs it on the
// client. For writes in an admin request it checks the version the form
// was loaded at (see ExpectVersion) and runs the save and delete hooks;
// for every write it records the audit log in the write's transaction;
// after the commit it runs the post-action hooks of admin writes.
func WriteHook[T any](r *Resource[T]) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			return r.write(ctx, m, next)
		})
	}
}

// write runs one mutation with the resource's hooks and audit log.
func (r *Resource[T]) write(ctx context.Context, m ent.Mutation, next ent.Mutator) (ent.Value, error) {
	op := m.Op()
	admin := UserFrom(ctx) != nil
	audit := r.audited()
	h := &r.hooks
	isDelete := op.Is(ent.OpDelete | ent.OpDeleteOne)
	expected, check := r.expectedVersion(ctx, m)
	var rows []T
	if !op.Is(ent.OpCreate) && (audit || check || admin && (len(h.save) > 0 || len(h.delete) > 0 || len(h.deleted) > 0)) {
		var where []Predicate
		if check {
			where = append(where, lockRows)
		}
		var err error
		if rows, err = r.Affected(ctx, m, where...); err != nil {
			return nil, err
		}
	}
	if check && len(rows) == 1 {
		if current := r.VersionOf(ctx, rows[0]); current != expected {
			return nil, &ConflictError{Resource: r.Slug, ID: r.ID(rows[0]), Version: current}
		}
	}
	if admin {
		if err := r.runBefore(ctx, m, rows, isDelete); err != nil {
			return nil, err
		}
	}
	v, err := next.Mutate(ctx, m)
	if err != nil {
		return v, err
	}
	r.invalidate(ctx, m)
	var saved T
	if !op.Is(ent.OpUpdate) && !isDelete {
		if e, ok := v.(T); ok {
			saved = e
		}
	}
	if audit {
		for _, e := range r.entries(m, saved, rows) {
			r.m.site.stamp(ctx, e)
			exec := func(ctx context.Context, query string, args ...any) error { return r.Exec(ctx, m, query, args...) }
			if err := r.m.site.audit.Record(ctx, e, exec); err != nil {
				return nil, fmt.Errorf("entadmin: audit log: %w", err)
			}
		}
	}
	if admin && (len(h.added) > 0 || len(h.changed) > 0 || len(h.deleted) > 0) {
		run := func() { r.runAfter(ctx, op, saved, rows) }
		if !r.AfterCommit(m, run) {
			run()
		}
	}
	return v, nil
}

// audited reports whether the resource's writes go to the audit log.
func (r *Resource[T]) audited() bool {
	return !r.NoAudit && r.m.site != nil && r.m.site.audit != nil && r.Values != nil
}

// runBefore runs the save or delete hooks, once per affected row.
func (r *Resource[T]) runBefore(ctx context.Context, m ent.Mutation, rows []T, isDelete bool) error {
	if isDelete {
		for _, e := range rows {
			for _, fn := range r.hooks.delete {
				if err := fn(ctx, e); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if m.Op().Is(ent.OpCreate) {
		var zero T
		rows = []T{zero}
	}
	for _, old := range rows {
		for _, fn := range r.hooks.save {
			if err := fn(ctx, m, old); err != nil {
				return err
			}
		}
	}
	return nil
}

// runAfter runs the post-action hooks; a failure is logged and shown to
// the user as a warning.
func (r *Resource[T]) runAfter(ctx context.Context, op ent.Op, saved T, rows []T) {
	fail := func(err error) {
		if err == nil {
			return
		}
		r.m.site.logger.Error("entadmin: post-action hook failed", "resource", r.Slug, "err", err)
		notify(ctx, views.LevelWarning, fmt.Sprintf("The %s was saved, but a follow-up step failed: %v", r.Label, err))
	}
	switch {
	case op.Is(ent.OpCreate):
		for _, fn := range r.hooks.added {
			fail(fn(ctx, saved))
		}
	case op.Is(ent.OpUpdateOne):
		for _, fn := range r.hooks.changed {
			fail(fn(ctx, saved))
		}
	case op.Is(ent.OpUpdate):
		for _, e := range rows {
			for _, fn := range r.hooks.changed {
				fail(fn(ctx, e))
			}
		}
	default:
		for _, e := range rows {
			for _, fn := range r.hooks.deleted {
				fail(fn(ctx, r.ID(e), e))
			}
		}
	}
}
