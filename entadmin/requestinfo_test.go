package entadmin_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/entadmin/entadmin/entadmin"
)

// recorder is an Authorizer that records the RequestInfo of the request it
// is asked about, and allows nothing.
type recorder struct{ got entadmin.RequestInfo }

func (r *recorder) Authenticate(req *http.Request) (entadmin.User, error) {
	r.got = entadmin.RequestInfoFrom(req.Context())
	return nil, nil
}

func (r *recorder) Allowed(context.Context, entadmin.User, entadmin.Action, string) bool {
	return false
}

func TestTheRequestInfoCarriesTheClientAddressTrustingAProxyOnlyWhenTold(t *testing.T) {
	for _, tc := range []struct {
		name, header, remote, forwarded, want string
		method                                string
	}{
		{"the connection's address", "", "192.0.2.7:4321", "", "192.0.2.7", "GET"},
		{"a forged header is ignored without a trusted proxy", "", "192.0.2.7:4321", "10.0.0.1", "192.0.2.7", "POST"},
		{"the proxy's last address with a trusted proxy", "X-Forwarded-For", "127.0.0.1:80", "10.9.9.9, 203.0.113.5", "203.0.113.5", "GET"},
		{"an IPv4-mapped address is unmapped", "", "[::ffff:192.0.2.8]:1", "", "192.0.2.8", "GET"},
		{"no header behind a trusted proxy: unknown", "X-Forwarded-For", "127.0.0.1:80", "", "invalid IP", "GET"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			opts := []entadmin.Option{entadmin.WithAuthorizer(rec), entadmin.WithLogger(slog.New(slog.DiscardHandler))}
			if tc.header != "" {
				opts = append(opts, entadmin.WithTrustedProxyHeader(tc.header))
			}
			h := entadmin.New(opts...).Handler()
			req := httptest.NewRequest(tc.method, "/thing/", nil)
			req.RemoteAddr = tc.remote
			if tc.forwarded != "" {
				req.Header.Set("X-Forwarded-For", tc.forwarded)
			}
			h.ServeHTTP(httptest.NewRecorder(), req)
			if got := rec.got.ClientAddr.String(); got != tc.want {
				t.Errorf("client address %s, want %s", got, tc.want)
			}
			if rec.got.Method != tc.method || rec.got.Writes() != (tc.method == "POST") {
				t.Errorf("method %q, writes %v", rec.got.Method, rec.got.Writes())
			}
		})
	}
}
