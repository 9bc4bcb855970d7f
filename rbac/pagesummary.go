package rbac

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/ent/objectgrant"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/views"
)

// rbacModels are the slugs of entadmin's models whose changes are RBAC
// changes, as the audit log records them.
var rbacModels = []string{"user", "group", "policyrule", "objectgrant"}

// maxObjectChecks bounds the object grants whose objects the summary looks
// up: each costs a query.
const maxObjectChecks = 200

// summaryCount is a count the summary shows, linked to the list it counts.
type summaryCount struct {
	label, url string
	count      func(context.Context) (int, error)
}

// rbacSummary shows the counts, the orphaned grants, the share of
// resources with explicit grants and the last 50 RBAC changes.
func (h handlers) rbacSummary(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c := h.e.client
	p := views.RBACSummaryPage{Page: h.rbacPage(w, r, "Permissions"), Links: rbacLinks(r)}
	p.Breadcrumbs = p.Breadcrumbs[:2]
	p.Breadcrumbs[1].URL = ""
	prefix := p.Prefix
	counts := []summaryCount{
		{"Users", "/user/", c.User.Query().Count},
		{"Active users", "/user/?is_active=1", c.User.Query().Where(user.IsActive(true)).Count},
		{"Groups", "/group/", c.Group.Query().Count},
		{"Grants", "/policyrule/?ptype=p", c.PolicyRule.Query().Where(policyrule.Ptype("p")).Count},
		{"Field grants", "/policyrule/?ptype=p2", c.PolicyRule.Query().Where(policyrule.Ptype("p2")).Count},
		{"Object grants", "/objectgrant/", c.ObjectGrant.Query().Count},
	}
	if h.sessions != nil {
		counts = append(counts, summaryCount{"Active sessions", "/session/", h.sessions})
	}
	for _, k := range counts {
		n, err := k.count(ctx)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		p.Counts = append(p.Counts, views.RBACCount{Label: k.label, Value: n, URL: prefix + k.url})
	}
	orphans, covered, err := h.orphans(ctx, prefix)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Orphans = orphans
	total := len(h.site.Resources())
	p.Coverage = fmt.Sprintf("%d of %d resources", covered, total)
	if total > 0 {
		p.Coverage += fmt.Sprintf(" (%d%%)", covered*100/total)
	}
	entries, err := c.AuditEntry.Query().
		Where(auditentry.ResourceIn(rbacModels...)).
		Order(ent.Desc(auditentry.FieldAt), ent.Desc(auditentry.FieldID)).
		Limit(50).All(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, e := range entries {
		ch := views.RBACChange{
			At: e.At.In(time.Local).Format("2006-01-02 15:04 MST"), User: e.UserName, Action: e.Action,
			Resource: e.Resource, Object: cmp.Or(e.ObjectRepr, e.ObjectID),
		}
		if e.ObjectID != "" && e.Action != "delete" {
			ch.URL = prefix + "/" + e.Resource + "/" + e.ObjectID + "/"
		}
		p.Changes = append(p.Changes, ch)
	}
	h.site.Render(w, r, http.StatusOK, views.RBACSummaryView(p))
}

// orphans finds grants that point at nothing, and counts the resources of
// the site with at least one explicit grant.
func (h handlers) orphans(ctx context.Context, prefix string) ([]views.RBACOrphan, int, error) {
	c := h.e.client
	userIDs, err := c.User.Query().IDs(ctx)
	if err != nil {
		return nil, 0, err
	}
	groupIDs, err := c.Group.Query().IDs(ctx)
	if err != nil {
		return nil, 0, err
	}
	exists := map[string]bool{}
	for _, id := range userIDs {
		exists["user:"+strconv.Itoa(id)] = true
	}
	for _, id := range groupIDs {
		exists["group:"+strconv.Itoa(id)] = true
	}
	covered := map[string]bool{}
	var out []views.RBACOrphan
	rules, err := c.PolicyRule.Query().Where(policyrule.PtypeIn("p", "p2")).Order(policyrule.ByID()).All(ctx)
	if err != nil {
		return nil, 0, err
	}
	for _, r := range rules {
		kind := "rule"
		if r.Ptype == "p2" {
			kind = "field rule"
		}
		what := strings.Join([]string{r.V0, r.V1, r.V2, r.V3}, ", ")
		url := fmt.Sprintf("%s/policyrule/%d/", prefix, r.ID)
		base, _, _ := strings.Cut(r.V1, "/")
		switch {
		case !exists[r.V0]:
			out = append(out, views.RBACOrphan{Kind: kind, What: what, URL: url, Why: "its subject " + r.V0 + " does not exist"})
		case !h.hasResource(base):
			out = append(out, views.RBACOrphan{Kind: kind, What: what, URL: url, Why: "there is no resource " + strconv.Quote(base)})
		default:
			covered[base] = true
		}
	}
	grants, err := c.ObjectGrant.Query().Order(objectgrant.ByID()).All(ctx)
	if err != nil {
		return nil, 0, err
	}
	checked := 0
	for _, g := range grants {
		what := fmt.Sprintf("%s %s: %s", g.Resource, g.ObjectID, g.Action)
		url := fmt.Sprintf("%s/objectgrant/%d/", prefix, g.ID)
		res, ok := h.site.Resource(g.Resource)
		if !ok {
			out = append(out, views.RBACOrphan{Kind: "object grant", What: what, URL: url, Why: "there is no resource " + strconv.Quote(g.Resource)})
			continue
		}
		covered[g.Resource] = true
		if checked++; checked > maxObjectChecks {
			continue
		}
		found, err := res.Exists(ctx, g.ObjectID)
		if err != nil {
			return nil, 0, err
		}
		if !found {
			out = append(out, views.RBACOrphan{Kind: "object grant", What: what, URL: url, Why: fmt.Sprintf("%s %s no longer exists", res.Label, g.ObjectID)})
		}
	}
	n := 0
	for _, res := range h.site.Resources() {
		if covered[res.Slug] {
			n++
		}
	}
	return out, n, nil
}
