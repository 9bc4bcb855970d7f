package rbac

import (
	"fmt"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/policy/condition"
	"github.com/entadmin/entadmin/views"
)

// rbacCheck answers "may user X do action A on resource R (object O)?",
// explaining the answer: the deciding rule and its chain of groups, the
// conditions that failed, or the object grant that allows it.
func (h handlers) rbacCheck(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	users, err := h.userChoices(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p := views.RBACCheckPage{
		Page:  h.rbacPage(w, r, "Check a permission"),
		Links: rbacLinks(r), Users: users, Resources: h.resourceChoices(),
		UserID: q.Get("user"), Action: strings.TrimSpace(q.Get("action")), Resource: q.Get("resource"), ObjectID: strings.TrimSpace(q.Get("object")),
		Address: strings.TrimSpace(q.Get("address")),
	}
	if !q.Has("user") {
		h.site.Render(w, r, http.StatusOK, views.RBACCheckView(p))
		return
	}
	id, err := strconv.Atoi(p.UserID)
	var u *ent.User
	if err == nil {
		u, err = h.e.client.User.Get(ctx, id)
	}
	switch {
	case ent.IsNotFound(err) || u == nil:
		p.Errors = append(p.Errors, "Choose a user.")
	case err != nil:
		h.serverError(w, r, err)
		return
	}
	if p.Action == "" {
		p.Errors = append(p.Errors, "Enter an action, such as view or change.")
	}
	if !h.hasResource(p.Resource) {
		p.Errors = append(p.Errors, "Choose a resource.")
	} else if p.ObjectID != "" && p.Resource != PagesResource && !(siteResources{h.site}).ValidID(p.Resource, p.ObjectID) {
		p.Errors = append(p.Errors, fmt.Sprintf("%q is not an id of %s.", p.ObjectID, p.Resource))
	}
	var addr netip.Addr
	if p.Address != "" {
		if addr, err = netip.ParseAddr(p.Address); err != nil {
			p.Errors = append(p.Errors, fmt.Sprintf("%q is not an IP address.", p.Address))
		}
	}
	if len(p.Errors) > 0 {
		h.site.Render(w, r, http.StatusUnprocessableEntity, views.RBACCheckView(p))
		return
	}
	p.Answered = true
	switch {
	case !u.IsActive:
		p.Reason = "denied: the user is inactive, and inactive users may do nothing"
	case u.IsSuperuser:
		p.Allowed, p.Reason = true, "allowed: the user is a superuser, and superusers pass every check"
	case !u.IsStaff:
		p.Reason = "denied: the user is not staff, and only staff may use the admin"
	default:
		x, err := h.e.Check(ctx, Request{
			UserID: u.ID, Resource: p.Resource, Action: p.Action, ObjectID: p.ObjectID,
			ClientAddr: addr.Unmap(),
		})
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		p.Allowed, p.Reason, p.Failed = x.Allowed, x.Reason, x.Failed
		if x.Rule == nil && len(x.Failed) > 0 { // the failures are listed on their own
			p.Reason, _, _ = strings.Cut(x.Reason, "; ")
		}
		if !x.Allowed && x.Rule == nil && p.Action != string(entadmin.ActionAdd) {
			if err := h.explainObjectGrants(r, u.ID, &p); err != nil {
				h.serverError(w, r, err)
				return
			}
		}
	}
	p.Reason = nameUser(p.Reason, u.ID, u.Username)
	h.site.Render(w, r, http.StatusOK, views.RBACCheckView(p))
}

// nameUser replaces the casbin subject of the user in an explanation,
// such as "user:2", with their username.
func nameUser(reason string, id int, username string) string {
	re := regexp.MustCompile(regexp.QuoteMeta(UserSubject(id)) + `\b`)
	return re.ReplaceAllLiteralString(reason, "user “"+username+"”")
}

// explainObjectGrants completes a denial without rules with the user's
// object grants: on the object asked about, or on some objects.
func (h handlers) explainObjectGrants(r *http.Request, userID int, p *views.RBACCheckPage) error {
	e := h.e
	if p.ObjectID != "" {
		ok, sub, err := e.ObjectGranted(r.Context(), userID, p.Resource, p.ObjectID, p.Action)
		if err != nil || !ok {
			return err
		}
		p.Allowed = true
		p.Reason = fmt.Sprintf("allowed by an object grant of %s on %s %s", sub, p.Resource, p.ObjectID)
		return nil
	}
	ok, err := e.HasObjectGrants(r.Context(), userID, p.Resource, p.Action)
	if err != nil || !ok {
		return err
	}
	p.Allowed = true
	p.Reason = fmt.Sprintf("allowed on some objects only: no rule grants %s on all of %s, but the user holds object grants, which limit the rows they see and change (see Effective permissions)", p.Action, p.Resource)
	return nil
}

// describe writes conditions for people, "" for none.
func describe(c *condition.Set) string {
	if c.Empty() {
		return ""
	}
	var parts []string
	if len(c.CIDR) > 0 {
		parts = append(parts, "from "+strings.Join(c.CIDR, ", "))
	}
	if c.Time != nil {
		parts = append(parts, "during "+c.Time.String())
	}
	for _, a := range c.Attrs {
		parts = append(parts, a.String())
	}
	if c.Rate != nil {
		parts = append(parts, fmt.Sprintf("at most %d uses per %s", c.Rate.Max, c.Rate.Window))
	}
	for _, name := range c.Custom {
		parts = append(parts, "custom rule "+strconv.Quote(name))
	}
	return strings.Join(parts, "; ")
}
