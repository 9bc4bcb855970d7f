package entadmin

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/go-chi/chi/v5/middleware"
)

// WithTrustedProxies names the reverse proxies in front of the site by
// their address prefixes, e.g. netip.MustParsePrefix("10.0.0.0/8"). When a
// request's connection comes from one of them, the client's address
// (RequestInfo.ClientAddr) is the rightmost address of X-Forwarded-For
// outside the prefixes, unknown if there is none, and the request is
// secure (SecureRequest) if X-Forwarded-Proto says https. Any other
// request's headers are ignored: its client is the connection's address,
// so clients cannot choose their address to pass the address conditions
// of permission rules or to escape login throttling. Without this option
// no header is trusted.
func WithTrustedProxies(prefixes ...netip.Prefix) Option {
	return func(s *Site) { s.proxies = append(s.proxies, prefixes...) }
}

type requestKey struct{}

// RequestInfo is what permission checks may need to know of the admin
// request being served.
type RequestInfo struct {
	// ClientAddr is the client's address: the connection's, or the one a
	// trusted proxy forwarded (see WithTrustedProxies); the zero Addr when
	// unknown.
	ClientAddr netip.Addr
	// Method is the HTTP method.
	Method string
	// secure reports that a trusted proxy received the request over HTTPS.
	secure bool
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

// SecureRequest reports whether the client reached the site over HTTPS:
// TLS on the connection, or X-Forwarded-Proto: https from a trusted proxy
// (see WithTrustedProxies). Cookies set in answer to it are Secure.
func SecureRequest(r *http.Request) bool {
	return r.TLS != nil || RequestInfoFrom(r.Context()).secure
}

// withRequestInfo puts the request's RequestInfo in its context, the
// client's address found by chi's client IP middleware.
func (s *Site) withRequestInfo(next http.Handler) http.Handler {
	clientIP := middleware.ClientIPFromRemoteAddr
	if len(s.proxies) > 0 {
		prefixes := make([]string, len(s.proxies))
		for i, p := range s.proxies {
			prefixes[i] = p.String()
		}
		clientIP = middleware.ClientIPFromXFF(prefixes...)
	}
	return clientIP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := RequestInfo{
			ClientAddr: middleware.GetClientIPAddr(r.Context()),
			Method:     r.Method,
			secure:     s.fromTrustedProxy(r) && lastValue(r.Header.Values("X-Forwarded-Proto")) == "https",
		}
		next.ServeHTTP(w, r.WithContext(WithRequestInfo(r.Context(), info)))
	}))
}

// fromTrustedProxy reports whether r's connection comes from a trusted
// proxy.
func (s *Site) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	a = a.Unmap().WithZone("")
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// lastValue returns the last comma-separated entry of a header's values,
// the one set by the nearest proxy, in lower case.
func lastValue(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	v := vs[len(vs)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.ToLower(strings.TrimSpace(v))
}
