package entadmin_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/adminres"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
	"github.com/entadmin/entadmin/internal/querycount"
	"github.com/entadmin/entadmin/internal/testdb"
)

// shop is a running shop admin on a fresh database.
type shop struct {
	t       testing.TB
	client  *ent.Client
	res     *adminres.Resources
	counter *querycount.Driver
	srv     *httptest.Server
	http    *http.Client
	prefix  string
}

// newShop starts the shop admin mounted at prefix on a fresh database of
// the dialect.
func newShop(t testing.TB, dbDialect, prefix string, opts ...entadmin.Option) *shop {
	t.Helper()
	var db *testdb.DB
	if dbDialect == dialect.Postgres {
		db = migrated.Postgres(t)
	} else {
		db = testdb.SQLite(t)
	}
	counter := querycount.New(entsql.OpenDB(db.Dialect, db.DB))
	client := ent.NewClient(ent.Driver(counter))
	if dbDialect != dialect.Postgres {
		createSchema(t, client)
	}
	site := entadmin.New(append([]entadmin.Option{entadmin.WithAuthorizer(entadmin.Open{}), entadmin.WithTitle("Test shop"), entadmin.WithLocation(time.UTC), entadmin.WithLogger(slog.New(slog.DiscardHandler))}, opts...)...)
	res := adminres.Register(site, client)
	shopColumns(res)
	r := chi.NewRouter()
	r.Mount(prefix, site.Handler())
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &shop{t: t, client: client, res: res, counter: counter, srv: srv, http: hc, prefix: prefix}
}

// schemaMu serializes createSchema: ent's Schema.Create changes the
// generated package's table definitions, so that two at once race.
var schemaMu sync.Mutex

// migrated is a PostgreSQL database with the shop's tables, which
// newShop copies (see testdb.Template): a copy is made faster than the
// tables.
var migrated = testdb.NewTemplate(func(ctx context.Context, dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	client := ent.NewClient(ent.Driver(entsql.OpenDB(dialect.Postgres, db)))
	defer client.Close()
	schemaMu.Lock()
	defer schemaMu.Unlock()
	return client.Schema.Create(ctx)
})

// TestMain runs the tests, drops their databases in the background (see
// testdb.Main), then the template of migrated.
func TestMain(m *testing.M) {
	code := testdb.Main(m)
	if err := migrated.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// createSchema creates the shop's tables in client's database.
func createSchema(t testing.TB, client *ent.Client) {
	t.Helper()
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if err := client.Schema.Create(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// page is a fetched page.
type page struct {
	status   int
	location string
	body     string
	doc      *goquery.Document
}

func (s *shop) do(req *http.Request) *page {
	s.t.Helper()
	resp, err := s.http.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		s.t.Fatal(err)
	}
	return &page{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(b), doc: doc}
}

// get fetches a path below the mount prefix.
func (s *shop) get(path string) *page {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.srv.URL+s.prefix+path, nil)
	return s.do(req)
}

// post submits a form to a path below the mount prefix.
func (s *shop) post(path string, form url.Values) *page {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+s.prefix+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(req)
}

// rows returns the text of the first cell of each list row.
func (p *page) rows() []string {
	var names []string
	p.doc.Find("#results tbody tr").Each(func(_ int, tr *goquery.Selection) {
		if td := tr.Find("td:not(.select-col)").First(); td.AttrOr("colspan", "") == "" {
			names = append(names, strings.TrimSpace(td.Text()))
		}
	})
	return names
}

func (p *page) fieldError(name string) string {
	return strings.TrimSpace(p.doc.Find("#id_" + name + "-error").Text())
}

func (p *page) value(name string) string {
	sel := p.doc.Find(`[name="` + name + `"]`)
	if goquery.NodeName(sel) == "textarea" {
		return sel.Text()
	}
	if goquery.NodeName(sel) == "select" {
		return sel.Find("option[selected]").AttrOr("value", "")
	}
	if sel.AttrOr("type", "") == "radio" {
		return sel.Filter("[checked]").AttrOr("value", "")
	}
	return sel.AttrOr("value", "")
}

// fixture inserts categories, tags and products with known values.
type fixture struct {
	kitchen, garden *ent.Category
	products        []*ent.Product
}

func (s *shop) seed(n int) fixture {
	s.t.Helper()
	ctx := context.Background()
	c := s.client
	f := fixture{
		kitchen: c.Category.Create().SetName("Kitchen").SetSlug("kitchen").SaveX(ctx),
		garden:  c.Category.Create().SetName("Garden").SetSlug("garden").SaveX(ctx),
	}
	base := time.Now().UTC().Add(-time.Hour)
	for i := range n {
		cat := f.kitchen
		if i%2 == 1 {
			cat = f.garden
		}
		b := c.Product.Create().
			SetName(fmt.Sprintf("Product %03d", i)).
			SetPrice(float64(i) + 0.5).
			SetCategory(cat).
			SetIsActive(i%3 != 0).
			SetCreatedAt(base.Add(-time.Duration(i) * 24 * time.Hour)).
			SetStockCount(i)
		if i%4 == 0 {
			b.SetStatus(product.StatusDraft)
		}
		f.products = append(f.products, b.SaveX(ctx))
	}
	return f
}

// onBoth runs a test on Postgres and on SQLite.
func onBoth(t *testing.T, test func(t *testing.T, dbDialect string)) {
	for _, d := range []string{dialect.Postgres, dialect.SQLite} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			test(t, d)
		})
	}
}
