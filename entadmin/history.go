package entadmin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/entadmin/entadmin/views"
)

// maxHistory caps the entries a history page shows.
const maxHistory = 200

// auditTimeFormat is how history pages show times.
const auditTimeFormat = "2006-01-02 15:04:05"

// serveHistory shows the audit entries of one object, newest first; it
// stays readable after the object is deleted.
func (r *Resource[T]) serveHistory(w http.ResponseWriter, req *http.Request, id string) {
	if !r.m.allow(w, req, ActionView) {
		return
	}
	site := r.m.site
	if site.audit == nil {
		site.notFound(w, req)
		return
	}
	ctx := req.Context()
	entries, err := site.audit.Entries(auditRead(ctx), AuditFilter{Resources: []string{r.Slug}, ObjectID: id, Limit: maxHistory})
	if err != nil {
		site.serverError(w, req, err)
		return
	}
	prefix := Prefix(req)
	base := prefix + "/" + r.Slug + "/"
	name, back := "", base
	if e, err := r.Get(ctx, id); err == nil {
		name, back = r.Display(e), base+url.PathEscape(id)+"/"
	} else if !r.isNotFound(err) {
		site.serverError(w, req, err)
		return
	} else if len(entries) == 0 {
		r.notFoundOr(w, req, err)
		return
	} else {
		name = entries[0].ObjectRepr + " (deleted)"
	}
	title := "History of " + r.Label + " “" + name + "”"
	page := views.HistoryPage{Page: site.page(w, req, title, r.Slug), BackURL: back, Rows: site.auditRows(entries, nil)}
	page.Breadcrumbs = []views.Link{{Label: "Home", URL: prefix + "/"}, {Label: capitalize(r.LabelPlural), URL: base}, {Label: name, URL: back}, {Label: "History"}}
	site.render(w, req, http.StatusOK, r.views().History(page))
}

// auditRows turns entries into rows; link, when not nil, gives an entry's
// object a URL.
func (s *Site) auditRows(entries []AuditEntry, link func(AuditEntry) (string, string)) []views.AuditRow {
	rows := make([]views.AuditRow, len(entries))
	for i, e := range entries {
		row := views.AuditRow{
			At:      e.At.In(s.location).Format(auditTimeFormat),
			User:    e.UserName,
			Action:  e.Action,
			Object:  e.ObjectRepr,
			IP:      e.IP,
			Message: e.Message,
			Changes: fieldChanges(e.Changes),
		}
		if link != nil {
			row.Object, row.ObjectURL = link(e)
		}
		rows[i] = row
	}
	return rows
}

// fieldChanges lists changes by field name.
func fieldChanges(changes map[string]Change) []views.FieldChange {
	names := make([]string, 0, len(changes))
	for name := range changes {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]views.FieldChange, 0, len(names))
	for _, name := range names {
		c := changes[name]
		fc := views.FieldChange{Field: name, Hidden: c.Hidden, Old: auditValue(c.Old), New: auditValue(c.New)}
		var parts []string
		if len(c.Added) > 0 {
			parts = append(parts, "added "+joinValues(c.Added))
		}
		if len(c.Removed) > 0 {
			parts = append(parts, "removed "+joinValues(c.Removed))
		}
		if c.Cleared {
			parts = append(parts, "cleared")
		}
		if len(parts) > 0 {
			fc.New = strings.Join(parts, "; ")
		}
		out = append(out, fc)
	}
	return out
}

// auditValue formats a recorded value.
func auditValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strings.TrimSuffix(fmt.Sprintf("%.6f", x), ".000000")
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t.Format(auditTimeFormat)
		}
		return x
	}
	return fmt.Sprint(v)
}

func joinValues[V any](vs []V) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = auditValue(v)
	}
	return strings.Join(s, ", ")
}

// objectLink names the object of an entry with its type and links to its
// edit form when its resource is registered.
func (s *Site) objectLink(prefix string) func(AuditEntry) (string, string) {
	return func(e AuditEntry) (string, string) {
		res, ok := s.bySlug[e.Resource]
		if !ok || e.ObjectID == "" {
			return strings.TrimSpace(e.Resource + " " + e.ObjectRepr), ""
		}
		m := res.meta()
		name := capitalize(m.label) + " “" + e.ObjectRepr + "”"
		if e.Action == AuditDelete {
			return name, ""
		}
		return name, prefix + "/" + m.slug + "/" + url.PathEscape(e.ObjectID) + "/"
	}
}

// Superuser is implemented by Users who pass every permission check; the
// dashboard shows them everyone's recent actions.
type Superuser interface {
	Superuser() bool
}

// maxRecent is how many recent actions the dashboard lists.
const maxRecent = 10

// recentActions fills in the dashboard's recent actions: the user's own,
// or everyone's for superusers.
func (s *Site) recentActions(ctx context.Context, page *views.DashboardPage) error {
	if s.audit == nil {
		return nil
	}
	f := AuditFilter{Limit: maxRecent}
	page.RecentTitle = "Everyone's recent actions"
	if su, ok := UserFrom(ctx).(Superuser); !ok || !su.Superuser() {
		f.UserName = Actor(ctx)
		page.RecentTitle = "My recent actions"
	}
	entries, err := s.audit.Entries(auditRead(ctx), f)
	if err != nil {
		return err
	}
	entries = slices.DeleteFunc(entries, func(e AuditEntry) bool { return e.Resource == "" })
	page.Recent = s.auditRows(entries, s.objectLink(page.Prefix))
	return nil
}

// AuditPage configures a page listing the audit entries of some resources,
// e.g. the RBAC audit log at /rbac/audit/ (see WithAuditPage).
type AuditPage struct {
	Path      string   // below the site's prefix, e.g. "/rbac/audit/"
	Title     string   // e.g. "RBAC audit log"
	Resources []string // slugs; a user sees those they may view
}

// WithAuditPage serves a page listing the audit entries of some resources,
// newest first, filterable by user: who changed what, when, old and new
// values. A user sees the entries of the resources they may view, and gets
// 403 when that is none of them.
func WithAuditPage(p AuditPage) Option {
	return func(s *Site) { s.auditPages = append(s.auditPages, p) }
}

// serveAuditPage serves one AuditPage.
func (s *Site) serveAuditPage(p AuditPage) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		ctx := req.Context()
		u := UserFrom(ctx)
		var slugs []string
		for _, slug := range p.Resources {
			if s.auth.Allowed(ctx, u, ActionView, slug) {
				slugs = append(slugs, slug)
			}
		}
		if len(slugs) == 0 || s.audit == nil {
			s.error(w, req, http.StatusForbidden, "You may not view any of the resources of this audit log.")
			return
		}
		all, err := s.audit.Entries(auditRead(ctx), AuditFilter{Resources: slugs, Limit: maxHistory})
		if err != nil {
			s.serverError(w, req, err)
			return
		}
		filter := req.URL.Query().Get("user")
		entries := all
		if filter != "" {
			if entries, err = s.audit.Entries(auditRead(ctx), AuditFilter{Resources: slugs, UserName: filter, Limit: maxHistory}); err != nil {
				s.serverError(w, req, err)
				return
			}
		}
		prefix := Prefix(req)
		page := views.HistoryPage{
			Page:         s.page(w, req, p.Title, ""),
			Intro:        "Every change to " + strings.Join(slugs, ", ") + ": who made it, when, and the old and new values.",
			Rows:         s.auditRows(entries, s.objectLink(prefix)),
			FilterAction: prefix + p.Path,
			Filter:       filter,
		}
		for _, e := range all {
			if !slices.Contains(page.Users, e.UserName) {
				page.Users = append(page.Users, e.UserName)
			}
		}
		if filter != "" && !slices.Contains(page.Users, filter) {
			page.Users = append(page.Users, filter)
		}
		sort.Strings(page.Users)
		page.Breadcrumbs = []views.Link{{Label: "Home", URL: prefix + "/"}, {Label: p.Title}}
		s.render(w, req, http.StatusOK, s.views.History(page))
	}
}
