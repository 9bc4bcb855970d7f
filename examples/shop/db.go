package main

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"net/url"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/internal/querycount"
)

// database is the shop's open database.
type database struct {
	client   *ent.Client
	counter  *querycount.Driver // counts the statements the client runs
	db       *stdsql.DB
	pool     *pgxpool.Pool // nil on SQLite
	dialect  string
	describe string // for the log, without a password
}

// openDB opens Postgres through pgx when dsn is set, else the SQLite file.
func openDB(ctx context.Context, dsn, sqlitePath string) (*database, error) {
	if dsn != "" {
		pool, err := pgxpool.New(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
		}
		if err := pool.Ping(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("connect to %s: %w", redact(dsn), err)
		}
		db := stdlib.OpenDBFromPool(pool)
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

// Close closes the database.
func (d *database) Close() error {
	err := d.client.Close()
	if d.pool != nil {
		d.pool.Close()
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
