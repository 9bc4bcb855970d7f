package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"

	"github.com/casbin/casbin/v2/persist"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/entadmin/entadmin/audit"
	"github.com/entadmin/entadmin/auth"
	own "github.com/entadmin/entadmin/ent"
	ownadmin "github.com/entadmin/entadmin/ent/admin"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/examples/shop/ent/admin"
	"github.com/entadmin/entadmin/hooks"
	"github.com/entadmin/entadmin/rbac"
)

// app is the shop admin: the shop's models and entadmin's own (users,
// groups, policy, audit log) on one database, closed by default.
type app struct {
	db       *database
	own      *own.Client // entadmin's own models
	enforcer *rbac.Enforcer
	watcher  persist.Watcher
	site     *entadmin.Site
}

// newApp sets the admin up on db. With open, nobody has to log in: for
// local development only.
func newApp(ctx context.Context, db *database, open bool) (*app, error) {
	a := &app{db: db, own: own.NewClient(own.Driver(db.counter))} // one counter: the session lookup counts too
	if err := auth.Setup(ctx, a.own, db.dialect); err != nil {
		return nil, fmt.Errorf("set up entadmin's tables: %w", err)
	}
	// Every write of the shop's models and of entadmin's own is recorded in
	// the audit log, in the write's transaction.
	// Its RBAC part (who changed which user, group, grant or rule) is at
	// /rbac/audit/.
	auditLog := entadmin.WithAuditLog(audit.New(a.own, db.dialect))
	rbacAudit := entadmin.WithAuditPage(entadmin.AuditPage{
		Path: "/rbac/audit/", Title: "RBAC audit log",
		Resources: []string{"user", "group", "policyrule", "objectgrant"},
	})
	if open {
		slog.Warn("shop: -open: authentication is OFF; everyone who reaches this address may change everything")
		a.site = entadmin.New(entadmin.WithTitle("Shop administration"), entadmin.WithAuthorizer(entadmin.Open{}), auditLog, rbacAudit)
	} else {
		var err error
		if db.pool != nil {
			a.watcher, err = rbac.NewPGWatcher(ctx, db.pool)
		} else {
			a.watcher = rbac.NewPollingWatcher(a.own, 0)
		}
		if err != nil {
			return nil, err
		}
		if a.enforcer, err = rbac.New(ctx, a.own, rbac.WithWatcher(a.watcher)); err != nil {
			return nil, err
		}
		a.own.Use(hooks.EscalationGuard(a.enforcer), hooks.PolicySync(a.enforcer), hooks.RemoveOrphans())
		authorizer, err := auth.New(a.own, secretKey(), auth.WithEnforcer(a.enforcer))
		if err != nil {
			return nil, err
		}
		a.site = entadmin.New(entadmin.WithTitle("Shop administration"), entadmin.WithAuthorizer(authorizer), auditLog, rbacAudit)
	}
	res := admin.Register(a.site, db.client)
	configureList(res)
	configureActions(res)
	customizeForms(res)
	addHooks(res)
	// "View on site" on the product form: where the shop shows the product.
	res.Product.ViewOnSite = productURL
	ownRes := ownadmin.Register(a.site, a.own)
	ownRes.User.ObjectTools = auth.PasswordTool
	if a.enforcer != nil {
		// Grants must name resources of this site; the hook needs the site.
		a.own.Use(hooks.ValidatePolicy(a.enforcer, a.site))
	}
	return a, nil
}

// Close stops the policy watcher.
func (a *app) Close() {
	if a.watcher != nil {
		a.watcher.Close()
	}
}

// router mounts the admin under /admin.
func (a *app) router() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/", http.StatusFound)
	})
	r.Mount("/admin", a.site.Handler())
	r.Get("/shop/products/{id}/", a.serveProduct)
	return r
}

// secretKey returns the key that signs session cookies: ENTADMIN_SECRET_KEY
// (at least 32 bytes), or a random one, which logs everybody out when the
// process restarts.
func secretKey() []byte {
	if k := os.Getenv("ENTADMIN_SECRET_KEY"); len(k) >= 32 {
		return []byte(k)
	}
	k := make([]byte, 32)
	rand.Read(k)
	slog.Info("shop: ENTADMIN_SECRET_KEY is not set (or shorter than 32 bytes): using a random key; sessions end when the process stops")
	return k
}

// login creates a superuser with a random password, logs in through the
// login page served at base, and returns the session cookie.
func (a *app) login(ctx context.Context, base string) (*http.Cookie, error) {
	pw := make([]byte, 16)
	rand.Read(pw)
	name := "bench-" + hex.EncodeToString(pw[:4])
	hash, err := password.Hash(hex.EncodeToString(pw))
	if err != nil {
		return nil, err
	}
	if err := a.own.User.Create().SetUsername(name).SetPasswordHash(hash).SetIsStaff(true).SetIsSuperuser(true).Exec(ctx); err != nil {
		return nil, err
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(base+"/admin/login/", url.Values{"username": {name}, "password": {hex.EncodeToString(pw)}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "entadmin_session" {
			return c, nil
		}
	}
	return nil, fmt.Errorf("login as %s: status %s and no session cookie", name, resp.Status)
}
