// Package shopapp is the application of the shop example: its admin site
// on the shop's ent schema with entadmin's batteries, its database
// (PostgreSQL or SQLite), its cache and its seed data. The shop command
// serves it; the bench command loads it.
package shopapp

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/entadmin/entadmin/audit"
	"github.com/entadmin/entadmin/auth"
	"github.com/entadmin/entadmin/batteries"
	"github.com/entadmin/entadmin/cache"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/examples/shop/ent/adminres"
	_ "github.com/entadmin/entadmin/examples/shop/ent/runtime" // the schemas' hooks and validators
	"github.com/entadmin/entadmin/health"
	"github.com/entadmin/entadmin/metrics"
)

// App is the shop admin: the shop's models and entadmin's own (users,
// groups, policy, audit log) on one database, closed by default.
type App struct {
	DB        *DB
	Site      *entadmin.Site
	Batteries *batteries.Pack
	Cache     *cache.Cache
	Metrics   *metrics.Metrics
}

// media are the shop's own stylesheets of its admin pages.
//
//go:embed media
var media embed.FS

// New sets the admin up on db. With open, nobody has to log in: for
// local development only.
func New(ctx context.Context, db *DB, open bool) (*App, error) {
	site := entadmin.New(entadmin.WithTitle("Shop administration"), entadmin.WithSiteURL("/shop/"), entadmin.WithMedia(media))
	res := adminres.Register(site, db.Client)
	res.Product.MediaCSS = []string{"media/product.css"}
	configureList(res)
	configureActions(res)
	customizeForms(res)
	addHooks(res)
	// "View on site" on the product form: where the shop shows the product.
	res.Product.ViewOnSite = productURL

	// The figures served at /metrics: requests, statements (counted by
	// db.Counter), the pool, logins and the audit log.
	m, err := metrics.New(metrics.WithPool(db.Pool))
	if err != nil {
		return nil, err
	}
	// Users, groups, permissions, sessions and the audit log, on the
	// shop's database; the secret key comes from ENTADMIN_SECRET_KEY.
	opts := []batteries.Option{
		batteries.WithAuthOptions(auth.WithObserver(m)),
		batteries.WithAuditOptions(audit.WithObserver(m)),
	}
	if db.Pool != nil {
		opts = append(opts, batteries.WithPGWatcher(db.Pool)) // policy changes reach other instances at once
	}
	c, err := newCache(ctx, db, m)
	if err != nil {
		return nil, err
	}
	opts = append(opts, batteries.WithCache(c))
	b, err := batteries.Install(ctx, site, db.Counter, opts...) // one counter: the session lookup counts too
	if err != nil {
		c.Close()
		return nil, err
	}
	if open {
		slog.Warn("shop: -open: authentication is OFF; everyone who reaches this address may change everything")
		site.Configure(entadmin.WithAuthorizer(entadmin.Open{}))
	}
	return &App{DB: db, Site: site, Batteries: b, Cache: c, Metrics: m}, nil
}

// Close stops the policy watcher and the cache's listener.
func (a *App) Close() {
	a.Batteries.Close()
	a.Cache.Close()
}

// Router mounts the admin under /admin, beside the metrics and the
// probes of orchestrators.
func (a *App) Router() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer, a.Metrics.Middleware)
	r.Handle("/metrics", a.Metrics.Handler())
	r.Handle("/healthz", health.Live())
	r.Handle("/readyz", health.Ready(a.DB.SQL.PingContext, health.DefaultTimeout))
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/", http.StatusFound)
	})
	r.Mount("/admin", a.Site.Handler())
	r.Get("/shop/products/{id}/", a.serveProduct)
	return r
}

// Login creates a superuser with a random password, logs in through the
// login page served at base, and returns the session cookie: how the
// bench and the tests get a session.
func (a *App) Login(ctx context.Context, base string) (*http.Cookie, error) {
	pw := make([]byte, 16)
	rand.Read(pw)
	name := "bench-" + hex.EncodeToString(pw[:4])
	hash, err := password.Hash(hex.EncodeToString(pw))
	if err != nil {
		return nil, err
	}
	if err := a.Batteries.Client().User.Create().SetUsername(name).SetPasswordHash(hash).SetIsStaff(true).SetIsSuperuser(true).Exec(ctx); err != nil {
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
