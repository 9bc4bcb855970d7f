package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"syscall"
	"time"
)

// serverCost is what the handler alone spends on one request: CPU time
// (user and system, of the whole process, so the garbage collector's work
// counts) and heap allocations, without the HTTP client and the loopback
// connection the load's figures include.
type serverCost struct {
	requests int
	cpu      time.Duration // per request
	allocs   float64       // objects per request
	bytes    float64       // bytes per request
}

// measureServers measures the cost of each scenario's page through the
// handler alone, writing a CPU profile of those runs to profile unless it
// is empty.
func measureServers(ctx context.Context, h http.Handler, cookie *http.Cookie, base string, scenarios []benchScenario, d time.Duration, profile string) ([]serverCost, error) {
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return nil, fmt.Errorf("-handlerprofile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, fmt.Errorf("-handlerprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	costs := make([]serverCost, len(scenarios))
	for i, s := range scenarios {
		var err error
		if costs[i], err = measureServer(ctx, h, cookie, base+s.path, d); err != nil {
			return nil, fmt.Errorf("%s (%s): %w", s.name, s.path, err)
		}
	}
	return costs, nil
}

// measureServer runs the handler on GET path with the session cookie, in
// this goroutine alone, for d (at least 20 requests after a warm-up of
// 10), and returns its cost per request. Run it while nothing else loads
// the process: the CPU time is the process's.
func measureServer(ctx context.Context, h http.Handler, cookie *http.Cookie, path string, d time.Duration) (serverCost, error) {
	var c serverCost
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	if err != nil {
		return c, err
	}
	req.RemoteAddr = "127.0.0.1:1"
	req.AddCookie(cookie)
	w := &discardWriter{header: http.Header{}}
	serve := func() error {
		clear(w.header)
		w.status = 0
		h.ServeHTTP(w, req.Clone(ctx))
		if w.status != 0 && w.status != http.StatusOK {
			return fmt.Errorf("%s: status %d", path, w.status)
		}
		return nil
	}
	for range 10 {
		if err := serve(); err != nil {
			return c, err
		}
	}
	samples := []metrics.Sample{{Name: "/gc/heap/allocs:objects"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(samples)
	objects, bytes := samples[0].Value.Uint64(), samples[1].Value.Uint64()
	cpu := processCPU()
	start := time.Now()
	for c.requests < 20 || time.Since(start) < d {
		if err := serve(); err != nil {
			return c, err
		}
		c.requests++
	}
	c.cpu = (processCPU() - cpu) / time.Duration(c.requests)
	metrics.Read(samples)
	c.allocs = float64(samples[0].Value.Uint64()-objects) / float64(c.requests)
	c.bytes = float64(samples[1].Value.Uint64()-bytes) / float64(c.requests)
	return c, nil
}

// processCPU returns the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// discardWriter is an http.ResponseWriter that keeps the status and drops
// the body.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header { return w.header }

func (w *discardWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return len(b), nil
}

func (w *discardWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
