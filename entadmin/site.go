// Package entadmin serves a Django-style admin for ent schemas.
//
// entadmin's code generator (package codegen) writes, next to a user's ent
// package, a package adminres whose Register adds every ent type to a Site. The
// Site's Handler serves the dashboard, list views with search, filters,
// sorting and pagination, add and edit forms, and delete confirmations:
//
//	site := entadmin.New(entadmin.WithTitle("Shop"))
//	adminres.Register(site, client) // generated into ent/adminres
//	r := chi.NewRouter()
//	r.Mount("/admin", site.Handler())
package entadmin

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/entadmin/entadmin/internal/sentence"
	"github.com/entadmin/entadmin/views"
)

// Site is an admin: a set of resources served under one mount prefix.
type Site struct {
	title     string
	auth      Authorizer
	location  *time.Location
	logger    *slog.Logger
	views     views.Views
	resources []resource
	nav       atomic.Pointer[navPlan] // the navigation's plan, for the last prefix asked
	bySlug    map[string]resource

	// The audit log (audit.go), nil for none, and its pages (history.go).
	audit      AuditLog
	auditPages []AuditPage
	// pages are the extensions' pages for logged-in users (WithPages).
	pages []Pages
	// proxies are the address prefixes of the trusted reverse proxies (see
	// WithTrustedProxies).
	proxies []netip.Prefix
	// headers are set on every response (see WithSecurityHeaders).
	headers map[string]string
	// cache keeps repeated statements' results (cache.go), nil for none.
	cache *siteCache
	// The deadlines of a request and of a CSV export (limits_deadline.go).
	requestTimeout, exportTimeout time.Duration

	// The page frame (frame.go, theme.go, media.go): the public site's
	// URL, the registered themes, the media file system and the hashed
	// files built from it and the themes.
	siteURL string
	themes  []ThemeConfig
	mediaFS fs.FS
	assets  *assets
}

// Option configures a Site.
type Option func(*Site)

// WithTitle sets the title shown in the header and the browser tab.
func WithTitle(title string) Option { return func(s *Site) { s.title = title } }

// WithAuthorizer sets who the users are and what they may do: auth.New
// for entadmin's own users and sessions (batteries.Install sets it), or an
// Authorizer of the application's. Without one the site is closed: it
// answers every request with a 503 page that says how to configure it.
// Open{} opens it to everyone, for local development only.
func WithAuthorizer(a Authorizer) Option { return func(s *Site) { s.auth = a } }

// WithLocation sets the time zone times are shown and entered in (default
// time.Local).
func WithLocation(loc *time.Location) Option { return func(s *Site) { s.location = loc } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(s *Site) { s.logger = l } }

// WithViews replaces some of the site's views; unset ones keep the
// defaults.
func WithViews(v views.Views) Option { return func(s *Site) { s.views = v.Or(s.views) } }

// Configure applies options to a site after New, as New does, for an
// extension that sets the site up, e.g. batteries.Install setting the
// authorizer and the audit log. It must be called before Handler.
func (s *Site) Configure(opts ...Option) {
	for _, opt := range opts {
		opt(s)
	}
}

// New returns a site with no resources.
func New(opts ...Option) *Site {
	s := &Site{
		title:          "Administration",
		location:       time.Local,
		logger:         slog.Default(),
		views:          views.Default(),
		bySlug:         map[string]resource{},
		headers:        DefaultSecurityHeaders(),
		themes:         []ThemeConfig{HighContrastTheme},
		requestTimeout: DefaultRequestTimeout,
		exportTimeout:  DefaultExportTimeout,
	}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// resource is what the site needs of a Resource, whatever its entity type.
type resource interface {
	meta() *meta
	serveList(w http.ResponseWriter, r *http.Request) error
	serveForm(w http.ResponseWriter, r *http.Request, id string) error
	serveDelete(w http.ResponseWriter, r *http.Request, id string) error
	serveHistory(w http.ResponseWriter, r *http.Request, id string) error
	// auditVisible decides which audit entries about the resource the
	// request's user may see (see Site.visibleEntries).
	auditVisible(r *http.Request, entries []AuditEntry) ([]bool, error)
	// The dashboard and the page frame (frame.go).
	section() string
	media() (css, js []string)
	dashboardCount(ctx context.Context) (string, error)
	// readableInFull reports whether the user may read the resource's audit
	// entries as stored (see Site.AuditEntryScope); audited whether it has any.
	readableInFull(ctx context.Context) (bool, error)
	audited() bool
	// within returns which of the ids are rows within the row scope of the
	// user in ctx, or nil when every row is.
	within(ctx context.Context, ids []string) (map[string]bool, error)
	// existing returns which of the ids are rows that exist within the
	// row scope of the user in ctx (objecturls.go).
	existing(ctx context.Context, ids []string) (map[string]bool, error)
	// auditRefs, names and formatChanges show audit entries as lists show
	// values (auditformat.go).
	auditRefs(changes map[string]Change, names refNames)
	names(ctx context.Context, ids []string) (map[string]string, error)
	formatChanges(action string, changes map[string]Change, names refNames, loc *time.Location) []views.FieldChange

	// Relations, live validation and the delete dialog.
	serveAutocomplete(w http.ResponseWriter, r *http.Request) error
	serveValidate(w http.ResponseWriter, r *http.Request) error
	serveConfirmDelete(w http.ResponseWriter, r *http.Request, id string) error
	// searchableBy reports whether the request's user may search the
	// resource: view permission and search fields they may see.
	searchableBy(r *http.Request) bool
	// search returns the entities matching q for an autocomplete.
	search(r *http.Request, q string, limit int) ([]searchResult, error)
	// displayName names the entity with the id, "" when there is none the
	// request's user may see.
	displayName(r *http.Request, id string) (string, error)
	// choiceTotal counts the rows within the user's row scope for the
	// note of an edge filter with many choices (filtersearch.go), and
	// serveFilterChoices answers that filter's search.
	choiceTotal(ctx context.Context) (total, error)
	serveFilterChoices(w http.ResponseWriter, r *http.Request) error
	// The list's columns (column.go, chooser.go).
	checkColumns() error
	serveColumns(w http.ResponseWriter, r *http.Request) error
	serveInlineRow(w http.ResponseWriter, r *http.Request) error
	info() ResourceInfo // see lookup.go

	// cached runs load through the site's cache (cache.go).
	cached(ctx context.Context, what string, where []Predicate, dst any, load func(context.Context) error) error

	// The CSV export of the list (export.go).
	serveExport(w http.ResponseWriter, r *http.Request) error

	// Bulk actions, list-save and custom endpoints (action_serve.go,
	// listedit.go, endpoint.go).
	serveAction(w http.ResponseWriter, r *http.Request) error
	serveListSave(w http.ResponseWriter, r *http.Request) error
	serveEndpoint(w http.ResponseWriter, r *http.Request, id, name string) (bool, error)
}

// meta is the part of a resource that does not depend on its entity type.
type meta struct {
	site        *Site
	slug        string
	label       string
	labelPlural string
	viewOnly    bool   // refuse add, change and delete to everyone
	noAdd       *bool  // refuse add to everyone (the Resource's NoAdd, set after Register)
	table       string // the SQL table, for the cache
	// pos is the resource's place in the site's resources, from 1; 0
	// before Register.
	pos int
	// fieldIndex numbers the resource's fields, for the grants' answers.
	fieldIndex map[string]int
	// rows computes the row scope of a user (see Resource.scopeOf).
	rows func(ctx context.Context, u User, action Action) (Predicate, error)
	// memo keeps the list's counting statements by their shape.
	memo stmtMemo
	// periods keeps the periods of the date drill-down (datehier.go).
	periods memo[periodsKey, []bucket]
}

// rowScope computes the row scope of u for action.
func (m *meta) rowScope(ctx context.Context, u User, action Action) (Predicate, error) {
	return m.rows(ctx, u, action)
}

// Register adds a resource to the site and installs, with the Store's Use,
// the ent hook through which every write of its type passes: optimistic
// locking, the save and delete hooks, the audit log and the post-action
// hooks (package hooks/write). Generated code calls it after installing the
// row scope's hook (package rowscope), so that the write hook sees only the
// rows the user may change, and the field rule's (package
// policy/fieldaccess), so that the rule judges what the caller wrote before
// the save hooks add to it. It panics on a slug that is already taken,
// which is a programming error.
func Register[T any](s *Site, r *Resource[T]) {
	if _, ok := s.bySlug[r.Slug]; ok {
		panic(fmt.Sprintf("entadmin: slug %q registered twice", r.Slug))
	}
	r.init(s)
	r.m.pos = len(s.resources) + 1
	if r.Use != nil {
		r.Use(r.writeHook())
	}
	s.resources = append(s.resources, r)
	s.bySlug[r.Slug] = r
}

// Handler returns the admin as an http.Handler, to be mounted with chi's
// Mount (or served at the root). Links respect the mount prefix, which is
// taken from the request. Unsafe methods are protected against cross-site
// request forgery by http.CrossOriginProtection, and every response
// carries the security headers (see WithSecurityHeaders).
//
// Every request is bounded before any other work is done for it: its query
// string takes at most 8 KB, each parameter's value at most 2 KB (a page
// link's keyset cursor 5.5 KB), a search has at most 10 words, and no
// parameter may hold a NUL character or bytes that are not UTF-8; beyond
// that it is answered 400. Every request has a deadline (see
// WithRequestTimeout), and a database that is unavailable or too slow is
// answered 503 with Retry-After.
//
// It panics when a resource's configuration is incomplete, e.g. a computed
// column declared with admin.Computed that was never added with
// Resource.Column: a programming error, caught when the program starts.
func (s *Site) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(s.withPrefix(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.error(w, r, http.StatusForbidden, "This request came from another site, so it was refused to protect you from cross-site request forgery. Nothing was changed. Go back to the page, reload it and try again.")
	})))
	return s.securityHeaders(cop.Handler(s.router()))
}

// router returns the admin's routes, without the cross-origin protection
// Handler adds.
func (s *Site) router() chi.Router {
	// The authorizer may be set after New (see Configure): the default is
	// taken here, once every extension has had its say.
	if s.auth == nil {
		s.auth = unconfigured{}
		s.logger.Error("entadmin: no authorizer configured: the admin refuses every request; configure one with entadmin.WithAuthorizer or batteries.Install")
	}
	for _, res := range s.resources {
		if err := res.checkColumns(); err != nil {
			panic(err.Error())
		}
	}
	if err := s.checkThemes(); err != nil {
		panic(err.Error())
	}
	assets, err := s.buildAssets()
	if err != nil {
		panic(err.Error())
	}
	s.assets = assets
	root := chi.NewRouter()
	root.Use(middleware.Recoverer, s.withPrefix, s.withLimits, s.withRequestInfo, s.withRequest)
	root.NotFound(func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })
	root.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.error(w, r, http.StatusMethodNotAllowed, "This page does not accept "+r.Method+" requests.")
	})
	root.Handle("/static/*", staticHandler())
	root.Get(mediaPath+"*", s.serveMedia)
	if _, ok := s.auth.(unconfigured); ok {
		root.HandleFunc("/*", s.serveUnconfigured)
		return root
	}
	// Every page has a deadline; the CSV export a longer one.
	pages := root.With(withDeadline(s.requestTimeout))
	routes, _ := s.auth.(Routes)
	if routes != nil {
		pages.Group(func(r chi.Router) { routes.PublicRoutes(s, r) })
	}
	root.With(withDeadline(s.exportTimeout), s.authenticate, s.withGrants).Get("/{slug}/export/", s.withResource(resource.serveExport))
	r := pages.With(s.authenticate, s.withGrants)
	if routes != nil {
		routes.PrivateRoutes(s, r)
	}
	for _, p := range s.pages {
		p.PrivateRoutes(s, r)
	}
	r.Get("/", s.handle(s.serveDashboard))
	r.Post(themePath, s.handle(s.serveTheme))
	for _, p := range s.auditPages {
		r.Get(p.Path, s.serveAuditPage(p))
	}
	r.Route("/{slug}", func(r chi.Router) {
		for _, rt := range resourceRoutes {
			if rt.method == "" {
				r.HandleFunc(rt.pattern, s.withResource(rt.serve))
			} else {
				r.Method(rt.method, rt.pattern, s.withResource(rt.serve))
			}
		}
	})
	return root
}

// resourceServe serves a request to a resource and returns the error it
// met, for Site.answer.
type resourceServe func(res resource, w http.ResponseWriter, r *http.Request) error

// resourceRoutes are the routes of every resource, under /{slug}; a route
// without a method takes GET, HEAD and POST (withResource refuses others).
var resourceRoutes = []struct {
	method, pattern string
	serve           resourceServe
}{
	{http.MethodGet, "/", resource.serveList},
	// The live list's results, and the column chooser.
	{http.MethodGet, "/partial/", resource.serveList},
	{"", "/columns/", resource.serveColumns},
	{http.MethodGet, "/inline-row/", resource.serveInlineRow},
	{"", "/add/", serveAdd},
	// Relations, live validation and the delete dialog.
	{http.MethodGet, "/autocomplete/", resource.serveAutocomplete},
	{http.MethodGet, "/filter-choices/", resource.serveFilterChoices},
	{http.MethodPost, "/validate/", resource.serveValidate},
	{http.MethodGet, "/{id}/confirm-delete/", byID(resource.serveConfirmDelete)},
	{"", "/{id}/", serveObject},
	{"", "/{id}/delete/", byID(resource.serveDelete)},
	// Bulk actions post to the list; list_editable saves; custom endpoints.
	{http.MethodPost, "/", resource.serveAction},
	{"", "/list-save/", resource.serveListSave},
	{"", "/{id}/{endpoint}/", serveEndpoint},
	{http.MethodGet, "/{id}/history/", byID(resource.serveHistory)},
}

// byID passes serve the route's {id}.
func byID(serve func(resource, http.ResponseWriter, *http.Request, string) error) resourceServe {
	return func(res resource, w http.ResponseWriter, r *http.Request) error {
		return serve(res, w, r, chi.URLParam(r, "id"))
	}
}

// serveAdd serves /{slug}/add/: the form of a new entity.
func serveAdd(res resource, w http.ResponseWriter, r *http.Request) error {
	return res.serveForm(w, r, "")
}

// serveObject serves /{slug}/{id}/: a list endpoint named {id}, else the
// form of the entity with the id.
func serveObject(res resource, w http.ResponseWriter, r *http.Request) error {
	if found, err := res.serveEndpoint(w, r, "", chi.URLParam(r, "id")); found {
		return err
	}
	return res.serveForm(w, r, chi.URLParam(r, "id"))
}

// serveEndpoint serves /{slug}/{id}/{endpoint}/: an endpoint of the
// entity, which is not found when the resource has no such endpoint.
func serveEndpoint(res resource, w http.ResponseWriter, r *http.Request) error {
	if found, err := res.serveEndpoint(w, r, chi.URLParam(r, "id"), chi.URLParam(r, "endpoint")); found {
		return err
	}
	return ErrNotFound
}

// withResource adapts serve to the resource of the route's {slug},
// answering the error it returns (see Site.answer). It answers 404 to a
// slug that names no resource, 405 to a method other than GET, HEAD and
// POST.
func (s *Site) withResource(serve resourceServe) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		res, ok := s.bySlug[chi.URLParam(r, "slug")]
		if !ok {
			return ErrNotFound
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
			return refuse(http.StatusMethodNotAllowed, "This page does not accept "+r.Method+" requests.")
		}
		return serve(res, w, r)
	})
}

type prefixKey struct{}

// withPrefix records the mount prefix: the part of the request's path
// consumed before the admin's own routes, by chi's Mount (the route
// context's remaining path) or by http.StripPrefix (the difference between
// the path the client asked for and the one left).
func (s *Site) withPrefix(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), prefixKey{}, mountPrefix(r))))
	})
}

// mountPrefix returns the prefix of r's path that the routers in front of
// the admin consumed, "" at the root.
func mountPrefix(r *http.Request) string {
	rest := r.URL.Path
	if rctx := chi.RouteContext(r.Context()); rctx != nil && rctx.RoutePath != "" {
		rest = rctx.RoutePath
	}
	full := r.URL.Path
	if path, _, _ := strings.Cut(r.RequestURI, "?"); strings.HasPrefix(path, "/") {
		if p, err := url.PathUnescape(path); err == nil {
			full = p
		}
	}
	prefix, ok := strings.CutSuffix(full, rest)
	if !ok {
		return ""
	}
	return strings.TrimSuffix(prefix, "/")
}

// Prefix returns the mount prefix of the admin serving r, "" at the root.
func Prefix(r *http.Request) string {
	p, _ := r.Context().Value(prefixKey{}).(string)
	return p
}

// Page returns the frame of a page titled title for r, with the
// navigation the user may see and the messages queued for them. Pages that
// an Authorizer serves use it to look like the rest of the site.
func (s *Site) Page(w http.ResponseWriter, r *http.Request, title string) views.Page {
	return s.page(w, r, title, "")
}

// Render writes a component as an HTML response with the given status.
func (s *Site) Render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	s.render(w, r, status, c)
}

// Error answers with the site's error page.
func (s *Site) Error(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.error(w, r, status, msg)
}

// page returns the frame of a page for r; active is the slug of the
// page's resource, "" for none.
func (s *Site) page(w http.ResponseWriter, r *http.Request, title string, active string) views.Page {
	p := s.frameOnly(r, title, active)
	p.Messages = takeMessages(w, r)
	return p
}

// frameOnly is page without the messages, which a page takes once it is
// sure to be shown.
func (s *Site) frameOnly(r *http.Request, title string, active string) views.Page {
	p := views.Page{
		SiteTitle: s.title,
		Title:     title,
		Prefix:    Prefix(r),
	}
	u := UserFrom(r.Context())
	if u != nil {
		p.User = u.DisplayName()
	}
	if _, open := s.auth.(Open); open {
		p.Notice = "Authentication is off: everyone who can reach this admin may change everything."
	}
	s.frame(r, &p, active)
	return p
}

// Views returns the site's views, e.g. for an Authorizer rendering the
// login page.
func (s *Site) Views() views.Views { return s.views }

func (s *Site) serveDashboard(w http.ResponseWriter, r *http.Request) error {
	page := views.DashboardPage{Page: s.page(w, r, "Site administration", "")}
	counting, cancel := context.WithTimeout(r.Context(), dashboardCountTimeout)
	defer cancel()
	for _, res := range s.resources {
		m := res.meta()
		if !m.can(r, ActionView) {
			continue
		}
		count, err := res.dashboardCount(counting)
		if err != nil {
			if r.Context().Err() != nil {
				return err
			}
			// A locked or slow table leaves its count out, not the page.
			s.logger.Warn("entadmin: dashboard: count left out", "resource", m.slug, "err", err)
			count = ""
		}
		item := views.DashboardItem{Label: capitalize(m.labelPlural), Count: count, ListURL: page.Prefix + "/" + m.slug + "/"}
		if m.can(r, ActionAdd) {
			item.AddURL = page.Prefix + "/" + m.slug + "/add/"
		}
		page.Sections = appendSection(page.Sections, res.section(), item)
	}
	if err := s.recentActions(r, &page); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, s.views.Dashboard(page))
	return nil
}

// appendSection adds an item to the dashboard's section of that name, a
// new section at the end when there is none yet.
func appendSection(secs []views.DashboardSection, label string, item views.DashboardItem) []views.DashboardSection {
	for i := range secs {
		if secs[i].Label == label {
			secs[i].Items = append(secs[i].Items, item)
			return secs
		}
	}
	return append(secs, views.DashboardSection{Label: label, Items: []views.DashboardItem{item}})
}

// render writes a component as an HTML response.
func (s *Site) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	// The page is rendered into memory and sent in one write with its
	// length: written as it renders, it left in many small writes, each
	// a system call and a chunk of its own.
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	buf.Reset()
	err := c.Render(r.Context(), buf)
	if err != nil {
		s.logger.Error("entadmin: render", "path", r.URL.Path, "err", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageBuffers holds the buffers that pages render into.
var pageBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 64<<10)) }}

// maxPooledPage is the largest buffer kept for another page: a rare huge
// page does not keep its memory.
const maxPooledPage = 1 << 20

// putPageBuffer returns buf to pageBuffers unless it grew too large.
func putPageBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooledPage {
		pageBuffers.Put(buf)
	}
}

func (s *Site) notFound(w http.ResponseWriter, r *http.Request) {
	s.error(w, r, http.StatusNotFound, "The page you asked for does not exist.")
}

// error answers with an error page.
func (s *Site) error(w http.ResponseWriter, r *http.Request, status int, msg string) {
	page := views.ErrorPage{Page: s.page(w, r, http.StatusText(status), ""), Status: status, Message: msg}
	s.render(w, r, status, s.views.Error(page))
}

// serverError answers a failed request: see ServerError.
func (s *Site) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if s.answerFailure(w, r, err) {
		return
	}
	s.logger.Error("entadmin: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	s.error(w, r, http.StatusInternalServerError, "Something went wrong on the server; it has been logged.")
}

// capitalize writes a label in sentence case (see package sentence). The
// labels of a site are few and written on every page: each is written
// once.
func capitalize(s string) string {
	if c, ok := capitals.lookup(s); ok {
		return c
	}
	return capitals.get(s, func() string { return sentence.Case(s) })
}

// capitals keeps the labels capitalize wrote.
var capitals memo[string, string]
