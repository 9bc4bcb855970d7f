package entadmin

import (
	"context"
	"net/http"
)

// Action is something a user does to a resource.
type Action string

// The actions every resource has.
const (
	ActionView   Action = "view"
	ActionAdd    Action = "add"
	ActionChange Action = "change"
	ActionDelete Action = "delete"
)

// User is a user of the admin.
type User interface {
	// DisplayName is how the admin names the user.
	DisplayName() string
}

// Authorizer makes the site's user and permission decisions. The site asks
// it on every request, on the server, whatever the page showed.
type Authorizer interface {
	// Authenticate returns the user making r, or nil when nobody is logged in.
	Authenticate(r *http.Request) (User, error)
	// Allowed reports whether u may do action on the resource with the slug.
	Allowed(ctx context.Context, u User, action Action, slug string) bool
}

// Open is the Authorizer of a site without authentication: everyone is the
// same anonymous user and may do everything. Use it for local development
// only.
type Open struct{}

type anonymous struct{}

func (anonymous) DisplayName() string { return "" }

// Authenticate implements Authorizer.
func (Open) Authenticate(*http.Request) (User, error) { return anonymous{}, nil }

// Allowed implements Authorizer.
func (Open) Allowed(context.Context, User, Action, string) bool { return true }

type userKey struct{}

// UserFrom returns the admin user of a request's context, or nil.
func UserFrom(ctx context.Context) User {
	u, _ := ctx.Value(userKey{}).(User)
	return u
}

// authenticate puts the request's user in its context; a request without
// one gets 403, except for static files.
func (s *Site) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.auth.Authenticate(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if u != nil {
			r = r.WithContext(context.WithValue(r.Context(), userKey{}, u))
		}
		next.ServeHTTP(w, r)
	})
}

// allow reports whether the request's user may do action on the resource,
// and answers 403 when not.
func (m *meta) allow(w http.ResponseWriter, r *http.Request, action Action) bool {
	ctx := r.Context()
	if m.site.auth.Allowed(ctx, UserFrom(ctx), action, m.slug) {
		return true
	}
	m.site.error(w, r, http.StatusForbidden, "You do not have the “"+string(action)+"” permission on "+m.labelPlural+".")
	return false
}

// can reports whether the request's user may do action on the resource.
func (m *meta) can(r *http.Request, action Action) bool {
	ctx := r.Context()
	return m.site.auth.Allowed(ctx, UserFrom(ctx), action, m.slug)
}
