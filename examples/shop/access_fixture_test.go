package main

import (
	"context"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/ent/session"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/rbac"
)

// The kinds of ids a route with {id} is tried with.
const (
	idIn      = "in"      // the object the scoped users are granted
	idOut     = "out"     // another existing object
	idDeleted = "deleted" // an object that was deleted (or never existed)
	idSelf    = "self"    // the requesting user (user routes only)
)

// accessRole is a user of the permission tests: what they may do, for
// computing the expected answers, and a client logged in as them.
type accessRole struct {
	name, password string
	superuser      bool
	// model holds the actions granted on every row of a resource,
	// objects those granted on the fixture's in-scope object only.
	model, objects map[string][]entadmin.Action
	// hiddenCanaries names the canaries the user must never be shown.
	hiddenCanaries []string
	id             int
	client         *browserless // nil: anonymous
}

// holds reports whether acts grant action, a change or delete grant
// including view (who may change an object may see it).
func holds(acts []entadmin.Action, action entadmin.Action) bool {
	return slices.Contains(acts, action) ||
		action == entadmin.ActionView && (slices.Contains(acts, entadmin.ActionChange) || slices.Contains(acts, entadmin.ActionDelete))
}

// viewOnlySlugs are the resources nobody may add, change or delete.
var viewOnlySlugs = []string{"auditentry"}

// noAddSlugs are the resources nobody may add: sessions, which only
// logging in makes.
var noAddSlugs = []string{"session"}

// may reports whether the role may do action on some rows of the resource.
func (r *accessRole) may(slug string, action entadmin.Action) bool {
	if action != entadmin.ActionView && slices.Contains(viewOnlySlugs, slug) || action == entadmin.ActionAdd && slices.Contains(noAddSlugs, slug) {
		return false
	}
	if r.superuser || holds(r.model[slug], action) {
		return true
	}
	return action != entadmin.ActionAdd && holds(r.objects[slug], action)
}

// sees reports whether the object of the id kind is within the rows the
// role may do action on.
func (r *accessRole) sees(slug string, action entadmin.Action, kind string) bool {
	switch {
	case kind == idDeleted:
		return false
	case r.superuser || holds(r.model[slug], action):
		return true
	}
	return kind == idIn && holds(r.objects[slug], action)
}

// accessFixture is the shop with users of every kind of access, canaries
// in what some of them must not see, and ids of each kind per resource.
type accessFixture struct {
	a     *app
	base  string // the admin's URL
	roles []*accessRole
	// ids gives, per resource and id kind, the id used in URLs.
	ids map[string]map[string]string
	// canaries are unique values stored where some users must not see
	// them, by name; each may be written in several ways.
	canaries map[string][]string
}

// missingID is an id no object of the fixture has.
const missingID = "987654"

// newAccessFixture starts the closed shop admin on a fresh database with:
//   - anonymous: nobody logged in;
//   - nora: staff without any grant;
//   - vic: views products, with the cost price hidden;
//   - fay: views and changes products, with the description hidden and
//     without access to categories;
//   - rob: sees orders only through an object grant on order 5;
//   - olga: changes product "in" through an object grant, nothing else;
//   - chad: changes categories, without a view grant;
//   - eve: the editor of shopWithUsers, who also manages users;
//   - root: a superuser.
func newAccessFixture(t *testing.T) *accessFixture {
	t.Helper()
	a, eve, eveID := shopWithUsers(t)
	ctx := context.Background()
	sys := entadmin.AsSystem(ctx, "fixture")
	f := &accessFixture{a: a, base: eve.base, ids: map[string]map[string]string{}, canaries: map[string][]string{
		"description of product in":        {"Qx7descIn"},
		"description of product out":       {"Qx7descOut"},
		"description of a deleted product": {"Qx7descGone"},
		"cost price of product in":         {"4242.17", "4,242.17", "4242,17"},
		"cost price of product out":        {"5353.29", "5,353.29", "5353,29"},
		"customer of order in":             {"Qx7custIn"},
		"customer of order out":            {"Qx7custOut"},
		"customer of a deleted order":      {"Qx7custGone"},
		"user agent of a session of tom":   {"Qx7agent"},
	}}
	s := strconv.Itoa
	set := func(slug, in, out, deleted string) {
		f.ids[slug] = map[string]string{idIn: in, idOut: out, idDeleted: deleted}
	}

	// Products and orders: the in and out objects carry canaries, and a
	// deleted one leaves its values in the audit log.
	pids := a.db.client.Product.Query().IDsX(ctx)
	slices.Sort(pids)
	pIn, pOut := pids[0], pids[1]
	a.db.client.Product.UpdateOneID(pIn).SetDescription("Qx7descIn").SetPrice(9000).SetCostPrice(4242.17).ExecX(sys)
	a.db.client.Product.UpdateOneID(pOut).SetDescription("Qx7descOut").SetPrice(9000).SetCostPrice(5353.29).ExecX(sys)
	gone := a.db.client.Product.Create().SetName("Deleted product").SetDescription("Qx7descGone").SetPrice(9000).SetCostPrice(4242.17).SaveX(sys)
	a.db.client.Product.DeleteOne(gone).ExecX(sys)
	set("product", s(pIn), s(pOut), s(gone.ID))
	a.db.client.Order.UpdateOneID(5).SetCustomer("Qx7custIn").ExecX(sys)
	a.db.client.Order.UpdateOneID(6).SetCustomer("Qx7custOut").ExecX(sys)
	order := a.db.client.Order.Create().SetNumber("SO-9999").SetCustomer("Qx7custGone").SaveX(sys)
	a.db.client.Order.DeleteOne(order).ExecX(sys)
	set("order", "5", "6", s(order.ID))
	for _, slug := range []string{"category", "tag", "orderline", "productimage"} {
		set(slug, "1", "2", missingID)
	}

	// Users, groups, rules, grants and sessions that belong to none of
	// the roles, so that saving them cannot change what a role may do.
	tia, tom := newStaff(t, a, "tia"), newStaff(t, a, "tom")
	set("user", s(tia), s(tom), missingID)
	parent := a.own.Group.Create().SetName("parent group").SaveX(ctx)
	child := a.own.Group.Create().SetName("child group").SetParent(parent).SaveX(ctx)
	set("group", s(child.ID), s(parent.ID), missingID)
	for _, id := range []int{tia, tom} {
		if err := a.enforcer.Grant(ctx, rbac.UserSubject(id), "tag", "view"); err != nil {
			t.Fatal(err)
		}
	}
	ruleOf := func(id int) string {
		return s(a.own.PolicyRule.Query().Where(policyrule.V0(rbac.UserSubject(id))).OnlyIDX(ctx))
	}
	set("policyrule", ruleOf(tia), ruleOf(tom), missingID)
	g1 := a.own.ObjectGrant.Create().SetUserID(tia).SetResource("product").SetObjectID(s(pids[2])).SetAction("view").SaveX(ctx)
	g2 := a.own.ObjectGrant.Create().SetUserID(tom).SetResource("product").SetObjectID(s(pids[3])).SetAction("view").SaveX(ctx)
	set("objectgrant", s(g1.ID), s(g2.ID), missingID)
	login(t, f.base, "tia", "pw of tia")
	// Tom's session has a user agent only superusers may see.
	req, _ := http.NewRequest("POST", f.base+"/login/", strings.NewReader(url.Values{"username": {"tom"}, "password": {"pw of tom"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "Qx7agent")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	sessionOf := func(id int) string {
		return s(a.own.Session.Query().Where(session.HasUserWith(user.ID(id))).FirstIDX(ctx))
	}
	set("session", sessionOf(tia), sessionOf(tom), missingID)
	entries := a.own.AuditEntry.Query().Order(auditentry.ByID()).Limit(2).IDsX(ctx)
	set("auditentry", s(entries[0]), s(entries[1]), missingID)

	// The roles.
	grant := func(id int, slug string, actions ...string) {
		for _, act := range actions {
			if err := a.enforcer.Grant(ctx, rbac.UserSubject(id), slug, act); err != nil {
				t.Fatal(err)
			}
		}
	}
	hide := func(id int, slug, field string) {
		if err := a.enforcer.SetFieldAccess(ctx, rbac.UserSubject(id), slug, field, rbac.Hidden); err != nil {
			t.Fatal(err)
		}
	}
	const (
		view, add, change = entadmin.ActionView, entadmin.ActionAdd, entadmin.ActionChange
	)
	acts := func(a ...entadmin.Action) []entadmin.Action { return a }
	var orders, costs, descs []string
	for name := range f.canaries {
		switch {
		case strings.HasPrefix(name, "customer"):
			orders = append(orders, name)
		case strings.HasPrefix(name, "cost"):
			costs = append(costs, name)
		case strings.HasPrefix(name, "description"):
			descs = append(descs, name)
		}
	}
	all := slices.Collect(maps.Keys(f.canaries))
	agent := "user agent of a session of tom"
	without := func(names []string, drop ...string) []string {
		return slices.DeleteFunc(slices.Clone(names), func(n string) bool { return slices.Contains(drop, n) })
	}

	nora := &accessRole{name: "nora", hiddenCanaries: all}
	nora.id = newStaff(t, a, "nora")

	vic := &accessRole{name: "vic", model: map[string][]entadmin.Action{"product": acts(view)}, hiddenCanaries: slices.Concat(costs, orders, []string{agent})}
	vic.id = newStaff(t, a, "vic")
	grant(vic.id, "product", "view")
	hide(vic.id, "product", "cost_price")

	fay := &accessRole{name: "fay", model: map[string][]entadmin.Action{"product": acts(view, change)}, hiddenCanaries: slices.Concat(descs, orders, []string{agent})}
	fay.id = newStaff(t, a, "fay")
	grant(fay.id, "product", "view", "change")
	hide(fay.id, "product", "description")

	rob := &accessRole{name: "rob", objects: map[string][]entadmin.Action{"order": acts(view)},
		hiddenCanaries: without(all, "customer of order in")}
	rob.id = newStaff(t, a, "rob")
	a.own.ObjectGrant.Create().SetUserID(rob.id).SetResource("order").SetObjectID("5").SetAction("view").ExecX(ctx)

	olga := &accessRole{name: "olga", objects: map[string][]entadmin.Action{"product": acts(change)},
		hiddenCanaries: without(all, "description of product in", "cost price of product in")}
	olga.id = newStaff(t, a, "olga")
	a.own.ObjectGrant.Create().SetUserID(olga.id).SetResource("product").SetObjectID(s(pIn)).SetAction("change").ExecX(ctx)

	chad := &accessRole{name: "chad", model: map[string][]entadmin.Action{"category": acts(change)}, hiddenCanaries: all}
	chad.id = newStaff(t, a, "chad")
	grant(chad.id, "category", "change")

	eveRole := &accessRole{name: "eve", password: "editor password", id: eveID, client: eve,
		model: map[string][]entadmin.Action{
			"product": acts(view, change), "category": acts(view),
			"user": acts(view, change), "policyrule": acts(view, add),
		},
		hiddenCanaries: slices.Concat(costs, orders, []string{agent})}

	rootClient, rootID := superuser(t, a, f.base)
	root := &accessRole{name: "root", password: "pw of root", superuser: true, id: rootID, client: rootClient}

	f.roles = []*accessRole{{name: "anonymous", hiddenCanaries: all}, nora, vic, fay, rob, olga, chad, eveRole, root}
	for _, r := range f.roles[1:] {
		if r.client == nil {
			r.password = "pw of " + r.name
			r.client = login(t, f.base, r.name, r.password)
		}
	}

	return f
}

// anonymous returns a client that is not logged in.
func (f *accessFixture) anonymous(t *testing.T) *browserless {
	jar, _ := cookiejar.New(nil)
	return &browserless{t: t, base: f.base, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is what a request of the permission tests got.
type response struct {
	status int
	header http.Header
	body   string
}

// fetch sends a request as a browser on the admin's page would: writes
// come from the same origin, and htmx requests say so.
func (f *accessFixture) fetch(t *testing.T, c *browserless, method, path string, form url.Values, htmx bool) response {
	t.Helper()
	if c == nil {
		c = f.anonymous(t)
	}
	var body io.Reader
	if method != http.MethodGet && method != http.MethodHead {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, f.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", strings.TrimSuffix(f.base, "/admin"))
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(out)}
}
