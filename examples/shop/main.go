// Command shop is entadmin's quick start: an admin for a small shop
// (categories, products, product images and tags).
//
//	go run ./examples/shop                  # SQLite file shop.db, seeded on first start
//	DATABASE_URL=postgres://127.0.0.1:5432/test go run ./examples/shop
//	go run ./examples/shop -seed 100000     # (re)seed 100,000 products
//	go run ./examples/shop bench            # benchmark the admin over HTTP
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent/admin"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "bench" {
		if err := runBench(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	addr := flag.String("addr", "127.0.0.1:8000", "address to listen on")
	seed := flag.Int("seed", 0, "delete all shop data and seed this many products, then serve")
	dbPath := flag.String("db", "shop.db", "SQLite file, used when DATABASE_URL is not set")
	flag.Parse()
	if err := run(*addr, *seed, *dbPath); err != nil {
		fmt.Fprintln(os.Stderr, "shop:", err)
		os.Exit(1)
	}
}

func run(addr string, seed int, dbPath string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	db, err := openDB(ctx, os.Getenv("DATABASE_URL"), dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := prepare(ctx, db, seed); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newRouter(db), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	slog.Info("shop admin ready", "url", "http://"+ln.Addr().String()+"/admin/", "database", db.describe)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// prepare migrates the schema and seeds: n products when n > 0, or a few
// hundred when the database is empty.
func prepare(ctx context.Context, db *database, n int) error {
	if err := db.client.Schema.Create(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if n == 0 {
		count, err := db.client.Product.Query().Count(ctx)
		if err != nil {
			return err
		}
		if count > 0 {
			return nil
		}
		n = 300
	}
	start := time.Now()
	if err := seedShop(ctx, db, n); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	slog.Info("seeded", "products", n, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// newRouter mounts the admin under /admin.
func newRouter(db *database) http.Handler {
	site := entadmin.New(entadmin.WithTitle("Shop administration"))
	admin.Register(site, db.client)
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/", http.StatusFound)
	})
	r.Mount("/admin", site.Handler())
	return r
}
