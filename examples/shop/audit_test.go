package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/examples/shop/ent"
)

func TestAdminAndApplicationWritesAreAuditedInTheirTransaction(t *testing.T) {
	t.Parallel()
	a, b, _ := shopWithUsers(t)
	ctx := context.Background()
	p := a.db.client.Product.Query().FirstX(ctx)
	id := strconv.Itoa(p.ID)
	form := productForm(p)
	form.Set("name", "Renamed")
	newPrice := p.Price + 5
	form.Set("price", strconv.FormatFloat(newPrice, 'f', -1, 64))
	if status, body := b.do("POST", "/product/"+id+"/", form); status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", status, body)
	}
	e := a.own.AuditEntry.Query().Where(auditentry.Resource("product"), auditentry.ObjectID(id)).OnlyX(ctx)
	if e.Action != "change" || e.UserName != "eve" || e.ObjectRepr != "Renamed" || e.UserID == nil || e.IP != "127.0.0.1" {
		t.Errorf("entry: %+v", e)
	}
	price, _ := e.Changes["price"].(map[string]any)
	if price["old"] != p.Price || price["new"] != newPrice {
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

func TestChangesToUsersGroupsMembershipsAndRulesAreAuditedWithoutSecrets(t *testing.T) {
	t.Parallel()
	a, b, editorID := shopWithUsers(t)
	ctx := context.Background()
	staff := a.own.Group.Query().Where(group.Name("staff")).OnlyX(ctx)
	hash, _ := password.Hash("a new secret password")
	a.own.User.UpdateOneID(editorID).SetPasswordHash(hash).AddGroups(staff).ExecX(entadmin.AsSystem(ctx, "test"))
	e := a.own.AuditEntry.Query().
		Where(auditentry.Resource("user"), auditentry.ObjectID(strconv.Itoa(editorID)), auditentry.Action("change")).
		Order(auditentry.ByID(entsql.OrderDesc())).FirstX(ctx)
	if pw, _ := e.Changes["password_hash"].(map[string]any); pw["hidden"] != true || len(pw) != 1 {
		t.Errorf("password change recorded as %v", e.Changes["password_hash"])
	}
	if g, _ := e.Changes["groups"].(map[string]any); fmt.Sprint(g["added"]) != fmt.Sprintf("[%d]", staff.ID) {
		t.Errorf("membership change recorded as %v", e.Changes["groups"])
	}
	var raw string
	rows, err := a.db.db.QueryContext(ctx, `SELECT string_agg(changes::text, ' ') FROM entadmin_audit_entries`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		rows.Scan(&raw)
	}
	rows.Close()
	if strings.Contains(raw, "argon2") {
		t.Error("a password hash is stored in the audit log")
	}
	// A grant made through the admin, by eve, logged in again: the new
	// password ended her session.
	b = login(t, b.base, "eve", "a new secret password")
	if status, body := b.do("POST", "/policyrule/add/", url.Values{"ptype": {"p"}, "v0": {"group:99"}, "v1": {"product"}, "v2": {"view"}, "v3": {"allow"}}); status != http.StatusSeeOther {
		t.Fatalf("add rule: status %d\n%s", status, body)
	}
	rule := a.own.AuditEntry.Query().Where(auditentry.Resource("policyrule"), auditentry.Action("add"), auditentry.UserName("eve")).OnlyX(ctx)
	if rule.UserName != "eve" || rule.Changes["v1"] == nil {
		t.Errorf("rule entry %+v", rule)
	}
	// The RBAC audit view lists both, filtered by user.
	status, page := b.do("GET", "/rbac/audit/?user=eve", nil)
	if status != http.StatusOK || !strings.Contains(page, "group:99") || strings.Contains(page, "<td>system: test") {
		t.Errorf("rbac audit view: status %d", status)
	}
	// The dashboard lists eve's own recent actions.
	if _, dash := b.do("GET", "/", nil); !strings.Contains(dash, "My recent actions") || !strings.Contains(dash, "group:99") {
		t.Errorf("the dashboard does not list eve's recent actions:\n%s", dash)
	}
}

func TestTheAuditLogIsReadOnlyInTheAdminEvenForSuperusers(t *testing.T) {
	t.Parallel()
	a, b, editorID := shopWithUsers(t)
	ctx := context.Background()
	a.own.User.UpdateOneID(editorID).SetIsSuperuser(true).ExecX(ctx)
	e := a.own.AuditEntry.Query().FirstX(ctx)
	id := strconv.Itoa(e.ID)
	if status, _ := b.do("GET", "/auditentry/", nil); status != http.StatusOK {
		t.Fatalf("audit list: status %d", status)
	}
	if _, list := b.do("GET", "/auditentry/", nil); strings.Contains(list, `href="/admin/auditentry/add/"`) {
		t.Error("the audit list offers to add entries")
	}
	for _, req := range []struct {
		path string
		form url.Values
	}{
		{"/auditentry/add/", url.Values{"action": {"forged"}}},
		{"/auditentry/" + id + "/", url.Values{"action": {"forged"}, "object_repr": {"forged"}}},
		{"/auditentry/" + id + "/delete/", url.Values{}},
	} {
		if status, _ := b.do("POST", req.path, req.form); status != http.StatusForbidden {
			t.Errorf("POST %s: status %d, want 403", req.path, status)
		}
	}
	if got := a.own.AuditEntry.GetX(ctx, e.ID); got.Action != e.Action || got.ObjectRepr != e.ObjectRepr {
		t.Errorf("entry changed: %+v", got)
	}
	if n := a.own.AuditEntry.Query().Where(auditentry.Action("forged")).CountX(ctx); n != 0 {
		t.Errorf("%d forged entries", n)
	}
}
