// Package auth is entadmin's built-in authentication: the users, sessions
// and audit log of entadmin's own ent models (package
// github.com/entadmin/entadmin/ent), a login page, and a logout page.
//
//	if err := auth.Setup(ctx, client, dialect.Postgres); err != nil { ... }
//	a, err := auth.New(client, secret) // secret: at least 32 random bytes
//	site := entadmin.New(entadmin.WithAuthorizer(a))
//
// Sessions live in the database; the browser holds a random token signed
// with the secret, and the table holds only the token's SHA-256. Login
// attempts are recorded in the audit log, which also throttles them.
// Create the first user with CreateSuperuser.
package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/rbac"
)

// Paths of the pages below the site's prefix.
const (
	loginPath  = "/login/"
	logoutPath = "/logout/"
)

// Authorizer authenticates the users of entadmin's User model with
// passwords and database sessions. It implements entadmin.Authorizer,
// entadmin.Routes and entadmin.LoginPage.
type Authorizer struct {
	client      *ent.Client
	secret      []byte
	idle        time.Duration
	maxAge      time.Duration
	permissions func(ctx context.Context, u *User, action entadmin.Action, slug string) bool
	enforcer    *rbac.Enforcer
	userLimit   int
	ipLimit     int
	window      time.Duration
	clock       func() time.Time
	logger      *slog.Logger
	observer    Observer      // nil: nobody to tell
	sessions    *sessionCache // nil without WithSessionCache
	// dummyHash is checked against for unknown users, so that they take as
	// long to refuse as a wrong password.
	dummyHash string
	// sleep delays the answer to a failed login; tests replace it.
	sleep func(ctx context.Context, d time.Duration)
}

var (
	_ entadmin.Authorizer   = (*Authorizer)(nil)
	_ entadmin.Routes       = (*Authorizer)(nil)
	_ entadmin.LoginPage    = (*Authorizer)(nil)
	_ entadmin.LogoutPage   = (*Authorizer)(nil)
	_ entadmin.PasswordPage = (*Authorizer)(nil)
)

// New returns an Authorizer for the users and sessions of client. The
// secret signs the session cookies; it must be at least 32 bytes, random,
// and kept out of the code (changing it logs everybody out).
//
// New installs on client a hook that ends every session of a user whose
// password changes or who is deactivated, whatever code makes the change
// (see endSessions), in the write's transaction; call it once per client.
func New(client *ent.Client, secret []byte, opts ...Option) (*Authorizer, error) {
	if client == nil {
		return nil, errors.New("auth: no client")
	}
	if len(secret) < 32 {
		return nil, errors.New("auth: the secret must be at least 32 bytes")
	}
	a := &Authorizer{
		client:    client,
		secret:    append([]byte(nil), secret...),
		idle:      2 * time.Hour,
		maxAge:    14 * 24 * time.Hour,
		userLimit: 5,
		ipLimit:   20,
		window:    15 * time.Minute,
		clock:     time.Now,
		logger:    slog.Default(),
		sleep:     sleep,
	}
	for _, opt := range opts {
		opt(a)
	}
	if a.idle <= 0 || a.maxAge <= 0 || a.window <= 0 || a.userLimit < 1 || a.ipLimit < 1 {
		return nil, errors.New("auth: timeouts, the throttling window and limits must be positive")
	}
	random := make([]byte, 32)
	rand.Read(random)
	h, err := password.Hash(base64.RawURLEncoding.EncodeToString(random))
	if err != nil {
		return nil, err
	}
	a.dummyHash = h
	client.User.Use(endSessions)
	return a, nil
}

// User is a user of the admin: entadmin's ent User. It implements
// entadmin.User.
type User struct {
	*ent.User
	memo *requestMemo // per request; see permissions.go
}

// DisplayName implements entadmin.User: the username.
func (u *User) DisplayName() string { return u.Username }

var _ entadmin.IDer = (*User)(nil)

// UserID implements entadmin.IDer: the user's id.
func (u *User) UserID() int { return u.ID }

// Superuser implements entadmin.Superuser.
func (u *User) Superuser() bool { return u.IsSuperuser }

// Allowed implements entadmin.Authorizer: superusers may do everything,
// other active staff what the WithPermissions func allows, nobody else
// anything.
func (a *Authorizer) Allowed(ctx context.Context, eu entadmin.User, action entadmin.Action, slug string) bool {
	u, ok := eu.(*User)
	if !ok || u == nil || u.User == nil || !u.IsActive {
		return false
	}
	if u.IsSuperuser {
		return true
	}
	switch {
	case !u.IsStaff:
		return false
	case a.permissions != nil:
		return a.permissions(ctx, u, action, slug)
	case a.enforcer != nil:
		return a.allowedByPolicy(ctx, u, action, slug)
	}
	return false
}

// FieldAccess implements entadmin.FieldAccesser. Superusers may write every
// field. Other users get the most permissive access the field rules of
// their groups give, or write access where no rule names the field; the
// site then caps it by their model permissions.
func (a *Authorizer) FieldAccess(_ context.Context, eu entadmin.User, slug, field string) entadmin.Access {
	u, ok := eu.(*User)
	if !ok || u == nil || u.User == nil {
		return entadmin.AccessHidden
	}
	if u.IsSuperuser || a.enforcer == nil {
		return entadmin.AccessWrite
	}
	switch access, explicit := a.enforcer.FieldAccess(u.ID, slug, field); {
	case !explicit || access == rbac.Write:
		return entadmin.AccessWrite
	case access == rbac.ReadOnly:
		return entadmin.AccessReadOnly
	}
	return entadmin.AccessHidden
}

// LoginPath implements entadmin.LoginPage.
func (a *Authorizer) LoginPath() string { return loginPath }

// LogoutPath implements entadmin.LogoutPage.
func (a *Authorizer) LogoutPath() string { return logoutPath }

// PasswordPath implements entadmin.PasswordPage: every user may change
// their own password.
func (a *Authorizer) PasswordPath(eu entadmin.User) string {
	u, ok := eu.(*User)
	if !ok || u.User == nil {
		return ""
	}
	return "/user/" + strconv.Itoa(u.ID) + "/password/"
}

// PublicRoutes implements entadmin.Routes: the login page.
func (a *Authorizer) PublicRoutes(s *entadmin.Site, r chi.Router) {
	h := handlers{a: a, site: s}
	r.Get(loginPath, h.loginForm)
	r.Post(loginPath, h.login)
}

// PrivateRoutes implements entadmin.Routes: the logout page, the
// change-password form of users (see PasswordTool) and the page of login
// throttling (see RateLimitsResource). The RBAC pages are rbac.Pages.
func (a *Authorizer) PrivateRoutes(s *entadmin.Site, r chi.Router) {
	h := handlers{a: a, site: s}
	r.Get(rateLimitsPath, h.rateLimits)
	r.Get(logoutPath, h.logoutForm)
	r.Post(logoutPath, h.logout)
	r.Get(passwordPath, h.passwordForm)
	r.Post(passwordPath, h.passwordForm)
}

// handlers serve the pages of an Authorizer on a site.
type handlers struct {
	a    *Authorizer
	site *entadmin.Site
}

// serverError logs err and answers without showing it (see
// entadmin.Site.ServerError: 503 when the database is unavailable).
func (h handlers) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.site.ServerError(w, r, fmt.Errorf("auth: %w", err))
}

// now is the current time, in UTC so that times compare as text too (as
// SQLite compares them).
func (a *Authorizer) now() time.Time { return a.clock().UTC() }

// sleep waits for d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// Preference implements entadmin.PreferenceUser: the user's setting of the
// key, read with the session.
func (u *User) Preference(key string) string { return u.Preferences[key] }

// SetPreference implements entadmin.PreferenceStore: it stores the user's
// setting of the key (an empty value removes it) in the user's row. The
// preferences field is left out of the audit log (admin.NoAudit).
func (a *Authorizer) SetPreference(ctx context.Context, u entadmin.User, key, value string) error {
	au, ok := u.(*User)
	if !ok {
		return fmt.Errorf("auth: preferences of a %T", u)
	}
	prefs := maps.Clone(au.Preferences)
	if prefs == nil {
		prefs = map[string]string{}
	}
	if value == "" {
		delete(prefs, key)
	} else {
		prefs[key] = value
	}
	// Unscoped: the site stores the user's own settings, whatever their
	// permissions on users.
	if err := a.client.User.UpdateOneID(au.ID).SetPreferences(prefs).Exec(entadmin.Unscoped(ctx)); err != nil {
		return fmt.Errorf("auth: save preference: %w", err)
	}
	au.Preferences = prefs
	return nil
}
