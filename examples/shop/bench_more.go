package main

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"sync/atomic"
	"syscall"
	"time"
)

// nextPattern finds the href of a list's "Next" link.
var nextPattern = regexp.MustCompile(`class="page-next" href="([^"]+)"`)

// nextLink loads a list page and returns the path of its "Next" link.
func nextLink(ctx context.Context, transport http.RoundTripper, u string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := (&http.Client{Transport: transport}).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	m := nextPattern.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("%s: no Next link (status %s)", u, resp.Status)
	}
	return html.UnescapeString(string(m[1])), nil
}

// dbTiming is how long the database alone takes for a request's
// statements, beside the request's own time.
type dbTiming struct {
	scenario   string
	request    time.Duration // the request's p50
	statements int
	p50        time.Duration
}

// replay records the statements one request to u runs, then runs them
// again through the pool directly, reading every row, and returns the
// median time of the whole sequence, once the connection has run it ten
// times: what the database alone takes in steady state.
func replay(ctx context.Context, db *database, transport http.RoundTripper, u string) (dbTiming, error) {
	var t dbTiming
	db.counter.Reset()
	db.counter.Record(true)
	_, err := get(ctx, &http.Client{Transport: transport}, u)
	db.counter.Record(false)
	if err != nil {
		return t, err
	}
	stmts, args := db.counter.Statements(), db.counter.Arguments()
	t.statements = len(stmts)
	var took []time.Duration
	start := time.Now()
	for i := 0; i < 15 || i < 60 && time.Since(start) < 3*time.Second; i++ {
		start := time.Now()
		for i, q := range stmts {
			rows, err := db.db.QueryContext(ctx, q, args[i]...)
			if err != nil {
				return t, fmt.Errorf("replay %q: %w", q, err)
			}
			for rows.Next() {
			}
			if err := rows.Close(); err != nil {
				return t, err
			}
		}
		if i >= 10 {
			took = append(took, time.Since(start))
		}
	}
	slices.Sort(took)
	t.p50 = percentile(took, 0.5)
	return t, nil
}

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
func measureExport(ctx context.Context, db *database, transport http.RoundTripper, u string) (exportResult, error) {
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
	db.counter.Reset()
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
	r.statements = db.counter.Count()
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

// printStatements prints the SQL statements one request of a scenario
// runs, with their arguments and the median time of each, replayed alone
// through the pool 20 times.
func printStatements(ctx context.Context, db *database, transport http.RoundTripper, s benchScenario, u string) error {
	db.counter.Reset()
	db.counter.Record(true)
	_, err := get(ctx, &http.Client{Transport: transport}, u)
	db.counter.Record(false)
	if err != nil {
		return err
	}
	fmt.Printf("\n%s (%s):\n", s.name, s.path)
	args := db.counter.Arguments()
	for i, q := range db.counter.Statements() {
		var took []time.Duration
		for range 20 {
			start := time.Now()
			rows, err := db.db.QueryContext(ctx, q, args[i]...)
			if err != nil {
				return fmt.Errorf("replay %q: %w", q, err)
			}
			for rows.Next() {
			}
			if err := rows.Close(); err != nil {
				return err
			}
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		fmt.Printf("%d. [%s] %s %v\n", i+1, ms(percentile(took, 0.5)), q, args[i])
	}
	return nil
}
