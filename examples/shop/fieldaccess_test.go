package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/internal/testdb"
	"github.com/entadmin/entadmin/rbac"
)

// TestTheShopsActionsWriteWhatTheirPermissionsAllow: a clerk who may
// change products and run "activate" and "restock", with the activity and
// the stock read-only and cost prices hidden, marks products active and
// restocks them, because the actions declare the fields they write
// (without Writes, package policy/fieldaccess would refuse those writes);
// the clerk's form saves leave those fields alone, and still work.
func TestTheShopsActionsWriteWhatTheirPermissionsAllow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, srv := startShop(t, testdb.Postgres(t).DSN, "", 20)
	base := srv.URL + "/admin"
	clerk := newStaff(t, a, "clara")
	grantProducts(t, a, clerk, "view", "change", "activate", "restock")
	for field, access := range map[string]rbac.Access{"cost_price": rbac.Hidden, "is_active": rbac.ReadOnly, "stock_count": rbac.ReadOnly} {
		if err := a.enforcer.SetFieldAccess(ctx, rbac.UserSubject(clerk), "product", field, access); err != nil {
			t.Fatal(err)
		}
	}
	b := login(t, base, "clara", "pw of clara")
	p := a.db.client.Product.Query().Order(product.ByID()).FirstX(ctx)
	a.db.client.Product.UpdateOne(p).SetIsActive(false).SetStockCount(0).ExecX(ctx)

	form := url.Values{"action": {"activate"}, "_selected": {strconv.Itoa(p.ID)}}
	if status, body := b.do(http.MethodPost, "/product/", form); status != http.StatusSeeOther {
		t.Fatalf("activate: status %d\n%.500s", status, body)
	}
	if status, body := b.do(http.MethodPost, "/product/restock/", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("restock: status %d\n%.500s", status, body)
	}
	after := a.db.client.Product.GetX(ctx, p.ID)
	if !after.IsActive || after.StockCount != 10 {
		t.Errorf("after activate and restock: active %v, stock %d; want true and 10", after.IsActive, after.StockCount)
	}
	if (after.CostPrice == nil) != (p.CostPrice == nil) || after.CostPrice != nil && *after.CostPrice != *p.CostPrice {
		t.Errorf("the hidden cost price changed")
	}

}

// TestACustomActionRunsForAUserWithItsPermissionButNotChange: a clerk who
// may view products and run "activate", but not change them, activates
// one: the action's update keeps to the rows of the "activate" grant
// rather than of "change" (where it would find none), and the clerk's
// change form stays refused.
func TestACustomActionRunsForAUserWithItsPermissionButNotChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, srv := startShop(t, testdb.Postgres(t).DSN, "", 20)
	base := srv.URL + "/admin"
	clerk := newStaff(t, a, "otto")
	grantProducts(t, a, clerk, "view", "activate")
	b := login(t, base, "otto", "pw of otto")
	p := a.db.client.Product.Query().Order(product.ByID()).FirstX(ctx)
	a.db.client.Product.UpdateOne(p).SetIsActive(false).ExecX(ctx)

	form := url.Values{"action": {"activate"}, "_selected": {strconv.Itoa(p.ID)}}
	if status, body := b.do(http.MethodPost, "/product/", form); status != http.StatusSeeOther {
		t.Fatalf("activate: status %d\n%.500s", status, body)
	}
	if after := a.db.client.Product.GetX(ctx, p.ID); !after.IsActive {
		t.Errorf("after activate: the product is not active")
	}
	edit := url.Values{"name": {"renamed by otto"}}
	if status, _ := b.do(http.MethodPost, "/product/"+strconv.Itoa(p.ID)+"/", edit); status != http.StatusForbidden {
		t.Errorf("otto's change form post: status %d, want 403", status)
	}
	if after := a.db.client.Product.GetX(ctx, p.ID); after.Name == "renamed by otto" {
		t.Errorf("otto renamed the product without the change permission")
	}
}
