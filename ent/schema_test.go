package ent_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/adminres"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/testdb"
)

func TestOwnModelsMigrateWithAPrefixAndAreAdministrable(t *testing.T) {
	db := testdb.Postgres(t)
	client := ent.NewClient(ent.Driver(entsql.OpenDB(db.Dialect, db.DB)))
	ctx := context.Background()
	if err := client.Schema.Create(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := db.DB.QueryContext(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	want := []string{"entadmin_audit_entries", "entadmin_groups", "entadmin_object_grants", "entadmin_policy_rules", "entadmin_rule_uses", "entadmin_sessions", "entadmin_user_groups", "entadmin_users"}
	if !slices.Equal(tables, want) {
		t.Errorf("tables = %q, want %q", tables, want)
	}

	staff := client.Group.Create().SetName("staff").SaveX(ctx)
	client.Group.Create().SetName("editors").SetParent(staff).ExecX(ctx)
	client.User.Create().SetUsername("alice").SetPasswordHash("$argon2id$secret").ExecX(ctx)

	site := entadmin.New(entadmin.WithAuthorizer(entadmin.Open{}), entadmin.WithLogger(slog.New(slog.DiscardHandler)))
	adminres.Register(site, client)
	get := func(path string) string {
		w := httptest.NewRecorder()
		site.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d", path, w.Code)
		}
		b, _ := io.ReadAll(w.Body)
		return string(b)
	}
	if body := get("/group/"); !strings.Contains(body, "editors") || !strings.Contains(body, "staff") {
		t.Error("the group list does not show the groups and their parents")
	}
	body := get("/user/1/")
	if strings.Contains(body, "password_hash") || strings.Contains(body, "argon2id") {
		t.Error("the user form shows the password hash")
	}
}
