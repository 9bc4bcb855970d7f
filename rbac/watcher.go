package rbac

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/casbin/casbin/v2/persist"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/entadmin/entadmin/ent"
)

var (
	_ persist.Watcher = (*PGWatcher)(nil)
	_ persist.Watcher = (*PollingWatcher)(nil)
)

// callback holds a watcher's update callback.
type callback struct {
	mu sync.Mutex
	fn func(string)
}

// SetUpdateCallback sets the function the watcher calls when another
// instance changed the policy.
func (c *callback) SetUpdateCallback(fn func(string)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fn = fn
	return nil
}

// call calls the callback, if one is set.
func (c *callback) call(msg string) {
	c.mu.Lock()
	fn := c.fn
	c.mu.Unlock()
	if fn != nil {
		fn(msg)
	}
}

// pgChannel is the PostgreSQL notification channel of PGWatcher.
const pgChannel = "entadmin_policy"

// Timings of PGWatcher.
const (
	minBackoff    = 100 * time.Millisecond // first wait before reconnecting
	maxBackoff    = 30 * time.Second       // longest wait between attempts
	notifyTimeout = 10 * time.Second       // bound of Update
	closeTimeout  = 5 * time.Second        // bound of closing the listening connection
)

// PGWatcher is a casbin watcher over PostgreSQL LISTEN/NOTIFY, for several
// instances of the admin sharing one database. Update sends a notification
// on the channel entadmin_policy carrying the watcher's instance id; the
// other instances' watchers receive it and call their callback.
//
// It takes one connection out of the pool for good. When that connection
// fails, it reconnects with exponential backoff and then calls the callback,
// since changes made in between went unannounced.
type PGWatcher struct {
	callback
	pool *pgxpool.Pool
	id   string
	ctx  context.Context // lives until Close
	stop context.CancelFunc
	done chan struct{}
}

// NewPGWatcher starts listening on a connection of pool. Changes announced
// once it returns are not missed, so create it before the Enforcer.
func NewPGWatcher(ctx context.Context, pool *pgxpool.Pool) (*PGWatcher, error) {
	conn, err := listen(ctx, pool)
	if err != nil {
		return nil, err
	}
	wctx, stop := context.WithCancel(context.Background())
	w := &PGWatcher{pool: pool, id: uuid.NewString(), ctx: wctx, stop: stop, done: make(chan struct{})}
	go w.run(conn)
	return w, nil
}

// listen takes a connection out of pool, so that it never returns there
// with LISTEN in effect, and listens on pgChannel.
func listen(ctx context.Context, pool *pgxpool.Pool) (*pgx.Conn, error) {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("rbac: listen for policy changes: %w", err)
	}
	conn := c.Hijack()
	if _, err := conn.Exec(ctx, "LISTEN "+pgChannel); err != nil {
		closeConn(conn)
		return nil, fmt.Errorf("rbac: listen for policy changes: %w", err)
	}
	return conn, nil
}

// closeConn closes conn, giving up after closeTimeout.
func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	_ = conn.Close(ctx) // the connection is done with either way
}

// run receives notifications on conn, and on the connections that replace
// it, until Close.
func (w *PGWatcher) run(conn *pgx.Conn) {
	defer close(w.done)
	for {
		err := w.receive(conn)
		closeConn(conn)
		if w.ctx.Err() != nil {
			return
		}
		slog.Warn("rbac: lost the connection listening for policy changes; reconnecting", "err", err)
		if conn = w.reconnect(); conn == nil {
			return
		}
		w.call("")
	}
}

// receive calls the callback for each notification from another instance,
// until conn fails.
func (w *PGWatcher) receive(conn *pgx.Conn) error {
	for {
		n, err := conn.WaitForNotification(w.ctx)
		if err != nil {
			return err
		}
		if n.Payload != w.id {
			w.call(n.Payload)
		}
	}
}

// reconnect listens on a new connection, retrying with exponential backoff.
// It returns nil after Close.
func (w *PGWatcher) reconnect() *pgx.Conn {
	for delay := minBackoff; ; delay = min(2*delay, maxBackoff) {
		select {
		case <-w.ctx.Done():
			return nil
		case <-time.After(delay):
		}
		if conn, err := listen(w.ctx, w.pool); err == nil {
			return conn
		}
	}
}

// Update tells the other instances that the policy changed.
func (w *PGWatcher) Update() error {
	ctx, cancel := context.WithTimeout(w.ctx, notifyTimeout)
	defer cancel()
	if _, err := w.pool.Exec(ctx, "SELECT pg_notify($1, $2)", pgChannel, w.id); err != nil {
		return fmt.Errorf("rbac: announce a policy change: %w", err)
	}
	return nil
}

// Close stops listening and closes the connection. The callback is not
// called afterwards.
func (w *PGWatcher) Close() {
	w.stop()
	<-w.done
}

// DefaultPollInterval is the interval of a PollingWatcher created with
// interval 0.
const DefaultPollInterval = 5 * time.Second

// PollingWatcher is a casbin watcher for databases without LISTEN/NOTIFY,
// SQLite above all. Every interval it reads the whole policy (the
// PolicyRule rows, the memberships and the parent groups) and calls the
// callback when its checksum changed. The first poll always calls it, so
// that no change between the Enforcer's first load and that poll goes
// unseen. Update does nothing: the other instances see the change at their
// next poll.
type PollingWatcher struct {
	callback
	adapter *Adapter
	stop    context.CancelFunc
	done    chan struct{}
}

// NewPollingWatcher starts polling client's database every interval
// (DefaultPollInterval when interval is 0 or less).
func NewPollingWatcher(client *ent.Client, interval time.Duration) *PollingWatcher {
	if interval <= 0 {
		interval = DefaultPollInterval
	}
	ctx, stop := context.WithCancel(context.Background())
	w := &PollingWatcher{adapter: NewAdapter(client), stop: stop, done: make(chan struct{})}
	go w.run(ctx, interval)
	return w
}

// run polls until ctx is cancelled.
func (w *PollingWatcher) run(ctx context.Context, interval time.Duration) {
	defer close(w.done)
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	var last string
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		sum, err := w.checksum(ctx)
		if err != nil {
			if ctx.Err() == nil {
				slog.Warn("rbac: poll the policy for changes", "err", err)
			}
			continue
		}
		if sum != last {
			last = sum
			w.call("")
		}
	}
}

// checksum returns a checksum of the whole policy.
func (w *PollingWatcher) checksum(ctx context.Context) (string, error) {
	rules, err := w.adapter.rules(ctx)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, r := range rules {
		fmt.Fprintf(h, "%q\n", r)
	}
	return string(h.Sum(nil)), nil
}

// Update does nothing: the other instances poll.
func (w *PollingWatcher) Update() error { return nil }

// Close stops polling. The callback is not called afterwards.
func (w *PollingWatcher) Close() {
	w.stop()
	<-w.done
}
