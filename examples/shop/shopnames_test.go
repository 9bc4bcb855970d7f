package main

import (
	"context"
	stdsql "database/sql"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/entadmin/entadmin/batteries"
	"github.com/entadmin/entadmin/cache"
	own "github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/internal/roundrobin"
	"github.com/entadmin/entadmin/examples/shop/shopapp"
	"github.com/entadmin/entadmin/internal/querycount"
	"github.com/entadmin/entadmin/metrics"
	"github.com/entadmin/entadmin/rbac"
)

// The names the shop's tests use for the application in package shopapp
// and the proxy in package roundrobin.

// database is an open shopapp.DB, with its parts under the tests' names.
type database struct {
	*shopapp.DB
	client   *ent.Client
	counter  *querycount.Driver
	db       *stdsql.DB
	pool     *pgxpool.Pool
	redis    *redis.Client // a test may set it before newApp, which hands it on
	dialect  string
	describe string
}

// app is a shopapp.App, with its parts and the batteries' internals under
// the tests' names.
type app struct {
	*shopapp.App
	db        *database
	site      *entadmin.Site
	batteries *batteries.Pack
	cache     *cache.Cache
	metrics   *metrics.Metrics
	own       *own.Client // entadmin's own models
	enforcer  *rbac.Enforcer
}

// openDB opens the shop's database, as shopapp.Open.
func openDB(ctx context.Context, dsn, sqlitePath string) (*database, error) {
	d, err := shopapp.Open(ctx, dsn, sqlitePath)
	if err != nil {
		return nil, err
	}
	return &database{DB: d, client: d.Client, counter: d.Counter, db: d.SQL, pool: d.Pool, dialect: d.Dialect, describe: d.Describe}, nil
}

// prepare migrates and seeds db, as shopapp.Prepare.
func prepare(ctx context.Context, db *database, n int) error {
	return shopapp.Prepare(ctx, db.DB, n)
}

// newApp sets the admin up on db, as shopapp.New.
func newApp(ctx context.Context, db *database, open bool) (*app, error) {
	if db.redis != nil {
		db.Redis = db.redis
	}
	a, err := shopapp.New(ctx, db.DB, open)
	if err != nil {
		return nil, err
	}
	return &app{App: a, db: db, site: a.Site, batteries: a.Batteries, cache: a.Cache, metrics: a.Metrics,
		own: a.Batteries.Client(), enforcer: a.Batteries.Enforcer()}, nil
}

// router is the shop's handler, as shopapp.App.Router.
func (a *app) router() http.Handler { return a.Router() }

// login logs a new superuser in, as shopapp.App.Login.
func (a *app) login(ctx context.Context, base string) (*http.Cookie, error) {
	return a.Login(ctx, base)
}

var (
	openRedis  = shopapp.OpenRedis
	roundRobin = roundrobin.New
)

const (
	acquireTimeout   = shopapp.AcquireTimeout
	imagesPerProduct = shopapp.ImagesPerProduct
	tagsPerProduct   = shopapp.TagsPerProduct
	seedOrders       = shopapp.SeededOrders
	linesPerOrder    = shopapp.LinesPerOrder
	instanceHeader   = roundrobin.Header
)
