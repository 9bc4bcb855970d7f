package main

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent/order"
	"github.com/entadmin/entadmin/examples/shop/ent/orderline"
)

// role returns the fixture's role with the name.
func (f *accessFixture) role(name string) *accessRole {
	return f.roles[slices.IndexFunc(f.roles, func(r *accessRole) bool { return r.name == name })]
}

// The version an edit form carries is a hash of the object's values: if it
// covered the fields hidden from the user, they could confirm a guess of a
// hidden cost price offline, one hash per guess.
func TestEditFormVersionDoesNotDependOnHiddenFields(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	ctx := context.Background()
	eve := f.role("eve") // changes products, cost prices hidden
	pid := f.ids["product"][idIn]
	path := "/product/" + pid + "/"

	before := f.editForm(t, eve.client, path, "name")
	f.a.db.client.Product.UpdateOneID(atoi(t, pid)).SetCostPrice(1234.5).ExecX(entadmin.AsSystem(ctx, "test"))
	after := f.editForm(t, eve.client, path, "name")
	if before.Get("_version") == "" || before.Get("_version") != after.Get("_version") {
		t.Errorf("a change of the hidden cost price changed the version of eve's form: %q → %q", before.Get("_version"), after.Get("_version"))
	}

	// The form loaded before the hidden change still saves: eve's save
	// does not write the cost price, and keeps the new one.
	before.Set("name", "Renamed by eve")
	if r := f.fetch(t, eve.client, http.MethodPost, path, before, false); r.status != http.StatusSeeOther {
		t.Fatalf("eve saves a form loaded before a hidden change: status %d, want 303", r.status)
	}
	p := f.a.db.client.Product.GetX(ctx, atoi(t, pid))
	if p.Name != "Renamed by eve" || p.CostPrice == nil || *p.CostPrice != 1234.5 {
		t.Errorf("after eve's save: name %q, cost price %v; want the new name and 1234.5", p.Name, p.CostPrice)
	}

	// A change of a field eve sees still makes her form stale.
	form := f.editForm(t, eve.client, path, "name")
	f.a.db.client.Product.UpdateOneID(atoi(t, pid)).SetPrice(9999).ExecX(entadmin.AsSystem(ctx, "test"))
	form.Set("name", "Stale save")
	if r := f.fetch(t, eve.client, http.MethodPost, path, form, false); r.status == http.StatusSeeOther {
		t.Errorf("eve's save of a form loaded before a price change went through")
	}
}

// An object grant on one order line must not open the other lines of an
// order to the user, through the order form's inline.
func TestOrderInlineKeepsLinesOutsideTheUsersScope(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	ctx := context.Background()
	sys := entadmin.AsSystem(ctx, "test")
	c := f.a.db.client
	lines := c.Order.Query().Where(order.ID(5)).QueryLines().Order(orderline.ByID()).AllX(ctx)
	if len(lines) < 2 {
		c.OrderLine.Create().SetOrderID(5).SetProductID(atoi(t, f.ids["product"][idIn])).SetQuantity(1).SetUnitPrice(1).ExecX(sys)
		c.OrderLine.Create().SetOrderID(5).SetProductID(atoi(t, f.ids["product"][idOut])).SetQuantity(1).SetUnitPrice(1).ExecX(sys)
		lines = c.Order.Query().Where(order.ID(5)).QueryLines().Order(orderline.ByID()).AllX(ctx)
	}
	mine, other := lines[0], lines[1]
	lia := newStaff(t, f.a, "lia")
	for _, g := range []struct {
		res, id string
	}{{"order", "5"}, {"orderline", strconv.Itoa(mine.ID)}} {
		f.a.own.ObjectGrant.Create().SetUserID(lia).SetResource(g.res).SetObjectID(g.id).SetAction("change").ExecX(ctx)
	}
	client := login(t, f.base, "lia", "pw of lia")

	form := f.editForm(t, client, "/order/5/", "number")
	for k, v := range form {
		if strings.HasSuffix(k, "-id") && v[0] == strconv.Itoa(other.ID) {
			t.Errorf("lia's form of order 5 shows line %d, outside her grants", other.ID)
		}
	}
	// A forged row naming the other line.
	form.Set("lines-9-id", strconv.Itoa(other.ID))
	form.Set("lines-9-quantity", "99")
	form.Set("lines-9-unit_price", "1")
	form.Set("lines-9-sort_order", "9")
	f.fetch(t, client, http.MethodPost, "/order/5/", form, false)
	if q := c.OrderLine.GetX(ctx, other.ID).Quantity; q == 99 {
		t.Errorf("lia changed line %d of order 5 through the inline, outside her grants", other.ID)
	}
}
