package entadmin

import (
	"context"
	"errors"
	"fmt"
	"github.com/entadmin/entadmin/entadmin/store"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// item is the entity of the parser tests' resource.
type item struct {
	id      int
	name    string
	price   float64
	status  string
	created time.Time
}

// itemResource returns a resource of items searched by name, filtered by
// status, and sortable by name, price and created, with its list
// configuration.
func itemResource() (*Resource[*item], *listConfig[*item]) {
	name := &Field[*item]{Name: "name", Column: "name", Kind: KindString, Get: func(e *item) any { return e.name }}
	price := &Field[*item]{Name: "price", Column: "price", Kind: KindFloat, Get: func(e *item) any { return e.price }}
	created := &Field[*item]{Name: "created", Column: "created", Kind: KindTime, Get: func(e *item) any { return e.created }}
	status := &Field[*item]{Name: "status", Column: "status", Kind: KindEnum, Get: func(e *item) any { return e.status },
		Enums: []Choice{{Value: "draft", Label: "Draft"}, {Value: "published", Label: "Published"}}}
	r := &Resource[*item]{
		Slug:     "item",
		Store:    store.Store[*item]{IDColumn: "id", ParseID: func(s string) (any, error) { return strconv.Atoi(s) }},
		ID:       func(e *item) string { return strconv.Itoa(e.id) },
		Ordering: []string{"-created"},
		m:        meta{site: &Site{location: time.UTC}},
		fields:   map[string]*Field[*item]{},
	}
	for _, f := range []*Field[*item]{name, price, created, status} {
		f.Order = func(o ...sql.OrderTermOption) func(*sql.Selector) { return sql.OrderByField(f.Column, o...).ToFunc() }
		r.fields[f.Name] = f
	}
	lc := &listConfig[*item]{
		filters:  []*Field[*item]{status, created},
		search:   []searchField{{name: "name", column: "name"}, {name: "status", column: "status", mode: '='}},
		sortable: map[string]*Field[*item]{"name": name, "price": price, "created": created},
	}
	return r, lc
}

var discard = slog.New(slog.DiscardHandler)

// words returns a search of n words.
func words(n int) string { return strings.TrimSpace(strings.Repeat("ab ", n)) }

func TestRequestAddressesBeyondTheBoundsAreRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query string
		ok          bool
	}{
		{"a search of ten words", url.Values{"q": {words(10)}}.Encode(), true},
		{"a search of eleven words", url.Values{"q": {words(11)}}.Encode(), false},
		{"a search of 2 KB", url.Values{"q": {strings.Repeat("a", 2048)}}.Encode(), true},
		{"a search over 2 KB", url.Values{"q": {strings.Repeat("a", 2049)}}.Encode(), false},
		{"a query string over 8 KB", strings.Repeat("a=b&", 2100), false},
		{"a keyset cursor of 5 KB", url.Values{"after": {strings.Repeat("A", 5000)}}.Encode(), true},
		{"a NUL in the search", "q=a%00b", false},
		{"a NUL in a filter", "status=%00", false},
		{"a NUL in a parameter's name", "st%00atus=draft", false},
		{"bytes that are not UTF-8", "q=%ff%fe", false},
		{"a malformed escape", "q=%zz", false},
		{"accented words", url.Values{"q": {"crème brûlée"}}.Encode(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := checkRequestURL(&url.URL{Path: "/item/", RawQuery: tt.query})
			if (err == nil) != tt.ok {
				t.Fatalf("checkRequestURL = %v, want ok %v", err, tt.ok)
			}
			var msg inputError
			if err != nil && !errors.As(err, &msg) {
				t.Errorf("error %T is not a sentence for the user", err)
			}
		})
	}
	if err := checkRequestURL(&url.URL{Path: "/item/\x00/"}); err == nil {
		t.Error("a NUL in the path passes")
	}
}

func TestTheLimitsAnswer400BeforeAnyOtherWork(t *testing.T) {
	t.Parallel()
	s := New(WithLogger(discard), WithAuthorizer(Open{}))
	reached := false
	h := s.withPrefix(s.withLimits(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true })))
	for _, path := range []string{"/item/?q=" + url.QueryEscape(words(11)), "/item/partial/?q=%00", "/item/export/?q=%ff", "/item/autocomplete/?field=category&q=" + strings.Repeat("a", 3000)} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != http.StatusBadRequest || reached {
			t.Errorf("GET %.60s: status %d, handler reached %v; want 400 before the handler", path, w.Code, reached)
		}
	}
}

// TestOversizedRequestsAreRefusedQuicklyWithBoundedAllocations guards the
// cost of a refusal: a 1 MB query string and a 10,000-word search are
// refused in well under 100 ms, allocating a bounded amount whatever their
// size.
func TestOversizedRequestsAreRefusedQuicklyWithBoundedAllocations(t *testing.T) {
	s := New(WithLogger(discard), WithAuthorizer(Open{}))
	h := s.withPrefix(s.withLimits(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("an oversized request reached the handler")
	})))
	for _, tt := range []struct{ name, query string }{
		{"a 1 MB query string", "q=" + strings.Repeat("a", 1<<20)},
		{"a 10,000-word search", "q=" + url.QueryEscape(words(10000))},
		{"a 10,000-word search within 8 KB", "q=" + url.QueryEscape(words(2700))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/item/?"+tt.query, nil)
			refuse := func() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusBadRequest {
					t.Fatalf("status %d, want 400", w.Code)
				}
			}
			refuse() // the error page's first rendering
			const runs = 20
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			for range runs {
				refuse()
			}
			took := time.Since(start) / runs
			runtime.ReadMemStats(&after)
			allocs := (after.Mallocs - before.Mallocs) / runs
			bytes := (after.TotalAlloc - before.TotalAlloc) / runs
			t.Logf("refused in %v with %d allocations, %d bytes", took, allocs, bytes)
			if took > 100*time.Millisecond {
				t.Errorf("a refusal took %v, want under 100 ms", took)
			}
			// The error page's rendering, whatever the request's size.
			if allocs > 400 || bytes > 64<<10 {
				t.Errorf("a refusal allocated %d times, %d bytes; want at most 400 times, 64 KB", allocs, bytes)
			}
		})
	}
}

func TestDatabaseFailuresAreAnswered503AndRefusedTextIs400(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"a statement timeout", sqlState("57014"), http.StatusServiceUnavailable},
		{"a lock timeout", sqlState("55P03"), http.StatusServiceUnavailable},
		{"the server shutting down", sqlState("57P01"), http.StatusServiceUnavailable},
		{"too many connections", sqlState("53300"), http.StatusServiceUnavailable},
		{"a connection failure", sqlState("08006"), http.StatusServiceUnavailable},
		{"a refused connection", fmt.Errorf("connect: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), http.StatusServiceUnavailable},
		{"the request's deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), http.StatusServiceUnavailable},
		{"SQLite busy, as a driver with result codes says it", fmt.Errorf("query: %w", sqliteError(517)), http.StatusServiceUnavailable},
		{"SQLite busy, as a driver without result codes says it", errors.New("database is locked"), http.StatusServiceUnavailable},
		{"a SQLite constraint failure", sqliteError(2067), 0},
		{"a NUL in text", sqlState("22021"), http.StatusBadRequest},
		{"a unique violation", sqlState("23505"), 0},
		{"any other error", errors.New("boom"), 0},
	}
	for _, tt := range tests {
		if got, _ := failureStatus(tt.err); got != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.want)
		}
	}
}

// pgError is an error of the database with a SQLSTATE code, as pgx's.
type pgError string

func (e pgError) Error() string    { return "SQLSTATE " + string(e) }
func (e pgError) SQLState() string { return string(e) }

// sqliteError is an error of SQLite with a result code, as
// modernc.org/sqlite's.
type sqliteError int

func (e sqliteError) Error() string { return "SQLite error " + strconv.Itoa(int(e)) }
func (e sqliteError) Code() int     { return int(e) }

func sqlState(code string) error { return fmt.Errorf("query: %w", pgError(code)) }

func FuzzSearchTerms(f *testing.F) {
	for _, s := range []string{"", "red widget", "  a\tb\nc  ", words(10), words(11), "\u00a0x\u2003y", `"steel coat" rack`, `'it\'s' "open`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		terms, err := searchTerms(text)
		all := strings.Fields(text)
		if len(all) > maxSearchTerms {
			if err == nil {
				t.Fatalf("%d words pass", len(all))
			}
			return
		}
		if err != nil || len(terms) > len(all) {
			t.Fatalf("searchTerms = %q, %v; want at most %d terms", terms, err, len(all))
		}
		quoted := strings.ContainsAny(text, `"'`)
		if !quoted && len(terms) != len(all) {
			t.Fatalf("searchTerms = %q; want %q", terms, all)
		}
		for i, term := range terms {
			if term == "" || !quoted && (term != all[i] || strings.IndexFunc(term, unicode.IsSpace) >= 0) {
				t.Fatalf("term %q", term)
			}
		}
	})
}

func FuzzCheckRequestURL(f *testing.F) {
	for _, s := range []string{"", "q=red+widget", "q=%00", "o=-name,price&p=2", "q=%ff", "a=1&a=2;b", "after=" + strings.Repeat("A", 6000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if checkRequestURL(&url.URL{Path: "/item/", RawQuery: raw}) != nil {
			return
		}
		if len(raw) > maxQueryBytes {
			t.Fatalf("a query string of %d bytes passes", len(raw))
		}
		q, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatalf("a malformed query string passes: %v", err)
		}
		for k, vs := range q {
			for _, v := range vs {
				if !store.ValidText(k) || !store.ValidText(v) || len(v) > maxCursorBytes {
					t.Fatalf("parameter %q=%q passes", k, v)
				}
				if k == paramSearch && len(strings.Fields(v)) > maxSearchTerms {
					t.Fatalf("a search of %d words passes", len(strings.Fields(v)))
				}
			}
		}
	})
}

func FuzzParseList(f *testing.F) {
	for _, s := range []string{"", "q=red+widget&status=draft&o=-price,name&p=3", "o=name,name", "o=nope", "p=0", "p=99999999999999999999", "created=7d&status=gone", "q=" + url.QueryEscape(words(10))} {
		f.Add(s)
	}
	r, lc := itemResource()
	req := httptest.NewRequest("GET", "/item/", nil)
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		if checkRequestURL(&url.URL{Path: "/item/", RawQuery: raw}) != nil {
			return // refused before the parser
		}
		q, _ := url.ParseQuery(raw)
		p, err := r.parseList(req, lc, q, now)
		if err != nil {
			if bad := (badParam{}); !errors.As(err, &bad) {
				t.Fatalf("parseList = %T %v, want a badParam", err, err)
			}
			return
		}
		if p.page < 1 {
			t.Fatalf("page %d", p.page)
		}
		for _, o := range p.order {
			if lc.sortable[o.name] != o.field {
				t.Fatalf("sorted by %q, which is not sortable", o.name)
			}
		}
		// The predicates build into SQL whatever the input, values as
		// arguments.
		sel := sql.Dialect(dialect.Postgres).Select("*").From(sql.Table("items"))
		for _, w := range append(p.where, r.orderBy(p.order)...) {
			w(sel)
		}
		query, args := sel.Query()
		if p.search != "" && !strings.Contains(query, "$") || strings.Count(query, "$") != len(args) {
			t.Fatalf("query %s with %d arguments", query, len(args))
		}
	})
}

func FuzzDecodeCursor(f *testing.F) {
	r, _ := itemResource()
	ks, ok := r.keyset([]orderTerm[*item]{{"price", r.fields["price"], true}, {"name", r.fields["name"], false}})
	if !ok {
		f.Fatal("no keyset")
	}
	e := &item{id: 7, name: "Oak \"board\"", price: 12.5}
	for _, s := range []string{r.encodeCursor(ks, e), "", "W10", "WyIxIiwiYSIsIjMiXQ", "!!", strings.Repeat("A", 6000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := r.decodeCursor(ks, s)
		if err != nil {
			if bad := (badParam{}); !errors.As(err, &bad) {
				t.Fatalf("decodeCursor = %T %v, want a badParam", err, err)
			}
			return
		}
		price, isFloat := c[0].(float64)
		_, isString := c[1].(string)
		id, isInt := c[2].(int)
		if len(c) != 3 || !isFloat || !isString || !isInt {
			t.Fatalf("cursor %#v has the wrong types", c)
		}
		// What decodes encodes back to the same position.
		again, err := r.decodeCursor(ks, r.encodeCursor(ks, &item{id: id, name: c[1].(string), price: price}))
		if err != nil || !sameCursor(again, c) {
			t.Fatalf("round trip of %#v: %#v, %v", c, again, err)
		}
	})
}

// sameCursor compares cursors, NaN equal to itself.
func sameCursor(a, b cursor) bool {
	for i := range a {
		x, xok := a[i].(float64)
		y, yok := b[i].(float64)
		if xok && yok && math.IsNaN(x) && math.IsNaN(y) {
			continue
		}
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestARequestPastItsDeadlineIsAnswered503WithRetryAfter(t *testing.T) {
	s := New(WithLogger(discard), WithAuthorizer(Open{}))
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // a statement that outlasts the deadline
		s.serverError(w, r, fmt.Errorf("query: %w", r.Context().Err()))
	})
	h := s.withPrefix(withDeadline(50 * time.Millisecond)(slow))
	w := httptest.NewRecorder()
	start := time.Now()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/item/", nil))
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || time.Since(start) > time.Second {
		t.Fatalf("status %d, Retry-After %q after %v; want 503 with Retry-After at the deadline", w.Code, w.Header().Get("Retry-After"), time.Since(start))
	}
	if !strings.Contains(w.Body.String(), "Try again in a few seconds") {
		t.Errorf("the 503 page is empty or does not say to try again:\n%s", w.Body.String())
	}

	// A client that has gone gets no answer, and nothing is logged as an
	// error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w = httptest.NewRecorder()
	s.serverError(w, httptest.NewRequest("GET", "/item/", nil).WithContext(ctx), sqlState("57014"))
	if w.Body.Len() != 0 {
		t.Errorf("a client that has gone got status %d and a page", w.Code)
	}
}
