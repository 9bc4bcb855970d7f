package entadmin

import "net/http"

// DefaultSecurityHeaders returns the headers the site sets on every
// response: a Content-Security-Policy that runs only the site's own
// scripts and styles (its pages have no inline script, style or event
// handler) and forbids framing, the same refusal for older browsers, no
// content-type sniffing, and no Referer to other sites.
func DefaultSecurityHeaders() map[string]string {
	return map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
			"frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
		"X-Frame-Options":        "DENY",
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	}
}

// WithSecurityHeaders changes the security headers of the site's
// responses (see DefaultSecurityHeaders): each header of h replaces the
// default of its name, and an empty value drops it. For example, to let
// the application's own pages frame the admin:
//
//	entadmin.WithSecurityHeaders(map[string]string{
//		"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'self'; base-uri 'self'; form-action 'self'",
//		"X-Frame-Options":         "SAMEORIGIN",
//	})
func WithSecurityHeaders(h map[string]string) Option {
	return func(s *Site) {
		for k, v := range h {
			k = http.CanonicalHeaderKey(k)
			if v == "" {
				delete(s.headers, k)
			} else {
				s.headers[k] = v
			}
		}
	}
}

// securityHeaders sets the site's security headers on every response:
// pages, errors, redirects and static files.
func (s *Site) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range s.headers {
			h.Set(k, v)
		}
		next.ServeHTTP(w, r)
	})
}
