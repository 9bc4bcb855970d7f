package entadmin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
)

// addEndpoints adds /product/{id}/duplicate/ (add permission, a button on
// the form) and /product/restock/ (its own permission, a button on the
// list).
func addEndpoints(s *shop) {
	s.res.Product.ObjectEndpoint("duplicate", func(w http.ResponseWriter, r *http.Request, p *ent.Product) error {
		cp, err := s.tx(r.Context()).Product.Create().SetName("Copy of " + p.Name).SetPrice(p.Price).Save(r.Context())
		if err != nil {
			return err
		}
		http.Redirect(w, r, entadmin.Prefix(r)+"/product/"+strconv.Itoa(cp.ID)+"/", http.StatusSeeOther)
		return nil
	}).Permission(entadmin.ActionAdd).Button("Duplicate")
	s.res.Product.ListEndpoint("restock", func(w http.ResponseWriter, r *http.Request) error {
		n, err := s.tx(r.Context()).Product.Update().Where(product.StockCountLT(5)).SetStockCount(5).Save(r.Context())
		if err != nil {
			return err
		}
		entadmin.AddMessage(w, r, "success", fmt.Sprintf("Restocked %d products.", n))
		return nil
	}).Permission("restock").Writes("stock_count").Button("Restock")
}

// tx returns the client of the transaction the admin runs the request in.
func (s *shop) tx(ctx context.Context) *ent.Client {
	if tx := ent.TxFromContext(ctx); tx != nil {
		return tx.Client()
	}
	return s.client
}

func TestEndpointsCheckPermissionsAndScope(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "product.change")}))
	addEndpoints(s)
	f := s.seed(3)
	ctx := context.Background()
	id := strconv.Itoa(f.products[0].ID)
	if s.get("/product/").doc.Find(`form[action="/admin/product/restock/"]`).Length() != 0 {
		t.Error("the restock button is shown without its permission")
	}
	if s.get("/product/"+id+"/").doc.Find(`form[action="/admin/product/`+id+`/duplicate/"]`).Length() != 0 {
		t.Error("the duplicate button is shown without add permission")
	}
	if p := s.post("/product/restock/", nil); p.status != http.StatusForbidden || !strings.Contains(p.body, "restock") {
		t.Errorf("restock without its permission: status %d", p.status)
	}
	if p := s.post("/product/"+id+"/duplicate/", nil); p.status != http.StatusForbidden {
		t.Errorf("duplicate without add permission: status %d", p.status)
	}
	if n := s.client.Product.Query().CountX(ctx); n != 3 {
		t.Errorf("%d products after refused requests", n)
	}

	s = newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "product.add", "product.restock")}))
	addEndpoints(s)
	f = s.seed(3)
	id = strconv.Itoa(f.products[0].ID)
	if s.get("/product/").doc.Find(`form[action="/admin/product/restock/"] button`).Text() != "Restock" {
		t.Error("no restock button on the list")
	}
	if s.get("/product/"+id+"/").doc.Find(`form[action="/admin/product/`+id+`/duplicate/"]`).Length() != 1 {
		t.Error("no duplicate button on the form")
	}
	if p := s.get("/product/restock/"); p.status != http.StatusMethodNotAllowed {
		t.Errorf("GET of a POST endpoint: status %d", p.status)
	}
	p := s.post("/product/restock/", nil)
	if p.status != http.StatusSeeOther || p.location != "/admin/product/" {
		t.Fatalf("restock: status %d to %q", p.status, p.location)
	}
	if n := s.client.Product.Query().Where(product.StockCountLT(5)).CountX(ctx); n != 0 {
		t.Errorf("%d products below 5 after restocking", n)
	}
	p = s.post("/product/"+id+"/duplicate/", nil)
	if p.status != http.StatusSeeOther || !s.client.Product.Query().Where(product.Name("Copy of "+f.products[0].Name)).ExistX(ctx) {
		t.Fatalf("duplicate: status %d, no copy", p.status)
	}
	if p := s.post("/product/"+id+"/nope/", nil); p.status != http.StatusNotFound {
		t.Errorf("an unknown endpoint: status %d", p.status)
	}

	// An object outside the user's scope is not found.
	garden := f.garden.ID
	s.res.Product.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
		return sql.FieldEQ(product.FieldCategoryID, garden), nil
	}
	if p := s.post("/product/"+id+"/duplicate/", url.Values{}); p.status != http.StatusNotFound {
		t.Errorf("duplicate of a product outside the scope: status %d, want 404", p.status)
	}
}

func TestEndpointAndActionNamesAreCheckedAtRegistration(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.SQLite, "/admin")
	noop := func(http.ResponseWriter, *http.Request) error { return nil }
	for _, tt := range []struct {
		name string
		add  func()
		want string
	}{
		{"a built-in route", func() { s.res.Product.ListEndpoint("list-save", noop) }, `the site serves /product/list-save/ itself`},
		{"delete on an object", func() {
			s.res.Product.ObjectEndpoint("delete", func(http.ResponseWriter, *http.Request, *ent.Product) error { return nil })
		}, `the site serves /product/delete/ itself`},
		{"a malformed name", func() { s.res.Product.ListEndpoint("Re Stock", noop) }, `want a name of lower-case letters`},
		{"the built-in action", func() {
			s.res.Product.Action("delete_selected", "Delete", func(http.ResponseWriter, *http.Request, []*ent.Product) (string, error) { return "", nil })
		}, `the name of a built-in action`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				msg := fmt.Sprint(recover())
				if !strings.Contains(msg, tt.want) {
					t.Errorf("panic %q, want it to contain %q", msg, tt.want)
				}
			}()
			tt.add()
		})
	}
}
