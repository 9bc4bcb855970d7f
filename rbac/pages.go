package rbac

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/views"
)

// PagesResource is the slug of the permission that opens the RBAC pages to
// users who are not superusers: "view" on it shows every page. Importing a
// policy stays reserved to superusers, since it can grant anything.
const PagesResource = "rbac"

// Paths of the RBAC pages below the site's prefix. The audit log's page,
// /rbac/audit/, belongs to the audit log.
const (
	rbacPath          = "/rbac/"
	rbacEffectivePath = "/rbac/effective/"
	rbacCheckPath     = "/rbac/check/"
	rbacTreePath      = "/rbac/tree/"
	rbacExportPath    = "/rbac/export/"
	rbacImportPath    = "/rbac/import/"
	rbacAuditPath     = "/rbac/audit/"
)

// Pages are the pages of the policy below /rbac/: a summary, the
// effective permissions of a user, a permission check that explains its
// answer, the group tree, and the export and import of the whole policy.
// They are open to users the site's Authorizer allows "view" on
// PagesResource; install them on a site with
//
//	site.Configure(entadmin.WithPages(&rbac.Pages{Enforcer: e}))
//
// as batteries.Install does.
type Pages struct {
	// Enforcer is the policy the pages show and import into.
	Enforcer *Enforcer
	// ActiveSessions counts the sessions still live, for the summary;
	// nil leaves the count out.
	ActiveSessions func(context.Context) (int, error)
}

var _ entadmin.Pages = (*Pages)(nil)

// PrivateRoutes implements entadmin.Pages: each route on its own, not a
// mounted subrouter, so that other packages may add pages below /rbac/.
func (p *Pages) PrivateRoutes(s *entadmin.Site, r chi.Router) {
	h := handlers{e: p.Enforcer, sessions: p.ActiveSessions, site: s}
	r = r.With(h.rbacAccess)
	r.Get(rbacPath, h.rbacSummary)
	r.Get(rbacEffectivePath, h.rbacEffectivePick)
	r.Get(rbacEffectivePath+"{user_id}/", h.rbacEffective)
	r.Get(rbacCheckPath, h.rbacCheck)
	r.Get(rbacTreePath, h.rbacTree)
	r.Get(rbacExportPath, h.rbacExport)
	r.Get(rbacImportPath, h.rbacImportForm)
	r.Post(rbacImportPath, h.rbacImport)
}

// handlers serve the Pages on a site.
type handlers struct {
	e        *Enforcer
	sessions func(context.Context) (int, error)
	site     *entadmin.Site
}

// serverError logs err and answers without showing it (see
// entadmin.Site.ServerError: 503 when the database is unavailable).
func (h handlers) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.site.ServerError(w, r, fmt.Errorf("rbac: %w", err))
}

// rbacAccess lets through the users the site allows "view" on
// PagesResource, and answers 403 to everyone else.
func (h handlers) rbacAccess(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !h.site.Allowed(r.Context(), entadmin.ActionView, PagesResource) {
			h.site.Error(w, r, http.StatusForbidden, "The permission pages need the “view” permission on “"+PagesResource+"”.")
			return
		}
		// The permission opens the whole policy: the row scopes of users,
		// groups and grants do not narrow these pages.
		next.ServeHTTP(w, r.WithContext(entadmin.Unscoped(r.Context())))
	})
}

// superuser reports whether the request's user is a superuser.
func superuser(r *http.Request) bool {
	u, ok := entadmin.UserFrom(r.Context()).(entadmin.Superuser)
	return ok && u.Superuser()
}

// rbacLinks returns the links between the RBAC pages for r.
func rbacLinks(r *http.Request) views.RBACLinks {
	p := entadmin.Prefix(r)
	l := views.RBACLinks{
		Summary: p + rbacPath, Effective: p + rbacEffectivePath, Check: p + rbacCheckPath,
		Tree: p + rbacTreePath, Export: p + rbacExportPath, Audit: p + rbacAuditPath,
	}
	if superuser(r) {
		l.Import = p + rbacImportPath
	}
	return l
}

// rbacPage returns the frame of an RBAC page.
func (h handlers) rbacPage(w http.ResponseWriter, r *http.Request, title string) views.Page {
	p := h.site.Page(w, r, title)
	p.Breadcrumbs = []views.Link{{Label: "Home", URL: p.Prefix + "/"}, {Label: "Permissions", URL: p.Prefix + rbacPath}, {Label: title}}
	return p
}

// userChoices returns the users to pick from, by username.
func (h handlers) userChoices(r *http.Request) ([]views.Choice, error) {
	users, err := h.e.client.User.Query().Select(user.FieldID, user.FieldUsername).Order(user.ByUsername()).Limit(1000).All(r.Context())
	if err != nil {
		return nil, err
	}
	choices := make([]views.Choice, len(users))
	for i, u := range users {
		choices[i] = views.Choice{Value: strconv.Itoa(u.ID), Label: u.Username}
	}
	return choices, nil
}

// rbacEffectivePick sends ?user=N to the page of user N, and shows the
// first user without one.
func (h handlers) rbacEffectivePick(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("user")
	if id == "" {
		if uid, ok := entadmin.UserID(entadmin.UserFrom(r.Context())); ok {
			id = strconv.Itoa(uid)
		}
	}
	if _, err := strconv.Atoi(id); err != nil {
		h.site.Error(w, r, http.StatusBadRequest, "Choose a user.")
		return
	}
	http.Redirect(w, r, entadmin.Prefix(r)+rbacEffectivePath+id+"/", http.StatusSeeOther)
}

// rbacEffective shows everything a user may do, and where it comes from.
func (h handlers) rbacEffective(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := strconv.Atoi(chi.URLParam(r, "user_id"))
	if err != nil {
		h.site.Error(w, r, http.StatusNotFound, "There is no such user.")
		return
	}
	u, err := h.e.client.User.Get(ctx, id)
	if ent.IsNotFound(err) {
		h.site.Error(w, r, http.StatusNotFound, "There is no such user.")
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	e := h.e
	perms, err := e.Effective(ctx, id)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	fields, err := e.EffectiveFields(ctx, id)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	objects, err := e.EffectiveObjectGrants(ctx, id, 500)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	users, err := h.userChoices(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p := views.RBACEffectivePage{
		Page:  h.rbacPage(w, r, "Effective permissions of "+u.Username),
		Links: rbacLinks(r), Users: users, UserID: strconv.Itoa(id), Superuser: u.IsSuperuser,
	}
	for _, x := range perms {
		p.Permissions = append(p.Permissions, views.RBACPermission{Resource: x.Resource, Action: x.Action, Via: via(x.Via), Conditions: describe(x.Conditions)})
	}
	for _, f := range fields {
		p.Fields = append(p.Fields, views.RBACPermission{Resource: f.Resource, Field: f.Field, Action: f.Access.String(), Via: via(f.Via)})
	}
	for _, o := range objects {
		p.ObjectGrants = append(p.ObjectGrants, views.RBACPermission{Resource: o.Resource, ObjectID: o.ObjectID, Action: o.Action, Via: via(o.Via)})
	}
	h.site.Render(w, r, http.StatusOK, views.RBACEffectiveView(p))
}

// via writes a chain of subjects: "user:3 → group:2 (editors)".
func via(chain []string) string {
	if len(chain) == 1 {
		return "direct (" + chain[0] + ")"
	}
	return strings.Join(chain, " → ")
}

// rbacTree shows the hierarchy of groups with their members.
func (h handlers) rbacTree(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	groups, err := h.e.client.Group.Query().
		WithUsers(func(q *ent.UserQuery) { q.Select(user.FieldID, user.FieldUsername).Order(user.ByUsername()) }).
		Order(group.ByName()).All(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	ungrouped, err := h.e.client.User.Query().Where(user.Not(user.HasGroups())).Order(user.ByUsername()).Limit(1000).All(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	prefix := entadmin.Prefix(r)
	children := map[int][]*ent.Group{}
	var roots []*ent.Group
	for _, g := range groups {
		if g.ParentID == 0 {
			roots = append(roots, g)
		} else {
			children[g.ParentID] = append(children[g.ParentID], g)
		}
	}
	seen := map[int]bool{}
	var node func(g *ent.Group) views.RBACGroup
	node = func(g *ent.Group) views.RBACGroup {
		seen[g.ID] = true
		n := views.RBACGroup{Name: g.Name, URL: fmt.Sprintf("%s/group/%d/", prefix, g.ID)}
		for _, u := range g.Edges.Users {
			n.Members = append(n.Members, views.Link{Label: u.Username, URL: fmt.Sprintf("%s/user/%d/", prefix, u.ID)})
		}
		for _, c := range children[g.ID] {
			if !seen[c.ID] {
				n.Children = append(n.Children, node(c))
			}
		}
		return n
	}
	p := views.RBACTreePage{Page: h.rbacPage(w, r, "Group tree"), Links: rbacLinks(r)}
	for _, g := range roots {
		p.Roots = append(p.Roots, node(g))
	}
	for _, g := range groups { // a cycle, or a parent that is gone: show it anyway
		if !seen[g.ID] {
			p.Roots = append(p.Roots, node(g))
		}
	}
	for _, u := range ungrouped {
		p.Ungrouped = append(p.Ungrouped, views.Link{Label: u.Username, URL: fmt.Sprintf("%s/user/%d/", prefix, u.ID)})
	}
	h.site.Render(w, r, http.StatusOK, views.RBACTreeView(p))
}

// resourceChoices returns the site's resources and the RBAC permission.
func (h handlers) resourceChoices() []views.Choice {
	var choices []views.Choice
	for _, res := range h.site.Resources() {
		choices = append(choices, views.Choice{Value: res.Slug, Label: res.LabelPlural + " (" + res.Slug + ")"})
	}
	return append(choices, views.Choice{Value: PagesResource, Label: "permission pages (" + PagesResource + ")"})
}

// siteResources tells Enforcer.Import what the site has.
type siteResources struct{ site *entadmin.Site }

func (s siteResources) Resource(slug string) ([]string, bool) {
	if slug == PagesResource {
		return nil, true
	}
	res, ok := s.site.Resource(slug)
	return res.Fields, ok
}

func (s siteResources) ValidID(slug, id string) bool {
	res, ok := s.site.Resource(slug)
	if !ok {
		return false
	}
	_, err := res.ParseID(id)
	return err == nil
}

var _ Resources = siteResources{}

// hasResource reports whether slug names a resource of the site or the
// RBAC permission.
func (h handlers) hasResource(slug string) bool {
	_, ok := siteResources{h.site}.Resource(slug)
	return ok
}
