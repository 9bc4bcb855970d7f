package entadmin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/entadmin/entadmin/views"
)

// maxHistory caps the entries a history page shows.
const maxHistory = 200

// auditTimeFormat is how history pages show times.
const auditTimeFormat = "2006-01-02 15:04:05"

// serveHistory shows the audit entries of one object, newest first, as the
// request's grant lets the user see them (see visibleEntries). The history
// of an object outside the user's row scope is not found, whether or not
// the object still exists; a deleted object's history stays readable to
// users without a row scope on its type, and only to them, since nothing
// tells whether a deleted object was within a row scope.
func (r *Resource[T]) serveHistory(w http.ResponseWriter, req *http.Request, id string) error {
	if err := r.m.check(req, ActionView); err != nil {
		return err
	}
	site := r.m.site
	if site.audit == nil {
		return ErrNotFound
	}
	ctx := req.Context()
	prefix := Prefix(req)
	base := prefix + "/" + r.Slug + "/"
	name, back, deleted := "", base, false
	if e, err := r.Get(ctx, id); err == nil {
		name, back = r.Display(e), base+url.PathEscape(id)+"/"
	} else if !r.isNotFound(err) {
		return err
	} else if scoped, serr := r.m.grant(ctx).scoped(); serr != nil {
		return serr
	} else if scoped {
		return r.orNotFound(err)
	} else {
		deleted = true
	}
	entries, err := site.audit.Entries(auditRead(ctx), AuditFilter{Resources: []string{r.Slug}, ObjectID: id, Limit: maxHistory})
	if err != nil {
		return err
	}
	if deleted {
		if len(entries) == 0 {
			return r.orNotFound(ErrNotFound)
		}
		name = entries[0].ObjectRepr + " (deleted)"
	}
	if entries, err = site.visibleEntries(req, entries); err != nil {
		return err
	}
	rows, err := site.auditRows(req, entries, false)
	if err != nil {
		return err
	}
	title := "History of " + r.Label + " “" + name + "”"
	page := views.HistoryPage{Page: site.page(w, req, title, r.Slug), BackURL: back, Rows: rows}
	page.Breadcrumbs = []views.Link{{Label: "Home", URL: prefix + "/"}, {Label: capitalize(r.LabelPlural), URL: base}, {Label: name, URL: back}, {Label: "History"}}
	site.render(w, req, http.StatusOK, r.views().History(page))
	return nil
}

// visibleEntries returns the audit entries the request's user may see, in
// their order: those about resources they may view and objects within
// their row scope (the deleted objects of a type on which they have a row
// scope are out of it), without the changes of fields they may not see
// (hidden fields, edges to types they may not view). An entry whose every
// change is left out goes too. Entries about no resource of the site
// follow the view permission on the slug they name, if any.
func (s *Site) visibleEntries(req *http.Request, entries []AuditEntry) ([]AuditEntry, error) {
	bySlug := map[string][]int{}
	for i, e := range entries {
		bySlug[e.Resource] = append(bySlug[e.Resource], i)
	}
	keep := make([]bool, len(entries))
	for slug, idx := range bySlug {
		res, ok := s.bySlug[slug]
		if !ok {
			seen := slug == "" || s.canView(req, slug)
			for _, i := range idx {
				keep[i] = seen
			}
			continue
		}
		of := make([]AuditEntry, len(idx))
		for j, i := range idx {
			of[j] = entries[i]
		}
		kept, err := res.auditVisible(req, of)
		if err != nil {
			return nil, err
		}
		for j, i := range idx {
			entries[i], keep[i] = of[j], kept[j]
		}
	}
	out := entries[:0]
	for i, e := range entries {
		if keep[i] {
			out = append(out, e)
		}
	}
	return out, nil
}

// auditVisible decides which of entries, all about the resource, the
// request's user may see, and leaves out of each the changes they may not
// see; see Site.visibleEntries.
func (r *Resource[T]) auditVisible(req *http.Request, entries []AuditEntry) ([]bool, error) {
	ctx := req.Context()
	g := r.m.grant(ctx)
	keep := make([]bool, len(entries))
	if !g.can(ActionView) {
		return keep, nil
	}
	ids := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.ObjectID != "" {
			ids = append(ids, e.ObjectID)
		}
	}
	within, err := r.within(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range entries {
		e := &entries[i]
		if within != nil && e.ObjectID != "" && !within[e.ObjectID] {
			continue
		}
		changes := r.visibleChanges(g, e.Changes)
		if len(e.Changes) > 0 && len(changes) == 0 {
			continue
		}
		e.Changes, keep[i] = changes, true
	}
	return keep, nil
}

// within returns which of the ids name rows within the user's row scope
// (view), or nil when the user has none. An id of a row that does not
// exist is not within it.
func (r *Resource[T]) within(ctx context.Context, ids []string) (map[string]bool, error) {
	scoped, err := r.m.grant(ctx).scoped()
	if err != nil || !scoped {
		return nil, err
	}
	return r.existing(ctx, ids)
}

// visibleChanges returns the changes of fields the user may see.
func (r *Resource[T]) visibleChanges(g *grant, changes map[string]Change) map[string]Change {
	var out map[string]Change
	for key, c := range changes {
		if !r.changeVisible(g, key) {
			continue
		}
		if out == nil {
			out = make(map[string]Change, len(changes))
		}
		out[key] = c
	}
	return out
}

// changeVisible reports whether the user may see the change the audit log
// recorded under key: a field, an edge, or the foreign key of an edge.
func (r *Resource[T]) changeVisible(g *grant, key string) bool {
	if !g.visible(key) {
		return false
	}
	for _, f := range r.Fields {
		if f.Name != key && f.Column != key {
			continue
		}
		if !g.visible(f.Name) || (f.Kind == KindEdge || f.Kind == KindEdges) && !g.canViewType(f.Target) {
			return false
		}
	}
	return true
}

// canView reports whether the request's user may view the resource with
// the slug, or, for a slug that names no resource of the site, whether the
// Authorizer allows viewing it.
func (s *Site) canView(req *http.Request, slug string) bool {
	if res, ok := s.bySlug[slug]; ok {
		return res.meta().can(req, ActionView)
	}
	ctx := req.Context()
	return s.auth.Allowed(ctx, UserFrom(ctx), ActionView, slug)
}

// auditRows turns entries into rows, their values formatted for the
// request's user (see changeRows); with linked, each names its object with
// its type and links to it when the user may view it and it still exists
// (see ObjectURLs).
func (s *Site) auditRows(req *http.Request, entries []AuditEntry, linked bool) ([]views.AuditRow, error) {
	changes, err := s.changeRows(req, entries)
	if err != nil {
		return nil, err
	}
	var urls []string
	if linked {
		refs := make([]ObjectRef, len(entries))
		for i, e := range entries {
			refs[i] = ObjectRef{Resource: e.Resource, ID: e.ObjectID}
		}
		if urls, err = s.ObjectURLs(req, refs); err != nil {
			return nil, err
		}
	}
	rows := make([]views.AuditRow, len(entries))
	for i, e := range entries {
		row := views.AuditRow{
			At:      e.At.In(s.location).Format(auditTimeFormat),
			User:    e.UserName,
			Action:  e.Action,
			Object:  e.ObjectRepr,
			IP:      e.IP,
			Message: e.Message,
			Changes: changes[i],
		}
		if linked {
			row.Object, row.ObjectURL = s.objectName(e), urls[i]
		}
		rows[i] = row
	}
	return rows, nil
}

// fieldChanges lists changes by the names they were recorded under, for
// entries about no resource of the site.
func fieldChanges(changes map[string]Change) []views.FieldChange {
	names := make([]string, 0, len(changes))
	for name, c := range changes {
		if !emptyChange(c) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := make([]views.FieldChange, len(names))
	for i, name := range names {
		out[i] = fieldChange(name, changes[name])
	}
	return out
}

// fieldChange shows one change as recorded.
func fieldChange(name string, c Change) views.FieldChange {
	fc := views.FieldChange{Field: name, Hidden: c.Hidden}
	if !c.Hidden {
		fc.Old, fc.New = auditValue(c.Old), auditValue(c.New)
		fc.Value = edgeSummary(c, auditValue)
	}
	return fc
}

// auditValue formats a recorded value: numbers as short as they are exact,
// times as YYYY-MM-DD HH:MM:SS.
func auditValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t.Format(auditTimeFormat)
		}
		return x
	}
	return fmt.Sprint(v)
}

// objectName names the object of an entry with its type.
func (s *Site) objectName(e AuditEntry) string {
	res, ok := s.bySlug[e.Resource]
	if !ok || e.ObjectID == "" {
		return strings.TrimSpace(e.Resource + " " + e.ObjectRepr)
	}
	return capitalize(res.meta().label) + " “" + e.ObjectRepr + "”"
}

// Superuser is implemented by Users who pass every permission check; the
// dashboard shows them everyone's recent actions.
type Superuser interface {
	Superuser() bool
}

// maxRecent is how many recent actions the dashboard lists.
const maxRecent = 10

// recentActions fills in the dashboard's recent actions: the user's own,
// or everyone's for superusers, as far as the user may still see them.
func (s *Site) recentActions(req *http.Request, page *views.DashboardPage) error {
	if s.audit == nil {
		return nil
	}
	ctx := req.Context()
	f := AuditFilter{Limit: 3 * maxRecent}
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
	if entries, err = s.visibleEntries(req, entries); err != nil {
		return err
	}
	page.Recent, err = s.auditRows(req, entries[:min(len(entries), maxRecent)], true)
	return err
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
	return s.handle(func(w http.ResponseWriter, req *http.Request) error {
		ctx := req.Context()
		var slugs []string
		for _, slug := range p.Resources {
			if s.canView(req, slug) {
				slugs = append(slugs, slug)
			}
		}
		if len(slugs) == 0 || s.audit == nil {
			return refuse(http.StatusForbidden, "You may not view any of the resources of this audit log.")
		}
		all, err := s.audit.Entries(auditRead(ctx), AuditFilter{Resources: slugs, Limit: maxHistory})
		if err == nil {
			all, err = s.visibleEntries(req, all)
		}
		if err != nil {
			return err
		}
		filter := req.URL.Query().Get("user")
		entries := all
		if filter != "" {
			entries, err = s.audit.Entries(auditRead(ctx), AuditFilter{Resources: slugs, UserName: filter, Limit: maxHistory})
			if err == nil {
				entries, err = s.visibleEntries(req, entries)
			}
			if err != nil {
				return err
			}
		}
		prefix := Prefix(req)
		rows, err := s.auditRows(req, entries, true)
		if err != nil {
			return err
		}
		page := views.HistoryPage{
			Page:         s.page(w, req, p.Title, ""),
			Intro:        "Every change to " + strings.Join(slugs, ", ") + ": who made it, when, and the old and new values.",
			Rows:         rows,
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
		return nil
	})
}
