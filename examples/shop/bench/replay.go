package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/entadmin/entadmin/examples/shop/shopapp"
)

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
// times: what the database alone takes in steady state. The bench uses it
// on SQLite, which has no tracer (on PostgreSQL see statementClock).
func replay(ctx context.Context, db *shopapp.DB, transport http.RoundTripper, u string) (dbTiming, error) {
	var t dbTiming
	db.Counter.Reset()
	db.Counter.Record(true)
	_, err := get(ctx, &http.Client{Transport: transport}, u)
	db.Counter.Record(false)
	if err != nil {
		return t, err
	}
	stmts, args := db.Counter.Statements(), db.Counter.Arguments()
	t.statements = len(stmts)
	var took []time.Duration
	start := time.Now()
	for i := 0; i < 15 || i < 60 && time.Since(start) < 3*time.Second; i++ {
		start := time.Now()
		for i, q := range stmts {
			rows, err := db.SQL.QueryContext(ctx, q, args[i]...)
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

// printStatements prints the SQL statements one request of a scenario
// runs (on PostgreSQL all those pgx's tracer sees, the cache's reads of
// table versions too), with their arguments and the median time of each, replayed alone
// through the pool 20 times.
func printStatements(ctx context.Context, db *shopapp.DB, clock *statementClock, transport http.RoundTripper, s benchScenario, u string) error {
	db.Counter.Reset()
	db.Counter.Record(true)
	clock.recording(true)
	_, err := get(ctx, &http.Client{Transport: transport}, u)
	db.Counter.Record(false)
	stmts, args := clock.recording(false)
	if err != nil {
		return err
	}
	if db.Pool == nil { // no tracer
		stmts, args = db.Counter.Statements(), db.Counter.Arguments()
	}
	fmt.Printf("\n%s (%s):\n", s.name, s.path)
	for i, q := range stmts {
		var took []time.Duration
		for range 20 {
			start := time.Now()
			rows, err := db.SQL.QueryContext(ctx, q, args[i]...)
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
