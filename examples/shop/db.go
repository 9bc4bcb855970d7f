package main

import (
	"context"
	stdsql "database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/redis/go-redis/v9"
	_ "modernc.org/sqlite"

	"github.com/entadmin/entadmin/entadmin/pgconfig"
	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/internal/querycount"
)

// database is the shop's open database.
type database struct {
	client   *ent.Client
	counter  *querycount.Driver // counts the statements the client runs
	db       *stdsql.DB
	pool     *pgxpool.Pool // nil on SQLite
	redis    *redis.Client // the cache's second tier, nil without -redis
	dialect  string
	describe string // for the log, without a password
	drop     func() // drops a throwaway database on Close, or nil
}

// pgSettings are the session settings (runtime parameters) of every
// connection to Postgres, unless the database URL sets them, e.g.
// postgres://host/db?statement_timeout=10s.
var pgSettings = map[string]string{
	// A statement that runs, or waits for a lock, for longer is cancelled:
	// its request is answered 503 and its connection is free again.
	"statement_timeout": "5s",
}

// acquireTimeout bounds how long a statement waits for a connection of the
// pool when all are busy; it is then answered 503.
const acquireTimeout = 5 * time.Second

// openDB opens Postgres through pgx when dsn is set, else the SQLite file.
func openDB(ctx context.Context, dsn, sqlitePath string) (*database, error) {
	if dsn != "" {
		cfg, err := poolConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
		}
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
		}
		if err := pool.Ping(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("connect to %s: %w", redact(dsn), err)
		}
		// As stdlib.OpenDBFromPool, with a bound on the wait for a
		// connection: database/sql takes one from the pool for each
		// statement or transaction (it keeps none idle).
		db := stdsql.OpenDB(acquireWithin{stdlib.GetPoolConnector(pool), acquireTimeout})
		db.SetMaxIdleConns(0)
		counter := querycount.New(entsql.OpenDB(dialect.Postgres, db))
		return &database{
			client:   ent.NewClient(ent.Driver(counter)),
			counter:  counter,
			db:       db,
			pool:     pool,
			dialect:  dialect.Postgres,
			describe: "postgres " + redact(dsn),
		}, nil
	}
	db, drv, err := openSQLite(sqlitePath)
	if err != nil {
		return nil, err
	}
	counter := querycount.New(drv)
	return &database{
		client:   ent.NewClient(ent.Driver(counter)),
		counter:  counter,
		db:       db,
		dialect:  dialect.SQLite,
		describe: "sqlite " + sqlitePath,
	}, nil
}

// poolConfig parses dsn and sets the session settings of the admin's
// connections: every statement planned with its parameter values (see
// package pgconfig). Settings named in dsn win.
func poolConfig(dsn string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	pgconfig.Configure(cfg)
	for k, v := range pgSettings {
		if _, set := cfg.ConnConfig.RuntimeParams[k]; !set {
			cfg.ConnConfig.RuntimeParams[k] = v
		}
	}
	return cfg, nil
}

// Close closes the database.
func (d *database) Close() error {
	err := d.client.Close()
	if d.redis != nil {
		d.redis.Close()
	}
	if d.pool != nil {
		d.pool.Close()
	}
	if d.drop != nil {
		d.drop()
	}
	return err
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// acquireWithin is a connector that gives up waiting for a connection
// after a timeout; the statement's own context may end the wait sooner.
type acquireWithin struct {
	driver.Connector
	timeout time.Duration
}

// Connect implements driver.Connector.
func (c acquireWithin) Connect(ctx context.Context) (driver.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	return c.Connector.Connect(ctx)
}
