// Package pgconfig configures the pgx connection pools entadmin runs on
// PostgreSQL.
//
// pgx prepares every statement once per connection and reuses it. After
// five runs of a prepared statement PostgreSQL may switch it to a generic
// plan, made without the parameter values. For the admin's searches
// (ILIKE $1) such a plan cannot use a trigram index and scans the table: at
// a million rows, a search that took milliseconds took seconds from its
// sixth run on a connection. Filters on skewed values and bounded counts fall into the
// same trap. Configure makes every statement planned with its values:
//
//	cfg, err := pgxpool.ParseConfig(dsn)
//	if err != nil {
//		return err
//	}
//	pgconfig.Configure(cfg)
//	pool, err := pgxpool.NewWithConfig(ctx, cfg)
//
// With database/sql and pgx's stdlib driver, put the same setting in the
// connection string: "postgres://…/shop?plan_cache_mode=force_custom_plan".
// Behind PgBouncer, which refuses unknown startup parameters, set it on
// the server instead: ALTER ROLE admin SET plan_cache_mode = force_custom_plan.
package pgconfig

import "github.com/jackc/pgx/v5/pgxpool"

const (
	// PlanCacheMode is the PostgreSQL setting Configure puts on every
	// connection of a pool.
	PlanCacheMode = "plan_cache_mode"
	// ForceCustom is the value Configure gives it: every run of a
	// statement is planned with its parameter values.
	ForceCustom = "force_custom_plan"
)

// Configure sets plan_cache_mode=force_custom_plan on the connections of
// cfg's pool, unless cfg already sets plan_cache_mode (e.g. from its
// connection string), so that PostgreSQL plans every statement with its
// parameter values, however often the connection has run it. Statements
// stay prepared: they are parsed once per connection and planned at every
// run.
func Configure(cfg *pgxpool.Config) {
	params := cfg.ConnConfig.RuntimeParams
	if params == nil {
		params = map[string]string{}
		cfg.ConnConfig.RuntimeParams = params
	}
	if _, set := params[PlanCacheMode]; !set {
		params[PlanCacheMode] = ForceCustom
	}
}
