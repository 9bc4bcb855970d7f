package entadmin

import (
	"context"
	"net/http"
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

// fieldAccess returns the request's user's access to every field of the
// resource, or nil when every field follows the model permissions: Write
// with change (or add) permission, ReadOnly with view permission only.
func (r *Resource[T]) fieldAccess(req *http.Request, action Action) map[string]Access {
	fa, ok := r.m.site.auth.(FieldAccesser)
	if !ok {
		return nil
	}
	ctx := req.Context()
	u := UserFrom(ctx)
	ceiling := AccessReadOnly
	if r.m.can(req, action) {
		ceiling = AccessWrite
	}
	access := make(map[string]Access, len(r.Fields))
	for _, f := range r.Fields {
		access[f.Name] = min(fa.FieldAccess(ctx, u, r.Slug, f.Name), ceiling)
	}
	return access
}

// hiddenFields returns the fields the request's user may not see.
func (r *Resource[T]) hiddenFields(req *http.Request) map[string]bool {
	var hidden map[string]bool
	for name, a := range r.fieldAccess(req, ActionChange) {
		if a == AccessHidden {
			if hidden == nil {
				hidden = map[string]bool{}
			}
			hidden[name] = true
		}
	}
	return hidden
}
