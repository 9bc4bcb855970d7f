// Package batteries installs entadmin's own parts on a site in one call:
// users, groups, permissions (the RBAC enforcer and its pages), database
// sessions and login, the audit log with its pages, the admin pages of
// these models, and the ent hooks that guard them.
//
//	site := entadmin.New(entadmin.WithTitle("Shop"))
//	adminres.Register(site, client) // your models, before or after Install
//	b, err := batteries.Install(ctx, site, drv, batteries.WithSecretKey(key))
//	if err != nil {
//		return err
//	}
//	defer b.Close()
//	r.Mount("/admin", site.Handler())
//
// The parts are stored in tables prefixed entadmin_ on the database of
// drv, which Install creates or migrates. Each part stays usable alone
// (packages auth, rbac, audit, hooks and ent/adminres), for applications that
// want only some of them.
package batteries

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"entgo.io/ent/dialect"
	"github.com/casbin/casbin/v2/persist"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/entadmin/entadmin/audit"
	"github.com/entadmin/entadmin/auth"
	"github.com/entadmin/entadmin/cache"
	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/adminres"
	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/hooks"
	"github.com/entadmin/entadmin/rbac"
	"github.com/entadmin/entadmin/rbac/picker"
)

// SecretKeyEnv names the environment variable Install takes the secret key
// from when WithSecretKey is not given.
const SecretKeyEnv = "ENTADMIN_SECRET_KEY"

// OwnSection is the section of the dashboard and the navigation that
// holds entadmin's own models: users, groups, sessions and the policy.
const OwnSection = "Authentication and authorization"

// RBACAuditPath is where Install serves the audit log's part about users,
// groups, policy rules and object grants (see WithoutRBACAuditPage).
const RBACAuditPath = "/rbac/audit/"

// Pack is what Install installed. Close it when the site stops serving.
type Pack struct {
	client     *ent.Client
	enforcer   *rbac.Enforcer
	authorizer *auth.Authorizer
	auditLog   *audit.Log
	resources  *adminres.Resources
	watcher    persist.Watcher
}

// Option configures Install.
type Option func(*config)

type config struct {
	secret       []byte
	pool         *pgxpool.Pool
	pollInterval time.Duration
	noRBACAudit  bool
	authOpts     []auth.Option
	auditOpts    []audit.Option
	rbacOpts     []rbac.Option
	cache        *cache.Cache
}

// WithSecretKey sets the key that signs session cookies: at least 32
// random bytes, kept out of the code; changing it logs everybody out.
// Without it Install reads ENTADMIN_SECRET_KEY, and when that is unset
// too, uses a random key and logs that sessions end with the process.
func WithSecretKey(key []byte) Option { return func(c *config) { c.secret = key } }

// WithPGWatcher makes instances sharing a PostgreSQL database learn of
// each other's policy changes at once, by LISTEN/NOTIFY on a connection
// taken from pool for good. Without it the policy is polled (see
// WithPollInterval).
func WithPGWatcher(pool *pgxpool.Pool) Option { return func(c *config) { c.pool = pool } }

// WithPollInterval sets how often the policy is polled for changes made by
// other instances, when WithPGWatcher is not given (default
// rbac.DefaultPollInterval).
func WithPollInterval(d time.Duration) Option { return func(c *config) { c.pollInterval = d } }

// WithoutRBACAuditPage leaves out the page at RBACAuditPath that shows the
// changes to users, groups, policy rules and object grants.
func WithoutRBACAuditPage() Option { return func(c *config) { c.noRBACAudit = true } }

// WithCache caches the statements list pages repeat in c (see
// entadmin.WithCache) and serves its dashboard at /cache/, open to
// superusers and to users granted "view" on cache.PagesResource. Install
// does not close c.
func WithCache(c *cache.Cache) Option { return func(o *config) { o.cache = c } }

// WithAuthOptions passes options to auth.New, e.g. auth.WithIdleTimeout or
// auth.WithThrottle.
func WithAuthOptions(opts ...auth.Option) Option {
	return func(c *config) { c.authOpts = append(c.authOpts, opts...) }
}

// WithAuditOptions passes options to audit.New, e.g. audit.WithObserver.
func WithAuditOptions(opts ...audit.Option) Option {
	return func(c *config) { c.auditOpts = append(c.auditOpts, opts...) }
}

// WithRBACOptions passes options to rbac.New, e.g. the attributes and
// rules of conditions (rbac.WithUserAttribute, rbac.WithRule).
func WithRBACOptions(opts ...rbac.Option) Option {
	return func(c *config) { c.rbacOpts = append(c.rbacOpts, opts...) }
}

// Install sets up entadmin's own models on the database of drv (creating
// or migrating their tables) and installs them on site: its authorizer
// (login, sessions and permissions, so the site is closed to everyone
// without an account and a grant), its audit log, the admin pages of
// users, groups (both with a permission picker, see package rbac/picker),
// policy rules, object grants, sessions and audit entries, and the ent
// hooks that keep users from granting themselves more than
// they hold. It may be called before or after the Register calls of the
// application's models (the navigation lists resources in the order they
// were registered), but before site.Handler.
//
// drv may be the driver of the application's own ent client (e.g.
// entsql.OpenDB(dialect.Postgres, db)); Install never closes it.
func Install(ctx context.Context, site *entadmin.Site, drv dialect.Driver, opts ...Option) (*Pack, error) {
	var c config
	for _, opt := range opts {
		opt(&c)
	}
	secret, err := c.secretKey()
	if err != nil {
		return nil, err
	}
	client, err := open(ctx, drv)
	if err != nil {
		return nil, err
	}
	p := &Pack{client: client, auditLog: audit.New(client, drv.Dialect(), c.auditOpts...)}
	if c.pool != nil {
		if p.watcher, err = rbac.NewPGWatcher(ctx, c.pool); err != nil {
			return nil, err
		}
	} else {
		p.watcher = rbac.NewPollingWatcher(client, c.pollInterval)
	}
	if p.enforcer, err = rbac.New(ctx, client, append([]rbac.Option{rbac.WithWatcher(p.watcher)}, c.rbacOpts...)...); err != nil {
		p.Close()
		return nil, err
	}
	client.Use(hooks.EscalationGuard(p.enforcer), hooks.PolicySync(p.enforcer), hooks.RemoveOrphans())
	authOpts := []auth.Option{auth.WithEnforcer(p.enforcer)}
	if c.cache != nil {
		// The site's cache is told of the writes to users and sessions
		// through their resources, registered below.
		authOpts = append(authOpts, auth.WithSessionCache(c.cache))
	}
	if p.authorizer, err = auth.New(client, secret, append(authOpts, c.authOpts...)...); err != nil {
		p.Close()
		return nil, err
	}
	siteOpts := []entadmin.Option{
		entadmin.WithAuthorizer(p.authorizer), entadmin.WithAuditLog(p.auditLog),
		entadmin.WithPages(&rbac.Pages{Enforcer: p.enforcer, ActiveSessions: p.authorizer.ActiveSessions}),
	}
	if !c.noRBACAudit {
		siteOpts = append(siteOpts, entadmin.WithAuditPage(entadmin.AuditPage{
			Path: RBACAuditPath, Title: "RBAC audit log",
			Resources: []string{"user", "group", "policyrule", "objectgrant"},
		}))
	}
	if c.cache != nil {
		siteOpts = append(siteOpts, entadmin.WithCache(c.cache), entadmin.WithPages(&cache.Pages{Cache: c.cache}))
	}
	site.Configure(siteOpts...)
	p.resources = adminres.Register(site, client)
	p.resources.User.ObjectTools = auth.PasswordTool
	res := p.resources
	for _, section := range []*string{&res.AuditEntry.Section, &res.Group.Section, &res.ObjectGrant.Section,
		&res.PolicyRule.Section, &res.Session.Section, &res.User.Section} {
		*section = OwnSection
	}
	res.Session.NoAdd = true
	// The permission pickers: the grants of a group or a user edited on its
	// form, saved with it as policy rules that the escalation guard checks.
	res.Group.FormParts = append(res.Group.FormParts, picker.New(site, client, picker.OfGroup))
	res.User.FormParts = append(res.User.FormParts, picker.New(site, client, picker.OfUser))
	// The raw audit log shows a user only the entries they may read in
	// full; the history pages filter the rest field by field.
	p.resources.AuditEntry.Scope = site.AuditEntryScope(auditentry.FieldResource)
	// Entries are written by a statement of their own in each write's
	// transaction, which no write hook of theirs sees: never cached.
	p.resources.AuditEntry.NoCache = true
	// Each entry links to its object's page when the user may view the
	// object and it still exists.
	p.resources.AuditEntry.ColumnLinks(auditentry.FieldObjectRepr, auditObjectLinks(site))
	// Object grants must name a resource of the site; the hook looks the
	// resources up when a grant is written, so the application's may be
	// registered after Install.
	client.Use(hooks.ValidatePolicy(p.enforcer, site))
	return p, nil
}

// auditObjectLinks links the audit entries of a list page to their
// objects (see entadmin.Site.ObjectURLs).
func auditObjectLinks(site *entadmin.Site) entadmin.ColumnLinksFunc[*ent.AuditEntry] {
	return func(r *http.Request, page []*ent.AuditEntry) (func(*ent.AuditEntry) string, error) {
		refs := make([]entadmin.ObjectRef, len(page))
		for i, e := range page {
			refs[i] = entadmin.ObjectRef{Resource: e.Resource, ID: e.ObjectID}
		}
		urls, err := site.ObjectURLs(r, refs)
		if err != nil {
			return nil, err
		}
		byEntry := make(map[*ent.AuditEntry]string, len(page))
		for i, e := range page {
			byEntry[e] = urls[i]
		}
		return func(e *ent.AuditEntry) string { return byEntry[e] }, nil
	}
}

// secretKey returns the configured key, ENTADMIN_SECRET_KEY's, or a
// random one.
func (c *config) secretKey() ([]byte, error) {
	if c.secret != nil {
		return c.secret, nil
	}
	if k := os.Getenv(SecretKeyEnv); k != "" {
		if len(k) < 32 {
			return nil, fmt.Errorf("batteries: %s is shorter than 32 bytes", SecretKeyEnv)
		}
		return []byte(k), nil
	}
	k := make([]byte, 32)
	rand.Read(k)
	slog.Info("entadmin: " + SecretKeyEnv + " is not set: using a random key; sessions end when the process stops")
	return k, nil
}

// open returns a client of entadmin's own models on drv, with their tables
// created or migrated.
func open(ctx context.Context, drv dialect.Driver) (*ent.Client, error) {
	if drv == nil {
		return nil, errors.New("batteries: no driver")
	}
	client := ent.NewClient(ent.Driver(drv))
	if err := auth.Setup(ctx, client, drv.Dialect()); err != nil {
		return nil, fmt.Errorf("batteries: set up entadmin's tables: %w", err)
	}
	return client, nil
}

// Close stops watching the policy for changes made by other instances. It
// leaves the driver open.
func (p *Pack) Close() {
	if p.watcher != nil {
		p.watcher.Close()
		p.watcher = nil
	}
}

// Enforcer returns the permission enforcer, e.g. to grant from Go:
// Enforcer().Grant(ctx, rbac.GroupSubject(id), "product", "change").
func (p *Pack) Enforcer() *rbac.Enforcer { return p.enforcer }

// Authorizer returns the site's authorizer (login, sessions, permissions).
func (p *Pack) Authorizer() *auth.Authorizer { return p.authorizer }

// AuditLog returns the audit log.
func (p *Pack) AuditLog() *audit.Log { return p.auditLog }

// Resources returns the admin resources of entadmin's own models, to
// adjust them as generated resources are (columns, object tools, hooks).
func (p *Pack) Resources() *adminres.Resources { return p.resources }

// Client returns the ent client of entadmin's own models (users, groups,
// policy rules, object grants, sessions, audit entries), for what the
// other accessors do not offer. Writes through it run the same hooks as
// the admin's.
func (p *Pack) Client() *ent.Client { return p.client }

// CreateSuperuser creates or migrates entadmin's tables on the database of
// drv and creates a superuser, as auth.CreateSuperuser does with args
// (e.g. "-username alice -email alice@example.com"): the password comes
// from ENTADMIN_PASSWORD, or is asked for on a terminal. It is what a
// createsuperuser command runs.
func CreateSuperuser(ctx context.Context, drv dialect.Driver, args []string, stdin io.Reader, stdout io.Writer) error {
	client, err := open(ctx, drv)
	if err != nil {
		return err
	}
	return auth.CreateSuperuser(ctx, client, args, stdin, stdout)
}

// PruneAudit deletes the audit entries older than keep from the database
// of drv and returns how many it deleted.
func PruneAudit(ctx context.Context, drv dialect.Driver, keep time.Duration) (int, error) {
	client, err := open(ctx, drv)
	if err != nil {
		return 0, err
	}
	return audit.New(client, drv.Dialect(), audit.WithRetention(keep)).Prune(ctx)
}
