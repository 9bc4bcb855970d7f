package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/session"
	"github.com/entadmin/entadmin/internal/querycount"
	"github.com/entadmin/entadmin/internal/testdb"
)

func TestLoginStartsANewSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t))
	e.user("alice", "correct horse", nil)
	e.user("mallory", "mallory's own", nil)

	// Mallory logs in and plants her cookie in Alice's browser.
	e.mustLogin("mallory", "mallory's own")
	planted := e.sessionCookie()
	e.mustLogin("alice", "correct horse")
	if got := e.sessionCookie(); got == planted || got == "" {
		t.Fatalf("the session cookie did not change on login")
	}
	e.setSessionCookie(planted)
	if e.loggedIn() {
		t.Error("the cookie from before the login still works")
	}
	if n := e.client.Session.Query().CountX(context.Background()); n != 1 {
		t.Errorf("%d sessions, want 1: the browser's old session was not deleted", n)
	}
}

func TestBadCookiesAreAnonymous(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t))
	e.user("alice", "correct horse", nil)
	e.mustLogin("alice", "correct horse")
	good := e.sessionCookie()
	token, _, _ := strings.Cut(good, ".")
	raw, err := b64.DecodeString(token)
	if err != nil {
		t.Fatal(err)
	}
	otherKey := hmac.New(sha256.New, []byte("another secret, just as long as it"))
	otherKey.Write(raw)

	for name, v := range map[string]string{
		"bad signature":      token + "." + b64.EncodeToString(make([]byte, 32)),
		"other secret":       token + "." + b64.EncodeToString(otherKey.Sum(nil)),
		"no signature":       token,
		"garbage":            "!!!.???",
		"short token":        b64.EncodeToString(raw[:16]) + "." + b64.EncodeToString(e.a.mac(raw[:16])),
		"unknown but signed": b64.EncodeToString(make([]byte, 32)) + "." + b64.EncodeToString(e.a.mac(make([]byte, 32))),
	} {
		e.setSessionCookie(v)
		if e.loggedIn() {
			t.Errorf("%s: logged in", name)
		}
	}

	e.setSessionCookie(good)
	if !e.loggedIn() {
		t.Fatal("the good cookie does not work")
	}
	e.client.Session.Delete().ExecX(context.Background())
	if e.loggedIn() {
		t.Error("the cookie of a deleted session still works")
	}
}

func TestSessionsOfUsersWhoMayNoLongerLogIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t))
	u := e.user("alice", "correct horse", nil)
	e.mustLogin("alice", "correct horse")
	e.client.User.UpdateOne(u).SetIsActive(false).ExecX(context.Background())
	if e.loggedIn() {
		t.Error("a deactivated user is still logged in")
	}
}

func TestIdleExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t), WithIdleTimeout(time.Hour))
	e.user("alice", "correct horse", nil)
	e.mustLogin("alice", "correct horse")
	ctx := context.Background()
	lastSeen := func() time.Time { return e.client.Session.Query().OnlyX(ctx).LastSeenAt }
	start := lastSeen()

	e.advance(30 * time.Second)
	if !e.loggedIn() {
		t.Fatal("logged out after 30s")
	}
	if !lastSeen().Equal(start) {
		t.Error("last_seen_at was updated within a minute of the last update")
	}
	for range 3 { // active for 2h45m
		e.advance(55 * time.Minute)
		if !e.loggedIn() {
			t.Fatal("an active session expired")
		}
	}
	if !lastSeen().Equal(e.now().Truncate(time.Microsecond)) {
		t.Errorf("last_seen_at = %v, want %v", lastSeen(), e.now())
	}
	e.advance(time.Hour)
	if e.loggedIn() {
		t.Error("a session idle for an hour still works")
	}
}

func TestAbsoluteExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t), WithMaxAge(3*time.Hour))
	e.user("alice", "correct horse", nil)
	e.mustLogin("alice", "correct horse")
	for range 5 {
		e.advance(35 * time.Minute)
		if !e.loggedIn() {
			t.Fatal("logged out before the maximum age")
		}
	}
	e.advance(26 * time.Minute)
	if e.loggedIn() {
		t.Error("an active session outlived its maximum age")
	}
}

func TestPruneSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t), WithIdleTimeout(time.Hour), WithMaxAge(2*time.Hour))
	u := e.user("alice", "correct horse", nil)
	ctx := context.Background()
	now := e.now()
	add := func(hash string, lastSeen, expires time.Time) {
		e.client.Session.Create().SetTokenHash(hash).SetUser(u).SetLastSeenAt(lastSeen).SetExpiresAt(expires).ExecX(ctx)
	}
	add("live", now.Add(-time.Minute), now.Add(time.Hour))
	add("idle", now.Add(-2*time.Hour), now.Add(time.Hour))
	add("expired", now.Add(-time.Minute), now.Add(-time.Second))
	n, err := e.a.PruneSessions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if left := e.client.Session.Query().Select(session.FieldTokenHash).StringsX(ctx); n != 2 || len(left) != 1 || left[0] != "live" {
		t.Errorf("pruned %d, left %v; want 2 pruned, the live one left", n, left)
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t))
	e.user("alice", "correct horse", nil)
	e.mustLogin("alice", "correct horse")
	cookie := e.sessionCookie()

	res := e.get("/admin/logout/")
	if res.StatusCode != http.StatusOK ||
		!strings.Contains(res.body, `<form class="card" method="post" action="/admin/logout/">`) ||
		!strings.Contains(res.body, `<button type="submit" class="btn btn-primary">Log out</button>`) {
		t.Fatalf("GET /admin/logout/: status %d, want a page with a Log out button:\n%s", res.StatusCode, res.body)
	}
	if !e.loggedIn() {
		t.Fatal("GET /admin/logout/ logged out")
	}

	res = e.post("/admin/logout/", url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.location() != "/admin/login/" {
		t.Fatalf("POST /admin/logout/: %d to %q, want 303 to the login page", res.StatusCode, res.location())
	}
	if c := res.cookie(); c == nil || c.MaxAge >= 0 || c.Path != "/admin/" {
		t.Errorf("logout cookie %+v, want it expired at /admin/", c)
	}
	res = e.get(res.location())
	if !strings.Contains(res.body, "You have been logged out.") {
		t.Errorf("the login page does not say so:\n%s", res.body)
	}
	if e.loggedIn() {
		t.Error("still logged in after logout")
	}
	e.setSessionCookie(cookie)
	if e.loggedIn() {
		t.Error("the cookie from before the logout still works")
	}
	if n := e.client.Session.Query().CountX(context.Background()); n != 0 {
		t.Errorf("%d sessions left after logout", n)
	}
}

func TestLoginAndLogoutOnSQLite(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.SQLite(t))
	e.user("alice", "correct horse", nil)
	if e.loggedIn() {
		t.Fatal("logged in before login")
	}
	e.mustLogin("alice", "correct horse")
	if !e.loggedIn() {
		t.Fatal("not logged in after login")
	}
	e.advance(2 * time.Minute)
	if !e.loggedIn() {
		t.Fatal("logged out after two minutes")
	}
	ctx := context.Background()
	if got := e.client.Session.Query().OnlyX(ctx).LastSeenAt; !got.Equal(e.now()) {
		t.Errorf("last_seen_at = %v, want %v", got, e.now())
	}
	e.post("/admin/logout/", url.Values{})
	if e.loggedIn() {
		t.Fatal("logged in after logout")
	}
}

// TestAuthenticateCost counts the statements of Authenticate: one SELECT,
// and an UPDATE at most once a minute.
func TestAuthenticateCost(t *testing.T) {
	t.Parallel()
	t.Run("postgres", func(t *testing.T) { t.Parallel(); testAuthenticateCost(t, testdb.Postgres(t)) })
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); testAuthenticateCost(t, testdb.SQLite(t)) })
}

func testAuthenticateCost(t *testing.T, db *testdb.DB) {
	e := newEnv(t, db)
	e.user("alice", "correct horse", nil)
	e.mustLogin("alice", "correct horse")
	drv := querycount.New(entsql.OpenDB(e.db.Dialect, e.db.DB))
	drv.Record(true)
	a := *e.a
	a.client = ent.NewClient(ent.Driver(drv))

	req := httpRequestWithCookie(t, e.sessionCookie())
	authenticate := func() []string {
		t.Helper()
		drv.Reset()
		u, err := a.Authenticate(req)
		if err != nil || u == nil || u.DisplayName() != "alice" {
			t.Fatalf("Authenticate = %v, %v; want alice", u, err)
		}
		if h := u.(*User).PasswordHash; h != "" {
			t.Errorf("Authenticate loads the password hash")
		}
		return drv.Statements()
	}
	if s := authenticate(); len(s) != 1 {
		t.Errorf("Authenticate right after login ran %q, want one SELECT", s)
	}
	e.advance(time.Minute)
	if s := authenticate(); len(s) != 2 || !strings.HasPrefix(s[1], "UPDATE") {
		t.Errorf("Authenticate a minute later ran %q, want a SELECT and an UPDATE", s)
	}
	if s := authenticate(); len(s) != 1 {
		t.Errorf("Authenticate again ran %q, want one SELECT", s)
	}
}

// httpRequestWithCookie is a request to the dashboard with a session cookie.
func httpRequestWithCookie(t *testing.T, value string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://example.com/admin/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: cookieName, Value: value})
	return req
}
