package entadmin

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// The default deadlines of a request (see WithRequestTimeout and
// WithExportTimeout).
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultExportTimeout  = 10 * time.Minute
)

// exportWriteWindow is how long the CSV export may take to write one batch
// of rows: it pushes the connection's write deadline (the http.Server's
// WriteTimeout) that far ahead before each batch.
const exportWriteWindow = time.Minute

// WithRequestTimeout sets how long a request may take (default
// DefaultRequestTimeout): its context is then cancelled, which stops its
// database statements, and it is answered 503. The CSV export has its own
// deadline (WithExportTimeout).
func WithRequestTimeout(d time.Duration) Option { return func(s *Site) { s.requestTimeout = d } }

// WithExportTimeout sets how long a CSV export may take (default
// DefaultExportTimeout).
func WithExportTimeout(d time.Duration) Option { return func(s *Site) { s.exportTimeout = d } }

// withDeadline gives a request's context a deadline d from now.
func withDeadline(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// extendWriteDeadline pushes the connection's write deadline d ahead, for
// a response that streams for longer than the server's WriteTimeout. A
// writer that cannot (a test recorder) is left as it is.
func extendWriteDeadline(w http.ResponseWriter, d time.Duration) error {
	err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
	if errors.Is(err, http.ErrNotSupported) {
		return nil
	}
	return err
}
