package main

import (
	"bufio"
	"context"
	"net/http"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/entadmin/entadmin/examples/shop/shopapp"
)

// exportResult is what the bench measured of a CSV export.
type exportResult struct {
	rows                 int
	took                 time.Duration
	statements           int
	heapBefore, peakHeap uint64
	maxRSS               uint64
}

// measureExport downloads a CSV export, counting its lines, while sampling
// the heap in use every 5 ms.
func measureExport(ctx context.Context, db *shopapp.DB, transport http.RoundTripper, u string) (exportResult, error) {
	var r exportResult
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	r.heapBefore = ms.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	db.Counter.Reset()
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return r, err
	}
	resp, err := (&http.Client{Transport: transport}).Do(req)
	if err != nil {
		close(done)
		return r, err
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		r.rows++
	}
	resp.Body.Close()
	r.took = time.Since(start)
	close(done)
	<-sampled
	r.statements = db.Counter.Count()
	r.rows-- // the header
	r.peakHeap = peak.Load()
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		r.maxRSS = uint64(ru.Maxrss) * 1024
	}
	return r, sc.Err()
}

// mib converts bytes to mebibytes.
func mib(b uint64) float64 { return float64(b) / (1 << 20) }
