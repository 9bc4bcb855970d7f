package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/entadmin/entadmin/internal/querycount"
)

// unmatched is the route label of a request no route matched.
const unmatched = "unmatched"

// Middleware measures each request: its duration by route pattern, method
// and status, and the SQL statements it ran through a Driver. Use it on
// the chi router that mounts the site, so that routes are labelled with
// their whole pattern, e.g. /admin/{slug}/{id} (chi drops the trailing
// slash).
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx, n := querycount.Track(r.Context())
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r.WithContext(ctx))
		route := unmatched
		if rctx := chi.RouteContext(r.Context()); rctx != nil && rctx.RoutePattern() != "" {
			route = rctx.RoutePattern()
		}
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK // nothing written
		}
		m.duration.WithLabelValues(route, r.Method, strconv.Itoa(status)).Observe(time.Since(start).Seconds())
		m.statements.WithLabelValues(route).Observe(float64(n.Load()))
	})
}
