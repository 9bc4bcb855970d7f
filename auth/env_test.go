package auth

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/internal/testdb"
)

// setup runs Setup on a test database.
func setup(t *testing.T, client *ent.Client, db *testdb.DB) {
	t.Helper()
	if err := Setup(context.Background(), client, db.Dialect); err != nil {
		t.Fatal(err)
	}
}

// testSecret signs the test's session cookies.
var testSecret = []byte("0123456789abcdef0123456789abcdef")

// env is an admin mounted at /admin with an Authorizer, served over HTTP,
// and a browser for it: a client with a cookie jar that does not follow
// redirects.
type env struct {
	t      *testing.T
	db     *testdb.DB
	client *ent.Client
	a      *Authorizer
	srv    *httptest.Server
	jar    http.CookieJar
	http   *http.Client

	mu    sync.Mutex
	clock time.Time
	slept []time.Duration
	logs  bytes.Buffer
}

// newEnv serves an admin on db, with the clock at the current time and
// failed logins not really delayed. Logs are checked for password hashes at
// the end of the test.
func newEnv(t *testing.T, db *testdb.DB, opts ...Option) *env {
	t.Helper()
	return newEnvOnSite(t, db, nil, opts...)
}

// newEnvOnSite is newEnv with options of the site, e.g. its trusted
// proxies.
func newEnvOnSite(t *testing.T, db *testdb.DB, siteOpts []entadmin.Option, opts ...Option) *env {
	t.Helper()
	e := &env{t: t, db: db, clock: time.Now()}
	e.client = ent.NewClient(ent.Driver(entsql.OpenDB(db.Dialect, db.DB)))
	setup(t, e.client, db)
	base := []Option{
		WithClock(e.now),
		WithLogger(slog.New(slog.NewTextHandler(lockedWriter{e}, nil))),
	}
	a, err := New(e.client, testSecret, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	a.sleep = func(_ context.Context, d time.Duration) {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.slept = append(e.slept, d)
	}
	e.a = a
	// The site logs the requests that fail, the login page's included.
	siteOpts = append([]entadmin.Option{entadmin.WithAuthorizer(a), entadmin.WithLogger(slog.New(slog.NewTextHandler(lockedWriter{e}, nil)))}, siteOpts...)
	site := entadmin.New(siteOpts...)
	r := chi.NewRouter()
	r.Mount("/admin", site.Handler())
	e.srv = httptest.NewServer(r)
	t.Cleanup(e.srv.Close)
	e.jar, _ = cookiejar.New(nil)
	e.http = &http.Client{
		Jar:           e.jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.Cleanup(func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if strings.Contains(e.logs.String(), "argon2") {
			t.Errorf("a password hash was logged:\n%s", e.logs.String())
		}
	})
	return e
}

// lockedWriter writes to the env's logs.
type lockedWriter struct{ e *env }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.e.mu.Lock()
	defer w.e.mu.Unlock()
	return w.e.logs.Write(p)
}

// now is the test's clock.
func (e *env) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.clock
}

// advance moves the clock forward.
func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clock = e.clock.Add(d)
}

// user creates a user with the password; change sets more fields.
func (e *env) user(username, pw string, change func(*ent.UserCreate)) *ent.User {
	e.t.Helper()
	h, err := password.Hash(pw)
	if err != nil {
		e.t.Fatal(err)
	}
	c := e.client.User.Create().SetUsername(username).SetPasswordHash(h).SetIsStaff(true)
	if change != nil {
		change(c)
	}
	return c.SaveX(context.Background())
}

// response is an answer, its body read.
type response struct {
	*http.Response
	body string
}

// location is the answer's Location header.
func (r response) location() string { return r.Header.Get("Location") }

// cookie is the session cookie the answer sets, or nil.
func (r response) cookie() *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == cookieName {
			return c
		}
	}
	return nil
}

// do sends a request and reads the answer, which must not show a password
// hash.
func (e *env) do(req *http.Request) response {
	e.t.Helper()
	res, err := e.http.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if bytes.Contains(b, []byte("argon2")) {
		e.t.Errorf("%s %s shows a password hash", req.Method, req.URL.Path)
	}
	return response{res, string(b)}
}

// get requests a path of the server.
func (e *env) get(path string) response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.do(req)
}

// post submits a form to a path of the server; header adds headers.
func (e *env) post(path string, form url.Values, header ...string) response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.do(req)
}

// login submits the login form.
func (e *env) login(username, pw, next string, header ...string) response {
	e.t.Helper()
	return e.post("/admin/login/", url.Values{"username": {username}, "password": {pw}, "next": {next}}, header...)
}

// mustLogin logs in and fails the test unless it works.
func (e *env) mustLogin(username, pw string) {
	e.t.Helper()
	if res := e.login(username, pw, ""); res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login as %s: status %d, want 303:\n%s", username, res.StatusCode, res.body)
	}
}

// loggedIn reports whether the browser reaches the dashboard (rather than
// being sent to the login page).
func (e *env) loggedIn() bool {
	e.t.Helper()
	res := e.get("/admin/")
	switch res.StatusCode {
	case http.StatusOK:
		return true
	case http.StatusSeeOther:
		if !strings.HasPrefix(res.location(), "/admin/login/") {
			e.t.Fatalf("GET /admin/ redirects to %q", res.location())
		}
		return false
	}
	e.t.Fatalf("GET /admin/: status %d", res.StatusCode)
	return false
}

// sessionCookie returns the browser's session cookie value, or "".
func (e *env) sessionCookie() string {
	u, _ := url.Parse(e.srv.URL + "/admin/")
	for _, c := range e.jar.Cookies(u) {
		if c.Name == cookieName {
			return c.Value
		}
	}
	return ""
}

// setSessionCookie puts a session cookie value in the browser.
func (e *env) setSessionCookie(v string) {
	u, _ := url.Parse(e.srv.URL + "/admin/")
	e.jar.SetCookies(u, []*http.Cookie{{Name: cookieName, Value: v, Path: "/admin/"}})
}
