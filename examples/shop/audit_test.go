package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent"
)

func TestAdminAndApplicationWritesAreAuditedInTheirTransaction(t *testing.T) {
	a, b, _ := shopWithUsers(t)
	ctx := context.Background()
	p := a.db.client.Product.Query().FirstX(ctx)
	id := strconv.Itoa(p.ID)
	form := productForm(p)
	form.Set("name", "Renamed")
	form.Set("price", "14.99")
	if status, body := b.do("POST", "/product/"+id+"/", form); status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", status, body)
	}
	e := a.own.AuditEntry.Query().Where(auditentry.Resource("product"), auditentry.ObjectID(id)).OnlyX(ctx)
	if e.Action != "change" || e.UserName != "eve" || e.ObjectRepr != "Renamed" || e.UserID == nil || e.IP != "127.0.0.1" {
		t.Errorf("entry: %+v", e)
	}
	price, _ := e.Changes["price"].(map[string]any)
	if price["old"] != p.Price || price["new"] != 14.99 {
		t.Errorf("price change: %v (was %v)", e.Changes["price"], p.Price)
	}
	if _, ok := e.Changes["brand"]; ok {
		t.Errorf("an unchanged field is in the diff: %v", e.Changes)
	}

	// A plain application write through the same client, in a transaction
	// that rolls back, leaves no entry; one that commits leaves one.
	sctx := entadmin.AsSystem(ctx, "import")
	t1, _ := a.db.client.Tx(sctx)
	t1.Product.UpdateOneID(p.ID).SetBrand("Rolled back").ExecX(sctx)
	t1.Rollback()
	a.db.client.Product.UpdateOneID(p.ID).SetBrand("Acme").ExecX(sctx)
	entries := a.own.AuditEntry.Query().Where(auditentry.Resource("product"), auditentry.ObjectID(id)).Order(auditentry.ByID()).AllX(ctx)
	if len(entries) != 2 || entries[1].UserName != "system: import" {
		t.Fatalf("entries after application writes: %+v", entries)
	}
}

// productForm is the edit form of p as a browser would post it unchanged.
func productForm(p *ent.Product) url.Values {
	form := url.Values{
		"name":        {p.Name},
		"description": {p.Description},
		"price":       {strconv.FormatFloat(p.Price, 'f', -1, 64)},
		"brand":       {p.Brand},
		"status":      {string(p.Status)},
		"stock_count": {strconv.Itoa(p.StockCount)},
	}
	if p.CategoryID != 0 {
		form.Set("category", strconv.Itoa(p.CategoryID))
	}
	if p.CostPrice != nil {
		form.Set("cost_price", strconv.FormatFloat(*p.CostPrice, 'f', -1, 64))
	}
	if p.IsActive {
		form.Set("is_active", "on")
	}
	return form
}
