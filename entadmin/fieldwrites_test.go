package entadmin_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/policy/fieldaccess"
)

// limitedStaff may view and change products and run "reprice", with the
// cost price hidden and the stock read-only.
var limitedStaff = policy{
	perms: perms("product.view", "product.change", "product.reprice", "category.view"),
	fields: map[string]entadmin.Access{
		"product.cost_price":  entadmin.AccessHidden,
		"product.stock_count": entadmin.AccessReadOnly,
	},
}

// rootUser is a superuser.
type rootUser struct{}

func (rootUser) DisplayName() string { return "root" }
func (rootUser) Superuser() bool     { return true }

// setCost returns an action function setting the cost price of the
// selected products.
func setCost(cost float64) entadmin.ActionFunc[*ent.Product] {
	return func(w http.ResponseWriter, r *http.Request, ps []*ent.Product) (string, error) {
		for _, p := range ps {
			if err := p.Update().SetCostPrice(cost).Exec(r.Context()); err != nil {
				return "", err
			}
		}
		return "Repriced.", nil
	}
}

func TestAnActionCannotWriteAFieldTheUserMayNotChangeUnlessItDeclaresIt(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t, entadmin.WithAuthorizer(limitedStaff))
	s.res.Product.Action("reprice", "Reprice", setCost(0.1)).Permission("reprice")
	s.res.Product.Action("reprice_declared", "Reprice (declared)", setCost(0.2)).Permission("reprice").Writes("cost_price")
	f := s.seed(1)
	ctx := context.Background()
	p := f.products[0]
	before := s.client.Product.GetX(ctx, p.ID).CostPrice
	entries := s.own.AuditEntry.Query().CountX(ctx)

	got := s.post("/product/", selected("reprice", p.ID))
	if got.status != http.StatusSeeOther {
		t.Fatalf("a refused action: status %d, want 303 back to the list:\n%.500s", got.status, got.body)
	}
	if after := s.client.Product.GetX(ctx, p.ID).CostPrice; !equalPtr(before, after) {
		t.Errorf("the hidden cost price changed from %v to %v", deref(before), deref(after))
	}
	if n := s.own.AuditEntry.Query().CountX(ctx); n != entries {
		t.Errorf("the refused action left %d audit entries", n-entries)
	}
	if list := s.get("/product/"); !strings.Contains(list.body, "“Cost price” is not yours to change") {
		t.Error("the list does not say why the action was refused")
	}

	if got := s.post("/product/", selected("reprice_declared", p.ID)); got.status != http.StatusSeeOther {
		t.Fatalf("a declared action: status %d", got.status)
	}
	if after := s.client.Product.GetX(ctx, p.ID).CostPrice; deref(after) != 0.2 {
		t.Errorf("the action declaring Writes(\"cost_price\") left the cost price at %v", deref(after))
	}
}

func TestASaveHookMayDeriveAFieldTheUserMayOnlySee(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t, entadmin.WithAuthorizer(limitedStaff))
	// The hook runs inside the write hook, after the field rule: trusted.
	entadmin.OnSave(s.res.Product, func(_ context.Context, m *ent.ProductMutation, _ *ent.Product) error {
		if price, ok := m.Price(); ok {
			m.SetStockCount(int(price))
		}
		return nil
	})
	f := s.seed(1)
	p := f.products[0]
	path := "/product/" + strconv.Itoa(p.ID) + "/"
	form := productForm("Renamed", "42", f.kitchen.ID)
	form.Set("cost_price", "1") // hidden: ignored, not refused
	if got := s.post(path, form); got.status != http.StatusSeeOther {
		t.Fatalf("the limited user's form save: status %d:\n%.800s", got.status, got.body)
	}
	after := s.client.Product.GetX(context.Background(), p.ID)
	if after.Name != "Renamed" || after.StockCount != 42 {
		t.Errorf("after the save: name %q, stock %d; want Renamed and the stock the hook derived, 42", after.Name, after.StockCount)
	}
	if !equalPtr(after.CostPrice, p.CostPrice) {
		t.Errorf("the hidden cost price changed to %v", deref(after.CostPrice))
	}
}

func TestARefusedWriteInAFormSaveIsAFormError(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t, entadmin.WithAuthorizer(limitedStaff))
	f := s.seed(2)
	other := f.products[1]
	// A hook writing another row is a write of its own, checked.
	entadmin.OnSave(s.res.Product, func(ctx context.Context, m *ent.ProductMutation, _ *ent.Product) error {
		return m.Client().Product.UpdateOneID(other.ID).SetCostPrice(0.1).Exec(ctx)
	})
	path := "/product/" + strconv.Itoa(f.products[0].ID) + "/"
	got := s.post(path, productForm("Renamed", "42", f.kitchen.ID))
	if got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, "“Cost price” is not yours to change") {
		t.Errorf("a save whose hook writes a hidden field: status %d, want 422 with a form error:\n%.800s", got.status, got.body)
	}
	ctx := context.Background()
	if n := s.client.Product.GetX(ctx, f.products[0].ID).Name; n == "Renamed" {
		t.Error("the refused save was committed")
	}
	if c := s.client.Product.GetX(ctx, other.ID).CostPrice; !equalPtr(c, other.CostPrice) {
		t.Errorf("the other product's cost price changed to %v", deref(c))
	}
}

func TestTheFieldRuleAppliesToAdminUsersOnly(t *testing.T) {
	t.Parallel()
	s := newShop(t, "postgres", "/admin", entadmin.WithAuthorizer(limitedStaff))
	f := s.seed(1)
	id := f.products[0].ID
	bg := context.Background()
	staff := entadmin.WithUser(bg, tester{})
	write := func(ctx context.Context, cost float64) error {
		return s.client.Product.UpdateOneID(id).SetCostPrice(cost).Exec(ctx)
	}
	err := write(staff, 0.3)
	var de *fieldaccess.Error
	if !errors.Is(err, fieldaccess.ErrDenied) || !errors.As(err, &de) || de.Field != "cost_price" || strings.Contains(err.Error(), "0.3") {
		t.Errorf("a limited user's write of a hidden field: %v, want an error naming the field, not the value", err)
	}
	if err := s.client.Product.UpdateOneID(id).AddStockCount(1).Exec(staff); !errors.Is(err, fieldaccess.ErrDenied) {
		t.Errorf("a limited user's addition to a read-only field: %v, want refused", err)
	}
	if err := s.client.Product.UpdateOneID(id).ClearCostPrice().Exec(staff); !errors.Is(err, fieldaccess.ErrDenied) {
		t.Errorf("a limited user's clear of a hidden field: %v, want refused", err)
	}
	for name, ctx := range map[string]context.Context{
		"no user (a job, a seed)": bg,
		"a superuser":             entadmin.WithUser(bg, rootUser{}),
		"Unscoped":                entadmin.Unscoped(staff),
		"Allow":                   fieldaccess.Allow(staff, s.res.Product, "cost_price"),
	} {
		if err := write(ctx, 0.4); err != nil {
			t.Errorf("%s: %v, want the write allowed", name, err)
		}
	}
	if err := write(fieldaccess.Allow(staff, s.res.Category, "cost_price"), 0.45); !errors.Is(err, fieldaccess.ErrDenied) {
		t.Errorf("Allow on another resource: %v, want refused", err)
	}
	// Values ent fills in itself (status, is_active, stock_count and
	// created_at have a Default) are not the caller's.
	add := entadmin.WithUser(bg, tester{})
	s2 := newShop(t, "postgres", "/admin", entadmin.WithAuthorizer(policy{
		perms:  perms("product.view", "product.add"),
		fields: map[string]entadmin.Access{"product.stock_count": entadmin.AccessReadOnly, "product.created_at": entadmin.AccessHidden},
	}))
	if _, err := s2.client.Product.Create().SetName("Kettle").SetPrice(3).Save(add); err != nil {
		t.Errorf("a create with ent's defaults for read-only and hidden fields: %v", err)
	}
}

// equalPtr reports whether two optional prices are equal.
func equalPtr(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// deref returns an optional price, nil when unset.
func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestWritesPanicsOnAnUnknownField(t *testing.T) {
	t.Parallel()
	s := newShop(t, "postgres", "/admin")
	for name, declare := range map[string]func(){
		"an action": func() { s.res.Product.Action("reprice", "Reprice", setCost(1)).Writes("cost_prise") },
		"an endpoint": func() {
			s.res.Product.ListEndpoint("reprice", func(http.ResponseWriter, *http.Request) error { return nil }).Writes("cost_prise")
		},
	} {
		func() {
			defer func() {
				if msg, _ := recover().(string); !strings.Contains(msg, `Writes("cost_prise")`) {
					t.Errorf("%s declaring an unknown field: panic %q, want one naming it", name, msg)
				}
			}()
			declare()
		}()
	}
}
