// Package write holds the ent hook through which every write of an ent type
// served by the admin passes: it checks the version an edit form was loaded
// at (optimistic locking), runs the save and delete hooks registered on the
// resource, records the audit log in the write's own transaction, and runs
// the post-action hooks after the commit.
//
// The admin runtime (package entadmin) builds the hook's Config from its
// resource and installs the hook on the ent client when the generated
// Register adds the resource to a site, after the row scope's hook (package
// rowscope), so that the hook sees only the rows the user may change, and
// after the field rule's (package policy/fieldaccess), so that what the
// save hooks set is not judged as the caller's. The runtime imports this
// package, never the reverse: the Config's functions carry what the hook
// needs from it (the site's audit log, the request's messages, the
// logger), so that neither side exports its internals to the other, and
// code generated for users' ent types links neither casbin nor
// entadmin's own models.
package write

import (
	"context"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
)

// Hooks are the typed functions registered on a resource (entadmin.OnSave,
// OnDelete, AfterAdd, AfterChange and AfterDelete), for writes made in an
// admin request.
type Hooks[T any] struct {
	// Save runs before an add or change, once per affected row, with the
	// row as it was (the zero T on add).
	Save []func(ctx context.Context, m ent.Mutation, old T) error
	// Delete runs before a delete, once per deleted row.
	Delete []func(ctx context.Context, e T) error
	// Added, Changed and Deleted run after the commit.
	Added   []func(ctx context.Context, e T) error
	Changed []func(ctx context.Context, e T) error
	Deleted []func(ctx context.Context, id string, last T) error
}

// Config is what the write hook of one ent type needs from the admin. T is
// the ent entity, e.g. *ent.Product. Every function must be set.
type Config[T any] struct {
	// Hooks are the resource's hooks, read at every write, so that hooks
	// registered after the hook is installed take part.
	Hooks *Hooks[T]
	// Admin reports whether ctx belongs to an admin request: only admin
	// writes run the hooks.
	Admin func(ctx context.Context) bool
	// ID returns an entity's id as URLs write it.
	ID func(T) string
	// Affected loads, inside the mutation's transaction, the rows an update
	// or delete is about to change, restricted further by where.
	Affected func(ctx context.Context, m ent.Mutation, where ...func(*sql.Selector)) ([]T, error)

	// Expected returns the version a change of one row must find, and
	// whether the write expects one.
	Expected func(ctx context.Context, m ent.Mutation) (string, bool)
	// Version returns the current version of a row.
	Version func(ctx context.Context, e T) string
	// Conflict returns the error refusing a change of e, which is at
	// version current instead of the expected one.
	Conflict func(e T, current string) error
	// Lock restricts the statement that loads the rows of a checked change
	// so that it locks them until the transaction ends.
	Lock func(*sql.Selector)

	// Audited reports whether writes go to the audit log.
	Audited func() bool
	// Record records the audit log of a write that has run, inside its
	// transaction: saved is the entity a create or an update of one row
	// returned, rows the rows as they were before an update or delete.
	Record func(ctx context.Context, m ent.Mutation, saved T, rows []T) error
	// Written is told of every write that has run (to invalidate caches).
	Written func(ctx context.Context, m ent.Mutation)

	// AfterCommit arranges for fn to run after the mutation's transaction
	// commits; it reports false outside a transaction, where the post-action
	// hooks run at once.
	AfterCommit func(m ent.Mutation, fn func()) bool
	// Failed reports the error of a post-action hook, which cannot undo the
	// write.
	Failed func(ctx context.Context, err error)
}

// Hook returns the ent hook that runs every write of the type with c. For
// writes in an admin request it checks the version the form was loaded at
// and runs the save and delete hooks; for every write it records the audit
// log; after the commit it runs the post-action hooks of admin writes.
func Hook[T any](c *Config[T]) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			return c.write(ctx, m, next)
		})
	}
}

// write runs one mutation with the hooks and the audit log.
func (c *Config[T]) write(ctx context.Context, m ent.Mutation, next ent.Mutator) (ent.Value, error) {
	op := m.Op()
	admin := c.Admin(ctx)
	audit := c.Audited()
	h := c.Hooks
	isDelete := op.Is(ent.OpDelete | ent.OpDeleteOne)
	expected, check := c.Expected(ctx, m)
	var rows []T
	if !op.Is(ent.OpCreate) && (audit || check || admin && (len(h.Save) > 0 || len(h.Delete) > 0 || len(h.Deleted) > 0)) {
		var where []func(*sql.Selector)
		if check {
			where = append(where, c.Lock)
		}
		var err error
		if rows, err = c.Affected(ctx, m, where...); err != nil {
			return nil, err
		}
	}
	if check && len(rows) == 1 {
		if current := c.Version(ctx, rows[0]); current != expected {
			return nil, c.Conflict(rows[0], current)
		}
	}
	if admin {
		if err := c.runBefore(ctx, m, rows, isDelete); err != nil {
			return nil, err
		}
	}
	v, err := next.Mutate(ctx, m)
	if err != nil {
		return v, err
	}
	c.Written(ctx, m)
	var saved T
	if !op.Is(ent.OpUpdate) && !isDelete {
		if e, ok := v.(T); ok {
			saved = e
		}
	}
	if audit {
		if err := c.Record(ctx, m, saved, rows); err != nil {
			return nil, err
		}
	}
	if admin && (len(h.Added) > 0 || len(h.Changed) > 0 || len(h.Deleted) > 0) {
		run := func() { c.runAfter(ctx, op, saved, rows) }
		if !c.AfterCommit(m, run) {
			run()
		}
	}
	return v, nil
}

// runBefore runs the save or delete hooks, once per affected row.
func (c *Config[T]) runBefore(ctx context.Context, m ent.Mutation, rows []T, isDelete bool) error {
	if isDelete {
		for _, e := range rows {
			for _, fn := range c.Hooks.Delete {
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
		for _, fn := range c.Hooks.Save {
			if err := fn(ctx, m, old); err != nil {
				return err
			}
		}
	}
	return nil
}

// runAfter runs the post-action hooks; each failure goes to Failed.
func (c *Config[T]) runAfter(ctx context.Context, op ent.Op, saved T, rows []T) {
	fail := func(err error) {
		if err != nil {
			c.Failed(ctx, err)
		}
	}
	switch {
	case op.Is(ent.OpCreate):
		for _, fn := range c.Hooks.Added {
			fail(fn(ctx, saved))
		}
	case op.Is(ent.OpUpdateOne):
		for _, fn := range c.Hooks.Changed {
			fail(fn(ctx, saved))
		}
	case op.Is(ent.OpUpdate):
		for _, e := range rows {
			for _, fn := range c.Hooks.Changed {
				fail(fn(ctx, e))
			}
		}
	default:
		for _, e := range rows {
			for _, fn := range c.Hooks.Deleted {
				fail(fn(ctx, c.ID(e), e))
			}
		}
	}
}
