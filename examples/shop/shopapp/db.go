package shopapp

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

// DB is the shop's open database.
type DB struct {
	Client   *ent.Client
	Counter  *querycount.Driver // counts the statements the client runs
	SQL      *stdsql.DB
	Pool     *pgxpool.Pool // nil on SQLite
	Redis    *redis.Client // the cache's second tier, nil unless set before New; closed with the database
	Dialect  string
	Describe string // for the log, without a password
}

// pgSettings are the session settings (runtime parameters) of every
// connection to Postgres, unless the database URL sets them, e.g.
// postgres://host/db?statement_timeout=10s.
var pgSettings = map[string]string{
	// A statement that runs, or waits for a lock, for longer is cancelled:
	// its request is answered 503 and its connection is free again.
	"statement_timeout": "5s",
}

// AcquireTimeout bounds how long a statement waits for a connection of the
// pool when all are busy; it is then answered 503.
const AcquireTimeout = 5 * time.Second

// Open opens Postgres through pgx when dsn is set, else the SQLite file.
// Each of configure changes the pool's configuration before the pool
// opens, e.g. to set a pgx.QueryTracer; they are not called on SQLite.
func Open(ctx context.Context, dsn, sqlitePath string, configure ...func(*pgxpool.Config)) (*DB, error) {
	if dsn != "" {
		cfg, err := poolConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
		}
		for _, c := range configure {
			c(cfg)
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
		db := stdsql.OpenDB(acquireWithin{stdlib.GetPoolConnector(pool), AcquireTimeout})
		db.SetMaxIdleConns(0)
		counter := querycount.New(entsql.OpenDB(dialect.Postgres, db))
		return &DB{
			Client:   ent.NewClient(ent.Driver(counter)),
			Counter:  counter,
			SQL:      db,
			Pool:     pool,
			Dialect:  dialect.Postgres,
			Describe: "postgres " + redact(dsn),
		}, nil
	}
	db, drv, err := openSQLite(sqlitePath)
	if err != nil {
		return nil, err
	}
	counter := querycount.New(drv)
	return &DB{
		Client:   ent.NewClient(ent.Driver(counter)),
		Counter:  counter,
		SQL:      db,
		Dialect:  dialect.SQLite,
		Describe: "sqlite " + sqlitePath,
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

// Close closes the database and its Redis client.
func (d *DB) Close() error {
	err := d.Client.Close()
	if d.Redis != nil {
		d.Redis.Close()
	}
	if d.Pool != nil {
		d.Pool.Close()
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
