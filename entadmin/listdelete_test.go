package entadmin_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/entadmin"
)

// deleteScoped is a policy whose object scope lets the user delete only
// the rows with the ids.
type deleteScoped struct {
	policy
	ids []any
}

func (p *deleteScoped) ObjectScope(_ context.Context, _ entadmin.User, t entadmin.ScopeTarget) (entadmin.Predicate, error) {
	if t.Action != entadmin.ActionDelete {
		return nil, nil
	}
	return entsql.FieldIn(t.IDColumn, p.ids...), nil
}

// rowDeletes returns the ids of the list rows with a delete link.
func (p *page) rowDeletes() []string {
	var out []string
	p.doc.Find("#results tbody tr").Each(func(_ int, tr *goquery.Selection) {
		if tr.Find("a.row-delete").Length() > 0 {
			out = append(out, tr.AttrOr("data-id", ""))
		}
	})
	return out
}

func TestListRowsLinkToTheDeleteDialogAndComeBackToTheList(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(3)
	list := s.get("/product/?q=Product&o=name")
	a := list.doc.Find(`#results tr[data-id="` + ids(f.products[1].ID) + `"] a.row-delete`)
	filters := "?" + url.Values{"_changelist_filters": {"o=name&q=Product"}}.Encode()
	edit := "/admin/product/" + ids(f.products[1].ID) + "/"
	if href := a.AttrOr("href", ""); href != edit+"delete/"+filters {
		t.Errorf("href %q, want the delete page with the list's parameters", href)
	}
	if get := a.AttrOr("hx-get", ""); get != edit+"confirm-delete/"+filters {
		t.Errorf("hx-get %q, want the dialog with the list's parameters", get)
	}
	if label := a.AttrOr("aria-label", ""); label != "Delete “Product 001”" {
		t.Errorf("aria-label %q", label)
	}
	if n := len(list.rowDeletes()); n != 3 {
		t.Errorf("%d rows with a delete link, want 3", n)
	}
	dialog := s.get(strings.TrimPrefix(a.AttrOr("hx-get", ""), "/admin"))
	action := dialog.doc.Find("dialog form[method=post]").AttrOr("action", "")
	if action != edit+"delete/"+filters {
		t.Fatalf("the dialog posts to %q", action)
	}
	done := s.post(strings.TrimPrefix(action, "/admin"), url.Values{})
	if done.status != http.StatusSeeOther || done.location != "/admin/product/?o=name&q=Product" {
		t.Errorf("after the delete: status %d, location %q, want the same list", done.status, done.location)
	}
	if s.client.Product.Query().CountX(context.Background()) != 2 {
		t.Error("the product was not deleted")
	}
}

func TestListDeleteLinksFollowThePermissions(t *testing.T) {
	t.Parallel()
	count := func(s *shop, path string) (*page, int) {
		s.counter.Reset()
		p := s.get(path)
		if p.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, p.status)
		}
		return p, s.counter.Count()
	}
	viewer := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "category.view")}))
	viewer.seed(3)
	p, viewStatements := count(viewer, "/product/")
	if len(p.rowDeletes()) != 0 || p.doc.Find("th.delete-col").Length() != 0 {
		t.Error("a user without delete permission gets delete links")
	}
	deleter := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view", "product.delete", "category.view")}))
	deleter.seed(3)
	p, deleteStatements := count(deleter, "/product/")
	if len(p.rowDeletes()) != 3 || p.doc.Find("th.delete-col").Length() != 1 {
		t.Errorf("rows with a delete link %q, want all 3", p.rowDeletes())
	}
	if deleteStatements != viewStatements {
		t.Errorf("%d statements with delete links, %d without: the permission is per resource", deleteStatements, viewStatements)
	}
	scope := &deleteScoped{policy: policy{perms: perms("product.view", "product.delete", "category.view")}}
	scoped := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(scope))
	f := scoped.seed(3)
	scope.ids = []any{f.products[2].ID}
	p, scopedStatements := count(scoped, "/product/")
	if got := p.rowDeletes(); !slices.Equal(got, []string{ids(f.products[2].ID)}) {
		t.Errorf("rows with a delete link %q, want only the one the object scope allows", got)
	}
	if scopedStatements != viewStatements+1 {
		t.Errorf("%d statements with an object scope on deletes, want %d: one query for the page's rows", scopedStatements, viewStatements+1)
	}
}
