package batteries_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/batteries"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/adminres"
)

// The shop's admin with users, groups, permissions, sessions and the audit
// log, on one SQLite file: closed, so a visitor is sent to the login page.
// On PostgreSQL, pass batteries.WithPGWatcher(pool) too, so that policy
// changes reach every instance at once.
func ExampleInstall() {
	dir, _ := os.MkdirTemp("", "entadmin-example")
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "shop.db")+"?_pragma=foreign_keys(1)&_time_format=sqlite")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	drv := entsql.OpenDB(dialect.SQLite, db)
	client := ent.NewClient(ent.Driver(drv))
	if err := client.Schema.Create(ctx); err != nil {
		log.Fatal(err)
	}
	key := []byte("an example key of 32 bytes, at least") // from your secrets, not the code

	site := entadmin.New(entadmin.WithTitle("Shop"))
	res := adminres.Register(site, client)
	res.Product.Column("margin", entadmin.Computed(func(*ent.Product) string { return "" })) // the schema declares it
	b, err := batteries.Install(ctx, site, drv, batteries.WithSecretKey(key))
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	r := chi.NewRouter()
	r.Mount("/admin", site.Handler())

	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/product/", nil))
	fmt.Println(rec.Code, rec.Header().Get("Location"))
	// Output: 303 /admin/login/?next=%2Fadmin%2Fproduct%2F
}
