// Command shop is entadmin's quick start: an admin for a small shop
// (categories, products, product images and tags).
//
//	go run ./examples/shop                  # SQLite file shop.db, seeded on first start
//	DATABASE_URL=postgres://127.0.0.1:5432/test go run ./examples/shop
//	go run ./examples/shop -seed 100000     # (re)seed 100,000 products
//	go run ./examples/shop -trusted-proxy 127.0.0.1/32  # behind nginx on this host
//	go run ./examples/shop -redis redis://127.0.0.1:6379/0  # the cache's second tier
//	go run ./examples/shop -addr 127.0.0.1:8001         # another instance (same DATABASE_URL and ENTADMIN_SECRET_KEY)
//	go run ./examples/shop createsuperuser  # create a user who may do everything
//	go run ./examples/shop pruneaudit       # delete audit entries older than -keep
//
// Its application is package shopapp; the command examples/shop/bench
// benchmarks it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"syscall"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/audit"
	"github.com/entadmin/entadmin/batteries"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/shopapp"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "pruneaudit":
			if err := pruneAudit(os.Args[2:]); err != nil {
				fmt.Fprintln(os.Stderr, "pruneaudit:", err)
				os.Exit(1)
			}
			return
		case "createsuperuser":
			if err := createSuperuser(os.Args[2:]); err != nil {
				fmt.Fprintln(os.Stderr, err) // it names the command
				os.Exit(1)
			}
			return
		}
	}
	addr := flag.String("addr", "127.0.0.1:8000", "address to listen on")
	seed := flag.Int("seed", 0, "delete all shop data and seed this many products, then serve")
	dbPath := flag.String("db", "shop.db", "SQLite file, used when DATABASE_URL is not set")
	open := flag.Bool("open", false, "turn authentication OFF (local development only)")
	redisURL := flag.String("redis", os.Getenv("REDIS_URL"), "Redis URL of the cache's second tier and table versions, e.g. redis://127.0.0.1:6379/0 (default $REDIS_URL; none: in process only)")
	grace := flag.Duration("shutdown-timeout", 20*time.Second, "on SIGTERM or SIGINT, how long in-flight requests may take to finish")
	var proxies []netip.Prefix
	flag.Func("trusted-proxy", "address prefix of a reverse proxy whose X-Forwarded-For and X-Forwarded-Proto are trusted, e.g. 127.0.0.1/32 (repeatable)", func(v string) error {
		p, err := netip.ParsePrefix(v)
		proxies = append(proxies, p)
		return err
	})
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "shop: unexpected argument %q; commands (createsuperuser, pruneaudit) come before their flags\n", flag.Arg(0))
		os.Exit(2)
	}
	if err := run(*addr, *seed, *dbPath, *open, *redisURL, proxies, *grace); err != nil {
		fmt.Fprintln(os.Stderr, "shop:", err)
		os.Exit(1)
	}
}

// run serves the shop admin at addr until SIGTERM or SIGINT, then stops
// accepting connections, lets the requests in flight finish within grace,
// and closes the policy watcher and the database.
func run(addr string, seed int, dbPath string, open bool, redisURL string, proxies []netip.Prefix, grace time.Duration) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	db, err := shopapp.Open(ctx, os.Getenv("DATABASE_URL"), dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if redisURL != "" {
		if db.Redis, err = shopapp.OpenRedis(ctx, redisURL); err != nil {
			return err
		}
	}
	if err := shopapp.Prepare(ctx, db, seed); err != nil {
		return err
	}
	a, err := shopapp.New(ctx, db, open)
	if err != nil {
		return err
	}
	defer a.Close()
	a.Site.Configure(entadmin.WithTrustedProxies(proxies...))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := newServer(a.Router())
	stopped := make(chan error, 1)
	go func() {
		<-ctx.Done()
		slog.Info("shop: shutting down", "grace", grace)
		shutdown, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		err := srv.Shutdown(shutdown)
		if err != nil {
			srv.Close() // the requests still running lose their connections
		}
		stopped <- err
	}()
	slog.Info("shop admin ready", "url", "http://"+ln.Addr().String()+"/admin/", "database", db.Describe)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// Serve returns as soon as shutting down starts: wait for the requests
	// in flight before the deferred closes run.
	if err := <-stopped; err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	slog.Info("shop: stopped")
	return nil
}

// newServer returns the shop's HTTP server of h. Its timeouts bound what
// a client may hold: ReadHeaderTimeout to send the request's header,
// ReadTimeout to send all of it, body included; WriteTimeout to take the
// response, longer than the admin's request deadline
// (entadmin.DefaultRequestTimeout) so that a 503 still reaches the client
// (the CSV export extends its own as it streams); IdleTimeout for a kept-alive
// connection between requests.
func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      entadmin.DefaultRequestTimeout + 15*time.Second,
		IdleTimeout:       2 * time.Minute,
	}
}

// createSuperuser runs entadmin's createsuperuser on the shop's database.
func createSuperuser(args []string) error {
	ctx := context.Background()
	fs := flag.NewFlagSet("createsuperuser", flag.ContinueOnError)
	dbPath := fs.String("db", "shop.db", "SQLite file, used when DATABASE_URL is not set")
	fs.SetOutput(io.Discard)
	var rest []string
	for i := 0; i < len(args); i++ { // take -db out, pass the rest on
		if args[i] == "-db" && i+1 < len(args) {
			*dbPath = args[i+1]
			i++
			continue
		}
		rest = append(rest, args[i])
	}
	db, err := shopapp.Open(ctx, os.Getenv("DATABASE_URL"), *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	return batteries.CreateSuperuser(ctx, entsql.OpenDB(db.Dialect, db.SQL), rest, os.Stdin, os.Stdout)
}

// pruneAudit deletes the audit entries older than -keep (default a year).
func pruneAudit(args []string) error {
	ctx := context.Background()
	fs := flag.NewFlagSet("pruneaudit", flag.ContinueOnError)
	dbPath := fs.String("db", "shop.db", "SQLite file, used when DATABASE_URL is not set")
	keep := fs.Duration("keep", audit.DefaultRetention, "how long entries are kept, e.g. 2160h for 90 days")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := shopapp.Open(ctx, os.Getenv("DATABASE_URL"), *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := batteries.PruneAudit(ctx, entsql.OpenDB(db.Dialect, db.SQL), *keep)
	if err != nil {
		return err
	}
	fmt.Printf("deleted %d audit entries older than %v\n", n, *keep)
	return nil
}
