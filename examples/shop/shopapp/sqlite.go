package shopapp

import (
	"context"
	stdsql "database/sql"
	"runtime"
	"sync"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// sqlitePragmas are the settings of every SQLite connection: foreign keys
// for ent's migration and cascades, WAL so that reads do not wait for a
// write, fsync at checkpoints only (WAL keeps the database consistent; a
// power cut may lose the last commits), a 16 MiB page cache per
// connection, the file mapped into memory, and temporary sorts in memory.
// _time_format=sqlite writes times that SQLite's date functions read.
const sqlitePragmas = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)" +
	"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-16000)&_pragma=mmap_size(268435456)&_pragma=temp_store(MEMORY)" +
	"&_time_format=sqlite"

// openSQLite opens the SQLite file with a pool that keeps its connections
// (database/sql keeps two idle by default, and a new connection reads the
// schema again) and an ent driver that reuses prepared statements.
func openSQLite(path string) (*stdsql.DB, dialect.Driver, error) {
	db, err := stdsql.Open("sqlite", "file:"+path+"?"+sqlitePragmas)
	if err != nil {
		return nil, nil, err
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	return db, &stmtCache{Driver: entsql.OpenDB(dialect.SQLite, db), stmts: map[string]*stdsql.Stmt{}}, nil
}

// maxCachedStmts bounds the statements a stmtCache keeps prepared.
const maxCachedStmts = 256

// stmtCache is an ent driver that runs queries outside transactions as
// prepared statements kept by their text: SQLite otherwise parses and
// plans every statement on every run, which costs more than running the
// list's statements. database/sql prepares a kept statement again on each
// connection it runs on. When the cache is full, it starts over.
type stmtCache struct {
	*entsql.Driver
	mu    sync.RWMutex // held for reading while a kept statement starts a query
	stmts map[string]*stdsql.Stmt
}

// Query implements dialect.ExecQuerier.
func (c *stmtCache) Query(ctx context.Context, query string, args, v any) error {
	rows, ok := v.(*entsql.Rows)
	argv, ok2 := args.([]any)
	if !ok || !ok2 && args != nil {
		return c.Driver.Query(ctx, query, args, v)
	}
	c.mu.RLock()
	stmt := c.stmts[query]
	if stmt == nil {
		c.mu.RUnlock()
		if err := c.prepare(ctx, query); err != nil {
			return err
		}
		c.mu.RLock()
		if stmt = c.stmts[query]; stmt == nil { // the cache started over
			c.mu.RUnlock()
			return c.Driver.Query(ctx, query, args, v)
		}
	}
	// Closing a statement waits for the rows of the queries it started,
	// not for a query about to start: the read lock keeps it open.
	r, err := stmt.QueryContext(ctx, argv...)
	c.mu.RUnlock()
	if err != nil {
		return err
	}
	*rows = entsql.Rows{ColumnScanner: r}
	return nil
}

// prepare prepares query and keeps it.
func (c *stmtCache) prepare(ctx context.Context, query string) error {
	stmt, err := c.DB().PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stmts[query] != nil {
		return stmt.Close() // prepared by another request meanwhile
	}
	if len(c.stmts) >= maxCachedStmts {
		c.closeAll()
	}
	c.stmts[query] = stmt
	return nil
}

// closeAll closes and forgets the kept statements; c.mu is held.
func (c *stmtCache) closeAll() {
	for q, s := range c.stmts {
		s.Close()
		delete(c.stmts, q)
	}
}

// Close closes the kept statements and the database.
func (c *stmtCache) Close() error {
	c.mu.Lock()
	c.closeAll()
	c.mu.Unlock()
	return c.Driver.Close()
}
