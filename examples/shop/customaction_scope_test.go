package main

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/internal/testdb"
)

// TestACustomActionGrantedOnOneObjectChangesNoOtherRow: a clerk who views
// every product but holds "activate" on one only (an object grant), and
// not change, selects another product for the action: it stays inactive,
// and the clerk gets a 404 naming it, not a server error; run on every
// matching row, the action activates those of the grant.
func TestACustomActionGrantedOnOneObjectChangesNoOtherRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, srv := startShop(t, testdb.Postgres(t).DSN, "", 20)
	clerk := newStaff(t, a, "olaf")
	grantProducts(t, a, clerk, "view")
	ids := a.db.client.Product.Query().IDsX(ctx)
	slices.Sort(ids)
	mine, other := ids[0], ids[1]
	a.own.ObjectGrant.Create().SetUserID(clerk).SetResource("product").SetObjectID(strconv.Itoa(mine)).SetAction("activate").ExecX(ctx)
	a.db.client.Product.Update().Where(product.IDIn(mine, other)).SetIsActive(false).ExecX(ctx)
	b := login(t, srv.URL+"/admin", "olaf", "pw of olaf")

	form := url.Values{"action": {"activate"}, "_selected": {strconv.Itoa(other)}}
	if status, body := b.do(http.MethodPost, "/product/", form); status != http.StatusNotFound {
		t.Errorf("activate another product: status %d, want 404\n%.500s", status, body)
	}
	if a.db.client.Product.GetX(ctx, other).IsActive {
		t.Errorf("olaf activated a product his grant does not name")
	}
	form = url.Values{"action": {"activate"}, "_selected": {strconv.Itoa(mine)}}
	if status, body := b.do(http.MethodPost, "/product/", form); status != http.StatusSeeOther {
		t.Fatalf("activate his product: status %d\n%.500s", status, body)
	}
	if !a.db.client.Product.GetX(ctx, mine).IsActive {
		t.Errorf("olaf could not activate the product his grant names")
	}

	// Every matching row: those of the grant.
	a.db.client.Product.Update().Where(product.IDIn(mine, other)).SetIsActive(false).ExecX(ctx)
	form = url.Values{"action": {"activate"}, "select_across": {"1"}, "_selected": {strconv.Itoa(mine)}}
	if status, body := b.do(http.MethodPost, "/product/", form); status != http.StatusSeeOther {
		t.Fatalf("activate all matching: status %d\n%.500s", status, body)
	}
	if !a.db.client.Product.GetX(ctx, mine).IsActive || a.db.client.Product.GetX(ctx, other).IsActive {
		t.Errorf("activate all matching: want olaf's product active and the other not")
	}
}

// TestACustomEndpointGrantedOnOneObjectWritesOnlyThatRow: a clerk who
// views every product but holds "restock" on one only restocks: the
// endpoint's update of every empty product reaches that one alone.
func TestACustomEndpointGrantedOnOneObjectWritesOnlyThatRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, srv := startShop(t, testdb.Postgres(t).DSN, "", 20)
	clerk := newStaff(t, a, "rhea")
	grantProducts(t, a, clerk, "view")
	ids := a.db.client.Product.Query().IDsX(ctx)
	slices.Sort(ids)
	mine, other := ids[0], ids[1]
	a.own.ObjectGrant.Create().SetUserID(clerk).SetResource("product").SetObjectID(strconv.Itoa(mine)).SetAction("restock").ExecX(ctx)
	a.db.client.Product.Update().Where(product.IDIn(mine, other)).SetStockCount(0).ExecX(ctx)
	b := login(t, srv.URL+"/admin", "rhea", "pw of rhea")

	if status, body := b.do(http.MethodPost, "/product/restock/", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("restock: status %d\n%.500s", status, body)
	}
	if n := a.db.client.Product.GetX(ctx, mine).StockCount; n != 10 {
		t.Errorf("rhea's product: stock %d after restock, want 10", n)
	}
	if n := a.db.client.Product.GetX(ctx, other).StockCount; n != 0 {
		t.Errorf("another product: stock %d after rhea's restock, want 0", n)
	}
	// The grant is no way to change the product otherwise.
	edit := url.Values{"stock_count": {"99"}}
	if status, _ := b.do(http.MethodPost, "/product/"+strconv.Itoa(mine)+"/", edit); status != http.StatusForbidden {
		t.Errorf("rhea's change form post: status %d, want 403", status)
	}
	if n := a.db.client.Product.GetX(ctx, mine).StockCount; n != 10 {
		t.Errorf("rhea's product: stock %d after her change form post, want 10", n)
	}
}
