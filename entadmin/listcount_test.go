package entadmin_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/category"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
)

// summary returns the list's row count as shown.
func (p *page) summary() string {
	return strings.Join(strings.Fields(p.doc.Find(".result-summary").Text()), " ")
}

// next returns the href of the list's "Next" link, "" when there is none.
func (p *page) next() string {
	return p.doc.Find(`nav[aria-label="Pagination"] a[rel="next"]`).AttrOr("href", "")
}

func TestCountModes(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	s.seed(60)
	if _, err := s.client.ExecContext(context.Background(), "ANALYZE products"); err != nil {
		t.Fatal(err)
	}
	t.Run("by default a small table is counted exactly", func(t *testing.T) {
		p := s.get("/product/")
		if got := p.summary(); got != "60 products" {
			t.Errorf("summary %q, want \"60 products\"", got)
		}
		if got := s.get("/product/?q=Product+00").summary(); got != "10 products (60 total)" {
			t.Errorf("filtered summary %q", got)
		}
	})
	t.Run("an estimate is never shown as exact", func(t *testing.T) {
		s.res.Product.CountMode = entadmin.CountEstimated
		defer func() { s.res.Product.CountMode = entadmin.CountAuto }()
		for _, path := range []string{"/product/", "/product/?q=Product", "/product/?q=Product+d"} {
			p := s.get(path)
			got := p.summary()
			if !strings.HasPrefix(got, "about ") || !strings.Contains(got, "(Estimated from the database's statistics)") {
				t.Errorf("%s: summary %q does not say it is an estimate", path, got)
			}
			if p.doc.Find(`[data-count="inexact"]`).Length() != 1 {
				t.Errorf("%s: the estimate is not marked", path)
			}
		}
	})
	t.Run("an estimated list that reaches its end knows its exact size", func(t *testing.T) {
		s.res.Product.CountMode = entadmin.CountEstimated
		defer func() { s.res.Product.CountMode = entadmin.CountAuto }()
		if got := s.get("/product/?q=Product+00").summary(); !strings.HasPrefix(got, "10 products") {
			t.Errorf("summary %q", got)
		}
	})
	t.Run("none shows no count and still pages", func(t *testing.T) {
		s.res.Product.CountMode = entadmin.CountNone
		defer func() { s.res.Product.CountMode = entadmin.CountAuto }()
		s.counter.Reset()
		p := s.get("/product/")
		if got := p.summary(); got != "(Not counted)" {
			t.Errorf("summary %q", got)
		}
		if p.next() == "" {
			t.Error("no Next link")
		}
	})
	t.Run("show_full_result_count=false leaves out the total", func(t *testing.T) {
		s.res.Product.NoFullResultCount = true
		defer func() { s.res.Product.NoFullResultCount = false }()
		if got := s.get("/product/?q=Product+00").summary(); got != "10 products" {
			t.Errorf("summary %q", got)
		}
	})
}

func TestKeysetPagingReturnsEveryRowOnceWhileRowsAreInserted(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	ctx := context.Background()
	base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	const n = 90
	for i := range n {
		s.client.Product.Create().SetName("P" + strconv.Itoa(i)).SetPrice(float64(i % 7)).SetCreatedAt(base.Add(-time.Duration(i) * time.Hour)).ExecX(ctx)
	}
	s.res.Product.PerPage = 3
	s.res.Product.CountMode = entadmin.CountNone // not a small list: deep pages seek
	for _, order := range []string{"", "&o=price", "&o=-price,name"} {
		t.Run("order"+order, func(t *testing.T) {
			want := s.client.Product.Query().Order(ordering(order)...).AllX(ctx)
			start := 60 // page 21 by OFFSET, then Next by keyset
			seen := map[string]int{}
			path := "/product/?p=21" + order
			var pages []string
			for i := 0; path != ""; i++ {
				p := s.get(strings.TrimPrefix(path, "/admin"))
				if p.status != http.StatusOK {
					t.Fatalf("%s: status %d", path, p.status)
				}
				for _, name := range p.rows() {
					seen[name]++
				}
				pages = append(pages, path)
				// New rows at the head of the list, and one among the rows
				// already read: neither may shift the pages still to come.
				s.client.Product.Create().SetName("new" + order + strconv.Itoa(i)).SetPrice(3).SetCreatedAt(time.Now()).ExecX(ctx)
				path = p.next()
				if i > 0 && path != "" && !strings.Contains(path, "after=") {
					t.Fatalf("Next on page %d is no keyset link: %s", 21+i, path)
				}
				if i > 40 {
					t.Fatal("paging does not end")
				}
			}
			for _, e := range want[start:] {
				if seen[e.Name] != 1 {
					t.Errorf("%s shown %d times", e.Name, seen[e.Name])
				}
			}
			for name, c := range seen {
				if c > 1 {
					t.Errorf("%s shown %d times", name, c)
				}
			}
			if len(pages) < 3 {
				t.Fatalf("pages %q", pages)
			}
		})
	}
	t.Run("Previous from a keyset page goes back one page", func(t *testing.T) {
		p21 := s.get("/product/?p=21")
		p22 := s.get(strings.TrimPrefix(p21.next(), "/admin"))
		p23 := s.get(strings.TrimPrefix(p22.next(), "/admin"))
		prev := p23.doc.Find(`nav[aria-label="Pagination"] a[rel="prev"]`).AttrOr("href", "")
		if !strings.Contains(prev, "before=") {
			t.Fatalf("Previous of page 23 is %q", prev)
		}
		if got, want := s.get(strings.TrimPrefix(prev, "/admin")).rows(), p22.rows(); !slices.Equal(got, want) {
			t.Errorf("Previous shows %q, want %q", got, want)
		}
	})
	t.Run("a damaged cursor is a 400 with a message", func(t *testing.T) {
		for _, c := range []string{"xyz", "WyJhIl0", "WyIyMDI1LTAxLTAxVDAwOjAwOjAwWiIsIjE7IERST1AgVEFCTEUgcHJvZHVjdHMiXQ"} {
			p := s.get("/product/?after=" + c)
			if p.status != http.StatusBadRequest || !strings.Contains(p.body, "page link is damaged") {
				t.Errorf("cursor %q: status %d", c, p.status)
			}
		}
	})
}

// ordering returns the ent ordering of a list's o parameter, the id last.
func ordering(o string) []product.OrderOption {
	switch o {
	case "&o=price":
		return []product.OrderOption{ent.Asc(product.FieldPrice), ent.Asc(product.FieldID)}
	case "&o=-price,name":
		return []product.OrderOption{ent.Desc(product.FieldPrice), ent.Asc(product.FieldName), ent.Asc(product.FieldID)}
	}
	return []product.OrderOption{ent.Desc(product.FieldCreatedAt), ent.Desc(product.FieldID)}
}

// dateNav returns the drill-down's current period and links.
func (p *page) dateNav() (current string, links []string) {
	p.doc.Find(".date-nav .date-link").Each(func(_ int, a *goquery.Selection) { links = append(links, a.Text()) })
	return p.doc.Find(".date-nav .date-current").Text(), links
}

func TestDateDrillDown(t *testing.T) {
	t.Parallel()
	for _, d := range []string{dialect.Postgres, dialect.SQLite} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			s := newShop(t, d, "/admin")
			ctx := context.Background()
			at := func(name string, y int, m time.Month, day int) {
				s.client.Product.Create().SetName(name).SetPrice(1).SetCreatedAt(time.Date(y, m, day, 12, 0, 0, 0, time.UTC)).ExecX(ctx)
			}
			at("a", 2024, 3, 5)
			at("b", 2024, 3, 20)
			at("c", 2024, 7, 1)
			at("d", 2025, 1, 10)
			for _, tt := range []struct {
				name, path, current string
				links, rows         []string
			}{
				{"years at the top", "/product/", "", []string{"2024", "2025"}, []string{"d", "c", "b", "a"}},
				{"the months of a year", "/product/?created_at__year=2024", "2024", []string{"March 2024", "July 2024"}, []string{"c", "b", "a"}},
				{"the days of a month", "/product/?created_at__year=2024&created_at__month=3", "March 2024", []string{"March 5", "March 20"}, []string{"b", "a"}},
				{"one day", "/product/?created_at__year=2024&created_at__month=3&created_at__day=20", "March 20, 2024", nil, []string{"b"}},
				{"with another filter", "/product/?q=a&created_at__year=2024", "2024", []string{"March 2024"}, []string{"a"}},
				// A search's range is read from its matches (on PostgreSQL
				// behind a fence, so that no plan walks the date index
				// through every row for a term that matches nothing).
				{"a search at the top", "/product/?q=a", "", []string{"March 5"}, []string{"a"}},
				{"a search without matches", "/product/?q=zzz", "", nil, nil},
			} {
				p := s.get(tt.path)
				if p.status != http.StatusOK {
					t.Fatalf("%s: status %d", tt.name, p.status)
				}
				current, links := p.dateNav()
				if current != tt.current || !slices.Equal(links, tt.links) || !slices.Equal(p.rows(), tt.rows) {
					t.Errorf("%s: current %q, links %q, rows %q; want %q, %q, %q", tt.name, current, links, p.rows(), tt.current, tt.links, tt.rows)
				}
			}
			if p := s.get("/product/?created_at__year=2024&created_at__month=2&created_at__day=30"); p.status != http.StatusBadRequest {
				t.Errorf("February 30: status %d", p.status)
			}
			if p := s.get("/product/?created_at__month=3"); p.status != http.StatusBadRequest {
				t.Errorf("a month without a year: status %d", p.status)
			}
		})
	}
	t.Run("one month of data shows its days at once", func(t *testing.T) {
		t.Parallel()
		s := newShop(t, dialect.Postgres, "/admin")
		for _, day := range []int{2, 9} {
			s.client.Product.Create().SetName("x").SetPrice(1).SetCreatedAt(time.Date(2025, 5, day, 8, 0, 0, 0, time.UTC)).ExecX(context.Background())
		}
		if _, links := s.get("/product/").dateNav(); !slices.Equal(links, []string{"May 2", "May 9"}) {
			t.Errorf("links %q", links)
		}
	})
}

func TestTheKeptCountingStatementKeepsToEachRowScope(t *testing.T) {
	t.Parallel()
	for _, d := range []string{dialect.Postgres, dialect.SQLite} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			s := newShop(t, d, "/admin")
			ctx := context.Background()
			kitchen := s.client.Category.Create().SetName("Kitchen").SetSlug("kitchen").SaveX(ctx)
			garden := s.client.Category.Create().SetName("Garden").SetSlug("garden").SaveX(ctx)
			for i, y := range []int{2024, 2024, 2025, 2025} {
				cat := kitchen
				if y == 2025 {
					cat = garden
				}
				s.client.Product.Create().SetName("p" + strconv.Itoa(i)).SetPrice(1).SetCategory(cat).
					SetCreatedAt(time.Date(y, 3, 1+i, 12, 0, 0, 0, time.UTC)).ExecX(ctx)
			}
			for _, tt := range []struct {
				name, path string
				scoped     bool
				summary    string
				current    string
				links      []string
			}{
				{"every row", "/product/", false, "4 products", "", []string{"2024", "2025"}},
				{"the kitchen's rows", "/product/", true, "2 products", "", []string{"March 1", "March 2"}},
				{"every row again", "/product/", false, "4 products", "", []string{"2024", "2025"}},
				{"every row of a year", "/product/?created_at__year=2025", false, "2 products (4 total)", "2025", []string{"March 2025"}},
				{"the kitchen's rows of a year", "/product/?created_at__year=2025", true, "0 products (2 total)", "2025", nil},
			} {
				s.res.Product.Scope = nil
				if tt.scoped {
					s.res.Product.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
						return product.HasCategoryWith(category.ID(kitchen.ID)), nil
					}
				}
				p := s.get(tt.path)
				current, links := p.dateNav()
				if got := p.summary(); got != tt.summary || current != tt.current || !slices.Equal(links, tt.links) {
					t.Errorf("%s: summary %q, current %q, links %q; want %q, %q, %q", tt.name, got, current, links, tt.summary, tt.current, tt.links)
				}
			}
		})
	}
}

// export downloads the product list as CSV.
func (s *shop) export(path string) (int, http.Header, [][]string) {
	s.t.Helper()
	resp, err := s.http.Get(s.srv.URL + s.prefix + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, resp.Header, nil
	}
	recs, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, recs
}

func TestCSVExport(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	ctx := context.Background()
	names := []string{`=HYPERLINK("http://evil")`, "+1+1", "-2", "@SUM(A1)", `He said "hi"`, "two\nlines", "plain, with comma"}
	for i, name := range names {
		s.client.Product.Create().SetName(name).SetPrice(float64(i)).SetCreatedAt(time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC)).ExecX(ctx)
	}
	status, h, recs := s.export("/product/export/?o=name")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if ct := h.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") {
		t.Errorf("headers %q, %q", ct, h.Get("Content-Disposition"))
	}
	if len(recs) != len(names)+1 || recs[0][0] != "Name" {
		t.Fatalf("records %q", recs)
	}
	var got []string
	for _, r := range recs[1:] {
		got = append(got, r[0])
	}
	want := []string{`'+1+1`, `'-2`, `'=HYPERLINK("http://evil")`, `'@SUM(A1)`, `He said "hi"`, "plain, with comma", "two\nlines"}
	if !slices.Equal(got, want) {
		t.Errorf("names\n%q\nwant\n%q", got, want)
	}
	t.Run("the export follows the list's search and filters", func(t *testing.T) {
		_, _, recs := s.export("/product/export/?q=two")
		if len(recs) != 2 || recs[1][0] != "two\nlines" {
			t.Errorf("records %q", recs)
		}
	})
	t.Run("ExportCSV exports a selection", func(t *testing.T) {
		ids := s.client.Product.Query().Where(product.NameIn("-2", "+1+1")).IDsX(ctx)
		req := httptest.NewRequest(http.MethodGet, "/admin/product/", nil)
		w := httptest.NewRecorder()
		var sids []string
		for _, id := range ids {
			sids = append(sids, strconv.Itoa(id))
		}
		if err := s.res.Product.ExportCSV(w, req, sids); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(w.Body).ReadAll()
		if err != nil || len(recs) != 3 {
			t.Errorf("records %q, %v", recs, err)
		}
	})
}

func TestCSVExportNeedsViewAndKeepsToTheScope(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view")}))
	ctx := context.Background()
	for _, name := range []string{"mine 1", "mine 2", "theirs"} {
		s.client.Product.Create().SetName(name).SetPrice(1).ExecX(ctx)
	}
	s.res.Product.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
		return entadmin.Predicate(product.NameHasPrefix("mine")), nil
	}
	_, _, recs := s.export("/product/export/")
	if len(recs) != 3 || strings.Contains(recs[1][0]+recs[2][0], "theirs") {
		t.Errorf("records %q", recs)
	}
	if status, _, _ := s.export("/tag/export/"); status != http.StatusForbidden {
		t.Errorf("export without view permission: status %d", status)
	}
}

func TestAFilteredListIsCountedExactlyUpToTheLimitAndEstimatedBeyond(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	ctx := context.Background()
	// 10,100 products, 50 of them inactive.
	for _, q := range []string{
		`INSERT INTO products (name, price, status, is_active, stock_count, created_at)
			SELECT 'P' || g, 1, 'published', g % 202 <> 0, 0, now() FROM generate_series(1, 10100) AS g`,
		"ANALYZE products",
	} {
		if _, err := s.client.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.get("/product/?is_active=no").summary(); got != "50 products (about 10,000 total)" {
		t.Errorf("a filtered list of 50 rows: summary %q", got)
	}
	p := s.get("/product/?is_active=yes")
	if got := p.summary(); !strings.HasPrefix(got, "about 10,") || !strings.Contains(got, "Estimated") {
		t.Errorf("a filtered list of 10,000 rows: summary %q, want an estimate", got)
	}
	if p.doc.Find(`[data-count="inexact"]`).Length() != 1 {
		t.Error("the estimate is not marked")
	}
}
