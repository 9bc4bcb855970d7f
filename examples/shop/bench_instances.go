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
	"net/http/httputil"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/entadmin/entadmin/batteries"
)

// instanceHeader, on a request to roundRobin, names the instance to send
// it to (for tests); on its response, the instance that served it.
const instanceHeader = "X-Shop-Instance"

// roundRobin is a reverse proxy that sends each request to the next of
// the targets, or to the one the request's instanceHeader names.
func roundRobin(targets []*url.URL) http.Handler {
	var next atomic.Int64
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			i := int(next.Add(1)-1) % len(targets)
			if pin, err := strconv.Atoi(pr.In.Header.Get(instanceHeader)); err == nil && pin >= 0 && pin < len(targets) {
				i = pin
			}
			pr.SetURL(targets[i])
			pr.Out.Host = pr.In.Host
			pr.SetXForwarded()
			pr.Out.Header.Set(instanceHeader, strconv.Itoa(i))
		},
		ModifyResponse: func(resp *http.Response) error {
			resp.Header.Set(instanceHeader, resp.Request.Header.Get(instanceHeader))
			return nil
		},
	}
}

// serveInstances serves n instances of the shop on the database at dsn,
// each with its own pool, site, enforcer and policy watcher, behind a
// round-robin proxy. It returns the proxy's URL, the first instance's app,
// and a func that stops everything.
func serveInstances(ctx context.Context, dsn string, n int) (string, *app, func(), error) {
	var (
		stops   []func()
		targets []*url.URL
		first   *app
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
		db, err := openDB(ctx, dsn, "")
		if err != nil {
			stop()
			return "", nil, nil, err
		}
		stops = append(stops, func() { db.Close() })
		a, err := newApp(ctx, db, false)
		if err != nil {
			stop()
			return "", nil, nil, err
		}
		stops = append(stops, a.Close)
		if first == nil {
			first = a
		}
		base, err := serve(a.router())
		if err != nil {
			stop()
			return "", nil, nil, err
		}
		u, _ := url.Parse(base)
		targets = append(targets, u)
	}
	base, err := serve(roundRobin(targets))
	if err != nil {
		stop()
		return "", nil, nil, err
	}
	return base, first, stop, nil
}

// benchInstances loads the product list through a round-robin proxy in
// front of 1, then up to n instances on the PostgreSQL database of db, and
// prints the figures.
func benchInstances(ctx context.Context, db *database, products, n, clients int, d time.Duration) error {
	if db.pool == nil {
		return errors.New("-instances needs PostgreSQL")
	}
	dsn := db.pool.Config().ConnString()
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
			cookie, err := a.login(ctx, base)
			if err != nil {
				return err
			}
			transport := withCookie{pool, cookie}
			for _, c := range []int{clients, 1} {
				u := base + "/admin/product/"
				slog.Info("bench", "instances", k, "clients", c)
				if _, _, err := load(ctx, transport, u, c, 10*k, 0); err != nil {
					return err
				}
				latencies, elapsed, err := load(ctx, transport, u, c, 0, d)
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
