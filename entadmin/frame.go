package entadmin

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/views"
)

// WithSiteURL links the header's "View site" to the public site, e.g. "/".
// Without it the header has no such link.
func WithSiteURL(url string) Option { return func(s *Site) { s.siteURL = url } }

// LogoutPage is implemented by Authorizers that serve a logout page: the
// header's "Log out" button posts to it. LogoutPath is below the site's
// prefix, e.g. "/logout/".
type LogoutPage interface {
	LogoutPath() string
}

// PasswordPage is implemented by Authorizers that let users change their
// own password: the header links to PasswordPath(u), below the site's
// prefix; "" for a user who cannot.
type PasswordPage interface {
	PasswordPath(u User) string
}

// NavLinker is implemented by Pages and Authorizers that have pages in the
// navigation, e.g. rbac.Pages: NavLinks returns the links to the pages the request's user
// may open, their URLs below the site's prefix.
type NavLinker interface {
	NavLinks(s *Site, r *http.Request) []views.Link
}

// section returns the resource's section: Section, or the name of the Go
// package that holds its ent package.
func (r *Resource[T]) section() string {
	if r.Section != "" {
		return r.Section
	}
	t := reflect.TypeFor[T]()
	if s, ok := sections.lookup(t); ok {
		return s
	}
	return sections.get(t, func() string {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		parts := strings.Split(t.PkgPath(), "/")
		for i := len(parts) - 1; i >= 0; i-- {
			if parts[i] != "ent" && parts[i] != "" {
				return capitalize(strings.ReplaceAll(parts[i], "_", " "))
			}
		}
		return "Resources"
	})
}

// sections keeps the sections of the entity types' packages.
var sections memo[reflect.Type, string]

// media returns the resource's extra stylesheets and scripts.
func (r *Resource[T]) media() (css, js []string) { return r.MediaCSS, r.MediaJS }

// dashboardCountTimeout bounds the time the dashboard spends counting:
// the counts it has not made by then, e.g. of a locked table, are left
// out.
const dashboardCountTimeout = 500 * time.Millisecond

// dashboardCount counts the resource's rows within the user's row scope
// for the dashboard, bounded as a list's CountAuto is: estimated on big
// PostgreSQL tables, exact on small ones. The text is "" with CountNone.
func (r *Resource[T]) dashboardCount(ctx context.Context) (string, error) {
	if r.CountMode == CountNone || ctx.Err() != nil {
		return "", nil
	}
	t := total{known: true, exact: true}
	if r.Driver != nil && r.Table != "" {
		drv := r.Driver(ctx)
		sel, err := r.selector(ctx, drv.Dialect(), nil)
		if err != nil {
			return "", err
		}
		c, ok, err := counterFor(drv.Dialect()).count(ctx, drv, r.Table, func() *sql.Selector { return sel.Clone() }, nil, sel.P() != nil, CountAuto, nil, nil, "")
		if err != nil {
			return "", err
		}
		t = c.total
		if !ok {
			t = total{}
		}
	}
	if !t.known {
		n, err := r.Count(ctx, nil)
		if err != nil {
			return "", err
		}
		t = total{n: n, known: true, exact: true}
	}
	if !t.exact {
		return aboutCount(t.n) + " " + r.LabelPlural, nil
	}
	return formatCount(t.n) + " " + r.label(t.n), nil
}

// frame fills in the parts of a page's frame that depend on the request:
// the user menu, the theme, the navigation and the active resource's
// media.
func (s *Site) frame(r *http.Request, p *views.Page, active string) {
	p.Theme = s.theme(r)
	p.SiteURL = s.siteURL
	p.Frame = s.views.Frame
	if s.assets != nil {
		if _, ok := s.assets.names[themesCSS]; ok {
			p.CSS = append(p.CSS, s.assets.url(p.Prefix, themesCSS))
		}
	}
	u := UserFrom(r.Context())
	if u == nil {
		return
	}
	p.Themes = s.themeChoices(p.Theme)
	p.ThemeURL = p.Prefix + themePath
	// A page comes back to itself after the theme menu; an oversized
	// address, which the page refuses, comes back to the dashboard.
	p.Return = requestURI(r)
	if len(p.Return) > maxReturn {
		p.Return = p.Prefix + "/"
	}
	if lp, ok := s.auth.(LogoutPage); ok {
		p.LogoutURL = p.Prefix + lp.LogoutPath()
	}
	if pp, ok := s.auth.(PasswordPage); ok {
		if path := pp.PasswordPath(u); path != "" {
			p.PasswordURL = p.Prefix + path
		}
	}
	for _, res := range s.resources {
		m := res.meta()
		if !m.can(r, ActionView) {
			continue
		}
		item := views.NavItem{Label: capitalize(m.labelPlural), URL: p.Prefix + "/" + m.slug + "/", Active: m.slug == active}
		p.Nav = appendNav(p.Nav, res.section(), item)
		if m.slug == active && s.assets != nil {
			css, js := res.media()
			for _, f := range css {
				p.CSS = append(p.CSS, s.assets.url(p.Prefix, f))
			}
			for _, f := range js {
				p.JS = append(p.JS, s.assets.url(p.Prefix, f))
			}
		}
	}
	var tools []views.Link
	for _, ap := range s.auditPages {
		if slices.ContainsFunc(ap.Resources, func(slug string) bool { return s.Allowed(r.Context(), ActionView, slug) }) {
			tools = append(tools, views.Link{Label: capitalize(ap.Title), URL: p.Prefix + ap.Path})
		}
	}
	linkers := []any{s.auth}
	for _, pg := range s.pages {
		linkers = append(linkers, pg)
	}
	for _, pg := range linkers {
		if nl, ok := pg.(NavLinker); ok {
			for _, l := range nl.NavLinks(s, r) {
				tools = append(tools, views.Link{Label: l.Label, URL: p.Prefix + l.URL})
			}
		}
	}
	for _, l := range tools {
		p.Nav = appendNav(p.Nav, "Administration", views.NavItem{Label: l.Label, URL: l.URL, Active: l.URL == requestPath(r)})
	}
}

// appendNav adds an item to the navigation's section of that name, a new
// section at the end when there is none yet.
func appendNav(nav []views.NavSection, section string, item views.NavItem) []views.NavSection {
	for i := range nav {
		if nav[i].Label == section {
			nav[i].Items = append(nav[i].Items, item)
			return nav
		}
	}
	return append(nav, views.NavSection{Label: section, Items: []views.NavItem{item}})
}

// maxReturn bounds the address a header form comes back to.
const maxReturn = 4 << 10

// requestURI returns the path and query the client asked for, the mount
// prefix included.
func requestURI(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	return Prefix(r) + r.URL.RequestURI()
}

// requestPath returns the path the client asked for, the mount prefix
// included.
func requestPath(r *http.Request) string {
	path, _, _ := strings.Cut(requestURI(r), "?")
	return path
}

// refusesAdd reports whether the resource refuses add to everyone
// (Resource.NoAdd).
func (m *meta) refusesAdd() bool { return m.noAdd != nil && *m.noAdd }
