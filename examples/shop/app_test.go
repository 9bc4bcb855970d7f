package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/rbac"
)

// browserless is one logged-in HTTP client of the shop admin.
type browserless struct {
	t    *testing.T
	base string
	http *http.Client
}

func (b *browserless) do(method, path string, form url.Values) (int, string) {
	b.t.Helper()
	resp, body := b.send(method, path, form, nil)
	return resp.StatusCode, body
}

// send sends a request with the form, if any, and the header's fields,
// and returns the response with its body read.
func (b *browserless) send(method, path string, form url.Values, header http.Header) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	for k, v := range header {
		req.Header[k] = v
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.http.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

// shopWithUsers starts the closed shop admin on Postgres with a superuser
// and an editor in the group "editors" (under "staff"), and returns a
// client logged in as the editor.
func shopWithUsers(t *testing.T) (*app, *browserless, int) {
	ctx := context.Background()
	a, srv := startSeeded(t, 20, nil)

	hash, _ := password.Hash("editor password")
	staff := a.own.Group.Create().SetName("staff").SaveX(ctx)
	editors := a.own.Group.Create().SetName("editors").SetParent(staff).SaveX(ctx)
	editor := a.own.User.Create().SetUsername("eve").SetPasswordHash(hash).SetIsStaff(true).AddGroups(editors).SaveX(ctx)
	if err := a.enforcer.GroupsChanged(ctx); err != nil {
		t.Fatal(err)
	}
	for _, g := range []struct{ subject, resource, action string }{
		{rbac.GroupSubject(staff.ID), "product", "view"},
		{rbac.GroupSubject(staff.ID), "category", "view"},
		{rbac.GroupSubject(editors.ID), "product", "change"},
		{rbac.GroupSubject(editors.ID), "user", "view"},
		{rbac.GroupSubject(editors.ID), "user", "change"},
		{rbac.GroupSubject(editors.ID), "policyrule", "view"},
		{rbac.GroupSubject(editors.ID), "policyrule", "add"},
	} {
		if err := a.enforcer.Grant(ctx, g.subject, g.resource, g.action); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.enforcer.SetFieldAccess(ctx, rbac.GroupSubject(staff.ID), "product", "cost_price", rbac.Hidden); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	b := &browserless{t: t, base: srv.URL + "/admin", http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if status, _ := b.do("POST", "/login/", url.Values{"username": {"eve"}, "password": {"editor password"}}); status != http.StatusSeeOther {
		t.Fatalf("login: status %d", status)
	}
	return a, b, editor.ID
}

func TestAUserInALimitedGroupSeesAndChangesExactlyWhatIsGranted(t *testing.T) {
	t.Parallel()
	a, b, _ := shopWithUsers(t)
	ctx := context.Background()
	p := a.db.client.Product.Query().FirstX(ctx)
	id := strconv.Itoa(p.ID)

	_, dash := b.do("GET", "/", nil)
	for _, want := range []string{`href="/admin/product/"`, `href="/admin/category/"`} {
		if !strings.Contains(dash, want) {
			t.Errorf("the dashboard lacks %s", want)
		}
	}
	for _, hidden := range []string{`href="/admin/tag/"`, `href="/admin/product/add/"`, `href="/admin/group/"`} {
		if strings.Contains(dash, hidden) {
			t.Errorf("the dashboard shows %s", hidden)
		}
	}
	checks := []struct {
		method, path string
		want         int
	}{
		{"GET", "/product/", 200},
		{"GET", "/product/" + id + "/", 200},
		{"GET", "/category/", 200},
		{"GET", "/tag/", 403},
		{"GET", "/product/add/", 403},
		{"GET", "/product/" + id + "/delete/", 403},
		{"POST", "/product/" + id + "/delete/", 403},
		{"GET", "/category/1/delete/", 403},
	}
	for _, c := range checks {
		if status, _ := b.do(c.method, c.path, url.Values{}); status != c.want {
			t.Errorf("%s %s: status %d, want %d", c.method, c.path, status, c.want)
		}
	}
	_, form := b.do("GET", "/product/"+id+"/", nil)
	if strings.Contains(form, `name="cost_price"`) {
		t.Error("cost_price is hidden from staff but on the form")
	}
	status, body := b.do("POST", "/product/"+id+"/", url.Values{
		"name": {"Renamed by eve"}, "price": {"99999"}, "status": {"published"}, "stock_count": {"3"}, "cost_price": {"1"},
	})
	if status != http.StatusSeeOther {
		t.Fatalf("change: status %d\n%s", status, body)
	}
	got := a.db.client.Product.GetX(ctx, p.ID)
	if got.Name != "Renamed by eve" {
		t.Errorf("name = %q", got.Name)
	}
	if (got.CostPrice == nil) != (p.CostPrice == nil) || got.CostPrice != nil && *got.CostPrice != *p.CostPrice {
		t.Errorf("a forged hidden cost_price was saved: %v", got.CostPrice)
	}
}

func TestEscalationAttemptsAreRefused(t *testing.T) {
	t.Parallel()
	a, b, eveID := shopWithUsers(t)
	ctx := context.Background()
	eve := strconv.Itoa(eveID)

	status, body := b.do("POST", "/user/"+eve+"/", url.Values{"username": {"eve"}, "is_active": {"on"}, "is_staff": {"on"}, "is_superuser": {"on"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Only superusers can change this") {
		t.Errorf("making oneself superuser: status %d", status)
	}
	if a.own.User.GetX(ctx, eveID).IsSuperuser {
		t.Fatal("eve became a superuser")
	}
	other := a.own.User.Create().SetUsername("bob").SaveX(ctx)
	status, _ = b.do("POST", "/user/"+strconv.Itoa(other.ID)+"/", url.Values{"username": {"bob"}, "is_active": {"on"}, "is_staff": {"on"}})
	if status != http.StatusUnprocessableEntity || a.own.User.GetX(ctx, other.ID).IsStaff {
		t.Errorf("making another user staff: status %d", status)
	}
	// Grants: not to oneself, and nothing one does not hold.
	status, body = b.do("POST", "/policyrule/add/", url.Values{"ptype": {"p"}, "v0": {rbac.UserSubject(eveID)}, "v1": {"tag"}, "v2": {"view"}, "v3": {"allow"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "your own permissions") {
		t.Errorf("granting oneself: status %d", status)
	}
	status, body = b.do("POST", "/policyrule/add/", url.Values{"ptype": {"p"}, "v0": {rbac.UserSubject(other.ID)}, "v1": {"product"}, "v2": {"delete"}, "v3": {"allow"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "you do not hold it") {
		t.Errorf("granting a permission one lacks: status %d", status)
	}
	status, _ = b.do("POST", "/policyrule/add/", url.Values{"ptype": {"p"}, "v0": {rbac.UserSubject(other.ID)}, "v1": {"product"}, "v2": {"view"}, "v3": {"allow"}})
	if status != http.StatusSeeOther {
		t.Errorf("granting a permission one holds: status %d", status)
	}
	if n := a.own.PolicyRule.Query().Where(policyrule.V0(rbac.UserSubject(eveID))).CountX(ctx); n != 0 {
		t.Errorf("%d rules for eve were saved", n)
	}
	if !a.enforcer.Allowed(other.ID, "product", "view") || a.enforcer.Allowed(other.ID, "product", "delete") {
		t.Error("the policy does not reflect the saved grants")
	}
	if a.own.User.Query().Where(user.IsSuperuser(true)).ExistX(ctx) {
		t.Error("someone became a superuser")
	}
}

// startShop opens the shop's database (PostgreSQL at dsn, else the SQLite
// file), seeds it with n products, and serves the closed admin on a test
// server; everything is closed when the test ends.
func startShop(t *testing.T, dsn, sqlitePath string, n int) (*app, *httptest.Server) {
	t.Helper()
	ctx := context.Background()
	db, err := openDB(ctx, dsn, sqlitePath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return serveShop(t, db, n)
}

// startSeeded serves the closed shop admin on a fresh PostgreSQL database
// with n products (see seededPostgres); everything is closed when the test
// ends. dsn, if not nil, rewrites the database's URL, e.g. to add runtime
// parameters.
func startSeeded(t *testing.T, n int, dsn func(string) string) (*app, *httptest.Server) {
	t.Helper()
	url := seededPostgres(t, n)
	if dsn != nil {
		url = dsn(url)
	}
	db, err := openDB(context.Background(), url, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return serveApp(t, db)
}

// serveShop prepares the open database with n products (see prepare) and
// serves the closed admin on a test server, closed when the test ends.
func serveShop(t *testing.T, db *database, n int) (*app, *httptest.Server) {
	t.Helper()
	if err := prepare(context.Background(), db, n); err != nil {
		t.Fatal(err)
	}
	return serveApp(t, db)
}

// serveApp serves the closed admin on the prepared database on a test
// server, closed when the test ends.
func serveApp(t *testing.T, db *database) (*app, *httptest.Server) {
	t.Helper()
	a, err := newApp(context.Background(), db, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	srv := httptest.NewServer(a.router())
	t.Cleanup(srv.Close)
	return a, srv
}
