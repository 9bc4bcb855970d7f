package entadmin_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/PuerkitoBio/goquery"

	own "github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
)

// listForm returns what the list's form posts as the page shows it: the
// editable cells with the values they show (checked checkboxes only).
func listForm(p *page) url.Values {
	form := url.Values{}
	p.doc.Find(`[form="changelist"]`).Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		switch {
		case name == "" || name == "action" || name == "_selected" || name == "select_across":
		case goquery.NodeName(s) == "select":
			form.Add(name, s.Find("option[selected]").AttrOr("value", ""))
		case s.AttrOr("type", "") == "checkbox":
			if _, checked := s.Attr("checked"); checked {
				form.Add(name, s.AttrOr("value", "on"))
			}
		case s.AttrOr("type", "") != "submit":
			form.Add(name, s.AttrOr("value", ""))
		}
	})
	return form
}

func cell(id int, field string) string { return "e." + strconv.Itoa(id) + "." + field }

func (s *shop) postHX(path string, form url.Values) *page {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+s.prefix+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "results")
	return s.do(req)
}

func TestListSaveRollsBackWholeOnOneBadRow(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(5)
	ctx := context.Background()
	a, b, c := f.products[0], f.products[1], f.products[2]
	list := s.get("/product/?o=stock_count")
	form := listForm(list)
	if form.Get(cell(a.ID, "price")) != "0.5" || form.Get(cell(a.ID, "stock_count")) != "0" {
		t.Fatalf("the list's inputs show %v", form)
	}
	form.Set(cell(a.ID, "price"), "12.5")
	form.Set(cell(b.ID, "stock_count"), "7")
	form.Set(cell(c.ID, "price"), "-5") // price has Min(0)

	p := s.post("/product/list-save/?o=stock_count", form)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422:\n%s", p.status, p.body)
	}
	for _, e := range f.products {
		now := s.client.Product.GetX(ctx, e.ID)
		if now.Price != e.Price || now.StockCount != e.StockCount {
			t.Errorf("%s was written (price %v, stock %d) although another row was bad", e.Name, now.Price, now.StockCount)
		}
	}
	if msg := p.doc.Find("#e-" + strconv.Itoa(c.ID) + "-price-error").Text(); msg != "Ensure this value is greater than or equal to 0." {
		t.Errorf("error of the bad cell = %q", msg)
	}
	kept := listForm(p)
	for name, want := range map[string]string{cell(a.ID, "price"): "12.5", cell(b.ID, "stock_count"): "7", cell(c.ID, "price"): "-5"} {
		if got := kept.Get(name); got != want {
			t.Errorf("%s shows %q after the failed save, want the user's %q", name, got, want)
		}
	}
	if !strings.Contains(p.doc.Find(".list-edit-errors").Text(), "Nothing was saved") {
		t.Error("the page does not say that nothing was saved")
	}
	// The same with htmx: the results come back (200, so that htmx swaps them).
	hx := s.postHX("/product/list-save/?o=stock_count", form)
	if hx.status != http.StatusOK || hx.doc.Find("#results").Length() != 1 || hx.doc.Find(".cell-error").Length() != 1 || hx.doc.Find("html").Length() != 1 && strings.Contains(hx.body, "<html") {
		t.Errorf("htmx: status %d, want the results with one error:\n%s", hx.status, hx.body)
	}

	kept.Set(cell(c.ID, "price"), "3")
	p = s.post("/product/list-save/?o=stock_count", kept)
	if p.status != http.StatusSeeOther || p.location != "/admin/product/?o=stock_count" {
		t.Fatalf("status %d to %q, want 303 back to the list", p.status, p.location)
	}
	if got := s.client.Product.GetX(ctx, a.ID).Price; got != 12.5 {
		t.Errorf("price of %s = %v", a.Name, got)
	}
	if got := s.client.Product.GetX(ctx, b.ID).StockCount; got != 7 {
		t.Errorf("stock of %s = %v", b.Name, got)
	}
	if got := s.client.Product.GetX(ctx, c.ID).Price; got != 3 {
		t.Errorf("price of %s = %v", c.Name, got)
	}
	if !strings.Contains(s.get("/product/").body, "3 products were changed.") {
		t.Error("no message after the save")
	}
}

func TestListSaveWritesOnlyChangedRowsAndFields(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(25)
	ctx := context.Background()
	form := listForm(s.get("/product/"))
	a, b := f.products[3], f.products[4]
	form.Set(cell(a.ID, "price"), "100")
	form.Set(cell(b.ID, "price"), "200.50") // "200.5" as the input showed it would be the same
	form.Set(cell(f.products[5].ID, "price"), "5.50")
	// Meanwhile someone else changes a's stock, which this user did not touch.
	s.client.Product.UpdateOneID(a.ID).SetStockCount(99).ExecX(ctx)

	s.counter.Reset()
	s.counter.Record(true)
	p := s.post("/product/list-save/", form)
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d:\n%s", p.status, p.body)
	}
	updates := 0
	for _, st := range s.counter.Statements() {
		if strings.HasPrefix(st, "UPDATE") {
			updates++
			if strings.Contains(st, "stock_count") || strings.Contains(st, "is_active") {
				t.Errorf("an unchanged field was written: %s", st)
			}
		}
	}
	if updates != 2 {
		t.Errorf("%d UPDATE statements, want 2 (5.50 is the price product 005 had):\n%s", updates, strings.Join(s.counter.Statements(), "\n"))
	}
	if got := s.client.Product.GetX(ctx, a.ID); got.Price != 100 || got.StockCount != 99 {
		t.Errorf("a: price %v stock %d, want 100 and the other user's 99", got.Price, got.StockCount)
	}

	// A changed value that someone else changed since the page was shown
	// is a conflict, not a silent overwrite.
	form = listForm(s.get("/product/"))
	form.Set(cell(b.ID, "stock_count"), "1")
	s.client.Product.UpdateOneID(b.ID).SetStockCount(50).ExecX(ctx)
	p = s.post("/product/list-save/", form)
	if p.status != http.StatusConflict || !strings.Contains(p.doc.Find("#e-"+strconv.Itoa(b.ID)+"-stock_count-error").Text(), "Someone else changed") {
		t.Errorf("a conflicting change: status %d:\n%s", p.status, p.doc.Find(".cell-error").Text())
	}
	if got := s.client.Product.GetX(ctx, b.ID).StockCount; got != 50 {
		t.Errorf("the other user's stock was overwritten with %d", got)
	}

	// Statements of a list-save of 25 changed rows (BEGIN and COMMIT are not
	// counted by querycount): the rows with the list's eager loads (3), then
	// per row ent's UPDATE and the SELECT of UpdateOne. The hooks read the
	// old row from the first load.
	form = listForm(s.get("/product/"))
	for _, e := range f.products {
		form.Set(cell(e.ID, "price"), strconv.Itoa(1000+e.ID))
	}
	s.counter.Reset()
	if p := s.post("/product/list-save/", form); p.status != http.StatusSeeOther {
		t.Fatalf("status %d:\n%s", p.status, p.body)
	}
	n := s.counter.Count()
	t.Logf("a list-save of 25 changed rows runs %d statements", n)
	if n > 3+25*2 {
		t.Errorf("a list-save of 25 rows runs %d statements:\n%s", n, strings.Join(s.counter.Statements(), "\n"))
	}
}

func TestListSaveRefusesHiddenReadOnlyAndOutOfScopeCells(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{
		perms:  perms("product.view", "product.change"),
		fields: map[string]entadmin.Access{"product.price": entadmin.AccessReadOnly, "product.stock_count": entadmin.AccessHidden},
	}))
	f := s.seed(3)
	ctx := context.Background()
	a := f.products[0] // inactive
	list := s.get("/product/")
	if list.doc.Find(`[name="`+cell(a.ID, "price")+`"]`).Length() != 0 || list.doc.Find(`[name="`+cell(a.ID, "stock_count")+`"]`).Length() != 0 {
		t.Error("inputs for a read-only or hidden field")
	}
	if list.doc.Find(`[name="`+cell(a.ID, "is_active")+`"]`).Length() != 1 {
		t.Fatal("no input for is_active, which the user may change")
	}
	form := listForm(list)
	form.Set(cell(a.ID, "is_active"), "on")
	for field, v := range map[string]string{"price": "999", "stock_count": "99", "cost_price": "1"} {
		form.Set(cell(a.ID, field), v)
		form.Set("o."+strconv.Itoa(a.ID)+"."+field, "")
	}
	p := s.post("/product/list-save/", form)
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d:\n%s", p.status, p.body)
	}
	got := s.client.Product.GetX(ctx, a.ID)
	if got.Price != a.Price || got.StockCount != a.StockCount || got.CostPrice != nil || !got.IsActive {
		t.Errorf("after a forged save: price %v stock %d cost %v active %v; want only is_active written", got.Price, got.StockCount, got.CostPrice, got.IsActive)
	}
	msg := s.get("/product/").doc.Find("#messages").Text()
	for _, name := range []string{"cost_price", "price", "stock_count"} {
		if !strings.Contains(msg, name) {
			t.Errorf("the forged field %s is not reported: %q", name, msg)
		}
	}

	// Without change permission: no inputs, and the save is refused.
	s2 := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuthorizer(policy{perms: perms("product.view")}))
	f2 := s2.seed(1)
	if s2.get("/product/").doc.Find(`[name^="e."], .save-bar`).Length() != 0 {
		t.Error("a view-only user gets editable cells")
	}
	if p := s2.post("/product/list-save/", url.Values{"_row": {strconv.Itoa(f2.products[0].ID)}, cell(f2.products[0].ID, "price"): {"1"}}); p.status != http.StatusForbidden {
		t.Errorf("list-save without change permission: status %d", p.status)
	}

	// A row outside the user's scope: refused whole, nothing written.
	s3 := newShop(t, dialect.Postgres, "/admin")
	f3 := s3.seed(4)
	kitchen := f3.kitchen.ID
	form = listForm(s3.get("/product/"))
	s3.res.Product.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
		return sql.FieldEQ(product.FieldCategoryID, kitchen), nil
	}
	in, out := f3.products[0], f3.products[1]
	form.Set(cell(in.ID, "price"), "42")
	form.Set(cell(out.ID, "price"), "43")
	if p := s3.post("/product/list-save/", form); p.status != http.StatusNotFound {
		t.Errorf("a row outside the scope: status %d, want 404", p.status)
	}
	if s3.client.Product.GetX(ctx, in.ID).Price == 42 || s3.client.Product.GetX(ctx, out.ID).Price == 43 {
		t.Error("a save with a row outside the scope wrote something")
	}
}

// TestListSaveStatementsGrowOnlyByTheWrites counts the statements of a
// list-save of 5 and of 25 changed rows on a site with an audit log: each
// more row costs its UPDATE, the read-back of ent's UpdateOne and its audit
// entry's INSERT, and no read of the old row, which the hooks and the audit
// log take from the save's first load. The save hooks still run per row
// with the old row, and each entry has the row's own old and new values.
func TestListSaveStatementsGrowOnlyByTheWrites(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t)
	f := s.seed(25)
	var hooked []string
	entadmin.OnSave(s.res.Product, func(_ context.Context, m *ent.ProductMutation, old *ent.Product) error {
		price, _ := m.Price()
		hooked = append(hooked, fmt.Sprintf("%d:%v->%v", old.ID, old.Price, price))
		return nil
	})
	save := func(n int, price func(e *ent.Product) float64) (statements []string) {
		t.Helper()
		form := listForm(s.get("/product/"))
		for _, e := range f.products[:n] {
			form.Set(cell(e.ID, "price"), strconv.FormatFloat(price(e), 'f', -1, 64))
		}
		hooked = nil
		s.counter.Reset()
		s.counter.Record(true)
		defer s.counter.Record(false)
		if p := s.post("/product/list-save/", form); p.status != http.StatusSeeOther {
			t.Fatalf("list-save of %d rows: status %d:\n%s", n, p.status, p.body)
		}
		if len(hooked) != n {
			t.Errorf("the save hook ran %d times for %d rows: %q", len(hooked), n, hooked)
		}
		return s.counter.Statements()
	}
	few := save(5, func(e *ent.Product) float64 { return e.Price + 100 })
	if want := fmt.Sprintf("%d:%v->%v", f.products[0].ID, f.products[0].Price, f.products[0].Price+100); hooked[0] != want {
		t.Errorf("the save hook saw %q, want %q", hooked[0], want)
	}
	many := save(25, func(e *ent.Product) float64 { return e.Price + 200 })
	kinds := func(stmts []string) map[string]int {
		m := map[string]int{}
		for _, st := range stmts {
			switch {
			case strings.HasPrefix(st, `UPDATE "products"`):
				m["update"]++
			case strings.HasPrefix(st, `SELECT "id", "name"`) && strings.HasSuffix(st, `FROM "products" WHERE "id" = $1`):
				m["read-back"]++
			case strings.HasPrefix(st, `INSERT INTO "entadmin_audit_entries"`):
				m["audit"]++
			default:
				m["other"]++
			}
		}
		return m
	}
	k5, k25 := kinds(few), kinds(many)
	t.Logf("a list-save runs %d statements for 5 rows, %d for 25 (%v, %v)", len(few), len(many), k5, k25)
	want5 := map[string]int{"update": 5, "read-back": 5, "audit": 5, "other": k5["other"]}
	want25 := map[string]int{"update": 25, "read-back": 25, "audit": 25, "other": k5["other"]}
	if !maps.Equal(k5, want5) || !maps.Equal(k25, want25) {
		t.Errorf("statements of 5 rows %v, want %v; of 25 rows %v, want %v:\n%s", k5, want5, k25, want25, strings.Join(many, "\n"))
	}

	price := func(entry *own.AuditEntry) (old, new any) {
		c, _ := entry.Changes["price"].(map[string]any)
		return c["old"], c["new"]
	}
	changes := func(id int) (out []*own.AuditEntry) {
		for _, e := range s.entries(id) {
			if e.Action == entadmin.AuditChange {
				out = append(out, e)
			}
		}
		return out
	}
	e := f.products[7]
	entries := changes(e.ID)
	if len(entries) != 1 {
		t.Fatalf("%d change entries for product %d, want 1", len(entries), e.ID)
	}
	if o, n := price(entries[0]); o != e.Price || n != e.Price+200 || len(entries[0].Changes) != 1 {
		t.Errorf("the entry of product %d: %v, want price %v -> %v only", e.ID, entries[0].Changes, e.Price, e.Price+200)
	}
	e = f.products[2]
	entries = changes(e.ID)
	if len(entries) != 2 {
		t.Fatalf("%d change entries for product %d, want 2", len(entries), e.ID)
	}
	if o, n := price(entries[1]); o != e.Price+100 || n != e.Price+200 {
		t.Errorf("the second entry of product %d: %v, want price %v -> %v", e.ID, entries[1].Changes, e.Price+100, e.Price+200)
	}
}
