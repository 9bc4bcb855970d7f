package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/internal/testdb"
	"github.com/entadmin/entadmin/rbac"
)

// TestTheProductListShowsOnlyTagsInTheUsersTagScope lists products, on
// PostgreSQL (tags joined into the page's statement) and on SQLite (tags
// read in a statement of their own), as a user who may view products but
// only one tag, by an object grant: a product's other tag is not shown,
// while a superuser sees both in the order of their names.
func TestTheProductListShowsOnlyTagsInTheUsersTagScope(t *testing.T) {
	t.Parallel()
	t.Run("PostgreSQL", func(t *testing.T) {
		t.Parallel()
		testListTagScope(t, testdb.Postgres(t).DSN, "")
	})
	t.Run("SQLite", func(t *testing.T) {
		t.Parallel()
		testListTagScope(t, "", filepath.Join(t.TempDir(), "shop.db"))
	})
}

func testListTagScope(t *testing.T, dsn, sqlitePath string) {
	ctx := context.Background()
	a, srv := startShop(t, dsn, sqlitePath, 20)
	sys := entadmin.AsSystem(ctx, "test")
	p := a.db.client.Product.Query().Order(ent.Asc(product.FieldID)).WithTags().FirstX(sys)
	if len(p.Edges.Tags) < 2 {
		t.Fatalf("product %d has %d tags, want 2", p.ID, len(p.Edges.Tags))
	}
	in, out := p.Edges.Tags[0], p.Edges.Tags[1]
	a.db.client.Tag.UpdateOneID(in.ID).SetName("zz-tag-in-scope").ExecX(sys)
	a.db.client.Tag.UpdateOneID(out.ID).SetName("zz-tag-out-of-scope").ExecX(sys)

	tinaID := newStaff(t, a, "tina")
	if err := a.enforcer.Grant(ctx, rbac.UserSubject(tinaID), "product", "view"); err != nil {
		t.Fatal(err)
	}
	a.own.ObjectGrant.Create().SetUserID(tinaID).SetResource("tag").SetObjectID(strconv.Itoa(in.ID)).SetAction("view").ExecX(ctx)
	tina := login(t, srv.URL+"/admin", "tina", "pw of tina")
	status, list := tina.do("GET", "/product/", nil)
	if status != http.StatusOK {
		t.Fatalf("list: status %d", status)
	}
	if !strings.Contains(list, "zz-tag-in-scope") {
		t.Error("the list does not show the tag the user may view")
	}
	if strings.Contains(list, "zz-tag-out-of-scope") {
		t.Error("the list shows a tag outside the user's tag scope")
	}

	// A superuser sees both, in the order of their names.
	cookie, err := a.login(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/admin/product/", nil)
	req.AddCookie(cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	first, second := strings.Index(string(body), "zz-tag-in-scope"), strings.Index(string(body), "zz-tag-out-of-scope")
	if first < 0 || second < first {
		t.Errorf("the superuser's list shows the tags at %d and %d, want both in the order of their names", first, second)
	}
}
