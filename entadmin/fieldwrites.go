package entadmin

import (
	"context"
	"errors"
	"fmt"

	"github.com/entadmin/entadmin/policy/fieldaccess"
)

// Unwritable returns the fields and edges of the resource that the admin
// user in ctx may not set or clear on an add (create true) or a change:
// those their access makes hidden or read-only (see FieldAccesser, capped
// by the model permissions), as labels by ent name. It returns nil when
// they may write every one: outside an admin request (no user in ctx), for
// superusers and under Unscoped.
//
// The generated Register installs it on the ent client with package
// policy/fieldaccess, whose hook refuses every write of such a field made
// inside an admin request: by the admin's handlers, which leave them out
// anyway, and by the application's code run with the request's context.
func (r *Resource[T]) Unwritable(ctx context.Context, create bool) map[string]string {
	u := UserFrom(ctx)
	if su, ok := u.(Superuser); u == nil || unscoped(ctx) || ok && su.Superuser() {
		return nil
	}
	action := ActionChange
	if create {
		action = ActionAdd
	}
	var out map[string]string
	for name, a := range r.access(ctx, action) {
		if a == AccessWrite {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[name] = r.fieldByName(name).Label
	}
	return out
}

// checkWrites panics unless every name is a field or edge of the resource:
// what Writes declares is a programming error otherwise.
func (r *Resource[T]) checkWrites(where string, names []string) {
	for _, name := range names {
		if r.fieldByName(name) == nil {
			panic(fmt.Sprintf("%s: Writes(%q): %s has no such field or edge", where, name, r.Type))
		}
	}
}

// deniedMessage returns the message shown for a write that package
// fieldaccess refused.
func deniedMessage(err error) (string, bool) {
	var de *fieldaccess.Error
	if !errors.As(err, &de) {
		return "", false
	}
	return fmt.Sprintf("Nothing was saved: “%s” is not yours to change.", de.Label), true
}
