package entadmin_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/PuerkitoBio/goquery"
)

func TestListShowsConfiguredColumnsFormattedByType(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		s.res.Product.ListEditable = nil // cells as text, not inputs
		f := s.seed(3)
		ctx := context.Background()
		s.client.Product.UpdateOne(f.products[0]).ClearCategory().ExecX(ctx)

		p := s.get("/product/")
		if p.status != http.StatusOK {
			t.Fatalf("status %d:\n%s", p.status, p.body)
		}
		var headers []string
		p.doc.Find("#results thead th:not(.select-col)").Each(func(_ int, th *goquery.Selection) { headers = append(headers, strings.TrimSpace(th.Text())) })
		want := []string{"Name", "Price", "Margin", "Category", "Tags", "Status", "Active", "Stock count", "Created at"}
		for i, h := range want {
			if i >= len(headers) || !strings.HasPrefix(headers[i], h) {
				t.Fatalf("headers = %q, want %q", headers, want)
			}
		}
		// Newest first (ordering -created_at): Product 000 is the newest.
		if got := p.rows(); !slices.Equal(got, []string{"Product 000", "Product 001", "Product 002"}) {
			t.Errorf("rows = %q", got)
		}
		first := p.doc.Find("#results tbody tr").First().Find("td:not(.select-col)")
		cells := make([]string, 0, first.Length())
		first.Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
		if cells[1] != "0.50" {
			t.Errorf("price cell = %q, want 0.50", cells[1])
		}
		cells = slices.Delete(cells, 2, 3) // margin
		cells = slices.Delete(cells, 3, 4) // tags
		if cells[2] != "(not set)" {
			t.Errorf("cleared category cell = %q, want the empty value (not set)", cells[2])
		}
		if cells[3] != "Draft" {
			t.Errorf("status cell = %q, want the enum label Draft", cells[3])
		}
		if cells[4] != "No" {
			t.Errorf("is_active cell = %q, want a No badge", cells[4])
		}
		if want := f.products[0].CreatedAt.UTC().Format("2006-01-02 15:04"); cells[6] != want {
			t.Errorf("created_at cell = %q, want %q", cells[6], want)
		}
		second := p.doc.Find("#results tbody tr").Eq(1).Find("td:not(.select-col)").Eq(3)
		if got := strings.TrimSpace(second.Text()); got != "Garden" {
			t.Errorf("category cell = %q, want the related display name Garden", got)
		}
		link := first.First().Find("a").AttrOr("href", "")
		if want := "/admin/product/" + strconv.Itoa(f.products[0].ID) + "/"; link != want {
			t.Errorf("name links to %q, want %q", link, want)
		}
		if first.Eq(1).Find("a").Length() != 0 {
			t.Error("price column links, but only the first column should")
		}
		if !strings.Contains(p.body, "3 products") {
			t.Error("no total count on the page")
		}
	})
}

func TestListSearchFiltersSortAndPage(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		f := s.seed(30)
		ctx := context.Background()
		s.client.Product.UpdateOne(f.products[7]).SetName("Red Enamel Mug").SetBrand("Acme").ExecX(ctx)
		s.client.Product.UpdateOne(f.products[8]).SetName("Blue mug").SetBrand("RED ROOSTER").ExecX(ctx)
		s.client.Product.UpdateOne(f.products[9]).SetName("Red kettle").ExecX(ctx)

		tests := []struct {
			name  string
			query string
			check func(t *testing.T, rows []string)
		}{
			{"every term must match some search field, case-insensitively", "?q=mug+red", func(t *testing.T, rows []string) {
				if !slices.Equal(rows, []string{"Red Enamel Mug", "Blue mug"}) {
					t.Errorf("rows = %q", rows)
				}
			}},
			{"search wildcards are literal", "?q=%25", func(t *testing.T, rows []string) {
				if len(rows) != 0 {
					t.Errorf("%% matched %q", rows)
				}
			}},
			{"bool filter", "?is_active=no&o=stock_count", func(t *testing.T, rows []string) {
				if len(rows) != 10 || rows[0] != "Product 000" || rows[1] != "Product 003" {
					t.Errorf("rows = %q", rows)
				}
			}},
			{"enum filter", "?status=draft&o=stock_count", func(t *testing.T, rows []string) {
				if len(rows) != 8 || rows[1] != "Product 004" {
					t.Errorf("rows = %q", rows)
				}
			}},
			{"edge filter", "?category=" + strconv.Itoa(f.garden.ID) + "&o=stock_count", func(t *testing.T, rows []string) {
				if len(rows) != 15 || rows[0] != "Product 001" {
					t.Errorf("rows = %q", rows)
				}
			}},
			{"time filter", "?created_at=7d&o=stock_count", func(t *testing.T, rows []string) {
				// Created 1 hour ago and then one per day back: 0..6 are within the past 7 days, maybe 7.
				if len(rows) < 7 || len(rows) > 8 || rows[0] != "Product 000" {
					t.Errorf("rows = %q", rows)
				}
			}},
			{"sort ascending by price", "?o=price", func(t *testing.T, rows []string) {
				if rows[0] != "Product 000" || rows[1] != "Product 001" {
					t.Errorf("rows = %q", rows)
				}
			}},
			{"sort descending by price", "?o=-price", func(t *testing.T, rows []string) {
				if rows[0] != "Product 029" {
					t.Errorf("rows = %q", rows)
				}
			}},
			{"page 2 holds the rest", "?o=price&p=2", func(t *testing.T, rows []string) {
				if len(rows) != 5 || rows[0] != "Product 025" {
					t.Errorf("rows = %q", rows)
				}
			}},
			{"a page past the end shows the last page", "?o=price&p=99", func(t *testing.T, rows []string) {
				if len(rows) != 5 {
					t.Errorf("rows = %q", rows)
				}
			}},
			{"filter, search, sort and page combine", "?q=product&is_active=yes&category=" + strconv.Itoa(f.kitchen.ID) + "&o=-stock_count", func(t *testing.T, rows []string) {
				if len(rows) == 0 || rows[0] != "Product 028" {
					t.Errorf("rows = %q", rows)
				}
				for _, r := range rows {
					n, _ := strconv.Atoi(strings.TrimPrefix(r, "Product "))
					if n%2 != 0 || n%3 == 0 {
						t.Errorf("row %q does not match the filters", r)
					}
				}
			}},
			{"unknown parameters are ignored", "?utm_source=mail&o=price", func(t *testing.T, rows []string) {
				if len(rows) != 25 {
					t.Errorf("rows = %d", len(rows))
				}
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := s.get("/product/" + tt.query)
				if p.status != http.StatusOK {
					t.Fatalf("status %d", p.status)
				}
				tt.check(t, p.rows())
			})
		}
	})
}

func TestListKeepsStateInLinks(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(90)
	p := s.get("/product/?q=product&is_active=yes&o=-price&p=2")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	next := p.doc.Find(`nav[aria-label="Pagination"] a`).FilterFunction(func(_ int, a *goquery.Selection) bool {
		return strings.Contains(a.Text(), "Next")
	}).AttrOr("href", "")
	for _, want := range []string{"q=product", "is_active=yes", "o=-price", "p=3"} {
		if !strings.Contains(next, want) {
			t.Errorf("next link %q lacks %s", next, want)
		}
	}
	// A sort link toggles the direction and keeps the filters, back on page 1.
	sort := p.doc.Find(`#results thead a`).FilterFunction(func(_ int, a *goquery.Selection) bool {
		return strings.HasPrefix(strings.TrimSpace(a.Text()), "Price")
	}).AttrOr("href", "")
	if !strings.Contains(sort, "o=price") || strings.Contains(sort, "p=") || !strings.Contains(sort, "is_active=yes") {
		t.Errorf("price sort link = %q", sort)
	}
	// A filter choice keeps the search and the other filters.
	garden := p.doc.Find(`a`).FilterFunction(func(_ int, a *goquery.Selection) bool {
		return strings.TrimSpace(a.Text()) == "Garden"
	}).AttrOr("href", "")
	for _, want := range []string{"q=product", "is_active=yes", "category=" + strconv.Itoa(f.garden.ID)} {
		if !strings.Contains(garden, want) {
			t.Errorf("filter link %q lacks %s", garden, want)
		}
	}
	// The search form carries the filters and ordering along.
	var hidden []string
	p.doc.Find(`form input[type="hidden"]`).Each(func(_ int, in *goquery.Selection) {
		hidden = append(hidden, in.AttrOr("name", "")+"="+in.AttrOr("value", ""))
	})
	if !slices.Contains(hidden, "is_active=yes") || !slices.Contains(hidden, "o=-price") {
		t.Errorf("search form keeps %q", hidden)
	}
}

func TestListRefusesParametersOutsideTheAllowLists(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	s.seed(2)
	for _, q := range []string{
		"?o=cost_price", // a field, but not a list column nor the ordering
		"?o=" + url.QueryEscape("name;DROP TABLE products"), // not a field at all
		"?o=-created_at,description",                        // one good, one not allowed
		"?p=0", "?p=-", "?p=two", "?p=1073741825",           // pages
		"?is_active=maybe",               // bool filter
		"?status=sold",                   // enum filter
		"?category=abc", "?created_at=1", // edge and date filters
	} {
		t.Run(q, func(t *testing.T) {
			p := s.get("/product/" + q)
			if p.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", p.status)
			}
			if !strings.Contains(p.body, "Bad list parameters") {
				t.Errorf("the page does not say what was wrong")
			}
		})
	}
	if n, err := s.client.Product.Query().Count(context.Background()); err != nil || n != 2 {
		t.Fatalf("products = %d, %v", n, err)
	}
}

func TestListStringFilterOffersDistinctValues(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(2)
	ctx := context.Background()
	for i, alt := range []string{"Front view", "Side view", "Front view", ""} {
		b := s.client.ProductImage.Create().SetURL("https://img.example.com/" + strconv.Itoa(i) + ".jpg").SetProduct(f.products[0])
		if alt != "" {
			b.SetAltText(alt)
		}
		b.SaveX(ctx)
	}
	p := s.get("/productimage/")
	var choices []string
	p.doc.Find("aside a, .filters a").Each(func(_ int, a *goquery.Selection) { choices = append(choices, strings.TrimSpace(a.Text())) })
	for _, want := range []string{"Front view", "Side view"} {
		if slices.Index(choices, want) < 0 {
			t.Errorf("filter choices %q lack %q", choices, want)
		}
	}
	if n := strings.Count(strings.Join(choices, "|"), "Front view"); n != 1 {
		t.Errorf("Front view offered %d times", n)
	}
	p = s.get("/productimage/?alt_text=Front+view")
	if rows := p.rows(); len(rows) != 2 {
		t.Errorf("rows = %q", rows)
	}
}

func TestListQueryCountDoesNotGrowWithRows(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	s.seed(60)
	count := func(path string, perPage int) int {
		s.res.Product.PerPage = perPage
		s.counter.Reset()
		if p := s.get(path); p.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, p.status)
		}
		return s.counter.Count()
	}
	small := count("/product/?q=Product", 10)
	full := count("/product/?q=Product", 25) // each with a category
	if small != full {
		t.Errorf("%d statements for 10 rows, %d for 25", small, full)
	}
	// the count with the unfiltered total and the date drill-down's range,
	// rows with their categories and tags, the drill-down's probes, the
	// category filter's choices.
	if full > 4 {
		s.counter.Record(true)
		count("/product/?q=Product", 25)
		t.Errorf("a list page runs %d statements, want at most 4:\n%s", full, strings.Join(s.counter.Statements(), "\n"))
	}
}

func TestDateFilterBoundaries(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	ctx := context.Background()
	now := time.Now().UTC()
	y, m, _ := now.Date()
	s.client.Product.Create().SetName("This year").SetPrice(1).SetCreatedAt(time.Date(y, 1, 1, 0, 30, 0, 0, time.UTC)).SaveX(ctx)
	s.client.Product.Create().SetName("Last year").SetPrice(1).SetCreatedAt(time.Date(y-1, 12, 31, 23, 0, 0, 0, time.UTC)).SaveX(ctx)
	s.client.Product.Create().SetName("This month").SetPrice(1).SetCreatedAt(time.Date(y, m, 1, 0, 30, 0, 0, time.UTC)).SaveX(ctx)
	rows := s.get("/product/?created_at=year").rows()
	if slices.Contains(rows, "Last year") || !slices.Contains(rows, "This year") {
		t.Errorf("this year: %q", rows)
	}
	rows = s.get("/product/?created_at=month").rows()
	if !slices.Contains(rows, "This month") || slices.Contains(rows, "Last year") {
		t.Errorf("this month: %q", rows)
	}
}
