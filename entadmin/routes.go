package entadmin

import (
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
)

// Route is one method and path pattern the site's Handler serves, the
// pattern in chi's syntax relative to the mount prefix, e.g.
// {GET /{slug}/{id}/history/}.
type Route struct {
	Method, Pattern string
}

// Routes returns every route of the site's Handler, the Authorizer's
// included, sorted by pattern and method: what a test walks to check that
// each one is covered by a permission check. Like Handler, it panics on an
// incomplete resource configuration.
func (s *Site) Routes() []Route {
	var routes []Route
	// The function never fails, so neither does Walk.
	_ = chi.Walk(s.router(), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes = append(routes, Route{Method: method, Pattern: pattern})
		return nil
	})
	slices.SortFunc(routes, func(a, b Route) int {
		if c := strings.Compare(a.Pattern, b.Pattern); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return slices.Compact(routes)
}
