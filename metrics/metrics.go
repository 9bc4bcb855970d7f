// Package metrics exposes what an operator of an entadmin site watches, in
// Prometheus' text format: the duration of each request by route and
// status, the SQL statements each request runs, the database pool, failed
// and throttled logins, audit log writes, and cache hits and misses per
// tier.
//
//	m, err := metrics.New(metrics.WithPool(pool))
//	if err != nil { ... }
//	drv := metrics.Driver(entsql.OpenDB(dialect.Postgres, db)) // counts statements per request
//	batteries.Install(ctx, site, drv,
//		batteries.WithAuthOptions(auth.WithObserver(m)),
//		batteries.WithAuditOptions(audit.WithObserver(m)))
//	r := chi.NewRouter()
//	r.Use(m.Middleware)
//	r.Mount("/admin", site.Handler())
//	r.Handle("/metrics", m.Handler())
//
// Labels never hold user data: routes are chi's patterns (/admin/{slug}/{id}),
// not paths.
package metrics

import (
	"net/http"

	"entgo.io/ent/dialect"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/entadmin/entadmin/internal/querycount"
)

// Metrics are the collectors of a site, registered on one registry. Its
// methods are safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	duration   *prometheus.HistogramVec
	statements *prometheus.HistogramVec
	loginFails prometheus.Counter
	throttles  prometheus.Counter
	audits     prometheus.Counter
	cache      *prometheus.CounterVec
}

// Option configures New.
type Option func(*config)

type config struct {
	reg  *prometheus.Registry
	pool *pgxpool.Pool
}

// WithRegistry registers the collectors on reg, which Handler then
// serves, instead of on a registry of their own that also holds the Go
// runtime's and the process's collectors.
func WithRegistry(reg *prometheus.Registry) Option { return func(c *config) { c.reg = reg } }

// WithPool adds the statistics of a pgx pool (see pgxpool.Pool.Stat).
func WithPool(pool *pgxpool.Pool) Option { return func(c *config) { c.pool = pool } }

// New returns the metrics, registered on their registry. It fails when a
// collector of the same name is registered there already.
func New(opts ...Option) (*Metrics, error) {
	var c config
	for _, opt := range opts {
		opt(&c)
	}
	m := &Metrics{
		reg: c.reg,
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "entadmin_http_request_duration_seconds",
			Help:    "How long requests took, by route pattern, method and status.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method", "status"}),
		statements: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "entadmin_http_request_sql_statements",
			Help:    "SQL statements run by each request, by route pattern.",
			Buckets: []float64{0, 1, 2, 4, 8, 16, 32, 64, 128},
		}, []string{"route"}),
		loginFails: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "entadmin_login_failures_total",
			Help: "Logins refused for a wrong username or password.",
		}),
		throttles: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "entadmin_login_throttled_total",
			Help: "Logins refused, whatever the password, for too many recent failures.",
		}),
		audits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "entadmin_audit_writes_total",
			Help: "Entries written to the audit log.",
		}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "entadmin_cache_lookups_total",
			Help: "Cache lookups, by tier and result (hit or miss).",
		}, []string{"tier", "result"}),
	}
	cs := []prometheus.Collector{m.duration, m.statements, m.loginFails, m.throttles, m.audits, m.cache}
	if m.reg == nil {
		m.reg = prometheus.NewRegistry()
		cs = append(cs, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	if c.pool != nil {
		cs = append(cs, poolCollector{c.pool})
	}
	for _, col := range cs {
		if err := m.reg.Register(col); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Handler serves the metrics of the registry in Prometheus' text format.
// It shows no user data; mount it where only the scraper reaches it if the
// figures themselves are private.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Driver wraps an ent driver so that Middleware counts the statements each
// request runs through it, transactions included.
func Driver(d dialect.Driver) dialect.Driver { return querycount.New(d) }

// LoginFailed counts a login refused for a wrong username or password
// (see auth.WithObserver).
func (m *Metrics) LoginFailed() { m.loginFails.Inc() }

// LoginThrottled counts a login refused for too many recent failures.
func (m *Metrics) LoginThrottled() { m.throttles.Inc() }

// AuditRecorded counts an entry written to the audit log (see
// audit.WithObserver).
func (m *Metrics) AuditRecorded() { m.audits.Inc() }

// CacheObserver is told of each lookup of a cache, with the tier that
// answered it or missed, e.g. "l1" (in process) or "l2" (Redis). Metrics
// implements it.
type CacheObserver interface {
	CacheHit(tier string)
	CacheMiss(tier string)
}

var _ CacheObserver = (*Metrics)(nil)

// CacheHit implements CacheObserver.
func (m *Metrics) CacheHit(tier string) { m.cache.WithLabelValues(tier, "hit").Inc() }

// CacheMiss implements CacheObserver.
func (m *Metrics) CacheMiss(tier string) { m.cache.WithLabelValues(tier, "miss").Inc() }
