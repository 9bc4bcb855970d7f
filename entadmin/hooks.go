package entadmin

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"entgo.io/ent"

	"github.com/entadmin/entadmin/hooks/write"
	"github.com/entadmin/entadmin/views"
)

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
	r.hooks.Save = append(r.hooks.Save, func(ctx context.Context, m ent.Mutation, old T) error {
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
	r.hooks.Delete = append(r.hooks.Delete, fn)
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
	r.hooks.Added = append(r.hooks.Added, fn)
}

// AfterChange registers a post-action hook run after a change commits (see
// AfterAdd), with the saved entity (for a bulk update through ent's Update,
// once per row, as the row was before).
func AfterChange[T any](r *Resource[T], fn func(ctx context.Context, e T) error) {
	r.hooks.Changed = append(r.hooks.Changed, fn)
}

// AfterDelete registers a post-action hook run after a delete commits (see
// AfterAdd), with the deleted entity's id and its last state.
func AfterDelete[T any](r *Resource[T], fn func(ctx context.Context, id string, last T) error) {
	r.hooks.Deleted = append(r.hooks.Deleted, fn)
}

// writeHook returns the ent hook through which every write of the
// resource's ent type passes (see package write); Register installs it on
// the client. For writes in an admin request it checks the version the form
// was loaded at (see ExpectVersion) and runs the save and delete hooks; for
// every write it records the audit log in the write's transaction; after
// the commit it runs the post-action hooks of admin writes.
func (r *Resource[T]) writeHook() ent.Hook {
	return write.Hook(&write.Config[T]{
		Hooks: &r.hooks,
		Admin: func(ctx context.Context) bool { return UserFrom(ctx) != nil },
		ID:    func(e T) string { return r.ID(e) },
		Affected: func(ctx context.Context, m ent.Mutation, where ...Predicate) ([]T, error) {
			return r.Affected(ctx, m, where...)
		},
		Expected: r.expectedVersion,
		Version:  r.VersionOf,
		Conflict: func(e T, current string) error {
			return &ConflictError{Resource: r.Slug, ID: r.ID(e), Version: current}
		},
		Lock:        lockRows,
		Audited:     r.audited,
		Record:      r.record,
		Written:     r.invalidate,
		AfterCommit: func(m ent.Mutation, fn func()) bool { return r.AfterCommit(m, fn) },
		Failed: func(ctx context.Context, err error) {
			r.m.site.logger.Error("entadmin: post-action hook failed", "resource", r.Slug, "err", err)
			notify(ctx, views.LevelWarning, fmt.Sprintf("The %s was saved, but a follow-up step failed: %v", r.Label, err))
		},
	})
}
