package entadmin_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/entadmin/entadmin/entadmin"
)

// recorder is an Authorizer that keeps the request it is asked about, and
// allows nothing.
type recorder struct{ req *http.Request }

func (r *recorder) Authenticate(req *http.Request) (entadmin.User, error) {
	r.req = req
	return nil, nil
}

func (r *recorder) Allowed(context.Context, entadmin.User, entadmin.Action, string) bool {
	return false
}

// serveRecorded serves req on a site trusting the proxies at the prefixes, and
// returns the request as the site's authorizer saw it.
func serveRecorded(t *testing.T, req *http.Request, proxies ...string) *http.Request {
	t.Helper()
	rec := &recorder{}
	opts := []entadmin.Option{entadmin.WithAuthorizer(rec), entadmin.WithLogger(slog.New(slog.DiscardHandler))}
	for _, p := range proxies {
		opts = append(opts, entadmin.WithTrustedProxies(netip.MustParsePrefix(p)))
	}
	entadmin.New(opts...).Handler().ServeHTTP(httptest.NewRecorder(), req)
	if rec.req == nil {
		t.Fatal("the authorizer was not asked")
	}
	return rec.req
}

func TestTheRequestInfoCarriesTheClientAddressTrustingOnlyTheProxies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, proxy, remote, forwarded, want string
		method                               string
	}{
		{"the connection's address", "", "192.0.2.7:4321", "", "192.0.2.7", "GET"},
		{"a forged header is ignored without a trusted proxy", "", "192.0.2.7:4321", "10.0.0.1", "192.0.2.7", "POST"},
		{"a forged header is ignored from a peer that is not a proxy", "10.0.0.0/8", "192.0.2.7:4321", "203.0.113.5", "192.0.2.7", "POST"},
		{"the proxy's last address from a trusted proxy", "127.0.0.0/8", "127.0.0.1:80", "10.9.9.9, 203.0.113.5", "203.0.113.5", "GET"},
		{"proxies' own addresses are skipped", "10.0.0.0/8", "10.0.0.2:80", "203.0.113.5, 10.0.0.1", "203.0.113.5", "GET"},
		{"an IPv4-mapped address is unmapped", "", "[::ffff:192.0.2.8]:1", "", "192.0.2.8", "GET"},
		{"an IPv4-mapped proxy is trusted", "127.0.0.0/8", "[::ffff:127.0.0.1]:1", "203.0.113.5", "203.0.113.5", "GET"},
		{"no header from a trusted proxy: unknown", "127.0.0.0/8", "127.0.0.1:80", "", "invalid IP", "GET"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "/thing/", nil)
			req.RemoteAddr = tc.remote
			if tc.forwarded != "" {
				req.Header.Set("X-Forwarded-For", tc.forwarded)
			}
			var proxies []string
			if tc.proxy != "" {
				proxies = append(proxies, tc.proxy)
			}
			got := entadmin.RequestInfoFrom(serveRecorded(t, req, proxies...).Context())
			if got.ClientAddr.String() != tc.want {
				t.Errorf("client address %s, want %s", got.ClientAddr, tc.want)
			}
			if got.Method != tc.method || got.Writes() != (tc.method == "POST") {
				t.Errorf("method %q, writes %v", got.Method, got.Writes())
			}
		})
	}
}

func TestTheMessageCookieIsSecureOverTLSOrFromATrustedHTTPSProxy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, proxy, remote, proto string
		tls, want                  bool
	}{
		{"plain HTTP", "", "192.0.2.7:1", "", false, false},
		{"TLS", "", "192.0.2.7:1", "", true, true},
		{"a trusted HTTPS proxy", "127.0.0.0/8", "127.0.0.1:1", "https", false, true},
		{"a trusted HTTP proxy", "127.0.0.0/8", "127.0.0.1:1", "http", false, false},
		{"a forged header without trusted proxies", "", "192.0.2.7:1", "https", false, false},
		{"a forged header from a peer that is not a proxy", "127.0.0.0/8", "192.0.2.7:1", "https", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := "http://example.com/admin/thing/"
			if tc.tls {
				url = "https://example.com/admin/thing/"
			}
			req := httptest.NewRequest("GET", url, nil)
			req.RemoteAddr = tc.remote
			if tc.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			var proxies []string
			if tc.proxy != "" {
				proxies = append(proxies, tc.proxy)
			}
			seen := serveRecorded(t, req, proxies...)
			if got := entadmin.SecureRequest(seen); got != tc.want {
				t.Errorf("SecureRequest = %v, want %v", got, tc.want)
			}
			w := httptest.NewRecorder()
			entadmin.AddMessage(w, seen, "success", "Saved.")
			cs := w.Result().Cookies()
			if len(cs) != 1 || cs[0].Secure != tc.want {
				t.Errorf("message cookies %v, want one with Secure %v", cs, tc.want)
			}
		})
	}
}
