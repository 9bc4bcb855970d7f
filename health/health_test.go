package health_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/entadmin/entadmin/health"
	"github.com/entadmin/entadmin/internal/testdb"
)

func TestProbesAnswerAsTheDatabaseDoes(t *testing.T) {
	t.Parallel()
	db := testdb.Postgres(t)
	closed, err := sql.Open("pgx", db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	slow := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	tests := []struct {
		name string
		h    http.Handler
		want int
	}{
		{"the process is alive", health.Live(), http.StatusOK},
		{"a database that answers is ready", health.Ready(db.DB.PingContext, time.Second), http.StatusOK},
		{"a closed database is not ready", health.Ready(closed.PingContext, time.Second), http.StatusServiceUnavailable},
		{"a database slower than the timeout is not ready", health.Ready(slow, 50*time.Millisecond), http.StatusServiceUnavailable},
		{"a failing ping is not ready", health.Ready(func(context.Context) error { return errors.New("down") }, time.Second), http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := httptest.NewRecorder()
			tt.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if w.Code != tt.want {
				t.Errorf("status %d, want %d", w.Code, tt.want)
			}
			if w.Header().Get("Cache-Control") != "no-store" {
				t.Error("the answer may be cached")
			}
		})
	}
}
