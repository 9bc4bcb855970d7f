package entadmin_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/adminres"
)

// serve answers one request to a site mounted at /admin.
func serve(t *testing.T, site *entadmin.Site, method, path string) (*http.Response, string) {
	t.Helper()
	r := chi.NewRouter()
	r.Mount("/admin", site.Handler())
	w := httptest.NewRecorder()
	req := httptest.NewRequest(method, path, nil)
	if method == http.MethodPost {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	r.ServeHTTP(w, req)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestASiteWithoutAnAuthorizerServesNobody(t *testing.T) {
	t.Parallel()
	site := entadmin.New(entadmin.WithLogger(slog.New(slog.DiscardHandler)))
	shopColumns(adminres.Register(site, ent.NewClient())) // never queried
	for _, c := range []struct{ method, path string }{
		{"GET", "/admin/"},
		{"GET", "/admin/product/"},
		{"GET", "/admin/product/1/"},
		{"POST", "/admin/product/add/"},
		{"GET", "/admin/login/"},
	} {
		res, body := serve(t, site, c.method, c.path)
		if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "entadmin.WithAuthorizer") || strings.Contains(body, "Authentication is off") {
			t.Errorf("%s %s: status %d, want 503 saying how to configure an authorizer:\n%.400s", c.method, c.path, res.StatusCode, body)
		}
		if res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s %s: no security headers", c.method, c.path)
		}
	}
	if res, _ := serve(t, site, "GET", "/admin/static/admin.css"); res.StatusCode != http.StatusOK {
		t.Errorf("the closed page's stylesheet: status %d", res.StatusCode)
	}
	open := entadmin.New(entadmin.WithAuthorizer(entadmin.Open{}), entadmin.WithLogger(slog.New(slog.DiscardHandler)))
	if res, body := serve(t, open, "GET", "/admin/"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Authentication is off") {
		t.Errorf("an explicitly open site: status %d, want 200 with its warning", res.StatusCode)
	}
}

func TestTheSecurityHeadersCanBeChanged(t *testing.T) {
	t.Parallel()
	defaults := entadmin.DefaultSecurityHeaders()
	site := entadmin.New(
		entadmin.WithAuthorizer(entadmin.Open{}),
		entadmin.WithLogger(slog.New(slog.DiscardHandler)),
		entadmin.WithSecurityHeaders(map[string]string{
			"content-security-policy": "frame-ancestors 'self'",
			"X-Frame-Options":         "",
			"Permissions-Policy":      "camera=()",
		}),
	)
	for _, path := range []string{"/admin/", "/admin/nope/", "/admin/static/admin.js"} {
		res, _ := serve(t, site, "GET", path)
		for name, want := range map[string]string{
			"Content-Security-Policy": "frame-ancestors 'self'",
			"X-Frame-Options":         "",
			"Permissions-Policy":      "camera=()",
			"X-Content-Type-Options":  defaults["X-Content-Type-Options"],
			"Referrer-Policy":         defaults["Referrer-Policy"],
		} {
			if got := res.Header.Values(name); strings.Join(got, ",") != want {
				t.Errorf("%s: %s = %q, want %q", path, name, got, want)
			}
		}
	}
}

// TestAPageIsSentWholeWithItsLength renders pages of different statuses:
// each leaves in one piece with a Content-Length that matches its body,
// so that no page is sent chunked.
func TestAPageIsSentWholeWithItsLength(t *testing.T) {
	t.Parallel()
	open := entadmin.New(entadmin.WithAuthorizer(entadmin.Open{}), entadmin.WithLogger(slog.New(slog.DiscardHandler)))
	for _, c := range []struct {
		path   string
		status int
	}{
		{"/admin/", http.StatusOK},
		{"/admin/no-such-page/", http.StatusNotFound},
	} {
		res, body := serve(t, open, "GET", c.path)
		if res.StatusCode != c.status {
			t.Errorf("GET %s: status %d, want %d", c.path, res.StatusCode, c.status)
		}
		if got, want := res.Header.Get("Content-Length"), strconv.Itoa(len(body)); got != want || len(body) == 0 {
			t.Errorf("GET %s: Content-Length %q for a body of %s bytes", c.path, got, want)
		}
	}
}
