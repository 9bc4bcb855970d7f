package entadmin_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/a-h/templ"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/adminres"
	"github.com/entadmin/entadmin/internal/testdb"
	"github.com/entadmin/entadmin/views"
)

func TestDashboardListsEveryResource(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.SQLite, "/admin")
	p := s.get("/")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	for _, want := range []string{`href="/admin/product/"`, `href="/admin/product/add/"`, `href="/admin/category/"`, `href="/admin/productimage/"`, `href="/admin/tag/"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("dashboard lacks %s", want)
		}
	}
	if !strings.Contains(p.body, "Authentication is off") {
		t.Error("an open site does not say so")
	}
}

func TestViewsCanBeReplacedPerSiteAndPerResource(t *testing.T) {
	t.Parallel()
	db := testdb.SQLite(t)
	client := ent.NewClient(ent.Driver(entsql.OpenDB(db.Dialect, db.DB)))
	createSchema(t, client)
	text := func(s string) templ.Component {
		return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
			_, err := io.WriteString(w, s)
			return err
		})
	}
	site := entadmin.New(
		entadmin.WithAuthorizer(entadmin.Open{}),
		entadmin.WithLogger(slog.New(slog.DiscardHandler)),
		entadmin.WithViews(views.Views{Error: func(p views.ErrorPage) templ.Component { return text("custom error") }}),
	)
	res := adminres.Register(site, client)
	shopColumns(res)
	res.Tag.Views.List = func(p views.ListPage) templ.Component {
		// Wrap the default results.
		return templ.Join(text("<p>tags, my way</p>"), views.ListResults(p))
	}
	h := site.Handler()
	get := func(path string) string {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w.Body.String()
	}
	if got := get("/nope/"); got != "custom error" {
		t.Errorf("site-wide error view: %q", got)
	}
	if got := get("/tag/"); !strings.HasPrefix(got, "<p>tags, my way</p>") || !strings.Contains(got, `id="results"`) {
		t.Errorf("per-resource list view: %q", got)
	}
	if got := get("/category/"); !strings.Contains(got, "<html") {
		t.Error("other resources keep the default list view")
	}
}
