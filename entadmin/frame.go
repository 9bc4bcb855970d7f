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
	plan := s.navPlan(p.Prefix)
	p.Themes = s.themeChoices(p.Theme)
	p.ThemeURL = plan.themeURL
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
	p.Nav = plan.nav(r, active)
	for _, res := range s.resources {
		m := res.meta()
		if m.slug == active && s.assets != nil && m.can(r, ActionView) {
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

// navPlan is what the navigation takes from the site and the mount prefix
// alone, whoever asks: each resource's link and section. Every request
// still decides which of them its user may see.
type navPlan struct {
	prefix    string
	resources int // how many resources the plan was made with
	themeURL  string
	entries   []navEntry
	sections  int // how many distinct sections the entries have
}

// navEntry is a resource's place in the navigation.
type navEntry struct {
	m       *meta
	section string
	label   string
	url     string
}

// navPlan returns the plan of the navigation under prefix: the one made
// for the last prefix asked, or a new one.
func (s *Site) navPlan(prefix string) *navPlan {
	if plan := s.nav.Load(); plan != nil && plan.prefix == prefix && plan.resources == len(s.resources) {
		return plan
	}
	plan := &navPlan{prefix: prefix, resources: len(s.resources), themeURL: prefix + themePath, entries: make([]navEntry, len(s.resources))}
	seen := map[string]bool{}
	for i, res := range s.resources {
		m := res.meta()
		e := navEntry{m: m, section: res.section(), label: capitalize(m.labelPlural), url: prefix + "/" + m.slug + "/"}
		plan.entries[i] = e
		if !seen[e.section] {
			seen[e.section] = true
			plan.sections++
		}
	}
	s.nav.Store(plan)
	return plan
}

// nav returns the navigation's sections with the resources the request's
// user may view, in the order of their first resource, the active one
// marked. Each section's items are capped so that appending to one copies
// it rather than overwrite the next section's.
func (plan *navPlan) nav(r *http.Request, active string) []views.NavSection {
	visible := make([]*navEntry, 0, len(plan.entries))
	nav := make([]views.NavSection, 0, plan.sections+1)
	counts := make([]int, 0, plan.sections)
	place := make([]int, 0, len(plan.entries)) // each visible entry's section
	for i := range plan.entries {
		e := &plan.entries[i]
		if !e.m.can(r, ActionView) {
			continue
		}
		at := slices.IndexFunc(nav, func(sec views.NavSection) bool { return sec.Label == e.section })
		if at < 0 {
			at = len(nav)
			nav = append(nav, views.NavSection{Label: e.section})
			counts = append(counts, 0)
		}
		counts[at]++
		visible = append(visible, e)
		place = append(place, at)
	}
	if len(visible) == 0 {
		return nil
	}
	items := make([]views.NavItem, len(visible))
	start := 0
	for i, n := range counts {
		nav[i].Items = items[start : start : start+n]
		start += n
	}
	for i, e := range visible {
		sec := &nav[place[i]]
		sec.Items = append(sec.Items, views.NavItem{Label: e.label, URL: e.url, Active: e.m.slug == active})
	}
	return nav
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
