// Package querycount counts the SQL statements an ent client runs: in all,
// for tests and benchmarks that assert how many queries a request costs,
// and per context (see Track), for the metrics of each request.
package querycount

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"sync"
	"sync/atomic"

	"entgo.io/ent/dialect"
)

// Driver wraps an ent driver and counts the statements run through it,
// inside transactions too.
type Driver struct {
	dialect.Driver
	n      atomic.Int64
	record atomic.Bool

	mu    sync.Mutex
	stmts []string
	args  [][]any
}

// New wraps d.
func New(d dialect.Driver) *Driver { return &Driver{Driver: d} }

// Count returns the statements run since the last Reset.
func (d *Driver) Count() int { return int(d.n.Load()) }

// Reset sets the count to zero and forgets recorded statements.
func (d *Driver) Reset() {
	d.n.Store(0)
	d.mu.Lock()
	d.stmts, d.args = nil, nil
	d.mu.Unlock()
}

// Record turns keeping the text of each statement on or off.
func (d *Driver) Record(on bool) { d.record.Store(on) }

// Statements returns the statements recorded since the last Reset.
func (d *Driver) Statements() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.stmts...)
}

// Arguments returns the arguments of the statements recorded since the
// last Reset, in the order of Statements.
func (d *Driver) Arguments() [][]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([][]any(nil), d.args...)
}

// counterKey is the context key of the counter of Track.
type counterKey struct{}

// Track returns a context in which the statements run through a Driver
// are counted, and their count so far: what a request's middleware reads
// when the request is done. Tracking again replaces the counter.
func Track(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, counterKey{}, n), n
}

func (d *Driver) count(ctx context.Context, query string, args ...any) {
	d.n.Add(1)
	if n, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
	if d.record.Load() {
		d.mu.Lock()
		d.stmts = append(d.stmts, query)
		if len(args) == 1 {
			if a, ok := args[0].([]any); ok {
				args = a
			}
		}
		d.args = append(d.args, args)
		d.mu.Unlock()
	}
}

// Exec implements dialect.ExecQuerier.
func (d *Driver) Exec(ctx context.Context, query string, args, v any) error {
	d.count(ctx, query, args)
	return d.Driver.Exec(ctx, query, args, v)
}

// Query implements dialect.ExecQuerier.
func (d *Driver) Query(ctx context.Context, query string, args, v any) error {
	d.count(ctx, query, args)
	return d.Driver.Query(ctx, query, args, v)
}

// Tx implements dialect.Driver.
func (d *Driver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return &countingTx{Tx: tx, d: d}, nil
}

type countingTx struct {
	dialect.Tx
	d *Driver
}

func (t *countingTx) Exec(ctx context.Context, query string, args, v any) error {
	t.d.count(ctx, query)
	return t.Tx.Exec(ctx, query, args, v)
}

func (t *countingTx) Query(ctx context.Context, query string, args, v any) error {
	t.d.count(ctx, query)
	return t.Tx.Query(ctx, query, args, v)
}

// ExecContext runs a statement ent does not model inside the transaction,
// counting it, when the wrapped transaction can.
func (t *countingTx) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	cd, ok := t.Tx.(contextDriver)
	if !ok {
		return nil, fmt.Errorf("querycount: %T does not support ExecContext", t.Tx)
	}
	t.d.count(ctx, query)
	return cd.ExecContext(ctx, query, args...)
}

// QueryContext runs a query ent does not model inside the transaction,
// counting it, when the wrapped transaction can.
func (t *countingTx) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	cd, ok := t.Tx.(contextDriver)
	if !ok {
		return nil, fmt.Errorf("querycount: %T does not support QueryContext", t.Tx)
	}
	t.d.count(ctx, query)
	return cd.QueryContext(ctx, query, args...)
}

// contextDriver is what ent's sql/execquery feature asks of a driver.
type contextDriver interface {
	ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error)
}

// ExecContext runs a statement ent does not model, counting it, when the
// wrapped driver can.
func (d *Driver) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	cd, ok := d.Driver.(contextDriver)
	if !ok {
		return nil, fmt.Errorf("querycount: %T does not support ExecContext", d.Driver)
	}
	d.count(ctx, query)
	return cd.ExecContext(ctx, query, args...)
}

// QueryContext runs a query ent does not model, counting it, when the
// wrapped driver can.
func (d *Driver) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	cd, ok := d.Driver.(contextDriver)
	if !ok {
		return nil, fmt.Errorf("querycount: %T does not support QueryContext", d.Driver)
	}
	d.count(ctx, query)
	return cd.QueryContext(ctx, query, args...)
}
