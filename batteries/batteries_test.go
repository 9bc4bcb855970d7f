package batteries_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/auth"
	"github.com/entadmin/entadmin/batteries"
	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/adminres"
	_ "github.com/entadmin/entadmin/internal/fixture/ent/runtime" // the schemas' defaults and hooks
	"github.com/entadmin/entadmin/internal/testdb"
	"github.com/entadmin/entadmin/rbac"
)

// installed is a shop admin with the batteries, served over HTTP.
type installed struct {
	t      *testing.T
	base   string // the admin's URL
	drv    dialect.Driver
	client *ent.Client // the shop's
	pack   *batteries.Pack
	log    *bytes.Buffer // the site's log
}

// install serves the shop's models and the batteries on a fresh database
// of the dialect, with Install called before the shop's Register when
// first, after it otherwise.
func install(t *testing.T, dbDialect string, first bool, opts ...batteries.Option) *installed {
	t.Helper()
	ctx := context.Background()
	var db *testdb.DB
	if dbDialect == dialect.Postgres {
		db = testdb.Postgres(t)
	} else {
		db = testdb.SQLite(t)
	}
	drv := entsql.OpenDB(db.Dialect, db.DB)
	client := ent.NewClient(ent.Driver(drv))
	if err := client.Schema.Create(ctx); err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.DiscardHandler)
	var log bytes.Buffer
	site := entadmin.New(entadmin.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	var pack *batteries.Pack
	installNow := func() {
		var err error
		pack, err = batteries.Install(ctx, site, drv, append([]batteries.Option{
			batteries.WithSecretKey([]byte(strings.Repeat("k", 32))), batteries.WithAuthOptions(auth.WithLogger(quiet))}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pack.Close)
	}
	if first {
		installNow()
	}
	res := adminres.Register(site, client)
	res.Product.Column("margin", entadmin.Computed(func(*ent.Product) string { return "" })) // declared by the schema
	if !first {
		installNow()
	}
	r := chi.NewRouter()
	r.Mount("/admin", site.Handler())
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return &installed{t: t, base: srv.URL + "/admin", drv: drv, client: client, pack: pack, log: &log}
}

// login returns an HTTP client with the session of the user.
func (s *installed) login(username, pw string) *http.Client {
	s.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(s.base+"/login/", url.Values{"username": {username}, "password": {pw}})
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("log in as %s: status %d", username, resp.StatusCode)
	}
	return c
}

// get returns the status and body of path.
func (s *installed) get(c *http.Client, path string) (int, string) {
	s.t.Helper()
	resp, err := c.Get(s.base + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

var dialects = []string{dialect.Postgres, dialect.SQLite}

func TestInstallClosesTheSiteAndLetsEachUserDoWhatTheyAreGranted(t *testing.T) {
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			s := install(t, d, false)
			if strings.Contains(s.log.String(), "no authorizer") {
				t.Errorf("the site logged that it has no authorizer:\n%s", s.log.String())
			}
			ctx := context.Background()
			s.client.Category.Create().SetName("Kitchen").ExecX(ctx)

			anonymous := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			for _, path := range []string{"/", "/category/", "/user/", "/rbac/"} {
				if status, _ := s.get(anonymous, path); status != http.StatusSeeOther {
					t.Errorf("anonymous GET %s: status %d, want a redirect to the login page", path, status)
				}
			}

			t.Setenv("ENTADMIN_PASSWORD", "the root password")
			if err := batteries.CreateSuperuser(ctx, s.drv, []string{"-username", "root"}, strings.NewReader(""), io.Discard); err != nil {
				t.Fatal(err)
			}
			root := s.login("root", "the root password")
			for _, path := range []string{"/", "/category/", "/user/", "/group/", "/policyrule/", "/auditentry/", "/rbac/", batteries.RBACAuditPath} {
				if status, _ := s.get(root, path); status != http.StatusOK {
					t.Errorf("superuser GET %s: status %d", path, status)
				}
			}

			hash, _ := password.Hash("the staff password")
			staff := s.pack.Client().User.Create().SetUsername("sam").SetPasswordHash(hash).SetIsStaff(true).SaveX(ctx)
			if err := s.pack.Enforcer().Grant(ctx, rbac.UserSubject(staff.ID), "category", "view"); err != nil {
				t.Fatal(err)
			}
			sam := s.login("sam", "the staff password")
			for path, want := range map[string]int{
				"/category/":     http.StatusOK,
				"/category/add/": http.StatusForbidden,
				"/product/":      http.StatusForbidden,
				"/user/":         http.StatusForbidden,
				"/policyrule/":   http.StatusForbidden,
				"/rbac/":         http.StatusForbidden,
			} {
				if status, _ := s.get(sam, path); status != want {
					t.Errorf("staff GET %s: status %d, want %d", path, status, want)
				}
			}
			_, dash := s.get(sam, "/")
			if !strings.Contains(dash, `href="/admin/category/"`) {
				t.Error("the staff user's dashboard lacks the categories they may view")
			}
			for _, hidden := range []string{`href="/admin/product/"`, `href="/admin/user/"`, `href="/admin/category/add/"`} {
				if strings.Contains(dash, hidden) {
					t.Errorf("the staff user's dashboard shows %s", hidden)
				}
			}
		})
	}
}

func TestInstallBeforeOrAfterRegisterValidatesGrantsAndAuditsTheApplicationsWrites(t *testing.T) {
	for _, d := range dialects {
		for _, first := range []bool{true, false} {
			name := d + "/register first"
			if first {
				name = d + "/install first"
			}
			t.Run(name, func(t *testing.T) {
				s := install(t, d, first)
				ctx := context.Background()
				own := s.pack.Client()
				u := own.User.Create().SetUsername("olga").SetIsStaff(true).SaveX(ctx)

				// The grant validation sees the shop's resources, whenever
				// they were registered.
				if err := own.ObjectGrant.Create().SetUserID(u.ID).SetResource("product").SetObjectID("1").SetAction("view").Exec(ctx); err != nil {
					t.Errorf("a grant on a product: %v", err)
				}
				err := own.ObjectGrant.Create().SetUserID(u.ID).SetResource("nosuch").SetObjectID("1").SetAction("view").Exec(ctx)
				var fe *entadmin.FieldError
				if !errors.As(err, &fe) || fe.Field != "resource" {
					t.Errorf("a grant on an unknown resource: err %v, want a field error on resource", err)
				}

				// The shop's writes are in the audit log, whenever it was set.
				c := s.client.Category.Create().SetName("Garden").SaveX(ctx)
				n := own.AuditEntry.Query().Where(auditentry.Resource("category"), auditentry.Action("add")).CountX(ctx)
				if n != 1 {
					t.Errorf("%d audit entries for adding category %d, want 1", n, c.ID)
				}
			})
		}
	}
}
