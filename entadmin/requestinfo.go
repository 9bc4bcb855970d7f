package entadmin

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// WithTrustedProxyHeader takes the client's address (RequestInfo.ClientAddr) from the
// last address of a header set by a reverse proxy, e.g. "X-Forwarded-For"
// or "X-Real-IP", instead of the connection's. Use it only when every
// request comes through such a proxy: otherwise clients choose their
// address, and pass address conditions of permission rules.
func WithTrustedProxyHeader(name string) Option {
	return func(s *Site) { s.proxyHeader = name }
}

type requestKey struct{}

// RequestInfo is what permission checks may need to know of the admin
// request being served.
type RequestInfo struct {
	// ClientAddr is the client's address: the connection's, or the trusted
	// proxy header's (see WithTrustedProxyHeader); the zero Addr when
	// unknown.
	ClientAddr netip.Addr
	// Method is the HTTP method.
	Method string
}

// Writes reports whether the request may change data: a method other than
// GET, HEAD and OPTIONS.
func (i RequestInfo) Writes() bool {
	switch i.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// RequestInfoFrom returns the RequestInfo of the admin request in ctx, or
// the zero RequestInfo outside one.
func RequestInfoFrom(ctx context.Context) RequestInfo {
	i, _ := ctx.Value(requestKey{}).(RequestInfo)
	return i
}

// WithRequestInfo returns a context carrying i, as the site does for every
// request.
func WithRequestInfo(ctx context.Context, i RequestInfo) context.Context {
	return context.WithValue(ctx, requestKey{}, i)
}

// withRequestInfo puts the request's RequestInfo in its context.
func (s *Site) withRequestInfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := RequestInfo{ClientAddr: s.clientAddr(r), Method: r.Method}
		next.ServeHTTP(w, r.WithContext(WithRequestInfo(r.Context(), info)))
	})
}

// clientAddr returns the client's address of r.
func (s *Site) clientAddr(r *http.Request) netip.Addr {
	if s.proxyHeader != "" {
		if vs := r.Header.Values(s.proxyHeader); len(vs) > 0 {
			v := vs[len(vs)-1]
			if i := strings.LastIndexByte(v, ','); i >= 0 {
				v = v[i+1:]
			}
			if a, err := netip.ParseAddr(strings.TrimSpace(v)); err == nil {
				return a.Unmap()
			}
		}
		return netip.Addr{}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}
