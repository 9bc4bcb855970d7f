package main

import (
	"context"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/entadmin/entadmin/entadmin/pgconfig"
	"github.com/entadmin/entadmin/examples/shop/shopapp"
	"github.com/entadmin/entadmin/internal/testdb"
)

// openBenchDB opens the database the bench loads: the SQLite file when
// sqlitePath is set, else PostgreSQL at dsn with the statements run as
// plans says, or a throwaway PostgreSQL database when dsn is empty. The
// returned func closes the database and drops a throwaway one. On
// PostgreSQL, clock traces the pool's statements.
func openBenchDB(ctx context.Context, dsn, plans, sqlitePath string, clock *statementClock) (*shopapp.DB, func(), error) {
	if sqlitePath != "" {
		db, err := shopapp.Open(ctx, "", sqlitePath)
		if err != nil {
			return nil, nil, err
		}
		return db, func() { db.Close() }, nil
	}
	drop := func() {}
	if dsn == "" {
		tdb, dropTemp, err := testdb.NewPostgres(ctx)
		if err != nil {
			return nil, nil, err
		}
		dsn, drop = tdb.DSN, dropTemp
	}
	planned, err := withPlans(dsn, plans)
	if err != nil {
		drop()
		return nil, nil, err
	}
	db, err := shopapp.Open(ctx, planned, "", func(cfg *pgxpool.Config) { cfg.ConnConfig.Tracer = clock })
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, func() { db.Close(); drop() }, nil
}

// withPlans returns dsn with the settings of a -plans mode.
func withPlans(dsn, mode string) (string, error) {
	params := map[string][2]string{ // default_query_exec_mode, plan_cache_mode
		"custom":   {"cache_statement", pgconfig.ForceCustom},
		"auto":     {"cache_statement", "auto"},
		"describe": {"cache_describe", "auto"},
		"exec":     {"exec", "auto"},
		"simple":   {"simple_protocol", "auto"},
	}
	p, ok := params[mode]
	if !ok {
		return "", fmt.Errorf("-plans: unknown mode %q", mode)
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return dsn + " default_query_exec_mode=" + p[0] + " " + pgconfig.PlanCacheMode + "=" + p[1], nil
	}
	q := u.Query()
	q.Set("default_query_exec_mode", p[0])
	q.Set(pgconfig.PlanCacheMode, p[1])
	u.RawQuery = q.Encode()
	return u.String(), nil
}
