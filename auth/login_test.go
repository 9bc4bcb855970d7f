package auth

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/internal/testdb"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t))
	alice := e.user("alice", "correct horse", nil)

	res := e.get("/admin/")
	if res.StatusCode != http.StatusSeeOther || res.location() != "/admin/login/?next=%2Fadmin%2F" {
		t.Fatalf("anonymous GET /admin/: %d to %q, want 303 to the login page", res.StatusCode, res.location())
	}
	res = e.get(res.location())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET login page: status %d", res.StatusCode)
	}
	for _, want := range []string{
		`<title>Log in | Administration</title>`,
		`action="/admin/login/"`,
		`<label for="id_username">`,
		`autocomplete="username"`,
		`autofocus`,
		`<label for="id_password">`,
		`autocomplete="current-password"`,
		`name="next" value="/admin/"`,
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the login page lacks %s:\n%s", want, res.body)
		}
	}

	before := e.now()
	res = e.login("alice", "correct horse", "/admin/")
	if res.StatusCode != http.StatusSeeOther || res.location() != "/admin/" {
		t.Fatalf("login: %d to %q, want 303 to /admin/:\n%s", res.StatusCode, res.location(), res.body)
	}
	c := res.cookie()
	if c == nil {
		t.Fatal("login sets no session cookie")
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/admin/" || c.Secure {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/admin/, not Secure over HTTP", c)
	}
	if want := before.Add(14 * 24 * time.Hour); c.Expires.Sub(want).Abs() > 2*time.Second {
		t.Errorf("cookie expires %v, want %v", c.Expires, want)
	}

	res = e.get("/admin/")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.body, "alice") {
		t.Fatalf("GET /admin/ after login: status %d, want 200 naming alice:\n%s", res.StatusCode, res.body)
	}
	ctx := context.Background()
	if u := e.client.User.GetX(ctx, alice.ID); u.LastLogin == nil || !u.LastLogin.Equal(before.Truncate(time.Microsecond)) {
		t.Errorf("last_login = %v, want %v", u.LastLogin, before)
	}
	entry := e.client.AuditEntry.Query().Where(auditentry.Action("login")).OnlyX(ctx)
	if entry.UserName != "alice" || entry.UserID == nil || *entry.UserID != alice.ID || entry.IP != "127.0.0.1" {
		t.Errorf("audit entry %v, want alice's login from 127.0.0.1", entry)
	}
}

func TestLoginOverTLSProxyMarksCookieSecureOnlyFromATrustedProxy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		proxy  string
		secure bool
	}{{"the client is the proxy", "127.0.0.0/8", true}, {"the proxy is elsewhere", "10.0.0.0/8", false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnvOnSite(t, testdb.Postgres(t), []entadmin.Option{entadmin.WithTrustedProxies(netip.MustParsePrefix(tc.proxy))})
			e.user("alice", "correct horse", nil) // a staff user
			res := e.login("alice", "correct horse", "", "X-Forwarded-Proto", "https")
			if c := res.cookie(); c == nil || c.Secure != tc.secure {
				t.Errorf("cookie %+v after X-Forwarded-Proto: https: want Secure %v", c, tc.secure)
			}
		})
	}
}

func TestRefusedLoginsLookAlike(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t), WithThrottle(100, 100, 15*time.Minute))
	e.user("alice", "correct horse", nil)
	e.user("visitor", "correct horse", func(c *ent.UserCreate) { c.SetIsStaff(false) })
	e.user("gone", "correct horse", func(c *ent.UserCreate) { c.SetIsActive(false) })
	e.client.User.Create().SetUsername("nopass").SetIsStaff(true).SaveX(context.Background())

	for _, tc := range []struct{ name, username, pw string }{
		{"wrong password", "alice", "wrong horse"},
		{"unknown user", "bob", "correct horse"},
		{"not staff", "visitor", "correct horse"},
		{"inactive", "gone", "correct horse"},
		{"no password", "nopass", ""},
		{"empty", "", ""},
		{"invalid UTF-8", "al\xffice\x00", "correct horse"},
	} {
		res := e.login(tc.username, tc.pw, "")
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", tc.name, res.StatusCode)
		}
		if !strings.Contains(res.body, `<div class="form-errors" id="login-error" role="alert"><p>Please enter a correct username and password.</p></div>`) {
			t.Errorf("%s: the page lacks the generic error:\n%s", tc.name, res.body)
		}
		if res.cookie() != nil {
			t.Errorf("%s: a session cookie was set", tc.name)
		}
		if e.loggedIn() {
			t.Errorf("%s: logged in", tc.name)
		}
	}
	if res := e.login("alice", "wrong horse", ""); !strings.Contains(res.body, `value="alice"`) {
		t.Errorf("the form does not keep the username:\n%s", res.body)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	// Every failure from the address so far adds 200ms.
	var want []time.Duration
	for i := 1; i <= 8; i++ {
		want = append(want, time.Duration(i)*200*time.Millisecond)
	}
	if len(e.slept) != len(want) {
		t.Fatalf("delays %v, want %v", e.slept, want)
	}
	for i := range want {
		if e.slept[i] != want[i] {
			t.Fatalf("delays %v, want %v", e.slept, want)
		}
	}
}

func TestLoginRehashesWeakPasswords(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t))
	weak := password.Params{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	h, err := weak.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u := e.client.User.Create().SetUsername("alice").SetPasswordHash(h).SetIsSuperuser(true).SaveX(ctx)
	e.mustLogin("alice", "correct horse")
	got := e.client.User.GetX(ctx, u.ID).PasswordHash
	if password.DefaultParams.NeedsRehash(got) || password.Check("correct horse", got) != nil {
		t.Errorf("the password was not rehashed with the default parameters: %.30s", got)
	}
}

func TestNextCannotLeaveTheAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t))
	e.user("alice", "correct horse", nil)
	for next, want := range map[string]string{
		"/admin/auditentry/?q=x": "/admin/auditentry/?q=x",
		"//evil.example":         "/admin/",
		"https://evil.example":   "/admin/",
		"/\\evil.example":        "/admin/",
		"/admin/\\\\evil":        "/admin/",
		"/elsewhere/":            "/admin/",
		"/admin/../elsewhere/":   "/admin/",
		"/admin/%2e%2e/x":        "/admin/",
		"/admin/./x":             "/admin/",
		"/admin/product/..":      "/admin/",
		"/admin/..\\x":           "/admin/",
		"/administrator/":        "/admin/",
		"///evil.example":        "/admin/",
		"/admin/%0a/x":           "/admin/%0a/x",
		"/admin/\n/x":            "/admin/",
		"javascript:alert(1)":    "/admin/",
		"":                       "/admin/",
	} {
		res := e.login("alice", "correct horse", next)
		if res.StatusCode != http.StatusSeeOther || res.location() != want {
			t.Errorf("next=%q: %d to %q, want 303 to %q", next, res.StatusCode, res.location(), want)
		}
	}
	res := e.get("/admin/login/?" + url.Values{"next": {"//evil.example"}}.Encode())
	if strings.Contains(res.body, "evil.example") {
		t.Errorf("the login page carries an unsafe next:\n%s", res.body)
	}
}

func TestCrossOriginLoginIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t))
	e.user("alice", "correct horse", nil)
	res := e.login("alice", "correct horse", "", "Sec-Fetch-Site", "cross-site")
	if res.StatusCode != http.StatusForbidden || res.cookie() != nil {
		t.Errorf("cross-site login: status %d, cookie %v; want 403 without a cookie", res.StatusCode, res.cookie())
	}
	if n := e.client.AuditEntry.Query().CountX(context.Background()); n != 0 {
		t.Errorf("the refused request was recorded as %d login attempts", n)
	}
}

func TestLoginFailsWithoutDatabase(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t))
	e.user("alice", "correct horse", nil)
	if _, err := e.db.DB.Exec("DROP TABLE entadmin_audit_entries"); err != nil {
		t.Fatal(err)
	}
	res := e.login("alice", "correct horse", "")
	if res.StatusCode != http.StatusInternalServerError || res.cookie() != nil {
		t.Errorf("status %d, cookie %v; want 500 without a cookie", res.StatusCode, res.cookie())
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !strings.Contains(e.logs.String(), "entadmin_audit_entries") {
		t.Errorf("the error was not logged:\n%s", e.logs.String())
	}
}

func TestLastLoginOnlyForSuccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t))
	u := e.user("alice", "correct horse", nil)
	e.login("alice", "wrong", "")
	ctx := context.Background()
	if got := e.client.User.Query().Where(user.ID(u.ID)).OnlyX(ctx); got.LastLogin != nil {
		t.Errorf("a failed login set last_login to %v", got.LastLogin)
	}
	entry := e.client.AuditEntry.Query().OnlyX(ctx)
	if entry.Action != "login_failed" || entry.UserID == nil || *entry.UserID != u.ID {
		t.Errorf("audit entry %v, want alice's failed login", entry)
	}
}
