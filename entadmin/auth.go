package entadmin

import (
	"context"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
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

// Routes is implemented by Authorizers that serve pages of their own below
// the site's prefix, such as a login page: public routes are served to
// anyone, private ones only to logged-in users (with the user in the
// request's context, see UserFrom).
type Routes interface {
	PublicRoutes(s *Site, r chi.Router)
	PrivateRoutes(s *Site, r chi.Router)
}

// Pages serves pages of an extension below the site's prefix to
// logged-in users only, like the private routes of Routes: the site calls
// PrivateRoutes once when it builds its Handler, on a router that has
// put the user in each request's context (see UserFrom). Install one with
// WithPages.
type Pages interface {
	PrivateRoutes(s *Site, r chi.Router)
}

// WithPages adds pages served to logged-in users, e.g. rbac.Pages.
func WithPages(p Pages) Option {
	return func(s *Site) { s.pages = append(s.pages, p) }
}

// IDer is implemented by Users with an integer id, such as auth.User: the
// audit log records it with each entry, and pages about the user's own
// account use it.
type IDer interface {
	UserID() int
}

// UserID returns the id of u when it has one (see IDer).
func UserID(u User) (int, bool) {
	if u, ok := u.(IDer); ok {
		return u.UserID(), true
	}
	return 0, false
}

// Allowed reports whether the user of ctx (see UserFrom) may do action on
// the resource with the slug, as the site's Authorizer decides: what
// pages of extensions (see WithPages) ask before serving.
func (s *Site) Allowed(ctx context.Context, action Action, slug string) bool {
	return s.auth.Allowed(ctx, UserFrom(ctx), action, slug)
}

// LoginPage is implemented by Authorizers with a login page: the site sends
// requests without a user there, with the page they asked for in the
// "next" parameter.
type LoginPage interface {
	// LoginPath is the path of the login page below the site's prefix,
	// e.g. "/login/".
	LoginPath() string
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

// unconfigured is the Authorizer of a site built without one: it knows
// nobody and allows nothing, and the site answers every request with a
// page saying how to configure one (see WithAuthorizer).
type unconfigured struct{}

// Authenticate implements Authorizer.
func (unconfigured) Authenticate(*http.Request) (User, error) { return nil, nil }

// Allowed implements Authorizer.
func (unconfigured) Allowed(context.Context, User, Action, string) bool { return false }

// serveUnconfigured answers the requests of a site without an Authorizer.
func (s *Site) serveUnconfigured(w http.ResponseWriter, r *http.Request) {
	s.error(w, r, http.StatusServiceUnavailable, "This admin has no authorizer configured, so it serves nobody. "+
		"Configure one with entadmin.WithAuthorizer: auth.New for entadmin's own users and sessions, "+
		"your own entadmin.Authorizer, or entadmin.Open{} to let everyone in during local development.")
}

type userKey struct{}

// UserFrom returns the admin user of a request's context, or nil.
func UserFrom(ctx context.Context) User {
	u, _ := ctx.Value(userKey{}).(User)
	return u
}

// authenticate puts the request's user in its context. A request without
// one goes to the login page, or gets 403 when there is none.
func (s *Site) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.auth.Authenticate(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if u == nil {
			if lp, ok := s.auth.(LoginPage); ok {
				target := Prefix(r) + lp.LoginPath() + "?" + url.Values{"next": {r.URL.RequestURI()}}.Encode()
				if r.Header.Get("HX-Request") == "true" {
					w.Header().Set("HX-Redirect", target)
				}
				http.Redirect(w, r, target, http.StatusSeeOther)
				return
			}
			s.error(w, r, http.StatusForbidden, "You must log in to use the admin.")
			return
		}
		next.ServeHTTP(w, r.WithContext(WithUser(r.Context(), u)))
	})
}

// WithUser returns a context carrying the admin user u, as the site's
// authentication does for every request.
func WithUser(ctx context.Context, u User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// check returns a 403 error when the request's user may not do action on
// the resource, nil when they may.
func (m *meta) check(r *http.Request, action Action) error {
	if m.viewOnly && action != ActionView {
		return refuse(http.StatusForbidden, "The "+m.labelPlural+" are view-only: nobody can add, change or delete them here.")
	}
	if m.refusesAdd() && action == ActionAdd {
		return refuse(http.StatusForbidden, "The "+m.labelPlural+" cannot be added here.")
	}
	if !m.can(r, action) {
		return refuse(http.StatusForbidden, "You do not have the “"+string(action)+"” permission on "+m.labelPlural+".")
	}
	return nil
}

// can reports whether the request's user may do action on the resource.
func (m *meta) can(r *http.Request, action Action) bool {
	return m.grant(r.Context()).can(action)
}
