package entadmin_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/adminres"
	"github.com/entadmin/entadmin/internal/testdb"
	"github.com/entadmin/entadmin/views"
)

// mountedShop starts the shop admin on SQLite behind the router mount
// returns for the site's handler, and a client of it.
func mountedShop(t *testing.T, mount func(admin http.Handler) http.Handler, opts ...entadmin.Option) (*httptest.Server, *http.Client, *adminres.Resources) {
	t.Helper()
	db := testdb.SQLite(t)
	client := ent.NewClient(ent.Driver(entsql.OpenDB(dialect.SQLite, db.DB)))
	createSchema(t, client)
	site := entadmin.New(append([]entadmin.Option{entadmin.WithAuthorizer(entadmin.Open{}), entadmin.WithLocation(time.UTC), entadmin.WithLogger(slog.New(slog.DiscardHandler))}, opts...)...)
	res := adminres.Register(site, client)
	shopColumns(res)
	srv := httptest.NewServer(mount(site.Handler()))
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return srv, &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, res
}

// fetch gets a URL and parses the page.
func fetch(t *testing.T, c *http.Client, url string) (int, http.Header, *goquery.Document, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, doc, string(b)
}

func TestLinksKeepTheMountPrefixUnderChiStripPrefixAndServeMux(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		mount func(admin http.Handler) http.Handler
	}{
		{"chi Mount", func(admin http.Handler) http.Handler {
			r := chi.NewRouter()
			r.Mount("/admin", admin)
			return r
		}},
		{"http.StripPrefix", func(admin http.Handler) http.Handler { return http.StripPrefix("/admin", admin) }},
		{"http.ServeMux pattern", func(admin http.Handler) http.Handler {
			mux := http.NewServeMux()
			mux.Handle("/admin/", http.StripPrefix("/admin", admin))
			return mux
		}},
		{"chi Mount of http.StripPrefix", func(admin http.Handler) http.Handler {
			r := chi.NewRouter()
			r.Handle("/backoffice/admin/*", http.StripPrefix("/backoffice/admin", admin))
			return r
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c, _ := mountedShop(t, tc.mount)
			prefix := "/admin"
			if strings.Contains(tc.name, "of http.StripPrefix") {
				prefix = "/backoffice/admin"
			}
			status, _, doc, _ := fetch(t, c, srv.URL+prefix+"/")
			if status != http.StatusOK {
				t.Fatalf("GET %s/: status %d", prefix, status)
			}
			var links, actions []string
			doc.Find("a[href], link[href], script[src]").Each(func(_ int, s *goquery.Selection) {
				for _, attr := range []string{"href", "src"} {
					if v, ok := s.Attr(attr); ok && strings.HasPrefix(v, "/") {
						links = append(links, v)
					}
				}
			})
			doc.Find("form[action]").Each(func(_ int, s *goquery.Selection) { actions = append(actions, s.AttrOr("action", "")) })
			for _, a := range actions {
				if !strings.HasPrefix(a, prefix+"/") {
					t.Errorf("form action %q lost the prefix %s", a, prefix)
				}
			}
			if len(links) < 5 {
				t.Fatalf("the dashboard has only %d links: %v", len(links), links)
			}
			for _, l := range links {
				if !strings.HasPrefix(l, prefix+"/") {
					t.Errorf("link %q lost the prefix %s", l, prefix)
					continue
				}
				if status, _, _, _ := fetch(t, c, srv.URL+l); status != http.StatusOK {
					t.Errorf("GET %s: status %d", l, status)
				}
			}
			if status, _, _, _ := fetch(t, c, srv.URL+prefix+"/category/"); status != http.StatusOK {
				t.Errorf("the category list answers %d", status)
			}
		})
	}
}

func TestRegisteredThemesAreListedAndRenderedAsRules(t *testing.T) {
	t.Parallel()
	brand := entadmin.ThemeConfig{Name: "brand", Label: "Brand purple", Vars: map[string]string{"--primary": "#7c3aed", "--link": "#6d28d9"}}
	site := entadmin.New(entadmin.WithTheme(entadmin.ThemeConfig{Name: "brand", Label: "Old"}), entadmin.WithTheme(brand))
	var names []string
	for _, th := range site.Themes() {
		names = append(names, th.Name+"="+th.Label)
	}
	if got, want := strings.Join(names, ", "), "auto=Auto (system), light=Light, dark=Dark, high-contrast=High contrast, brand=Brand purple"; got != want {
		t.Errorf("themes: %s, want %s", got, want)
	}
	css := site.ThemeCSS()
	for _, want := range []string{"[data-theme=\"brand\"] {\n  color-scheme: light;\n  --link: #6d28d9;\n  --primary: #7c3aed;\n}\n", "[data-theme=\"high-contrast\"] {\n  color-scheme: dark;\n"} {
		if !strings.Contains(css, want) {
			t.Errorf("the themes' stylesheet lacks %q:\n%s", want, css)
		}
	}

	// The page links the stylesheet and lists the theme in the menu.
	srv, c, _ := mountedShop(t, func(h http.Handler) http.Handler { return http.StripPrefix("/admin", h) }, entadmin.WithTheme(brand))
	_, _, doc, _ := fetch(t, c, srv.URL+"/admin/")
	if doc.Find(`#theme-select option[value="brand"]`).Text() != "Brand purple" {
		t.Error("the theme menu does not list the registered theme")
	}
	href := ""
	doc.Find(`link[rel=stylesheet]`).Each(func(_ int, s *goquery.Selection) {
		if h := s.AttrOr("href", ""); strings.Contains(h, "/static/media/themes.") {
			href = h
		}
	})
	status, header, _, body := fetch(t, c, srv.URL+href)
	if href == "" || status != http.StatusOK || !strings.Contains(body, `[data-theme="brand"]`) || !strings.Contains(header.Get("Cache-Control"), "immutable") {
		t.Errorf("the themes' stylesheet %q: status %d, cache %q:\n%s", href, status, header.Get("Cache-Control"), body)
	}

	for _, bad := range []entadmin.ThemeConfig{
		{Name: "Brand", Label: "x"},
		{Name: "dark", Label: "x"},
		{Name: "x", Label: "x", Vars: map[string]string{"--primary": "red} body{display:none"}},
		{Name: "x", Label: "x", Vars: map[string]string{"color": "red"}},
		{Name: "x"},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Handler accepted the theme %+v", bad)
				}
			}()
			entadmin.New(entadmin.WithAuthorizer(entadmin.Open{}), entadmin.WithTheme(bad)).Handler()
		}()
	}
}

func TestResourceMediaIsServedWithContentHashesUnderThePrefix(t *testing.T) {
	t.Parallel()
	page := func(css string) (base string, c *http.Client, cssURL, jsURL string, other bool) {
		fsys := fstest.MapFS{"css/product.css": {Data: []byte(css)}, "js/product.js": {Data: []byte("console.log(1)")}}
		db := testdb.SQLite(t)
		client := ent.NewClient(ent.Driver(entsql.OpenDB(dialect.SQLite, db.DB)))
		createSchema(t, client)
		site := entadmin.New(entadmin.WithAuthorizer(entadmin.Open{}), entadmin.WithMedia(fsys), entadmin.WithLogger(slog.New(slog.DiscardHandler)))
		res := adminres.Register(site, client)
		shopColumns(res)
		res.Product.MediaCSS = []string{"css/product.css"}
		res.Product.MediaJS = []string{"js/product.js"}
		srv := httptest.NewServer(http.StripPrefix("/admin", site.Handler()))
		t.Cleanup(srv.Close)
		c = srv.Client()
		_, _, doc, _ := fetch(t, c, srv.URL+"/admin/product/")
		doc.Find(`link[rel=stylesheet]`).Each(func(_ int, s *goquery.Selection) {
			if h := s.AttrOr("href", ""); strings.Contains(h, "product.") {
				cssURL = h
			}
		})
		jsURL = doc.Find(`script[src*="/static/media/js/product."]`).AttrOr("src", "")
		_, _, other1, _ := fetch(t, c, srv.URL+"/admin/category/")
		other = other1.Find(`link[href*="product."]`).Length() > 0
		return srv.URL, c, cssURL, jsURL, other
	}
	base, c, cssURL, jsURL, other := page(".price { color: red }")
	if !strings.HasPrefix(cssURL, "/admin/static/media/css/product.") || !strings.HasSuffix(cssURL, ".css") || !strings.HasPrefix(jsURL, "/admin/static/media/js/product.") {
		t.Fatalf("media URLs %q and %q", cssURL, jsURL)
	}
	if other {
		t.Error("another resource's page loads the product's stylesheet")
	}
	for _, tc := range []struct{ url, ctype, body string }{{cssURL, "text/css", ".price { color: red }"}, {jsURL, "javascript", "console.log(1)"}} {
		status, header, _, body := fetch(t, c, base+tc.url)
		if status != http.StatusOK || !strings.Contains(header.Get("Content-Type"), tc.ctype) || body != tc.body || header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: %d %q %q %q", tc.url, status, header.Get("Content-Type"), header.Get("Cache-Control"), body)
		}
	}
	if status, _, _, _ := fetch(t, c, base+"/admin/static/media/css/product.000000000000.css"); status != http.StatusNotFound {
		t.Errorf("a stale hash answers %d, want 404", status)
	}
	if _, _, changed, _, _ := page(".price { color: blue }"); changed == cssURL {
		t.Error("a changed file keeps its URL")
	}

	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "missing.css") {
			t.Errorf("a missing media file: %v", r)
		}
	}()
	site := entadmin.New(entadmin.WithAuthorizer(entadmin.Open{}), entadmin.WithMedia(fstest.MapFS{}))
	res := adminres.Register(site, ent.NewClient())
	shopColumns(res)
	res.Product.MediaCSS = []string{"missing.css"}
	site.Handler()
}

func TestTheFrameIsReplaceableInParts(t *testing.T) {
	t.Parallel()
	header := func(p views.Page) templ.Component {
		return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
			_, err := io.WriteString(w, `<header class="team-header">Team admin</header>`)
			return err
		})
	}
	footer := func(p views.Page) templ.Component {
		return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
			_, err := io.WriteString(w, `<footer class="team-footer">Support: ext. 42</footer>`)
			return err
		})
	}
	srv, c, _ := mountedShop(t, func(h http.Handler) http.Handler { return http.StripPrefix("/admin", h) },
		entadmin.WithViews(views.Views{Frame: views.Frame{Header: header, Footer: footer}}))
	for _, path := range []string{"/admin/", "/admin/product/", "/admin/product/add/", "/admin/nowhere/"} {
		_, _, doc, _ := fetch(t, c, srv.URL+path)
		if doc.Find(".team-header").Length() != 1 || doc.Find(".team-footer").Length() != 1 || doc.Find(".topbar").Length() != 0 {
			t.Errorf("%s: the replaced header and footer are not rendered", path)
		}
		if doc.Find(`.sidebar a[href="/admin/product/"]`).Length() != 1 {
			t.Errorf("%s: the default navigation is gone", path)
		}
	}
}
