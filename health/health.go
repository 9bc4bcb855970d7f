// Package health answers an orchestrator's probes: Live whether the
// process serves at all, Ready whether it can do its work, that is whether
// its database answers.
//
//	r.Handle("/healthz", health.Live())
//	r.Handle("/readyz", health.Ready(db.PingContext, health.DefaultTimeout))
package health

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// DefaultTimeout is a short wait for the database to answer a readiness
// probe, well below the usual probe timeouts.
const DefaultTimeout = 2 * time.Second

// Live answers every request 200 "ok": the process is alive and serves.
func Live() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer(w, http.StatusOK, "ok")
	})
}

// Ready answers 200 "ok" when ping succeeds within timeout, and 503
// otherwise, so that a load balancer sends no requests to an instance
// whose database is out of reach. The error is logged, not shown.
func Ready(ping func(context.Context) error, timeout time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		if err := ping(ctx); err != nil {
			slog.Warn("health: not ready: the database does not answer", "err", err)
			answer(w, http.StatusServiceUnavailable, "the database does not answer")
			return
		}
		answer(w, http.StatusOK, "ok")
	})
}

// answer writes a short plain-text answer that no cache keeps.
func answer(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}
