package shopapp

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/internal/testdb"
)

// TestSeedSQLite seeds a SQLite file.
func TestSeedSQLite(t *testing.T) {
	t.Parallel()
	testSeed(t, "", filepath.Join(t.TempDir(), "shop.db"))
}

// TestSeedPostgres seeds a throwaway PostgreSQL database.
func TestSeedPostgres(t *testing.T) {
	t.Parallel()
	testSeed(t, testdb.Postgres(t).DSN, "")
}

// testSeed seeds the database twice and checks what is there.
func testSeed(t *testing.T, dsn, sqlitePath string) {
	ctx := context.Background()
	db, err := Open(ctx, dsn, sqlitePath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	const n = 50
	if err := Prepare(ctx, db, n); err != nil {
		t.Fatal(err)
	}
	first := products(t, db)
	if err := Prepare(ctx, db, n); err != nil {
		t.Fatal(err)
	}
	second := products(t, db)

	if len(second) != n {
		t.Fatalf("got %d products, want %d", len(second), n)
	}
	for i, p := range second {
		if p.ID != i+1 {
			t.Fatalf("product %d has id %d, want %d", i, p.ID, i+1)
		}
		if p.Name != first[i].Name || p.Price != first[i].Price {
			t.Errorf("product %d: first seed %q at %v, second %q at %v", p.ID, first[i].Name, first[i].Price, p.Name, p.Price)
		}
	}
	counts := map[string]func() (int, error){
		"categories":     func() (int, error) { return db.Client.Category.Query().Count(ctx) },
		"tags":           func() (int, error) { return db.Client.Tag.Query().Count(ctx) },
		"product images": func() (int, error) { return db.Client.ProductImage.Query().Count(ctx) },
		"orders":         func() (int, error) { return db.Client.Order.Query().Count(ctx) },
		"order lines":    func() (int, error) { return db.Client.OrderLine.Query().Count(ctx) },
	}
	want := map[string]int{
		"categories":     len(seedCategories),
		"tags":           len(seedTags),
		"product images": n * ImagesPerProduct,
		"orders":         SeededOrders,
		"order lines":    SeededOrders * LinesPerOrder,
	}
	for name, count := range counts {
		got, err := count()
		if err != nil {
			t.Fatalf("count %s: %v", name, err)
		}
		if got != want[name] {
			t.Errorf("got %d %s, want %d", got, name, want[name])
		}
	}
	// The join table has no ent entity: count its rows in SQL.
	var links int
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM product_tags").Scan(&links); err != nil {
		t.Fatal(err)
	}
	if links != n*TagsPerProduct {
		t.Errorf("got %d rows in product_tags, want %d", links, n*TagsPerProduct)
	}

	// The id counters start after the seeded rows.
	c, err := db.Client.Category.Create().SetName("Books").SetSlug("books").Save(ctx)
	if err != nil {
		t.Fatalf("create category: %v", err)
	}
	p, err := db.Client.Product.Create().SetName("Pocket Notebook").SetPrice(4.5).SetCategory(c).
		AddTagIDs(1).Save(ctx)
	if err != nil {
		t.Fatalf("create product: %v", err)
	}
	if p.ID != n+1 || c.ID != len(seedCategories)+1 {
		t.Errorf("new product has id %d, category %d; want %d and %d", p.ID, c.ID, n+1, len(seedCategories)+1)
	}
	if _, err := db.Client.ProductImage.Create().SetURL("https://img.example.com/p/new/0.jpg").SetProduct(p).Save(ctx); err != nil {
		t.Fatalf("create product image: %v", err)
	}
	o, err := db.Client.Order.Create().SetNumber("SO-9999").SetCustomer("Test").Save(ctx)
	if err != nil {
		t.Fatalf("create order: %v", err)
	}
	l, err := db.Client.OrderLine.Create().SetOrder(o).SetProduct(p).SetUnitPrice(4.5).Save(ctx)
	if err != nil {
		t.Fatalf("create order line: %v", err)
	}
	if o.ID != SeededOrders+1 || l.ID != SeededOrders*LinesPerOrder+1 {
		t.Errorf("new order has id %d, line %d; want %d and %d", o.ID, l.ID, SeededOrders+1, SeededOrders*LinesPerOrder+1)
	}
}

// products returns all products, by id.
func products(t *testing.T, db *DB) []*ent.Product {
	t.Helper()
	ps, err := db.Client.Product.Query().Order(ent.Asc(product.FieldID)).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ps
}
