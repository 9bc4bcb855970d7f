package main

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// statementClock times the statements of each request the bench serves,
// as pgx's tracer sees them: a statement runs from pgx's start of it to
// its end, which for a query is when its rows are closed, so the round
// trips to the database and the reading of the rows count. Every
// statement on the pool counts, the ones the ent driver's counter does
// not see too (the cache's reads of table versions). A request's
// statements run one after the other, so their sum is the time the
// request spent waiting on the database.
type statementClock struct {
	mu   sync.Mutex
	seen []requestDB
	// With record on, the statements and their arguments, in order.
	record atomic.Bool
	sqls   []string
	args   [][]any
}

// requestDB is what one request spent in the database.
type requestDB struct {
	took       time.Duration
	statements int
}

// requestClock sums the statements of one request.
type requestClock struct {
	took       atomic.Int64
	statements atomic.Int64
}

// requestClockKey carries a request's *requestClock in its context, and
// statementStartKey the start of a statement in pgx's.
type (
	requestClockKey   struct{}
	statementStartKey struct{}
)

// TraceQueryStart implements pgx.QueryTracer.
func (c *statementClock) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if _, ok := ctx.Value(requestClockKey{}).(*requestClock); !ok {
		return ctx
	}
	if c.record.Load() {
		// database/sql's statements start with pgx's options.
		args := slices.DeleteFunc(slices.Clone(data.Args), func(a any) bool {
			switch a.(type) {
			case pgx.QueryResultFormatsByOID, pgx.QueryResultFormats, pgx.QueryExecMode:
				return true
			}
			return false
		})
		c.mu.Lock()
		c.sqls, c.args = append(c.sqls, data.SQL), append(c.args, args)
		c.mu.Unlock()
	}
	return context.WithValue(ctx, statementStartKey{}, time.Now())
}

// TraceQueryEnd implements pgx.QueryTracer.
func (c *statementClock) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	rc, ok := ctx.Value(requestClockKey{}).(*requestClock)
	start, started := ctx.Value(statementStartKey{}).(time.Time)
	if ok && started {
		rc.took.Add(int64(time.Since(start)))
		rc.statements.Add(1)
	}
}

// Handler times the statements of each request to h.
func (c *statementClock) Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := new(requestClock)
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestClockKey{}, rc)))
		c.mu.Lock()
		c.seen = append(c.seen, requestDB{time.Duration(rc.took.Load()), int(rc.statements.Load())})
		c.mu.Unlock()
	})
}

// take returns the median time in statements of the requests served
// since the last take, and their mean number of statements.
func (c *statementClock) take() (p50 time.Duration, statements float64) {
	c.mu.Lock()
	seen := c.seen
	c.seen = nil
	c.mu.Unlock()
	if len(seen) == 0 {
		return 0, 0
	}
	took := make([]time.Duration, len(seen))
	n := 0
	for i, s := range seen {
		took[i] = s.took
		n += s.statements
	}
	slices.Sort(took)
	return percentile(took, 0.5), float64(n) / float64(len(seen))
}

// recording turns the recording of statements on (forgetting those
// recorded before) or off, and returns those recorded.
func (c *statementClock) recording(on bool) ([]string, [][]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sqls, args := c.sqls, c.args
	if on {
		c.sqls, c.args = nil, nil
	}
	c.record.Store(on)
	return sqls, args
}
