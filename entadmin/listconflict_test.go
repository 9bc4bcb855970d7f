package entadmin_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	own "github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
)

// staffPolicy is a staff user who may change products but not see their
// cost price.
var staffPolicy = policy{
	perms:  perms("product.view", "product.change", "category.view"),
	fields: map[string]entadmin.Access{"product.cost_price": entadmin.AccessHidden},
}

// postAsync posts a form in the background (a test may not call Fatal
// there): the page's status, or 0 when the request failed.
func (s *shop) postAsync(path string, form url.Values) <-chan int {
	done := make(chan int, 1)
	go func() {
		resp, err := s.http.PostForm(s.srv.URL+s.prefix+path, form)
		if err != nil {
			s.t.Error(err)
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	return done
}

// awaitLockWaiter waits until a statement of another transaction of the
// test's database waits for a row lock, at most a few seconds.
func (s *shop) awaitLockWaiter() {
	ctx := context.Background()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		rows, err := s.counter.QueryContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)
		if err != nil {
			s.t.Error(err)
			return
		}
		var n int
		for rows.Next() {
			if err := rows.Scan(&n); err != nil {
				s.t.Error(err)
			}
		}
		rows.Close()
		if n > 0 {
			return
		}
	}
	s.t.Error("no statement waited for the form's row lock")
}

// TestAListSaveRacingAFormSaveIsRefusedWithTheTypedValuesKept races a
// list-save against an edit form's save of the same product: the form's
// transaction holds the row when the list-save starts, and commits while
// the list-save waits. The list-save is refused whole (409), the form's
// price stays, the message names the product, the user's typed values come
// back, and the audit log has the form's change only. Saved again from a
// fresh list, the entry's old value is the one the form committed.
func TestAListSaveRacingAFormSaveIsRefusedWithTheTypedValuesKept(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t, entadmin.WithAuthorizer(staffPolicy))
	f := s.seed(3)
	ctx := context.Background()
	a, b := f.products[1], f.products[2]
	var once sync.Once
	locked := make(chan struct{})
	entadmin.OnSave(s.res.Product, func(_ context.Context, m *ent.ProductMutation, _ *ent.Product) error {
		if price, _ := m.Price(); price == 555 {
			// The form's row is locked: hold it until the list-save waits.
			once.Do(func() {
				close(locked)
				s.awaitLockWaiter()
			})
		}
		return nil
	})

	list := listForm(s.get("/product/"))
	list.Set(cell(a.ID, "price"), "777")
	list.Set(cell(b.ID, "stock_count"), "7")

	path := "/product/" + strconv.Itoa(a.ID) + "/"
	fp := s.get(path)
	edit := productForm(a.Name, "555", f.garden.ID)
	edit.Set("stock_count", strconv.Itoa(a.StockCount))
	edit.Set("_version", fp.doc.Find(`input[name="_version"]`).AttrOr("value", ""))
	edit.Set("_loaded", fp.doc.Find(`input[name="_loaded"]`).AttrOr("value", ""))
	if edit.Get("_version") == "" {
		t.Fatal("the form has no version")
	}
	formSaved := s.postAsync(path, edit)
	select { // the form's save holds the row
	case <-locked:
	case <-time.After(5 * time.Second):
		t.Fatal("the form's save did not reach its save hook")
	}
	p := s.post("/product/list-save/", list)
	if status := <-formSaved; status != http.StatusSeeOther {
		t.Fatalf("the form's save: status %d", status)
	}

	if p.status != http.StatusConflict {
		t.Fatalf("the racing list-save: status %d, want 409:\n%s", p.status, p.doc.Find(".list-edit-errors").Text())
	}
	if got := s.client.Product.GetX(ctx, a.ID).Price; got != 555 {
		t.Errorf("price after the race = %v, want the form's 555", got)
	}
	if got := s.client.Product.GetX(ctx, b.ID).StockCount; got != b.StockCount {
		t.Errorf("the other row's stock was written (%d) although the save was refused", got)
	}
	msgs := p.doc.Find(".list-edit-errors").Text()
	if !strings.Contains(msgs, a.Name) || !strings.Contains(msgs, "changed by someone else") || strings.Contains(msgs, b.Name) {
		t.Errorf("the messages do not name the stale row (only):\n%s", msgs)
	}
	if msg := p.doc.Find("#e-" + strconv.Itoa(a.ID) + "-price-error").Text(); !strings.Contains(msg, "555") {
		t.Errorf("the stale cell's error = %q, want the committed value", msg)
	}
	kept := listForm(p)
	for name, want := range map[string]string{cell(a.ID, "price"): "777", cell(b.ID, "stock_count"): "7"} {
		if got := kept.Get(name); got != want {
			t.Errorf("%s shows %q after the refused save, want the typed %q", name, got, want)
		}
	}
	// Posted again as it came back, it is still checked against the values
	// the list first showed; over htmx the results come back (200, so that
	// htmx swaps them) with the same error.
	if p := s.post("/product/list-save/", kept); p.status != http.StatusConflict {
		t.Errorf("the refused save posted again: status %d, want 409", p.status)
	}
	if hx := s.postHX("/product/list-save/", kept); hx.status != http.StatusOK || hx.doc.Find("#e-"+strconv.Itoa(a.ID)+"-price-error").Length() != 1 {
		t.Errorf("htmx: status %d, want the results with the stale cell's error:\n%s", hx.status, hx.body)
	}

	price := func(e *own.AuditEntry) (old, new any) {
		c, _ := e.Changes["price"].(map[string]any)
		return c["old"], c["new"]
	}
	changes := func() (out []*own.AuditEntry) {
		for _, e := range s.entries(a.ID) {
			if e.Action == entadmin.AuditChange {
				out = append(out, e)
			}
		}
		return out
	}
	entries := changes()
	if len(entries) != 1 {
		t.Fatalf("%d change entries of the product, want the form's only", len(entries))
	}
	if o, n := price(entries[0]); o != a.Price || n != 555.0 {
		t.Errorf("the form's entry: price %v -> %v", o, n)
	}

	// From a fresh list the save goes through; its entry's old value is
	// the form's. A cell of the hidden field posted anyway is not written.
	list = listForm(s.get("/product/"))
	list.Set(cell(a.ID, "price"), "777")
	list.Set(cell(a.ID, "cost_price"), "1")
	list.Set("o."+strconv.Itoa(a.ID)+".cost_price", "")
	if p := s.post("/product/list-save/", list); p.status != http.StatusSeeOther {
		t.Fatalf("the save from a fresh list: status %d:\n%s", p.status, p.doc.Find(".list-edit-errors").Text())
	}
	if got := s.client.Product.GetX(ctx, a.ID); got.Price != 777 || got.CostPrice != nil {
		t.Errorf("after the save: price %v cost %v, want 777 and no cost", got.Price, got.CostPrice)
	}
	entries = changes()
	if o, n := price(entries[len(entries)-1]); len(entries) != 2 || o != 555.0 || n != 777.0 {
		t.Errorf("the list-save's entry: price %v -> %v, want 555 -> 777 (%d entries)", o, n, len(entries))
	}
}

// holdWrite runs write in a transaction and keeps it open, with the rows it
// wrote locked, until a statement of another transaction waits for them;
// then it commits. The channel has the commit's error.
func (s *shop) holdWrite(write func(ctx context.Context, tx *ent.Tx) error) <-chan error {
	s.t.Helper()
	ctx := context.Background()
	tx, err := s.client.Tx(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := write(ctx, tx); err != nil {
		s.t.Fatal(errors.Join(err, tx.Rollback()))
	}
	done := make(chan error, 1)
	go func() {
		s.awaitLockWaiter()
		done <- tx.Commit()
	}()
	return done
}

// TestAListSaveChecksAndAuditsTheRowAsCommitted races list-saves against
// writes of another transaction that commits while the list-save waits
// for the row, in fields the list-save does not write. The save's checks
// see the committed row: a price below the cost price another user just
// set (hidden from this user) is refused. Its audit entry's old values are
// the committed ones: the brand a save hook overwrites.
func TestAListSaveChecksAndAuditsTheRowAsCommitted(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t, entadmin.WithAuthorizer(staffPolicy))
	f := s.seed(3)
	ctx := context.Background()
	a, b := f.products[1], f.products[2]
	entadmin.OnSave(s.res.Product, func(_ context.Context, m *ent.ProductMutation, _ *ent.Product) error {
		if _, ok := m.Price(); ok {
			m.SetBrand("repriced")
		}
		return nil
	})

	list := listForm(s.get("/product/"))
	list.Set(cell(a.ID, "price"), "1")
	committed := s.holdWrite(func(ctx context.Context, tx *ent.Tx) error {
		return tx.Product.UpdateOneID(a.ID).SetCostPrice(a.Price - 0.25).Exec(ctx)
	})
	p := s.post("/product/list-save/", list)
	if err := <-committed; err != nil {
		t.Fatal(err)
	}
	if got := s.client.Product.GetX(ctx, a.ID); p.status != http.StatusUnprocessableEntity || got.Price != a.Price {
		t.Fatalf("a price below the cost price set meanwhile: status %d, price %v, want 422 and %v", p.status, got.Price, a.Price)
	}
	if msg := p.doc.Find("#e-" + strconv.Itoa(a.ID) + "-price-error").Text(); msg != "The price must not be below the cost price." {
		t.Errorf("the price's error = %q", msg)
	}

	list = listForm(s.get("/product/"))
	list.Set(cell(b.ID, "price"), "9")
	committed = s.holdWrite(func(ctx context.Context, tx *ent.Tx) error {
		return tx.Product.UpdateOneID(b.ID).SetBrand("Zeta").Exec(ctx)
	})
	p = s.post("/product/list-save/", list)
	if err := <-committed; err != nil {
		t.Fatal(err)
	}
	if p.status != http.StatusSeeOther {
		t.Fatalf("a save over a change of another field: status %d:\n%s", p.status, p.doc.Find(".list-edit-errors").Text())
	}
	entries := s.entries(b.ID)
	last := entries[len(entries)-1]
	brand, _ := last.Changes["brand"].(map[string]any)
	price, _ := last.Changes["price"].(map[string]any)
	if brand["old"] != "Zeta" || brand["new"] != "repriced" || price["old"] != b.Price || price["new"] != 9.0 {
		t.Errorf("the list-save's entry: %v, want brand Zeta -> repriced and price %v -> 9", last.Changes, b.Price)
	}
}
