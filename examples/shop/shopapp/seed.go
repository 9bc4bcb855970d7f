package shopapp

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// seedCategory is a category with the words its products are named from.
type seedCategory struct {
	name, slug string
	materials  []string
	nouns      []string
}

// seedCategories are the shop's categories; the category with index i gets
// id i+1.
var seedCategories = []seedCategory{
	{"Kitchen", "kitchen",
		[]string{"Oak", "Bamboo", "Stainless Steel", "Ceramic", "Cast Iron", "Walnut"},
		[]string{"Cutting Board", "Chef's Knife", "Saucepan", "Mixing Bowl", "Spatula", "Teapot", "Salad Spinner", "Spice Rack"}},
	{"Garden", "garden",
		[]string{"Cedar", "Galvanized Steel", "Terracotta", "Rattan", "Recycled Plastic"},
		[]string{"Planter", "Watering Can", "Garden Bench", "Bird Feeder", "Hose Reel", "Trowel", "Raised Bed"}},
	{"Office supplies", "office-supplies",
		[]string{"Leather", "Aluminium", "Recycled Paper", "Walnut", "Steel"},
		[]string{"Desk Organizer", "Notebook", "Pen Holder", "Stapler", "Monitor Stand", "Filing Cabinet", "Letter Tray"}},
	{"Home decor", "home-decor",
		[]string{"Linen", "Brass", "Glass", "Velvet", "Rattan", "Marble"},
		[]string{"Table Lamp", "Throw Pillow", "Wall Mirror", "Vase", "Picture Frame", "Candle Holder", "Clock"}},
	{"Camping", "camping",
		[]string{"Nylon", "Titanium", "Canvas", "Aluminium", "Ripstop"},
		[]string{"Tent", "Sleeping Bag", "Camping Stove", "Lantern", "Backpack", "Water Bottle", "Hammock"}},
	{"Sports", "sports",
		[]string{"Carbon", "Neoprene", "Rubber", "Foam", "Steel"},
		[]string{"Yoga Mat", "Dumbbell", "Jump Rope", "Tennis Racket", "Football", "Resistance Band"}},
	{"Toys and games", "toys-and-games",
		[]string{"Wooden", "Plush", "Felt", "Cardboard", "Tin"},
		[]string{"Puzzle", "Building Blocks", "Teddy Bear", "Board Game", "Kite", "Train Set"}},
	{"Bathroom", "bathroom",
		[]string{"Bamboo", "Cotton", "Porcelain", "Chrome", "Teak"},
		[]string{"Towel Set", "Soap Dispenser", "Bath Mat", "Shower Caddy", "Toothbrush Holder", "Mirror Cabinet"}},
	{"Lighting", "lighting",
		[]string{"Brass", "Copper", "Glass", "Paper", "Concrete"},
		[]string{"Pendant Light", "Floor Lamp", "Desk Lamp", "String Lights", "Wall Sconce", "Night Light"}},
	{"Pet supplies", "pet-supplies",
		[]string{"Rope", "Canvas", "Rubber", "Fleece", "Stainless Steel"},
		[]string{"Dog Bed", "Cat Tree", "Leash", "Food Bowl", "Chew Toy", "Pet Carrier"}},
	{"Electronics accessories", "electronics-accessories",
		[]string{"Silicone", "Aluminium", "Braided Nylon", "Leather", "Recycled Plastic"},
		[]string{"Phone Case", "USB-C Cable", "Laptop Sleeve", "Charging Dock", "Headphone Stand", "Keyboard Tray"}},
	{"Storage", "storage",
		[]string{"Wicker", "Canvas", "Pine", "Felt", "Steel"},
		[]string{"Storage Box", "Shelf Unit", "Laundry Basket", "Shoe Rack", "Drawer Divider", "Coat Rack"}},
}

// seedTags are the tag names; the tag with index i gets id i+1.
var seedTags = []string{
	"new", "bestseller", "sale", "eco-friendly", "handmade", "gift idea",
	"limited edition", "clearance", "organic", "vegan", "fair trade", "locally made",
	"waterproof", "dishwasher safe", "kid friendly", "pet friendly", "outdoor", "indoor",
	"premium", "budget", "compact", "bulky item", "fragile", "seasonal",
	"summer", "winter", "back to school", "staff pick", "bundle", "recycled",
}

// seedAdjectives start product names.
var seedAdjectives = []string{
	"Rustic", "Classic", "Modern", "Compact", "Deluxe", "Vintage", "Handmade",
	"Minimalist", "Ergonomic", "Foldable", "Premium", "Essential", "Nordic",
	"Heavy-Duty", "Lightweight", "Elegant", "Portable", "Everyday", "Artisan", "Eco",
}

// seedBrands are the product brands.
var seedBrands = []string{
	"Northwind", "Acme", "Fjord & Co", "Hearth", "Brightline", "Oakridge", "Pinecrest",
	"Urban Nest", "Solstice", "Evergreen", "Copperleaf", "Bluefin", "Ironwood",
	"Meadowbrook", "Lumen", "Kestrel", "Harbor", "Alder & Ash", "Greystone", "Willow Lane",
}

// seedClosings end product descriptions.
var seedClosings = []string{
	"Built to last for years of daily use.",
	"Easy to clean and simple to store.",
	"Comes with a two-year warranty.",
	"Ships within two business days.",
	"Designed in Copenhagen, made in Portugal.",
	"A customer favourite since it first appeared in our catalogue.",
	"Packed in recycled, plastic-free packaging.",
	"",
}

// The seeded products have ImagesPerProduct images and TagsPerProduct
// distinct tags each. There are SeededOrders orders of up to LinesPerOrder
// distinct products, whatever the number of products.
const (
	ImagesPerProduct = 3
	TagsPerProduct   = 2
	SeededOrders     = 20
	LinesPerOrder    = 3
)

// seedCustomers are the names on the orders.
var seedCustomers = []string{
	"Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra",
	"Barbara Liskov", "Donald Knuth", "Margaret Hamilton", "Ken Thompson", "Frances Allen",
}

// seedOrderStatuses are the statuses orders cycle through.
var seedOrderStatuses = []string{"pending", "paid", "shipped", "shipped", "cancelled"}

// seedProduct is one generated product with its tags.
type seedProduct struct {
	id          int
	name        string
	description string
	price       float64
	costPrice   any // float64, or nil
	categoryID  any // int, or nil
	brand       any // string, or nil
	status      string
	isActive    bool
	stockCount  int
	createdAt   time.Time
	tagIDs      [TagsPerProduct]int
}

// generator makes products. A product's values come from a random source
// seeded with its id, so any product can be made again, in any order: the
// image and tag rows regenerate the product they belong to.
type generator struct {
	ref time.Time // created_at values lie in the two years before ref
	pcg *rand.PCG
	r   *rand.Rand
	p   seedProduct // the product made last
}

// newGenerator returns a generator of products created before ref.
func newGenerator(ref time.Time) *generator {
	pcg := rand.NewPCG(0, 0)
	return &generator{ref: ref, pcg: pcg, r: rand.New(pcg)}
}

// product returns the product with the id.
func (g *generator) product(id int) *seedProduct {
	if g.p.id == id {
		return &g.p
	}
	g.pcg.Seed(1, uint64(id))
	r := g.r
	ci := r.IntN(len(seedCategories))
	c := &seedCategories[ci]
	adjective := seedAdjectives[r.IntN(len(seedAdjectives))]
	material := c.materials[r.IntN(len(c.materials))]
	noun := c.nouns[r.IntN(len(c.nouns))]
	p := seedProduct{id: id, name: adjective + " " + material + " " + noun}

	var brand string
	if r.IntN(10) > 0 {
		brand = seedBrands[r.IntN(len(seedBrands))]
		p.brand = brand
	} else {
		brand = "our own workshop"
	}
	article := "A"
	if strings.ContainsRune("AEIOU", rune(adjective[0])) {
		article = "An"
	}
	p.description = strings.TrimSpace(fmt.Sprintf("%s %s %s in %s, from %s. %s",
		article, strings.ToLower(adjective), strings.ToLower(noun), strings.ToLower(material),
		brand, seedClosings[r.IntN(len(seedClosings))]))

	// Prices are log-uniform between 1 and 500: cheap things are common.
	p.price = cents(math.Exp(r.Float64() * math.Log(500)))
	if r.IntN(5) > 0 {
		p.costPrice = cents(p.price * (0.4 + 0.4*r.Float64()))
	}
	if r.IntN(20) > 0 {
		p.categoryID = ci + 1
	}
	switch n := r.IntN(100); {
	case n < 80:
		p.status = "published"
	case n < 92:
		p.status = "draft"
	default:
		p.status = "discontinued"
	}
	p.isActive = r.IntN(100) < 85
	p.stockCount = r.IntN(501)
	p.createdAt = g.ref.Add(-time.Duration(1+r.Int64N(2*365*24*3600)) * time.Second)
	a := r.IntN(len(seedTags))
	b := r.IntN(len(seedTags) - 1)
	if b >= a {
		b++
	}
	p.tagIDs = [TagsPerProduct]int{a + 1, b + 1}
	g.p = p
	return &g.p
}

// cents rounds x to 2 decimals, at least 0.01.
func cents(x float64) float64 {
	return max(math.Round(x*100), 1) / 100
}

// seedTable is the rows of one table, made on demand in id order.
type seedTable struct {
	name    string
	columns []string
	rows    int
	row     func(i int, dst []any) []any // appends row i's values (0-based) to dst
}

// seedTables returns the shop's tables in insertion order, with n products
// created before ref.
func seedTables(n int, ref time.Time) []seedTable {
	products, images, links, lines := newGenerator(ref), newGenerator(ref), newGenerator(ref), newGenerator(ref)
	// Orders are of the newer half of the products (ids above n/2): a
	// product on an order cannot be deleted (its order lines protect it),
	// and the older half stays free to delete.
	older := n / 2
	perOrder := min(LinesPerOrder, n-older) // distinct products per order
	return []seedTable{
		{"categories", []string{"id", "name", "slug"}, len(seedCategories),
			func(i int, dst []any) []any {
				return append(dst, i+1, seedCategories[i].name, seedCategories[i].slug)
			}},
		{"tags", []string{"id", "name"}, len(seedTags),
			func(i int, dst []any) []any { return append(dst, i+1, seedTags[i]) }},
		{"products", []string{"id", "name", "description", "price", "cost_price", "category_id",
			"brand", "status", "is_active", "stock_count", "created_at"}, n,
			func(i int, dst []any) []any {
				p := products.product(i + 1)
				return append(dst, p.id, p.name, p.description, p.price, p.costPrice, p.categoryID,
					p.brand, p.status, p.isActive, p.stockCount, p.createdAt)
			}},
		{"product_images", []string{"id", "url", "alt_text", "sort_order", "product_images"}, n * ImagesPerProduct,
			func(i int, dst []any) []any {
				p, k := images.product(i/ImagesPerProduct+1), i%ImagesPerProduct
				return append(dst, i+1, fmt.Sprintf("https://img.example.com/p/%d/%d.jpg", p.id, k),
					fmt.Sprintf("%s, view %d", p.name, k+1), k, p.id)
			}},
		{"product_tags", []string{"product_id", "tag_id"}, n * TagsPerProduct,
			func(i int, dst []any) []any {
				p := links.product(i/TagsPerProduct + 1)
				return append(dst, p.id, p.tagIDs[i%TagsPerProduct])
			}},
		{"orders", []string{"id", "number", "customer", "status", "created_at"}, SeededOrders,
			func(i int, dst []any) []any {
				return append(dst, i+1, fmt.Sprintf("SO-%d", 1001+i), seedCustomers[i%len(seedCustomers)],
					seedOrderStatuses[i%len(seedOrderStatuses)], ref.Add(-time.Duration(SeededOrders-i)*7*time.Hour))
			}},
		{"order_lines", []string{"id", "order_id", "product_id", "quantity", "unit_price", "sort_order"}, SeededOrders * perOrder,
			func(i int, dst []any) []any {
				o, k := i/perOrder, i%perOrder
				p := lines.product(older + 1 + (o*37+k)%(n-older)) // consecutive ids: distinct within the order
				return append(dst, i+1, o+1, p.id, 1+(o+k)%4, p.price, k)
			}},
	}
}

// seedShop deletes all shop data and inserts the categories, the tags, n
// products with their images and tags, and a few orders of them. The data depends only on n and the
// current hour.
func seedShop(ctx context.Context, db *DB, n int) error {
	tables := seedTables(n, time.Now().Truncate(time.Hour))
	if db.Pool != nil {
		return seedPostgres(ctx, db, tables)
	}
	return seedSQLite(ctx, db.SQL, tables)
}

// seedPostgres empties the tables and fills them with COPY in one
// transaction, then moves the id sequences past the inserted ids and
// refreshes the planner statistics. Checking foreign keys row by row and
// updating indexes row by row would triple the time, so the foreign keys and
// the indexes that back no constraint are dropped during the load and made
// again, as they were, before the commit.
func seedPostgres(ctx context.Context, db *DB, tables []seedTable) error {
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t.name
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	// The load may take longer than the statement timeout of the pool's
	// connections (see pgSettings).
	if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = 0"); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "TRUNCATE "+strings.Join(names, ", ")+" RESTART IDENTITY CASCADE"); err != nil {
		return err
	}
	recreate, err := dropForLoad(ctx, tx, names)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.columns, &copySource{t: t}); err != nil {
			return fmt.Errorf("copy %s: %w", t.name, err)
		}
		if t.columns[0] != "id" {
			continue
		}
		// Next id: max+1, also for an empty table (is_called false).
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), coalesce(max(id), 0) + 1, false) FROM %[1]s", t.name)
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("reset the id sequence of %s: %w", t.name, err)
		}
	}
	for _, stmt := range recreate {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	// VACUUM too, as autovacuum would after the load, so that the
	// visibility map lets the lists count from indexes alone. It runs
	// without the statement timeout, on a connection taken out of the
	// pool and closed after.
	c, err := db.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	conn := c.Hijack()
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "SET statement_timeout = 0"); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, "VACUUM ANALYZE "+strings.Join(names, ", "))
	return err
}

// dropForLoad drops the foreign keys of the tables and their indexes that
// back no constraint, and returns the statements that make them again.
func dropForLoad(ctx context.Context, tx pgx.Tx, tables []string) ([]string, error) {
	rows, err := tx.Query(ctx, `
		SELECT 1, format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
			format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
		FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::regclass[])
		UNION ALL
		SELECT 2, format('DROP INDEX %s', indexrelid::regclass), pg_get_indexdef(indexrelid)
		FROM pg_index WHERE indrelid = ANY($1::regclass[])
			AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = indexrelid)
		ORDER BY 1`, tables)
	if err != nil {
		return nil, err
	}
	stmts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ddl [2]string, err error) {
		var kind int
		err = row.Scan(&kind, &ddl[0], &ddl[1])
		return ddl, err
	})
	if err != nil {
		return nil, err
	}
	creates := make([]string, len(stmts))
	for i, ddl := range stmts {
		if _, err := tx.Exec(ctx, ddl[0]); err != nil {
			return nil, fmt.Errorf("%s: %w", ddl[0], err)
		}
		// Indexes first, then the foreign keys that may use them.
		creates[len(stmts)-1-i] = ddl[1]
	}
	return creates, nil
}

// copySource streams a table's rows to CopyFrom.
type copySource struct {
	t    seedTable
	next int
	vals []any
}

// Next makes the next row current.
func (s *copySource) Next() bool {
	if s.next == s.t.rows {
		return false
	}
	s.vals = s.t.row(s.next, s.vals[:0])
	s.next++
	return true
}

// Values returns the current row; CopyFrom encodes it before calling Next.
func (s *copySource) Values() ([]any, error) { return s.vals, nil }

// Err reports no error: making rows cannot fail.
func (s *copySource) Err() error { return nil }

// sqliteBatch is how many rows one INSERT statement adds on SQLite.
const sqliteBatch = 500

// seedSQLite empties the tables, children first, and fills them with
// multi-row INSERTs, all in one transaction.
func seedSQLite(ctx context.Context, db *stdsql.DB, tables []seedTable) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+tables[i].name); err != nil {
			return err
		}
	}
	// Inserting explicit ids moves each AUTOINCREMENT counter up to the
	// largest id, so forgetting the counters starts ids again after ours.
	var counters int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'").Scan(&counters); err != nil {
		return err
	}
	if counters > 0 {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sqlite_sequence"); err != nil {
			return err
		}
	}
	for _, t := range tables {
		if err := insertSQLite(ctx, tx, t); err != nil {
			return fmt.Errorf("insert into %s: %w", t.name, err)
		}
	}
	return tx.Commit()
}

// insertSQLite inserts a table's rows sqliteBatch at a time.
func insertSQLite(ctx context.Context, tx *stdsql.Tx, t seedTable) error {
	var full *stdsql.Stmt // inserts sqliteBatch rows
	args := make([]any, 0, sqliteBatch*len(t.columns))
	for i := range t.rows {
		args = t.row(i, args)
		if len(args) < sqliteBatch*len(t.columns) && i < t.rows-1 {
			continue
		}
		rows := len(args) / len(t.columns)
		stmt := full
		if stmt == nil || rows < sqliteBatch {
			var err error
			if stmt, err = tx.PrepareContext(ctx, insertStatement(t, rows)); err != nil {
				return err
			}
			defer stmt.Close()
			if rows == sqliteBatch {
				full = stmt
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
		args = args[:0]
	}
	return nil
}

// insertStatement returns an INSERT of rows rows into the table.
func insertStatement(t seedTable, rows int) string {
	row := "(" + strings.Repeat("?, ", len(t.columns)-1) + "?)"
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", t.name, strings.Join(t.columns, ", "))
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}
