package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/internal/testdb"
)

// benchScenario is one page the bench requests over and over.
type benchScenario struct {
	name    string
	path    string
	clients int
}

// benchResult is what the bench measured of one scenario.
type benchResult struct {
	requests   int
	elapsed    time.Duration
	p50, p99   time.Duration
	statements int     // run by one request alone
	underLoad  float64 // statements per request while loaded
}

// runBench is the bench command: it seeds a database, serves the admin on
// loopback and measures a few pages under concurrent load.
func runBench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	products := fs.Int("products", 100000, "products to seed")
	clients := fs.Int("clients", 8, "concurrent clients")
	duration := fs.Duration("duration", 5*time.Second, "how long to load each scenario")
	reuse := fs.Bool("reuse", false, "skip seeding when the database already has exactly -products products")
	run := fs.String("run", "", "only the scenarios whose name matches this regular expression (the list-save, the search replay and the export run only when nothing is left out)")
	show := fs.Bool("statements", false, "print the SQL statements of one request of each scenario")
	dsn := fs.String("dsn", "", "PostgreSQL URL (default $DATABASE_URL; when both are empty, a throwaway database dropped at the end)")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if *dsn == "" {
		*dsn = os.Getenv("DATABASE_URL")
	}
	only, err := regexp.Compile(*run)
	if err != nil {
		return fmt.Errorf("-run: %w", err)
	}
	if *products < 1 || *clients < 1 || *duration <= 0 {
		return errors.New("-products and -clients must be at least 1, -duration positive")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	if *dsn == "" {
		tdb, drop, err := testdb.NewPostgres(ctx)
		if err != nil {
			return err
		}
		defer drop()
		*dsn = tdb.DSN
	}
	db, err := openDB(ctx, *dsn, "")
	if err != nil {
		return err
	}
	defer db.Close()

	seed := *products
	if *reuse {
		// Counting fails when the tables do not exist yet: then seed.
		if n, err := db.client.Product.Query().Count(ctx); err == nil && n == *products {
			seed = 0 // prepare only migrates a database with products
		}
	}
	if err := prepare(ctx, db, seed); err != nil {
		return err
	}
	// A product from the middle of the table, for the edit form.
	editID, err := db.client.Product.Query().Order(ent.Asc(product.FieldID)).Offset(*products / 2).FirstID(ctx)
	if err != nil {
		return fmt.Errorf("pick a product to edit: %w", err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	a, err := newApp(ctx, db, false)
	if err != nil {
		return err
	}
	defer a.Close()
	srv := &http.Server{Handler: a.router(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
		<-served
	}()

	pool := &http.Transport{MaxIdleConnsPerHost: *clients, MaxConnsPerHost: *clients}
	defer pool.CloseIdleConnections()
	base := "http://" + ln.Addr().String()
	cookie, err := a.login(ctx, base)
	if err != nil {
		return err
	}
	transport := withCookie{pool, cookie}
	// The deep page: the keyset link that page 5,001 (or the middle of a
	// smaller table) offers as "Next".
	deep, err := nextLink(ctx, transport, base+"/admin/product/?p="+strconv.Itoa(max(min(5001, *products/25/2), 1)))
	if err != nil {
		return err
	}
	edited, err := db.client.Product.Get(ctx, editID)
	if err != nil {
		return err
	}
	y, m, _ := edited.CreatedAt.In(time.Local).Date()
	drill := fmt.Sprintf("/admin/product/?is_active=yes&category=3&created_at__year=%d&created_at__month=%d", y, int(m))
	search := "/admin/product/?q=" + url.QueryEscape("rustic board")
	scenarios := []benchScenario{
		{"list page 1", "/admin/product/", *clients},
		{"list page 1, 1 client", "/admin/product/", 1},
		{"deep page (keyset), 1 client", deep, 1},
		{"search, 1 client", search, 1},
		{"search", search, *clients},
		{"filter + date drill-down, 1 client", drill, 1},
		{"partial endpoint, 1 client", "/admin/product/partial/", 1},
		{"filter", "/admin/product/?is_active=yes&category=3", *clients},
		{"sorted by price", "/admin/product/?o=-price", *clients},
		{"edit form", "/admin/product/" + strconv.Itoa(editID) + "/", *clients},
	}
	all := len(scenarios)
	scenarios = slices.DeleteFunc(scenarios, func(s benchScenario) bool { return !only.MatchString(s.name) })
	results := make([]benchResult, len(scenarios))
	for i, s := range scenarios {
		slog.Info("bench", "scenario", s.name, "path", s.path)
		if results[i], err = measure(ctx, db, transport, base+s.path, s.clients, *duration); err != nil {
			return fmt.Errorf("%s (%s): %w", s.name, s.path, err)
		}
	}

	// The list-save, the search replayed and the export run only when no
	// scenario is left out.
	var (
		listSave benchResult
		dbAlone  dbTiming
		export   exportResult
	)
	if len(scenarios) == all {
		if listSave, err = measureListSave(ctx, db, transport, base, *duration); err != nil {
			return err
		}
		if dbAlone, err = replay(ctx, db, transport, base+search); err != nil {
			return err
		}
		if export, err = measureExport(ctx, db, transport, base+"/admin/product/export/?category=3"); err != nil {
			return err
		}
	}

	fmt.Printf("\n%s, %d products, %d clients, %s per scenario, GOMAXPROCS=%d, logged in as a superuser\n(statements include the session lookup)\n\n",
		db.dialect, *products, *clients, *duration, runtime.GOMAXPROCS(0))
	fmt.Println("| scenario | req/s | p50 | p99 | SQL statements/request |")
	fmt.Println("|---|---:|---:|---:|---:|")
	for i, s := range scenarios {
		r := results[i]
		stmts := strconv.Itoa(r.statements)
		if r.underLoad != float64(r.statements) {
			stmts += fmt.Sprintf(" (%.2f under load)", r.underLoad)
		}
		fmt.Printf("| %s | %.0f | %s | %s | %s |\n", s.name,
			float64(r.requests)/r.elapsed.Seconds(), ms(r.p50), ms(r.p99), stmts)
	}
	if len(scenarios) == all {
		fmt.Printf("| list-save of 25 rows (plain form post), 1 client | %.0f | %s | %s | %d (%.2f under load) |\n",
			float64(listSave.requests)/listSave.elapsed.Seconds(), ms(listSave.p50), ms(listSave.p99), listSave.statements, listSave.underLoad)
	}
	if *show {
		for _, s := range scenarios {
			if err := printStatements(ctx, db, transport, s, base+s.path); err != nil {
				return err
			}
		}
	}
	if len(scenarios) < all {
		return nil
	}
	fmt.Printf("\nsearch, the database alone (the same %d statements replayed through pgx, rows read): p50 %s\n", dbAlone.statements, ms(dbAlone.p50))
	fmt.Printf("CSV export of category 3: %d rows in %s (%.0f rows/s), %d statements, heap in use peak %.1f MiB (%.1f MiB before), max RSS %.1f MiB\n",
		export.rows, export.took.Round(time.Millisecond), float64(export.rows)/export.took.Seconds(), export.statements,
		mib(export.peakHeap), mib(export.heapBefore), mib(export.maxRSS))
	return nil
}

// measure counts the statements of one request to u, warms up, then loads
// u with clients concurrent clients for d.
func measure(ctx context.Context, db *database, transport http.RoundTripper, u string, clients int, d time.Duration) (benchResult, error) {
	var r benchResult
	client := &http.Client{Transport: transport}
	db.counter.Reset()
	if _, err := get(ctx, client, u); err != nil {
		return r, err
	}
	r.statements = db.counter.Count()

	if _, _, err := load(ctx, transport, u, clients, min(d/5, time.Second)); err != nil {
		return r, err
	}
	db.counter.Reset()
	latencies, elapsed, err := load(ctx, transport, u, clients, d)
	if err != nil {
		return r, err
	}
	r.underLoad = float64(db.counter.Count()) / float64(len(latencies))
	slices.Sort(latencies)
	r.requests, r.elapsed = len(latencies), elapsed
	r.p50, r.p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
	return r, nil
}

// load runs clients goroutines that GET u until d has passed, and returns
// the latency of every request and the time they all took.
func load(ctx context.Context, transport http.RoundTripper, u string, clients int, d time.Duration) ([]time.Duration, time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		latencies []time.Duration
		firstErr  error
	)
	start := time.Now()
	deadline := start.Add(d)
	for range clients {
		wg.Go(func() {
			client := &http.Client{Transport: transport}
			var mine []time.Duration
			for time.Now().Before(deadline) {
				took, err := get(ctx, client, u)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel() // stop the others
					break
				}
				mine = append(mine, took)
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return latencies, time.Since(start), firstErr
}

// get requests u, reads the whole body and returns how long that took. A
// status other than 200 is an error showing the start of the body.
func get(ctx context.Context, client *http.Client, u string) (time.Duration, error) {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("status %s: %s", resp.Status, body[:min(len(body), 500)])
	}
	return time.Since(start), nil
}

// percentile returns the p-th quantile of sorted latencies, by nearest
// rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(float64(len(sorted))*p)) - 1
	return sorted[max(i, 0)]
}

// ms formats d in milliseconds.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// withCookie sends a session cookie with every request.
type withCookie struct {
	http.RoundTripper
	cookie *http.Cookie
}

func (t withCookie) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.AddCookie(t.cookie)
	return t.RoundTripper.RoundTrip(r)
}
