package main

import (
	"bufio"
	"context"
	stdsql "database/sql"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entadmin/entadmin/rbac"
)

// viewer starts the closed shop admin on Postgres with n products and
// returns it with a client logged in as a staff user who may only view
// products and categories. dsn rewrites the test database's URL, e.g. to
// add runtime parameters; nil keeps it.
func viewer(t *testing.T, n int, dsn func(string) string) (*app, *browserless) {
	t.Helper()
	ctx := context.Background()
	a, srv := startSeeded(t, n, dsn)
	id := newStaff(t, a, "vera")
	for _, resource := range []string{"product", "category"} {
		if err := a.enforcer.Grant(ctx, rbac.UserSubject(id), resource, "view"); err != nil {
			t.Fatal(err)
		}
	}
	return a, login(t, srv.URL+"/admin", "vera", "pw of vera")
}

// withParams returns a dsn rewriter that adds query parameters.
func withParams(kv ...string) func(string) string {
	return func(dsn string) string {
		u, _ := url.Parse(dsn)
		q := u.Query()
		for i := 0; i+1 < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
}

// timedResponse is an answer of the admin with how long it took.
type timedResponse struct {
	status int
	header http.Header
	body   string
	took   time.Duration
}

func (b *browserless) get(ctx context.Context, path string) (timedResponse, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", b.base+path, nil)
	start := time.Now()
	resp, err := b.http.Do(req)
	if err != nil {
		return timedResponse{}, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return timedResponse{resp.StatusCode, resp.Header, string(body), time.Since(start)}, nil
}

// allocated returns the bytes the process allocates while f runs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestOversizedSearchesOfAViewOnlyUserAreRefusedAtOnce(t *testing.T) {
	_, vera := viewer(t, 200, nil)
	words := func(n int) string { return strings.TrimSpace(strings.Repeat("ab ", n)) }
	for _, tt := range []struct{ name, query string }{
		{"20,000 words", url.Values{"q": {words(20000)}}.Encode()},
		{"eleven words", url.Values{"q": {words(11)}}.Encode()},
		{"a 900 KB search term", url.Values{"q": {strings.Repeat("a", 900<<10)}}.Encode()},
		{"a 3 KB search term", url.Values{"q": {strings.Repeat("a", 3<<10)}}.Encode()},
	} {
		for _, endpoint := range []string{"/product/", "/product/partial/", "/product/export/", "/product/autocomplete/"} {
			var r timedResponse
			var err error
			bytes := allocated(func() { r, err = vera.get(context.Background(), endpoint+"?"+tt.query) })
			if err != nil {
				t.Fatal(err)
			}
			if endpoint == "/product/" {
				t.Logf("%s: status %d in %v, %d KB allocated", tt.name, r.status, r.took, bytes>>10)
			}
			if r.status != http.StatusBadRequest || r.took > time.Second || bytes > 32<<20 {
				t.Errorf("%s on %s: status %d in %v, %d KB allocated; want 400 at once", tt.name, endpoint, r.status, r.took, bytes>>10)
			}
		}
	}
	r, _ := vera.get(context.Background(), "/product/?"+url.Values{"q": {words(11)}}.Encode())
	if !strings.Contains(r.body, "search for at most 10 at a time") {
		t.Errorf("the 400 page does not say why:\n%s", r.body)
	}
	if r, _ := vera.get(context.Background(), "/product/?"+url.Values{"q": {words(10)}}.Encode()); r.status != http.StatusOK {
		t.Errorf("a search of ten words: status %d, want 200", r.status)
	}
}

func TestNaNAndInfinityPricesAreFieldErrorsWithTheValuesKept(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	ctx := context.Background()
	p := a.db.client.Product.Query().FirstX(ctx)
	for _, price := range []string{"NaN", "Inf", "-Infinity"} {
		form := productForm(p)
		form.Set("price", price)
		form.Set("name", "Renamed")
		status, body := eve.do("POST", "/product/"+strconv.Itoa(p.ID)+"/", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "NaN and infinity are not numbers here") || !strings.Contains(body, `value="Renamed"`) {
			t.Errorf("price %s: status %d; want the form again with a field error and the values kept", price, status)
		}
	}
	if got := a.db.client.Product.GetX(ctx, p.ID); got.Price != p.Price || got.Name != p.Name {
		t.Errorf("the product changed to %q at %v", got.Name, got.Price)
	}
}

func TestANULByteIsA400InParametersAndAFieldErrorInForms(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	ctx := context.Background()
	for _, path := range []string{"/product/?q=%00", "/product/?q=a%00b", "/product/?status=%00", "/product/autocomplete/?field=category&q=%00", "/category/?q=%ff"} {
		if r, _ := eve.get(ctx, path); r.status != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 400", path, r.status)
		}
	}
	p := a.db.client.Product.Query().FirstX(ctx)
	form := productForm(p)
	form.Set("name", "a\x00b")
	form.Set("brand", "Acme")
	status, body := eve.do("POST", "/product/"+strconv.Itoa(p.ID)+"/", form)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter valid text") || !strings.Contains(body, `value="Acme"`) {
		t.Errorf("a NUL in the name: status %d; want the form again with a field error and the values kept", status)
	}
	if got := a.db.client.Product.GetX(ctx, p.ID); got.Name != p.Name {
		t.Errorf("the name changed to %q", got.Name)
	}
	// A value that reaches the database by another way than a field's
	// decoder: the login form's user name.
	anon := &browserless{t: t, base: eve.base, http: &http.Client{}}
	if status, _ := anon.do("POST", "/login/", url.Values{"username": {"a\x00b"}, "password": {"x"}}); status >= 500 {
		t.Errorf("a NUL in the login's user name: status %d", status)
	}
}

// lockProducts locks the products table in a transaction of its own until
// the test ends or the returned func releases it.
func lockProducts(t *testing.T, dsn string) (release func()) {
	t.Helper()
	ctx := context.Background()
	db, err := stdsql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })
	if _, err := tx.ExecContext(ctx, "LOCK TABLE products IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	return func() { tx.Rollback() }
}

func TestALockedTableEndsAtTheStatementTimeoutWith503WhileOtherPagesAnswer(t *testing.T) {
	var dsn string
	_, vera := viewer(t, 20, func(s string) string {
		dsn = s
		return withParams("statement_timeout", "1s")(s)
	})
	lockProducts(t, dsn)
	ctx := context.Background()
	var wg sync.WaitGroup
	results := make([]timedResponse, 6)
	for i := range results {
		wg.Go(func() {
			r, err := vera.get(ctx, "/product/")
			if err != nil {
				t.Error(err)
			}
			results[i] = r
		})
	}
	time.Sleep(200 * time.Millisecond) // the product lists wait for the lock
	for _, path := range []string{"/", "/category/"} {
		r, err := vera.get(ctx, path)
		if err != nil || r.status != http.StatusOK || r.took > 3*time.Second {
			t.Errorf("GET %s while products are locked: status %d in %v (%v); want 200", path, r.status, r.took, err)
		}
	}
	wg.Wait()
	for _, r := range results {
		if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" || r.took > 5*time.Second {
			t.Errorf("the locked product list: status %d, Retry-After %q, in %v; want 503 with Retry-After after about a second", r.status, r.header.Get("Retry-After"), r.took)
		}
		if !strings.Contains(r.body, "Try again in a few seconds") {
			t.Errorf("the 503 page does not say to try again:\n%.300s", r.body)
		}
	}
}

// TestARequestWhoseClientLeavesStopsItsStatement guards that a request's
// context reaches its statements and that pgx, when it is done, cancels
// the statement on the server (it sends a cancel request before closing
// the connection), rather than leaving it waiting for its lock.
func TestARequestWhoseClientLeavesStopsItsStatement(t *testing.T) {
	t.Parallel()
	var dsn string
	a, vera := viewer(t, 20, func(s string) string {
		dsn = s
		return withParams("statement_timeout", "30s")(s)
	})
	lockProducts(t, dsn)
	waiting := func() int {
		var n int
		err := a.db.db.QueryRowContext(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// eventually waits up to 5 s for cond.
	eventually := func(cond func() bool) bool {
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if cond() {
				return true
			}
		}
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := vera.get(ctx, "/product/")
		done <- err
	}()
	if !eventually(func() bool { return waiting() > 0 }) {
		t.Fatal("the product list does not wait for the lock")
	}
	cancel() // the client leaves
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the request ended with %v before the client left", err)
	}
	if !eventually(func() bool { return waiting() == 0 }) {
		t.Fatal("the statement of a request whose client left still waits for its lock")
	}
}

func TestTheServerDropsAClientThatSendsNoBody(t *testing.T) {
	a, _ := viewer(t, 0, nil)
	srv := newServer(a.router())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Fatalf("the server lacks a timeout: %+v", srv)
	}
	srv.ReadTimeout = 500 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	io.WriteString(conn, "POST /admin/product/add/ HTTP/1.1\r\nHost: shop\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nname=")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	io.Copy(io.Discard, bufio.NewReader(conn))
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the connection of a client that sends no body lasted %v, want about the ReadTimeout", took)
	}
}

// proxy forwards TCP connections to target until it is stopped, which
// closes them all and refuses new ones: a database server going down.
type proxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) stop() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestWhileTheDatabaseIsDownPagesAre503WithRetryAfter(t *testing.T) {
	var p *proxy
	_, vera := viewer(t, 20, func(dsn string) string {
		u, _ := url.Parse(dsn)
		p = newProxy(t, u.Host)
		u.Host = p.ln.Addr().String()
		return u.String()
	})
	ctx := context.Background()
	if r, _ := vera.get(ctx, "/product/"); r.status != http.StatusOK {
		t.Fatalf("the product list: status %d before the database went down", r.status)
	}
	p.stop()
	for _, path := range []string{"/", "/product/", "/category/", "/product/1/", "/category/autocomplete/?q=a"} {
		r, err := vera.get(ctx, path)
		if err != nil || r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" || r.took > 10*time.Second {
			t.Errorf("GET %s with the database down: status %d, Retry-After %q, in %v (%v); want 503 with Retry-After", path, r.status, r.header.Get("Retry-After"), r.took, err)
		}
	}
	anon := &browserless{t: t, base: vera.base, http: &http.Client{}}
	if status, _ := anon.do("POST", "/login/", url.Values{"username": {"vera"}, "password": {"pw of vera"}}); status != http.StatusServiceUnavailable {
		t.Errorf("a login with the database down: status %d, want 503", status)
	}
}

func TestACSVExportOutlastsTheServersWriteTimeout(t *testing.T) {
	var dsn string
	a, vera := viewer(t, 2500, func(s string) string { dsn = s; return s })
	srv := newServer(a.router())
	srv.WriteTimeout = time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	vera.base = "http://" + ln.Addr().String() + "/admin" // the session cookie is per host, not port
	// The export sends its header row, then waits for the lock, past the
	// server's WriteTimeout.
	release := lockProducts(t, dsn)
	time.AfterFunc(2500*time.Millisecond, release)
	r, err := vera.get(context.Background(), "/product/export/")
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(r.body, "\n"); r.status != http.StatusOK || lines != 2501 || r.took < 2*time.Second {
		t.Errorf("the export: status %d, %d lines in %v; want the header and 2,500 rows after the lock", r.status, lines, r.took)
	}
}

func TestAFullPoolAnswers503AfterTheAcquireTimeout(t *testing.T) {
	var dsn string
	_, vera := viewer(t, 20, func(s string) string {
		dsn = s
		return withParams("statement_timeout", "30s", "pool_max_conns", "2")(s)
	})
	lockProducts(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	// They hold the pool's two connections, waiting for the lock; they
	// differ, so that neither waits for the other's count in the cache.
	for _, path := range []string{"/product/", "/product/?is_active=yes"} {
		wg.Go(func() { vera.get(ctx, path) })
	}
	time.Sleep(500 * time.Millisecond)
	// A category's form reads its row through the pool. (The dashboard
	// would not do: with the session cached it needs no connection and
	// leaves out the counts it cannot get within its budget.)
	r, err := vera.get(context.Background(), "/category/1/")
	if err != nil || r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" || r.took > acquireTimeout+3*time.Second {
		t.Errorf("a category's form with every connection busy: status %d, Retry-After %q, in %v (%v); want 503 after the acquire timeout", r.status, r.header.Get("Retry-After"), r.took, err)
	}
}
