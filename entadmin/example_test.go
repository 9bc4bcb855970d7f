package entadmin_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/adminres"
	_ "github.com/entadmin/entadmin/internal/fixture/ent/runtime" // the schemas' defaults and hooks
)

// exampleClient returns a client of the shop's models on a fresh SQLite
// file, and a func that removes it.
func exampleClient() (*ent.Client, func()) {
	dir, err := os.MkdirTemp("", "entadmin-example")
	if err != nil {
		panic(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "shop.db")+"?_pragma=foreign_keys(1)&_time_format=sqlite")
	if err != nil {
		panic(err)
	}
	client := ent.NewClient(ent.Driver(entsql.OpenDB(dialect.SQLite, db)))
	if err := client.Schema.Create(context.Background()); err != nil {
		panic(err)
	}
	return client, func() {
		client.Close()
		os.RemoveAll(dir)
	}
}

// margin is the product list's computed column, which the shop's schema
// declares with admin.Computed("margin").
func margin(p *ent.Product) string {
	if p.CostPrice == nil || p.Price <= 0 {
		return ""
	}
	return fmt.Sprintf("%.0f%%", 100*(p.Price-*p.CostPrice)/p.Price)
}

// An admin of the shop's models, mounted under /admin of a chi router.
// The Open authorizer lets everyone in, for local development; package
// batteries installs users, groups, permissions and sessions instead.
func Example() {
	client, done := exampleClient()
	defer done()

	site := entadmin.New(entadmin.WithTitle("Shop"), entadmin.WithAuthorizer(entadmin.Open{}))
	res := adminres.Register(site, client) // generated into the shop's ent/adminres
	res.Product.Column("margin", entadmin.Computed(margin))
	r := chi.NewRouter()
	r.Mount("/admin", site.Handler())

	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/product/", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	// Output: 200 text/html; charset=utf-8
}

// A computed column: a value of Go code beside the fields, here in the
// list's CSV export.
func ExampleResource_Column() {
	client, done := exampleClient()
	defer done()
	client.Product.Create().SetName("Teapot").SetPrice(10).SetCostPrice(6).ExecX(context.Background())

	site := entadmin.New(entadmin.WithAuthorizer(entadmin.Open{}))
	res := adminres.Register(site, client)
	res.Product.Column("margin", entadmin.Computed(margin).Header("Margin").Needs("price", "cost_price").Numeric())
	res.Product.ListDisplay = []string{"name", "price", "margin"}

	rec := httptest.NewRecorder()
	site.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/product/export/", nil))
	fmt.Print(rec.Body.String())
	// Output:
	// Name,Price,Margin
	// Teapot,10.00,40%
}
