package metrics_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/entadmin/entadmin/internal/testdb"
	"github.com/entadmin/entadmin/metrics"
)

// scrape returns what the metrics' handler serves.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	b, _ := io.ReadAll(w.Body)
	return string(b)
}

func TestTheMiddlewareMeasuresRoutesAndTheStatementsOfEachRequest(t *testing.T) {
	t.Parallel()
	db := testdb.Postgres(t)
	pool, err := pgxpool.New(context.Background(), db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	m, err := metrics.New(metrics.WithPool(pool))
	if err != nil {
		t.Fatal(err)
	}
	drv := metrics.Driver(entsql.OpenDB(db.Dialect, db.DB))
	r := chi.NewRouter()
	r.Use(m.Middleware)
	r.Get("/things/{id}/", func(w http.ResponseWriter, r *http.Request) {
		for range 3 {
			var rows entsql.Rows
			if err := drv.Query(r.Context(), "SELECT 1", []any{}, &rows); err != nil {
				t.Error(err)
				return
			}
			rows.Close()
		}
		w.WriteHeader(http.StatusAccepted)
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	for _, path := range []string{"/things/7/", "/things/8/", "/nowhere"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	text := scrape(t, m)
	for _, want := range []string{
		`entadmin_http_request_duration_seconds_count{method="GET",route="/things/{id}",status="202"} 2`,
		`entadmin_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1`,
		`entadmin_http_request_sql_statements_sum{route="/things/{id}"} 6`,
		`entadmin_http_request_sql_statements_bucket{route="/things/{id}",le="2"} 0`,
		`entadmin_http_request_sql_statements_bucket{route="/things/{id}",le="4"} 2`,
		`entadmin_db_pool_max_conns `,
		`go_goroutines `,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the metrics lack %s", want)
		}
	}
	if strings.Contains(text, "/things/7") {
		t.Error("the metrics show a path, not its route")
	}
}

func TestTheCacheAndLoginObserversCountOnTheApplicationsRegistry(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m, err := metrics.New(metrics.WithRegistry(reg))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := metrics.New(metrics.WithRegistry(reg)); err == nil {
		t.Error("registering the metrics twice on one registry succeeded")
	}
	var o metrics.CacheObserver = m
	o.CacheHit("l1")
	o.CacheHit("l1")
	o.CacheMiss("l1")
	o.CacheHit("l2")
	m.LoginFailed()
	m.LoginThrottled()
	m.AuditRecorded()
	text := scrape(t, m)
	for _, want := range []string{
		`entadmin_cache_lookups_total{result="hit",tier="l1"} 2`,
		`entadmin_cache_lookups_total{result="miss",tier="l1"} 1`,
		`entadmin_cache_lookups_total{result="hit",tier="l2"} 1`,
		"entadmin_login_failures_total 1",
		"entadmin_login_throttled_total 1",
		"entadmin_audit_writes_total 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the metrics lack %s", want)
		}
	}
	if strings.Contains(text, "go_goroutines") {
		t.Error("the application's registry got the Go collector it did not ask for")
	}
}
