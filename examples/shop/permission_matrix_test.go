package main

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/rbac"
)

// want is the expected answer to one request of the permission matrix.
type want struct {
	status int  // this status; 0 with neither flag: any status that does not refuse
	login  bool // a redirect to the login page
	public bool // any status below 500: public content
	// unserved: a refusal (403, 404, 405) or for anonymous users a
	// redirect to the login page: another route's pattern may match the
	// path, e.g. POST /product/export/ is a save of the product "export".
	unserved bool
	// skip, when set, says why the request is not sent: it is allowed and
	// would change the fixture's data.
	skip string
	// check, when set, replaces the request with a check of its own that
	// returns what went wrong, "" when nothing did.
	check func(t *testing.T, f *accessFixture, c cell) string
}

var (
	toLogin = want{login: true}
	allowed = want{}
)

func status(code int) want { return want{status: code} }

func (w want) String() string {
	switch {
	case w.login:
		return "a redirect to the login page"
	case w.public:
		return "any status below 500"
	case w.unserved:
		return "403, 404 or 405 (or a redirect to the login page)"
	case w.status != 0:
		return fmt.Sprint(w.status)
	}
	return "a status that does not refuse (not 403, 404, 405 nor 5xx)"
}

// met reports whether a response is the expected one.
func (w want) met(r response) bool {
	switch {
	case w.login:
		return r.status == http.StatusSeeOther && strings.HasPrefix(r.header.Get("Location"), "/admin/login/")
	case w.public:
		return r.status < 500
	case w.unserved:
		return r.status == http.StatusForbidden || r.status == http.StatusNotFound || r.status == http.StatusMethodNotAllowed || toLogin.met(r)
	case w.status != 0:
		return r.status == w.status
	}
	return r.status < 500 && r.status != http.StatusForbidden && r.status != http.StatusNotFound && r.status != http.StatusMethodNotAllowed
}

// cell is one request of the matrix: a route instantiated for a resource,
// an id kind and an endpoint, sent by a role.
type cell struct {
	role                  *accessRole
	method, pattern, path string
	slug, kind, endpoint  string
}

// expectation gives the expected answer to a cell.
type expectation func(c cell) want

// signedIn expects w for every signed-in user.
func signedIn(w want) expectation {
	return func(c cell) want {
		if c.role.client == nil {
			return toLogin
		}
		return w
	}
}

// public expects w for everyone, signed in or not.
func public(w want) expectation { return func(cell) want { return w } }

// needs expects ok from users who may do every action on the resource and,
// for a route with an id, on the object of the cell's id; 403 from the
// users who may not do them on any row, 404 from those who may on other
// rows only.
func needs(ok want, actions ...entadmin.Action) expectation {
	return func(c cell) want {
		if c.role.client == nil {
			return toLogin
		}
		for _, a := range actions {
			if !c.role.may(c.slug, a) {
				return status(http.StatusForbidden)
			}
		}
		for _, a := range actions {
			if c.kind != "" && !c.role.sees(c.slug, a, c.kind) {
				return status(http.StatusNotFound)
			}
		}
		return ok
	}
}

// needsAddOrChange expects ok from users who may add or change the
// resource (a form's helpers: live validation, new inline rows).
func needsAddOrChange(ok want) expectation {
	return func(c cell) want {
		switch {
		case c.role.client == nil:
			return toLogin
		case !c.role.may(c.slug, entadmin.ActionAdd) && !c.role.may(c.slug, entadmin.ActionChange):
			return status(http.StatusForbidden)
		}
		return ok
	}
}

// validate expects live validation of an add form (no id) to need the add
// permission, of an object's form (?id=) the change permission on it.
func validate(c cell) want {
	if c.kind == "" {
		return needs(allowed, entadmin.ActionAdd)(c)
	}
	return needs(allowed, entadmin.ActionChange)(c)
}

// listEditable are the resources whose lists have editable columns.
var listEditable = []string{"product"}

// listSave expects the list's save to be refused to users who may not
// change the resource, and answered 404 where no column is editable.
func listSave(c cell) want {
	ok := allowed
	if !slices.Contains(listEditable, c.slug) {
		ok = status(http.StatusNotFound)
	}
	return needs(ok, entadmin.ActionView, entadmin.ActionChange)(c)
}

// auditedDeletes are the resources whose deleted object has entries in
// the audit log, which its history shows to users who may view every row.
var auditedDeletes = []string{"product", "order"}

// history expects an object's history to be shown exactly to the users
// who may view the object; the history of a deleted object to those who
// may view every row of its resource.
func history(c cell) want {
	r := c.role
	if c.kind == idDeleted && r.client != nil && slices.Contains(auditedDeletes, c.slug) &&
		(r.superuser || holds(r.model[c.slug], entadmin.ActionView)) {
		return status(http.StatusOK)
	}
	return needs(status(http.StatusOK), entadmin.ActionView)(c)
}

// objectPage expects the object's form, and for the id "restock" the list
// endpoint of that name (POST only, with its own permission).
func objectPage(method string) expectation {
	return func(c cell) want {
		if c.kind != "restock" {
			if method == http.MethodPost {
				return needs(allowed, entadmin.ActionChange)(c)
			}
			return needs(status(http.StatusOK), entadmin.ActionView)(c)
		}
		c.kind = ""
		if method != http.MethodPost {
			return signedIn(status(http.StatusMethodNotAllowed))(c)
		}
		return needs(want{skip: "restocks products"}, entadmin.ActionView, "restock")(c)
	}
}

// objectEndpoint expects the product's "duplicate" endpoint (POST only,
// needing the add permission), and 404 for an endpoint that does not exist.
func objectEndpoint(method string) expectation {
	return func(c cell) want {
		switch {
		case c.role.client == nil:
			return toLogin
		case c.endpoint != "duplicate":
			return status(http.StatusNotFound)
		case method != http.MethodPost:
			return status(http.StatusMethodNotAllowed)
		}
		return needs(want{skip: "duplicates the product"}, entadmin.ActionView, entadmin.ActionAdd)(c)
	}
}

// passwordPage expects the change-password form of a user to open to
// superusers and to the user themself only.
func passwordPage(ok want) expectation {
	return func(c cell) want {
		switch {
		case c.role.client == nil:
			return toLogin
		case c.kind != idSelf && !c.role.superuser:
			return status(http.StatusForbidden)
		case c.kind == idDeleted:
			return status(http.StatusNotFound)
		}
		return ok
	}
}

// rbacPage expects a page of the permission pages, or the page of login
// rate limits, to open to superusers only (no role holds the view
// permission on "rbac" or "ratelimit").
func rbacPage(ok want) expectation {
	return func(c cell) want {
		switch {
		case c.role.client == nil:
			return toLogin
		case !c.role.superuser:
			return status(http.StatusForbidden)
		case c.kind == idDeleted:
			return status(http.StatusNotFound)
		}
		return ok
	}
}

// rbacAudit expects the RBAC audit log to open to users who may view one
// of its resources.
func rbacAudit(c cell) want {
	if c.role.client == nil {
		return toLogin
	}
	for _, slug := range []string{"user", "group", "policyrule", "objectgrant"} {
		if c.role.may(slug, entadmin.ActionView) {
			return status(http.StatusOK)
		}
	}
	return status(http.StatusForbidden)
}

// logout expects logging out to end the session: its cookie, sent again,
// no longer signs anybody in.
func logout(c cell) want {
	if c.role.client == nil {
		return toLogin
	}
	return want{check: func(t *testing.T, f *accessFixture, c cell) string {
		b := login(t, f.base, c.role.name, c.role.password)
		u, _ := url.Parse(f.base + "/")
		cookies := b.http.Jar.Cookies(u)
		if r := f.fetch(t, b, http.MethodPost, "/logout/", url.Values{}, false); r.status != http.StatusSeeOther {
			return fmt.Sprintf("logging out: status %d, want 303", r.status)
		}
		again := f.anonymous(t)
		again.http.Jar.SetCookies(u, cookies)
		if r := f.fetch(t, again, http.MethodGet, "/", nil, false); !toLogin.met(r) {
			return fmt.Sprintf("the session cookie still signs in after logging out: GET / answers %d", r.status)
		}
		return ""
	}}
}

// permissionMatrix is the expected answer to every route of the admin, by
// path pattern and method; "*" stands for every method a pattern accepts
// besides GET and POST (HEAD is expected to answer like GET).
var permissionMatrix = map[string]map[string]expectation{
	"/":        {"GET": signedIn(status(http.StatusOK))},
	"/login/":  {"GET": public(allowed), "POST": public(allowed)},
	"/logout/": {"GET": signedIn(status(http.StatusOK)), "POST": logout},

	"/cache/":                    {"GET": rbacPage(status(http.StatusOK))}, // no role holds "view" on "cache" either
	"/cache/json":                {"GET": rbacPage(status(http.StatusOK))},
	"/rbac/":                     {"GET": rbacPage(status(http.StatusOK))},
	"/rbac/audit/":               {"GET": rbacAudit},
	"/rbac/check/":               {"GET": rbacPage(status(http.StatusOK))},
	"/rbac/effective/":           {"GET": rbacPage(status(http.StatusSeeOther))}, // to the user's own
	"/rbac/effective/{user_id}/": {"GET": rbacPage(status(http.StatusOK))},
	"/rbac/export/":              {"GET": rbacPage(status(http.StatusOK))},
	"/rbac/import/":              {"GET": rbacPage(status(http.StatusOK)), "POST": rbacPage(allowed)},
	"/rbac/tree/":                {"GET": rbacPage(status(http.StatusOK))},
	"/ratelimits/":               {"GET": rbacPage(status(http.StatusOK))},

	"/static/*":            {"GET": public(status(http.StatusOK)), "POST": public(want{public: true}), "*": public(want{public: true})},
	"/static/media/*":      {"GET": public(want{public: true})},               // hashed media: no such file here
	"/theme/":              {"POST": signedIn(status(http.StatusBadRequest))}, // no theme named
	"/user/{id}/password/": {"GET": passwordPage(status(http.StatusOK)), "POST": passwordPage(allowed)},

	"/{slug}/": {
		"GET":  needs(status(http.StatusOK), entadmin.ActionView),
		"POST": needs(allowed, entadmin.ActionView), // a bulk action
	},
	"/{slug}/partial/":        {"GET": needs(status(http.StatusOK), entadmin.ActionView)},
	"/{slug}/export/":         {"GET": needs(status(http.StatusOK), entadmin.ActionView)},
	"/{slug}/autocomplete/":   {"GET": needs(allowed, entadmin.ActionView)},
	"/{slug}/filter-choices/": {"GET": needs(allowed, entadmin.ActionView)},
	"/{slug}/columns/": {
		"GET":  signedIn(status(http.StatusMethodNotAllowed)),
		"POST": needs(allowed, entadmin.ActionView),
		"*":    signedIn(status(http.StatusMethodNotAllowed)),
	},
	"/{slug}/add/": {
		"GET":  needs(status(http.StatusOK), entadmin.ActionAdd),
		"POST": needs(allowed, entadmin.ActionAdd),
		"*":    signedIn(status(http.StatusMethodNotAllowed)),
	},
	"/{slug}/inline-row/": {"GET": needsAddOrChange(allowed)},
	"/{slug}/validate/":   {"POST": validate},
	"/{slug}/list-save/": {
		"GET":  signedIn(status(http.StatusSeeOther)),
		"POST": listSave,
		"*":    signedIn(status(http.StatusMethodNotAllowed)),
	},
	"/{slug}/{id}/": {
		"GET":  objectPage(http.MethodGet),
		"POST": objectPage(http.MethodPost),
		"*":    signedIn(status(http.StatusMethodNotAllowed)),
	},
	"/{slug}/{id}/history/":        {"GET": history},
	"/{slug}/{id}/confirm-delete/": {"GET": needs(status(http.StatusOK), entadmin.ActionDelete)},
	"/{slug}/{id}/delete/": {
		"GET":  needs(status(http.StatusOK), entadmin.ActionDelete),
		"POST": needs(want{skip: "deletes the object"}, entadmin.ActionDelete),
		"*":    signedIn(status(http.StatusMethodNotAllowed)),
	},
	"/{slug}/{id}/{endpoint}/": {
		"GET":  objectEndpoint(http.MethodGet),
		"POST": objectEndpoint(http.MethodPost),
		"*":    signedIn(status(http.StatusMethodNotAllowed)),
	},
}

// matrixKey is the key of a method in a row of the permission matrix.
func matrixKey(method string) string {
	switch method {
	case http.MethodGet, http.MethodPost:
		return method
	}
	return "*"
}

func TestEveryRouteAnswersEachKindOfUserAsThePermissionMatrixSays(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	walked := map[string][]string{} // pattern → methods
	for _, r := range f.a.site.Routes() {
		walked[r.Pattern] = append(walked[r.Pattern], r.Method)
	}
	for pattern, methods := range walked {
		row, ok := permissionMatrix[pattern]
		if !ok {
			t.Errorf("the route %s %s has no row in the permission matrix", methods, pattern)
			continue
		}
		for _, m := range methods {
			if row[matrixKey(m)] == nil || m == http.MethodHead && row["GET"] == nil {
				t.Errorf("the permission matrix's row for %s lacks %s", pattern, m)
			}
		}
	}
	for pattern, row := range permissionMatrix {
		for key := range row {
			if !slices.ContainsFunc(walked[pattern], func(m string) bool { return matrixKey(m) == key }) {
				t.Errorf("the permission matrix expects %s %s, which the site does not serve", key, pattern)
			}
		}
	}
	patterns := slices.Sorted(maps.Keys(walked))
	for _, role := range f.roles {
		t.Run(role.name, func(t *testing.T) {
			t.Parallel()
			for _, pattern := range patterns {
				row, methods := permissionMatrix[pattern], walked[pattern]
				if row == nil {
					continue
				}
				for _, m := range methods {
					exp := row[matrixKey(m)]
					if m == http.MethodHead {
						exp = row["GET"]
					}
					if exp == nil {
						continue // reported above
					}
					every := m == http.MethodGet || m == http.MethodPost
					for _, c := range f.cells(role, m, pattern, every) {
						f.check(t, c, exp(c))
					}
				}
				for _, m := range []string{http.MethodGet, http.MethodPost} {
					if !slices.Contains(methods, m) {
						for _, c := range f.cells(role, m, pattern, false) {
							f.check(t, c, want{unserved: true})
						}
					}
				}
			}
		})
	}
}

// cells instantiates a route pattern for a role: with every resource, id
// kind and endpoint, or with one of each when every is false.
func (f *accessFixture) cells(role *accessRole, method, pattern string, every bool) []cell {
	slugs := []string{""}
	if strings.Contains(pattern, "{slug}") {
		slugs = []string{"product"}
		if every {
			slugs = slugs[:0]
			for _, info := range f.a.site.Resources() {
				slugs = append(slugs, info.Slug)
			}
		}
	}
	var out []cell
	for _, slug := range slugs {
		kinds := []string{""}
		idSlug := slug
		query := ""
		switch {
		case pattern == "/{slug}/validate/":
			kinds, query = []string{"", idIn, idOut, idDeleted}, "?id="
			if !every {
				kinds = kinds[:1]
			}
		case strings.Contains(pattern, "{id}") || strings.Contains(pattern, "{user_id}"):
			kinds = []string{idIn, idOut, idDeleted}
			switch {
			case strings.HasPrefix(pattern, "/user/"):
				kinds, idSlug = append(kinds, idSelf), "user"
			case strings.Contains(pattern, "{user_id}"):
				idSlug = "user"
			case pattern == "/{slug}/{id}/" && slug == "product":
				kinds = append(kinds, "restock") // a list endpoint
			}
			if !every {
				kinds = kinds[:1]
			}
		}
		endpoints := []string{""}
		if strings.Contains(pattern, "{endpoint}") {
			endpoints = []string{"nosuch"}
			if slug == "product" {
				endpoints = append(endpoints, "duplicate")
			}
		}
		for _, kind := range kinds {
			for _, endpoint := range endpoints {
				if endpoint == "nosuch" && kind != idIn && kind != "" {
					continue
				}
				id := f.ids[idSlug][kind]
				switch kind {
				case idSelf:
					id = fmt.Sprint(role.id)
				case "restock":
					id = kind
				}
				path := strings.NewReplacer("{slug}", slug, "{id}", id, "{user_id}", id, "{endpoint}", endpoint, "*", "admin.css").Replace(pattern)
				if query != "" && kind != "" {
					path += query + id
				}
				c := cell{role: role, method: method, pattern: pattern, path: path, slug: slug, kind: kind, endpoint: endpoint}
				if idSlug != slug {
					c.slug = idSlug
				}
				out = append(out, c)
			}
		}
	}
	return out
}

// check sends the cell's request, or runs its check, and reports an
// answer other than w.
func (f *accessFixture) check(t *testing.T, c cell, w want) {
	t.Helper()
	switch {
	case w.skip != "":
		return
	case w.check != nil:
		if msg := w.check(t, f, c); msg != "" {
			t.Errorf("%s %s as %s: %s", c.method, c.path, c.role.name, msg)
		}
		return
	}
	form := url.Values{}
	switch {
	case c.pattern == "/{slug}/columns/":
		info, _ := f.a.site.Resource(c.slug)
		form["col"] = info.Fields
	case c.pattern == "/login/" && c.role.client != nil:
		return // one failed login, by the anonymous user, is enough: they slow the next ones down
	case c.pattern == "/login/":
		form = url.Values{"username": {"nobody"}, "password": {"wrong"}}
	}
	r := f.fetch(t, c.role.client, c.method, c.path, form, strings.Contains(c.pattern, "/partial/"))
	if !w.met(r) {
		t.Errorf("%s %s as %s: status %d, want %s", c.method, c.path, c.role.name, r.status, w)
	}
}

// editForm returns the values of the form on the page at path that has an
// input named field, as a browser would submit it unchanged.
func (f *accessFixture) editForm(t *testing.T, c *browserless, path, field string) url.Values {
	t.Helper()
	r := f.fetch(t, c, http.MethodGet, path, nil, false)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.body))
	if r.status != http.StatusOK || err != nil {
		t.Fatalf("GET %s: status %d, %v", path, r.status, err)
	}
	form := doc.Find("form").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.Find("[name="+field+"]").Length() > 0
	})
	if form.Length() == 0 {
		t.Fatalf("GET %s: no form with %s", path, field)
	}
	return formValues(form.First())
}

// The writes below need forms of their own, so they are not in the matrix.
func TestLimitedUsersCannotChangeWhatTheyMayNotSeeOrDo(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	ctx := context.Background()
	role := func(name string) *accessRole {
		i := slices.IndexFunc(f.roles, func(r *accessRole) bool { return r.name == name })
		return f.roles[i]
	}
	fay, eve, root := role("fay"), role("eve"), role("root")

	// Fay, without access to categories and with descriptions hidden,
	// saves a product's form as it is: its category and description stay.
	pid := f.ids["product"][idIn]
	before := f.a.db.client.Product.GetX(ctx, atoi(t, pid))
	form := f.editForm(t, fay.client, "/product/"+pid+"/", "name")
	if r := f.fetch(t, fay.client, http.MethodPost, "/product/"+pid+"/", form, false); r.status != http.StatusSeeOther {
		t.Errorf("fay saves product %s unchanged: status %d, want 303", pid, r.status)
	}
	after := f.a.db.client.Product.GetX(ctx, before.ID)
	if after.CategoryID != before.CategoryID || after.Description != before.Description {
		t.Errorf("fay's save of a form without category and description changed them: category %d → %d, description %q → %q",
			before.CategoryID, after.CategoryID, before.Description, after.Description)
	}

	// Eve, who changes users, may not deactivate a superuser.
	rootPath := fmt.Sprintf("/user/%d/", root.id)
	form = f.editForm(t, eve.client, rootPath, "username")
	form.Del("is_active")
	r := f.fetch(t, eve.client, http.MethodPost, rootPath, form, false)
	if !f.a.own.User.GetX(ctx, root.id).IsActive {
		t.Errorf("eve deactivated the superuser (status %d)", r.status)
	}

	// Eve, from whom cost prices are hidden, may not grant anybody write
	// access to them.
	tom := f.ids["user"][idOut]
	r = f.fetch(t, eve.client, http.MethodPost, "/policyrule/add/", url.Values{
		"ptype": {"p2"}, "v0": {"user:" + tom}, "v1": {"product"}, "v2": {"cost_price"}, "v3": {"write"}, "v4": {"allow"},
	}, false)
	if n := f.a.own.PolicyRule.Query().Where(policyrule.Ptype("p2"), policyrule.V0("user:"+tom)).CountX(ctx); r.status != http.StatusUnprocessableEntity || n != 0 {
		t.Errorf("eve grants write access to cost prices, hidden from her: status %d, want 422; %d rules saved", r.status, n)
	}

	// Eve, allowed to add groups, adds one under a parent group: refused
	// or saved, never a server error.
	for _, act := range []string{"view", "add"} {
		if err := f.a.enforcer.Grant(ctx, rbac.UserSubject(eve.id), "group", act); err != nil {
			t.Fatal(err)
		}
	}
	parent := f.ids["group"][idOut]
	if r := f.fetch(t, eve.client, http.MethodPost, "/group/add/", url.Values{"name": {"eve's group"}, "parent": {parent}}, false); r.status >= 500 {
		t.Errorf("eve adds a group under group %s: status %d", parent, r.status)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
