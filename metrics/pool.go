package metrics

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// poolCollector reports the statistics of a pgx pool when scraped.
type poolCollector struct{ pool *pgxpool.Pool }

// poolDesc describes one figure of pgxpool.Stat.
type poolDesc struct {
	desc  *prometheus.Desc
	kind  prometheus.ValueType
	value func(*pgxpool.Stat) float64
}

func gauge(name, help string, v func(*pgxpool.Stat) float64) poolDesc {
	return poolDesc{prometheus.NewDesc("entadmin_db_pool_"+name, help, nil, nil), prometheus.GaugeValue, v}
}

func counter(name, help string, v func(*pgxpool.Stat) float64) poolDesc {
	return poolDesc{prometheus.NewDesc("entadmin_db_pool_"+name, help, nil, nil), prometheus.CounterValue, v}
}

// poolDescs are the figures reported, named after pgxpool.Stat's methods.
var poolDescs = []poolDesc{
	gauge("acquired_conns", "Connections in use.", func(s *pgxpool.Stat) float64 { return float64(s.AcquiredConns()) }),
	gauge("idle_conns", "Connections idle in the pool.", func(s *pgxpool.Stat) float64 { return float64(s.IdleConns()) }),
	gauge("constructing_conns", "Connections being opened.", func(s *pgxpool.Stat) float64 { return float64(s.ConstructingConns()) }),
	gauge("total_conns", "Connections open or being opened.", func(s *pgxpool.Stat) float64 { return float64(s.TotalConns()) }),
	gauge("max_conns", "The most connections the pool opens.", func(s *pgxpool.Stat) float64 { return float64(s.MaxConns()) }),
	counter("acquires_total", "Connections taken from the pool.", func(s *pgxpool.Stat) float64 { return float64(s.AcquireCount()) }),
	counter("acquire_seconds_total", "Time spent waiting for a connection.", func(s *pgxpool.Stat) float64 { return s.AcquireDuration().Seconds() }),
	counter("empty_acquires_total", "Acquires that had to wait because no connection was idle.", func(s *pgxpool.Stat) float64 { return float64(s.EmptyAcquireCount()) }),
	counter("canceled_acquires_total", "Acquires given up by their context.", func(s *pgxpool.Stat) float64 { return float64(s.CanceledAcquireCount()) }),
	counter("new_conns_total", "Connections opened.", func(s *pgxpool.Stat) float64 { return float64(s.NewConnsCount()) }),
	counter("max_lifetime_closed_total", "Connections closed for their age.", func(s *pgxpool.Stat) float64 { return float64(s.MaxLifetimeDestroyCount()) }),
	counter("max_idle_closed_total", "Connections closed for being idle.", func(s *pgxpool.Stat) float64 { return float64(s.MaxIdleDestroyCount()) }),
}

// Describe implements prometheus.Collector.
func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range poolDescs {
		ch <- d.desc
	}
}

// Collect implements prometheus.Collector.
func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	for _, d := range poolDescs {
		ch <- prometheus.MustNewConstMetric(d.desc, d.kind, d.value(s))
	}
}
