package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/entadmin/entadmin/batteries"
	"github.com/entadmin/entadmin/examples/shop/internal/roundrobin"
	"github.com/entadmin/entadmin/examples/shop/shopapp"
)

// serveInstances serves n instances of the shop on the database at dsn,
// each with its own pool, site, enforcer and policy watcher, behind a
// round-robin proxy. It returns the proxy's URL, the first instance's app,
// and a func that stops everything.
func serveInstances(ctx context.Context, dsn string, n int) (string, *shopapp.App, func(), error) {
	var (
		stops   []func()
		targets []*url.URL
		first   *shopapp.App
	)
	stop := func() {
		for _, s := range slices.Backward(stops) {
			s()
		}
	}
	serve := func(h http.Handler) (string, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		stops = append(stops, func() { srv.Close() })
		return "http://" + ln.Addr().String(), nil
	}
	for range n {
		db, err := shopapp.Open(ctx, dsn, "")
		if err != nil {
			stop()
			return "", nil, nil, err
		}
		stops = append(stops, func() { db.Close() })
		a, err := shopapp.New(ctx, db, false)
		if err != nil {
			stop()
			return "", nil, nil, err
		}
		stops = append(stops, a.Close)
		if first == nil {
			first = a
		}
		base, err := serve(a.Router())
		if err != nil {
			stop()
			return "", nil, nil, err
		}
		u, _ := url.Parse(base)
		targets = append(targets, u)
	}
	base, err := serve(roundrobin.New(targets))
	if err != nil {
		stop()
		return "", nil, nil, err
	}
	return base, first, stop, nil
}

// benchInstances loads the product list through a round-robin proxy in
// front of 1, then up to n instances on the PostgreSQL database of db, and
// prints the figures.
func benchInstances(ctx context.Context, db *shopapp.DB, products, n, clients int, kind clientKind, d time.Duration) error {
	if db.Pool == nil {
		return errors.New("-instances needs PostgreSQL")
	}
	dsn := db.Pool.Config().ConnString()
	// One key for every instance, so that a session works on all.
	if os.Getenv(batteries.SecretKeyEnv) == "" {
		key := make([]byte, 32)
		rand.Read(key)
		os.Setenv(batteries.SecretKeyEnv, hex.EncodeToString(key))
	}
	type row struct {
		instances, clients int
		requests           int
		elapsed, p50, p99  time.Duration
	}
	var rows []row
	for k := 1; k <= n; k++ {
		base, a, stop, err := serveInstances(ctx, dsn, k)
		if err != nil {
			return err
		}
		err = func() error {
			defer stop()
			pool := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
			defer pool.CloseIdleConnections()
			cookie, err := a.Login(ctx, base)
			if err != nil {
				return err
			}
			transport := withCookie{pool, cookie}
			for _, c := range []int{clients, 1} {
				u := base + "/admin/product/"
				slog.Info("bench", "instances", k, "clients", c)
				if _, _, err := load(ctx, transport, kind, u, c, 10*k, 0); err != nil {
					return err
				}
				latencies, elapsed, err := load(ctx, transport, kind, u, c, 0, d)
				if err != nil {
					return err
				}
				slices.Sort(latencies)
				rows = append(rows, row{k, c, len(latencies), elapsed, percentile(latencies, 0.50), percentile(latencies, 0.99)})
			}
			return nil
		}()
		if err != nil {
			return err
		}
	}
	fmt.Printf("\nthe product list (page 1) through a round-robin reverse proxy, %d products, %s per row after a warm-up, GOMAXPROCS=%d, load average %s; every instance has its own pool, site, enforcer and policy watcher, all in this process\n\n",
		products, d, runtime.GOMAXPROCS(0), loadAverage())
	fmt.Println("| instances | clients | req/s | p50 | p99 |")
	fmt.Println("|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		fmt.Printf("| %d | %d | %.0f | %s | %s |\n", r.instances, r.clients, float64(r.requests)/r.elapsed.Seconds(), ms(r.p50), ms(r.p99))
	}
	return nil
}
