// Command bench measures the shop example's admin over HTTP: it seeds a
// database, serves the admin on loopback and loads its pages with
// concurrent clients, then prints the requests per second, the latencies
// and the SQL statements per request of each page.
//
//	go run ./examples/shop/bench                      # a throwaway PostgreSQL database, 100,000 products
//	go run ./examples/shop/bench -products 2000 -duration 300ms -sqlite /tmp/bench.db
//	go run ./examples/shop/bench -dsn postgres://127.0.0.1:5432/bench -reuse -run 'search'
//	go run ./examples/shop/bench -instances 4         # several instances behind a round-robin proxy
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
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
	"strings"
	"sync"
	"time"

	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/examples/shop/shopapp"
)

// benchScenario is one page the bench requests over and over.
type benchScenario struct {
	name    string
	path    string
	clients int
}

// perPage is the product list's page size (entadmin's default).
const perPage = 25

// benchResult is what the bench measured of one scenario.
type benchResult struct {
	requests   int
	elapsed    time.Duration
	p50, p99   time.Duration
	statements int     // run by one request alone
	underLoad  float64 // statements per request while loaded
	// The median time a request spent in its statements and their mean
	// number, as pgx's tracer saw them (see statementClock); zero on SQLite.
	dbP50        time.Duration
	dbStatements float64
}

func main() {
	if err := runBench(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// runBench seeds a database, serves the admin on loopback and measures a
// few pages under concurrent load, as args say.
func runBench(args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	products := fs.Int("products", 100000, "products to seed")
	clients := fs.Int("clients", 8, "concurrent clients")
	duration := fs.Duration("duration", 5*time.Second, "how long to load each scenario")
	reuse := fs.Bool("reuse", false, "skip seeding when the database already has exactly -products products")
	run := fs.String("run", "", "only the scenarios whose name matches this regular expression (the list-save and the export run only when nothing is left out)")
	show := fs.Bool("statements", false, "print the SQL statements of one request of each scenario")
	plans := fs.String("plans", "custom", "how statements run: custom (the shop's setting: prepared, planned with their values every run), auto (PostgreSQL's default: generic plans may take over after five runs), describe, exec or simple (pgx exec modes that prepare nothing reusable)")
	instances := fs.Int("instances", 0, "instead of the scenarios, load the product list through a round-robin reverse proxy in front of 1, then up to this many instances")
	dsn := fs.String("dsn", "", "PostgreSQL URL (default $DATABASE_URL; when both are empty, a throwaway database dropped at the end)")
	sqlitePath := fs.String("sqlite", "", "bench this SQLite file instead of PostgreSQL (-dsn, -plans and $DATABASE_URL are then ignored)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measured load to this file (with -run, of one scenario)")
	memProfile := fs.String("memprofile", "", "write an allocation profile of the whole bench to this file")
	handlerProfile := fs.String("handlerprofile", "", "write a CPU profile of the runs through the handler alone (no HTTP client, no loopback) to this file")
	redisURL := fs.String("redis", "", "Redis URL of the cache's second tier (default: the cache in process, invalidated by LISTEN/NOTIFY)")
	client := fs.String("client", string(rawClients), "how the load's clients send requests: raw (one keep-alive connection each, used as wrk uses its own) or nethttp (net/http's client, which hands each request between goroutines)")
	cold := fs.Bool("cold", false, "bump the products table's cache version before each request, so that every cache lookup misses")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if *dsn == "" && *sqlitePath == "" {
		*dsn = os.Getenv("DATABASE_URL")
	}
	only, err := regexp.Compile(*run)
	if err != nil {
		return fmt.Errorf("-run: %w", err)
	}
	if *products < 1 || *clients < 1 || *duration <= 0 {
		return errors.New("-products and -clients must be at least 1, -duration positive")
	}
	if k := clientKind(*client); k != rawClients && k != netHTTPClients {
		return fmt.Errorf("-client %q: want raw or nethttp", *client)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	clock := new(statementClock)
	db, closeDB, err := openBenchDB(ctx, *dsn, *plans, *sqlitePath, clock)
	if err != nil {
		return err
	}
	defer closeDB()
	if *redisURL != "" {
		if db.Redis, err = shopapp.OpenRedis(ctx, *redisURL); err != nil {
			return err
		}
	}

	seed := *products
	if *reuse {
		// Counting fails when the tables do not exist yet: then seed.
		if n, err := db.Client.Product.Query().Count(ctx); err == nil && n == *products {
			seed = 0 // prepare only migrates a database with products
		}
	}
	if err := shopapp.Prepare(ctx, db, seed); err != nil {
		return err
	}
	if *instances > 0 {
		return benchInstances(ctx, db, *products, *instances, *clients, clientKind(*client), *duration)
	}
	// A product from the middle of the table, for the edit form.
	editID, err := db.Client.Product.Query().Order(ent.Asc(product.FieldID)).Offset(*products / 2).FirstID(ctx)
	if err != nil {
		return fmt.Errorf("pick a product to edit: %w", err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	a, err := shopapp.New(ctx, db, false)
	if err != nil {
		return err
	}
	defer a.Close()
	handler := clock.Handler(a.Router())
	if *cold {
		handler = coldCache(a, handler)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
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
	cookie, err := a.Login(ctx, base)
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
	edited, err := db.Client.Product.Get(ctx, editID)
	if err != nil {
		return err
	}
	y, m, _ := edited.CreatedAt.In(time.Local).Date()
	drill := fmt.Sprintf("/admin/product/?is_active=yes&category=3&created_at__year=%d&created_at__month=%d", y, int(m))
	search := "/admin/product/?q=" + url.QueryEscape("rustic board")
	lastPage := (*products + perPage - 1) / perPage
	scenarios := []benchScenario{
		{"list page 1", "/admin/product/", *clients},
		{"list page 1, 1 client", "/admin/product/", 1},
		{"deep page (keyset), 1 client", deep, 1},
	}
	for _, p := range []int{197, 2000} {
		if p < lastPage {
			scenarios = append(scenarios,
				benchScenario{fmt.Sprintf("page %d by URL, 1 client", p), "/admin/product/?p=" + strconv.Itoa(p), 1},
				benchScenario{fmt.Sprintf("page %d from the end by URL (?p=-%[1]d), 1 client", p), "/admin/product/?p=-" + strconv.Itoa(p), 1})
		}
	}
	scenarios = append(scenarios, []benchScenario{
		{"last page (the paginator's Last link, ?p=last), 1 client", "/admin/product/?p=last", 1},
		{"last page by its number from the start, 1 client", "/admin/product/?p=" + strconv.Itoa(lastPage), 1},
		{"filter, page 197, 1 client", "/admin/product/?is_active=yes&category=3&p=197", 1},
		{"filter, last page, 1 client", "/admin/product/?is_active=yes&category=3&p=last", 1},
		{"sorted by stock count (no index), page 1, 1 client", "/admin/product/?o=stock_count", 1},
		{"sorted by stock count (no index), last page, 1 client", "/admin/product/?o=stock_count&p=last", 1},
		{"search, 1 client", search, 1},
		{"search", search, *clients},
		{"search red (3 letters, no product), 1 client", "/admin/product/?q=red", 1},
		{"search oak (3 letters, 6% of products), 1 client", "/admin/product/?q=oak", 1},
		{"search with no match, 1 client", "/admin/product/?q=" + url.QueryEscape("quartz zeppelin"), 1},
		{"filter + date drill-down, 1 client", drill, 1},
		{"partial endpoint, 1 client", "/admin/product/partial/", 1},
		{"filter", "/admin/product/?is_active=yes&category=3", *clients},
		{"filter on a rare value (status discontinued, 8%), 1 client", "/admin/product/?status=discontinued", 1},
		{"filter on a common value (status published, 80%), 1 client", "/admin/product/?status=published", 1},
		{"sorted by price", "/admin/product/?o=-price", *clients},
		{"edit form", "/admin/product/" + strconv.Itoa(editID) + "/", *clients},
	}...)
	all := len(scenarios)
	scenarios = slices.DeleteFunc(scenarios, func(s benchScenario) bool { return !only.MatchString(s.name) })
	conns := db.SQL.Stats().MaxOpenConnections
	if db.Pool != nil {
		conns = int(db.Pool.Config().MaxConns)
	}
	prof, err := startProfiles(*cpuProfile, *memProfile)
	if err != nil {
		return err
	}
	results := make([]benchResult, len(scenarios))
	for i, s := range scenarios {
		slog.Info("bench", "scenario", s.name, "path", s.path)
		if results[i], err = measure(ctx, db, clock, transport, clientKind(*client), base+s.path, s.clients, conns, *duration, prof); err != nil {
			return fmt.Errorf("%s (%s): %w", s.name, s.path, err)
		}
	}
	if err := prof.stop(); err != nil {
		return err
	}
	// Each page once more, through the handler alone.
	costs, err := measureServers(ctx, handler, cookie, base, scenarios, *duration, *handlerProfile)
	if err != nil {
		return err
	}
	// On SQLite, which has no tracer, each page at one client replayed
	// against the database alone.
	var alone []dbTiming
	for i, s := range scenarios {
		if s.clients == 1 && db.Pool == nil {
			t, err := replay(ctx, db, transport, base+s.path)
			if err != nil {
				return err
			}
			t.scenario, t.request = s.name, results[i].p50
			alone = append(alone, t)
		}
	}

	// The list-save and the export run only when no scenario is left out.
	var (
		listSave benchResult
		export   exportResult
	)
	if len(scenarios) == all {
		if listSave, err = measureListSave(ctx, db, transport, base, *duration); err != nil {
			return err
		}
		if export, err = measureExport(ctx, db, transport, base+"/admin/product/export/?category=3"); err != nil {
			return err
		}
	}

	if db.Pool == nil {
		*plans = "prepared statements kept by the shop"
	}
	fmt.Printf("\n%s (plans: %s), %d products, %d clients (%s), %s per scenario after a warm-up of 10 requests per client and per connection (%d in the pool), GOMAXPROCS=%d, load average %s, logged in as a superuser\n(statements include the session lookup)\n\n",
		db.Dialect, *plans, *products, *clients, *client, *duration, conns, runtime.GOMAXPROCS(0), loadAverage())
	cacheState := "warm"
	if *cold {
		cacheState = "cold (every lookup misses)"
	}
	fmt.Printf("cache: %s, second tier %v (its version lookups go around the statement counter)\n\n", cacheState, *redisURL != "")
	fmt.Println("| scenario | req/s | p50 | p99 | SQL statements/request | handler alone: CPU/request · allocs/request · KB/request |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	for i, s := range scenarios {
		r := results[i]
		stmts := strconv.Itoa(r.statements)
		if r.underLoad != float64(r.statements) {
			stmts += fmt.Sprintf(" (%.2f under load)", r.underLoad)
		}
		c := costs[i]
		fmt.Printf("| %s | %.0f | %s | %s | %s | %s · %.0f · %.1f |\n", s.name,
			float64(r.requests)/r.elapsed.Seconds(), ms(r.p50), ms(r.p99), stmts, ms(c.cpu), c.allocs, c.bytes/1024)
	}
	if len(scenarios) == all {
		fmt.Printf("| list-save of 25 rows (plain form post), 1 client | %.0f | %s | %s | %d (%.2f under load) | |\n",
			float64(listSave.requests)/listSave.elapsed.Seconds(), ms(listSave.p50), ms(listSave.p99), listSave.statements, listSave.underLoad)
	}
	if *show {
		for _, s := range scenarios {
			if err := printStatements(ctx, db, clock, transport, s, base+s.path); err != nil {
				return err
			}
		}
	}
	if db.Pool != nil {
		fmt.Println("\n| page | request p50 | time in its statements p50 (pgx's tracer: from each statement's start to its rows' close, round trips included) | statements/request (all on the pool, the cache's version reads too) | ratio |")
		fmt.Println("|---|---:|---:|---:|---:|")
		for i, s := range scenarios {
			r := results[i]
			fmt.Printf("| %s | %s | %s | %.2f | %.2f |\n", s.name, ms(r.p50), ms(r.dbP50), r.dbStatements, float64(r.p50)/float64(r.dbP50))
		}
	}
	if len(alone) > 0 {
		fmt.Println("\n| page, 1 client | request p50 | the database alone p50 (its statements replayed through the pool, rows read) | ratio |")
		fmt.Println("|---|---:|---:|---:|")
		for _, t := range alone {
			fmt.Printf("| %s | %s | %s (%d statements) | %.2f |\n", t.scenario, ms(t.request), ms(t.p50), t.statements, float64(t.request)/float64(t.p50))
		}
	}
	if len(scenarios) < all {
		return nil
	}
	fmt.Printf("CSV export of category 3: %d rows in %s (%.0f rows/s), %d statements, heap in use peak %.1f MiB (%.1f MiB before), max RSS %.1f MiB\n",
		export.rows, export.took.Round(time.Millisecond), float64(export.rows)/export.took.Seconds(), export.statements,
		mib(export.peakHeap), mib(export.heapBefore), mib(export.maxRSS))
	return nil
}

// measure counts the statements of one request to u, then loads u with
// clients concurrent clients: first for a warm-up that takes every
// connection the clients use past PostgreSQL's switch to generic plans
// (after five runs of a prepared statement), then for d, measured. One
// client's requests all run on one connection, the one the pool hands out
// first (last released); several clients' spread over up to conns, so the
// warm-up is 10 requests per client and, with several clients, at least
// 10 per connection.
func measure(ctx context.Context, db *shopapp.DB, clock *statementClock, transport withCookie, kind clientKind, u string, clients, conns int, d time.Duration, prof *profiles) (benchResult, error) {
	var r benchResult
	client := &http.Client{Transport: transport}
	db.Counter.Reset()
	if _, err := get(ctx, client, u); err != nil {
		return r, err
	}
	r.statements = db.Counter.Count()

	warmup := 10
	if clients > 1 {
		warmup = max(10, (10*conns+clients-1)/clients)
	}
	if _, _, err := load(ctx, transport, kind, u, clients, warmup, 0); err != nil {
		return r, err
	}
	db.Counter.Reset()
	clock.take()
	if err := prof.measuring(); err != nil {
		return r, err
	}
	latencies, elapsed, err := load(ctx, transport, kind, u, clients, 0, d)
	if err != nil {
		return r, err
	}
	r.dbP50, r.dbStatements = clock.take()
	r.underLoad = float64(db.Counter.Count()) / float64(len(latencies))
	slices.Sort(latencies)
	r.requests, r.elapsed = len(latencies), elapsed
	r.p50, r.p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
	return r, nil
}

// load runs clients goroutines that GET u, each n times, or when n is 0
// until d has passed, and returns the latency of every request and the
// time they all took.
func load(ctx context.Context, transport withCookie, kind clientKind, u string, clients, n int, d time.Duration) ([]time.Duration, time.Duration, error) {
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
			var mine []time.Duration
			client, err := newRequester(kind, transport, u)
			for i := 0; err == nil && (n > 0 && i < n || n == 0 && time.Now().Before(deadline)); i++ {
				var took time.Duration
				if took, err = client.get(ctx); err != nil {
					break
				}
				mine = append(mine, took)
			}
			if client != nil {
				client.close()
			}
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				cancel() // stop the others
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
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
		return 0, fmt.Errorf("status %s: %s", resp.Status, body)
	}
	// Read the body as a load tool such as wrk does: whole, and into
	// nothing, so that the client's own work adds little to the page's time.
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

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

// loadAverage returns the machine's load averages over 1, 5 and 15
// minutes, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
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

// coldCache bumps the products table's version before each request to h,
// for the bench: every lookup of the product list then misses the cache.
func coldCache(a *shopapp.App, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := a.Cache.Invalidate(r.Context(), "products"); err != nil {
			slog.Warn("bench: cold cache", "err", err)
		}
		h.ServeHTTP(w, r)
	})
}
