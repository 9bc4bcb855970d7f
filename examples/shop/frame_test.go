package main

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// doc parses a page.
func doc(t *testing.T, body string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEveryUserCanSignOutAndChangeTheirPasswordFromTheHeader: the header
// offers the user menu to every signed-in user, a staff user without any
// permission included; the navigation lists the permission pages and the
// audit log to those they open to; the dashboard groups resources by
// section with their counts and offers "Add" only where the user may add.
func TestEveryUserCanSignOutAndChangeTheirPasswordFromTheHeader(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	role := func(name string) *accessRole {
		return f.roles[slices.IndexFunc(f.roles, func(r *accessRole) bool { return r.name == name })]
	}
	nora, vic, eve, root := role("nora"), role("vic"), role("eve"), role("root")

	for _, r := range []*accessRole{nora, vic, root} {
		d := doc(t, f.fetch(t, r.client, http.MethodGet, "/", nil, false).body)
		menu := d.Find(`.topbar nav.user-menu`)
		if got := strings.TrimSpace(menu.Find(".user").Text()); got != "Signed in as "+r.name {
			t.Errorf("%s: the user menu names %q", r.name, got)
		}
		if menu.Find(`form.logout-form[method=post][action="/admin/logout/"] button[type=submit]`).Length() != 1 {
			t.Errorf("%s: no log out button posting to /admin/logout/", r.name)
		}
		if menu.Find(`a[href="/shop/"]`).Text() != "View site" {
			t.Errorf("%s: no View site link", r.name)
		}
		pw := menu.Find(`a:contains("Change password")`).AttrOr("href", "")
		if resp := f.fetch(t, r.client, http.MethodGet, strings.TrimPrefix(pw, "/admin"), nil, false); pw == "" || resp.status != http.StatusOK {
			t.Errorf("%s: change password link %q answers %d", r.name, pw, resp.status)
		}
		nav := d.Find(".sidebar").Text()
		if got, want := strings.Contains(nav, "Permissions"), r.superuser; got != want {
			t.Errorf("%s: the navigation lists the permission pages: %v, want %v", r.name, got, want)
		}
	}
	if d := doc(t, f.fetch(t, eve.client, http.MethodGet, "/", nil, false).body); d.Find(`.sidebar a[href="/admin/rbac/audit/"]`).Text() != "RBAC audit log" {
		t.Error("eve, who may view users, has no link to the RBAC audit log")
	}
	if d := doc(t, f.fetch(t, nora.client, http.MethodGet, "/", nil, false).body); d.Find(`.sidebar a`).Length() != 0 {
		t.Error("nora, who may see nothing, has navigation links")
	}

	// The dashboard, as the superuser: sections, counts, no Add for
	// sessions nor the audit log.
	d := doc(t, f.fetch(t, root.client, http.MethodGet, "/", nil, false).body)
	sections := map[string]*goquery.Selection{}
	d.Find(".dashboard-section").Each(func(_ int, s *goquery.Selection) { sections[s.Find("h2").Text()] = s })
	shop, own := sections["Shop"], sections["Authentication and authorization"]
	if shop == nil || own == nil {
		t.Fatalf("dashboard sections: %v", slices.Collect(maps.Keys(sections)))
	}
	n := f.a.db.client.Product.Query().CountX(context.Background())
	row := shop.Find(`tr:has(a[href="/admin/product/"])`)
	if got := row.Find(".dashboard-count").Text(); got != formatInt(n)+" products" {
		t.Errorf("product count %q, want %d products", got, n)
	}
	if row.Find(`a[href="/admin/product/add/"]`).Length() != 1 {
		t.Error("no Add for products")
	}
	for _, slug := range []string{"session", "auditentry"} {
		if own.Find(`tr:has(a[href="/admin/`+slug+`/"])`).Length() != 1 || own.Find(`a[href="/admin/`+slug+`/add/"]`).Length() != 0 {
			t.Errorf("%s: missing, or offered to add", slug)
		}
	}

	// A view-only user: the count of what they may see, no Add.
	d = doc(t, f.fetch(t, vic.client, http.MethodGet, "/", nil, false).body)
	if d.Find(".dashboard-section").Length() != 1 || d.Find(`a[href$="/add/"]`).Length() != 0 || !strings.HasSuffix(d.Find(".dashboard-count").Text(), " products") {
		t.Errorf("vic's dashboard: %q", d.Find("main").Text())
	}
	if f.fetch(t, root.client, http.MethodGet, "/session/add/", nil, false).status != http.StatusForbidden {
		t.Error("sessions can be added")
	}
}

// formatInt writes n as the dashboard does, with thousands separators.
func formatInt(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestTheThemeChoiceIsKeptWithTheUserAndInACookie: the theme menu's choice
// is stored with the user (it follows them to another browser) and in a
// cookie (the login page has it), the page renders it as data-theme, and
// the menu refuses unknown themes and addresses outside the admin.
func TestTheThemeChoiceIsKeptWithTheUserAndInACookie(t *testing.T) {
	t.Parallel()
	a, eve, eveID := shopWithUsers(t)
	theme := func(b *browserless, path string) string {
		_, body := b.do(http.MethodGet, path, nil)
		return doc(t, body).Find("html").AttrOr("data-theme", "")
	}
	if got := theme(eve, "/product/"); got != "" {
		t.Fatalf("the first page has data-theme %q, want none (auto)", got)
	}
	status, _ := eve.do(http.MethodPost, "/theme/", url.Values{"theme": {"dark"}, "next": {"/admin/product/?o=name"}})
	if status != http.StatusSeeOther {
		t.Fatalf("choosing a theme: status %d", status)
	}
	for _, path := range []string{"/", "/product/", "/product/add/", "/nowhere/"} {
		if got := theme(eve, path); got != "dark" {
			t.Errorf("%s: data-theme %q, want dark", path, got)
		}
	}
	if prefs := a.own.User.GetX(context.Background(), eveID).Preferences; prefs["theme"] != "dark" {
		t.Errorf("preferences %v, want theme dark", prefs)
	}
	u, _ := url.Parse(eve.base + "/")
	var cookie string
	for _, c := range eve.http.Jar.Cookies(u) {
		if c.Name == "entadmin_theme" {
			cookie = c.Value
		}
	}
	if cookie != "dark" {
		t.Errorf("theme cookie %q, want dark", cookie)
	}
	if got := theme(login(t, eve.base, "eve", "editor password"), "/"); got != "dark" {
		t.Errorf("in another browser the theme is %q, want dark", got)
	}
	status, _ = eve.do(http.MethodPost, "/logout/", url.Values{})
	if status != http.StatusSeeOther {
		t.Fatalf("logging out: status %d", status)
	}
	if got := theme(eve, "/login/"); got != "dark" {
		t.Errorf("the login page has data-theme %q, want dark from the cookie", got)
	}

	b := login(t, eve.base, "eve", "editor password")
	for _, tc := range []struct {
		form   url.Values
		status int
		to     string
	}{
		{url.Values{"theme": {"neon"}}, http.StatusBadRequest, ""},
		{url.Values{"theme": {"high-contrast"}, "next": {"//evil.example/"}}, http.StatusSeeOther, "/admin/"},
		{url.Values{"theme": {"auto"}, "next": {"https://evil.example/admin/"}}, http.StatusSeeOther, "/admin/"},
		{url.Values{"theme": {strings.Repeat("x", 8000)}}, http.StatusBadRequest, ""},
	} {
		req, _ := http.NewRequest(http.MethodPost, b.base+"/theme/", strings.NewReader(tc.form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := b.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status || tc.to != "" && resp.Header.Get("Location") != tc.to {
			t.Errorf("POST /theme/ %v: %d to %q, want %d to %q", tc.form, resp.StatusCode, resp.Header.Get("Location"), tc.status, tc.to)
		}
	}
	if prefs := a.own.User.GetX(context.Background(), eveID).Preferences; prefs["theme"] != "" {
		t.Errorf("auto is stored as %q, want no preference", prefs["theme"])
	}
}

// TestTheLoginPageIsACardWithItsButtonInTheForm checks the login page's
// markup, its favicon, and that it has no menus.
func TestTheLoginPageIsACardWithItsButtonInTheForm(t *testing.T) {
	t.Parallel()
	_, eve, _ := shopWithUsers(t)
	anon := &browserless{t: t, base: eve.base, http: &http.Client{CheckRedirect: eve.http.CheckRedirect}}
	status, body := anon.do(http.MethodGet, "/login/", nil)
	d := doc(t, body)
	if status != http.StatusOK || d.Find("body.login-page main form.login-form button[type=submit]").Length() != 1 {
		t.Errorf("login page: status %d, no button inside the form", status)
	}
	if d.Find(".user-menu, .theme-form, .sidebar").Length() != 0 {
		t.Error("the login page has the user or theme menu, or navigation")
	}
	icon := d.Find(`link[rel=icon]`).AttrOr("href", "")
	if status, body := anon.do(http.MethodGet, strings.TrimPrefix(icon, "/admin"), nil); icon == "" || status != http.StatusOK || !strings.Contains(body, "<svg") {
		t.Errorf("favicon %q: status %d", icon, status)
	}
}
