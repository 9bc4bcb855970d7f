package entadmin_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	entgo "entgo.io/ent"
	"entgo.io/ent/dialect"
	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/audit"
	"github.com/entadmin/entadmin/auth"
	own "github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
	_ "github.com/entadmin/entadmin/internal/fixture/ent/runtime" // the Product schema's hooks
)

// lazyLog lets a test create the audit log after the site, on the site's
// database.
type lazyLog struct{ *audit.Log }

// editor is an admin user of tests.
type editor struct{}

func (editor) DisplayName() string { return "editor" }

// auditShop is the shop admin on Postgres with an audit log.
type auditShop struct {
	*shop
	own *own.Client
	log *audit.Log
}

func newAuditShop(t *testing.T, opts ...entadmin.Option) *auditShop {
	t.Helper()
	return newAuditShopT(t, opts...)
}

// newAuditShopB is newAuditShop for benchmarks.
func newAuditShopB(b *testing.B) *shop { return newAuditShopT(b).shop }

// entadminUser returns ctx as in an admin request.
func entadminUser(ctx context.Context) context.Context { return entadmin.WithUser(ctx, editor{}) }

func newAuditShopT(t testing.TB, opts ...entadmin.Option) *auditShop {
	t.Helper()
	l := &lazyLog{}
	s := newShop(t, dialect.Postgres, "/admin", append([]entadmin.Option{entadmin.WithAuditLog(l)}, opts...)...)
	o := own.NewClient(own.Driver(s.counter))
	if err := auth.Setup(context.Background(), o, dialect.Postgres); err != nil {
		t.Fatal(err)
	}
	l.Log = audit.New(o, dialect.Postgres)
	return &auditShop{shop: s, own: o, log: l.Log}
}

// entries returns the audit entries of a product, oldest first.
func (s *auditShop) entries(id int) []*own.AuditEntry {
	return s.own.AuditEntry.Query().
		Where(auditentry.Resource("product"), auditentry.ObjectID(strconv.Itoa(id))).
		Order(auditentry.ByID()).
		AllX(context.Background())
}

func TestSaveHooksRunInOrderInsideTheSaveAndChangeTheTypedMutation(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t)
	f := s.seed(1)
	var calls []string
	entadmin.OnSave(s.res.Product, func(ctx context.Context, m *ent.ProductMutation, old *ent.Product) error {
		calls = append(calls, "first:"+strconv.FormatBool(old != nil))
		if entadmin.UserFrom(ctx) == nil || entadmin.RequestFrom(ctx) == nil {
			t.Error("the hook has no admin user or request in its context")
		}
		if ent.TxFromContext(ctx) == nil {
			t.Error("the hook runs outside the save's transaction")
		}
		name, _ := m.Name()
		m.SetBrand("brand of " + name)
		return nil
	})
	entadmin.OnSave(s.res.Product, func(_ context.Context, m *ent.ProductMutation, old *ent.Product) error {
		brand, _ := m.Brand()
		calls = append(calls, "second:"+brand)
		return nil
	})
	if p := s.post("/product/add/", productForm("Teapot", "20", f.kitchen.ID)); p.status != http.StatusSeeOther {
		t.Fatalf("add: status %d", p.status)
	}
	teapot := s.client.Product.Query().Where(product.Name("Teapot")).OnlyX(context.Background())
	if teapot.Brand != "brand of Teapot" {
		t.Errorf("brand set by the hook = %q", teapot.Brand)
	}
	path := "/product/" + strconv.Itoa(teapot.ID) + "/"
	if p := s.post(path, productForm("Kettle", "20", f.kitchen.ID)); p.status != http.StatusSeeOther {
		t.Fatalf("change: status %d", p.status)
	}
	want := []string{"first:false", "second:brand of Teapot", "first:true", "second:brand of Kettle"}
	if !slices.Equal(calls, want) {
		t.Errorf("hook calls = %q, want %q", calls, want)
	}
	// The audit entry has the values the hook set.
	entries := s.entries(teapot.ID)
	if len(entries) != 2 || entries[1].Changes["brand"] == nil {
		t.Fatalf("entries: %+v", entries)
	}
}

func TestHookErrorsAbortTheSaveWithTheValuesKeptAndNothingWritten(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t)
	f := s.seed(1)
	p0 := f.products[0]
	path := "/product/" + strconv.Itoa(p0.ID) + "/"
	entadmin.OnSave(s.res.Product, func(_ context.Context, m *ent.ProductMutation, _ *ent.Product) error {
		switch name, _ := m.Name(); name {
		case "field error":
			return &entadmin.FieldError{Field: "brand", Message: "Brands need approval."}
		case "form error":
			return &entadmin.FormError{Message: "Saving is closed today."}
		}
		return nil
	})
	for _, tc := range []struct {
		name, price, cost string
		field, text       string // the field showing the error ("" for the top)
	}{
		{"field error", "5", "", "brand", "Brands need approval."},
		{"form error", "5", "", "", "Saving is closed today."},
		{"schema hook", "5", "9", "price", "The price must not be below the cost price."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := productForm(tc.name, tc.price, f.garden.ID)
			form.Set("cost_price", tc.cost)
			p := s.post(path, form)
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", p.status)
			}
			if tc.field != "" && p.fieldError(tc.field) != tc.text {
				t.Errorf("error beside %s = %q", tc.field, p.fieldError(tc.field))
			}
			if tc.field == "" && !strings.Contains(p.doc.Find(".form-errors").Text(), tc.text) {
				t.Errorf("form errors = %q", p.doc.Find(".form-errors").Text())
			}
			if p.value("name") != tc.name || p.value("price") != tc.price {
				t.Errorf("the form lost the values typed: name %q price %q", p.value("name"), p.value("price"))
			}
			if got := s.client.Product.GetX(context.Background(), p0.ID); got.Name != p0.Name || got.Price != p0.Price {
				t.Errorf("written: %+v", got)
			}
			if n := len(s.entries(p0.ID)); n != 1 { // its add, by the seed
				t.Errorf("%d audit entries after a refused save, want only the add", n)
			}
		})
	}
	// The schema hook holds for application code too.
	err := s.client.Product.UpdateOneID(p0.ID).SetCostPrice(p0.Price + 1).Exec(context.Background())
	var fe *entadmin.FieldError
	if !errors.As(err, &fe) || fe.Field != "price" {
		t.Errorf("application write of a cost above the price: %v", err)
	}
}

func TestADeleteHookRefusesTheDelete(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t)
	f := s.seed(2)
	entadmin.OnDelete(s.res.Product, func(_ context.Context, p *ent.Product) error {
		if p.StockCount > 0 {
			return &entadmin.FormError{Message: "It is still in stock."}
		}
		return nil
	})
	stocked := f.products[1] // stock 1
	p := s.post("/product/"+strconv.Itoa(stocked.ID)+"/delete/", url.Values{})
	if p.status != http.StatusConflict || !strings.Contains(p.body, "It is still in stock.") {
		t.Errorf("refused delete: status %d, message shown: %v", p.status, strings.Contains(p.body, "It is still in stock."))
	}
	if !s.client.Product.Query().Where(product.ID(stocked.ID)).ExistX(context.Background()) {
		t.Error("the refused delete deleted")
	}
	empty := f.products[0] // stock 0
	if p := s.post("/product/"+strconv.Itoa(empty.ID)+"/delete/", url.Values{}); p.status != http.StatusSeeOther {
		t.Errorf("allowed delete: status %d", p.status)
	}
}

func TestPostActionHooksRunAfterTheCommitAndNeverAfterARollback(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t)
	f := s.seed(1)
	p0 := f.products[0]
	var mu sync.Mutex
	var seen []string
	entadmin.AfterChange(s.res.Product, func(ctx context.Context, p *ent.Product) error {
		// Committed: another connection, outside the transaction, sees it,
		// and so does the audit entry.
		stored := s.client.Product.GetX(context.Background(), p.ID)
		entries := len(s.entries(p.ID))
		mu.Lock()
		seen = append(seen, stored.Name+"/"+strconv.Itoa(entries))
		mu.Unlock()
		if p.Name == "fails" {
			return errors.New("the mail server is down")
		}
		return nil
	})
	ctx := entadmin.WithUser(context.Background(), editor{})
	// Rolled back: no hook.
	err := s.res.Product.Atomic(ctx, func(ctx context.Context) error {
		if _, err := s.res.Product.Update(ctx, strconv.Itoa(p0.ID), func(m entgo.Mutation) error { return m.SetField("name", "rolled back") }); err != nil {
			return err
		}
		return errors.New("something later failed")
	})
	if err == nil || len(seen) != 0 {
		t.Fatalf("after a rollback: err %v, hooks ran %q", err, seen)
	}
	path := "/product/" + strconv.Itoa(p0.ID) + "/"
	if p := s.post(path, productForm("saved", "5", f.garden.ID)); p.status != http.StatusSeeOther {
		t.Fatalf("save: status %d", p.status)
	}
	// A failing post-action hook: the save stands, the user is warned.
	p := s.post(path, productForm("fails", "5", f.garden.ID))
	if p.status != http.StatusSeeOther {
		t.Fatalf("save with a failing post-action hook: status %d", p.status)
	}
	list := s.get("/product/")
	if !strings.Contains(list.body, "the mail server is down") {
		t.Error("the failure of the post-action hook is not shown as a message")
	}
	if want := []string{"saved/2", "fails/3"}; !slices.Equal(seen, want) {
		t.Errorf("the hooks saw %q, want %q (committed name / audit entries)", seen, want)
	}
}

func TestTheAuditDiffRecordsTypedOldAndNewValuesPerField(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t)
	f := s.seed(1)
	ctx := context.Background()
	tags := s.client.Tag.CreateBulk(s.client.Tag.Create().SetName("red"), s.client.Tag.Create().SetName("blue")).SaveX(ctx)
	p := s.client.Product.UpdateOne(f.products[0]).SetCostPrice(0.25).AddTags(tags[0]).SaveX(ctx)
	s.client.Product.UpdateOne(p).
		SetName("Renamed").                    // string
		SetPrice(14.99).                       // float
		ClearCostPrice().                      // nillable float, cleared
		SetStatus(product.StatusDiscontinued). // enum
		SetIsActive(false).                    // bool
		SetStockCount(7).                      // int
		SetCategory(f.garden).                 // unique edge with a field
		AddTags(tags[1]).RemoveTags(tags[0]).  // many edge
		ExecX(ctx)
	entries := s.entries(p.ID)
	e := entries[len(entries)-1]
	if e.Action != "change" || e.UserName != "system" || e.ObjectRepr != "Renamed" {
		t.Errorf("entry: %+v", e)
	}
	want := map[string]map[string]any{
		"name":        {"old": p.Name, "new": "Renamed"},
		"price":       {"old": p.Price, "new": 14.99},
		"cost_price":  {"old": 0.25},
		"status":      {"old": "draft", "new": "discontinued"},
		"is_active":   {"old": false, "new": false},
		"stock_count": {"old": float64(0), "new": float64(7)},
		"category_id": {"old": float64(f.kitchen.ID), "new": float64(f.garden.ID)},
		"tags":        {"added": []any{float64(tags[1].ID)}, "removed": []any{float64(tags[0].ID)}},
	}
	delete(want, "is_active") // unchanged (product 0 is inactive already): left out
	if _, ok := e.Changes["is_active"]; ok {
		t.Errorf("an unchanged field is recorded: %v", e.Changes["is_active"])
	}
	for name, w := range want {
		got, _ := e.Changes[name].(map[string]any)
		for k, v := range w {
			if !equalJSONValue(got[k], v) {
				t.Errorf("%s.%s = %#v, want %#v", name, k, got[k], v)
			}
		}
	}
	if len(e.Changes) != len(want) {
		t.Errorf("changes %v, want the fields %v", e.Changes, want)
	}
}

func equalJSONValue(a, b any) bool {
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok && bok {
		return slices.Equal(as, bs)
	}
	return a == b
}

func TestBulkWritesRecordOneEntryPerRow(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t)
	f := s.seed(6)
	ctx := entadmin.AsSystem(context.Background(), "nightly")
	drafts := s.client.Product.Query().Where(product.StatusEQ(product.StatusDraft)).IDsX(ctx)
	n := s.client.Product.Update().Where(product.StatusEQ(product.StatusDraft)).SetStatus(product.StatusPublished).AddStockCount(10).SaveX(ctx)
	if n != len(drafts) || n < 2 {
		t.Fatalf("updated %d of %d drafts", n, len(drafts))
	}
	for _, id := range drafts {
		es := s.entries(id)[1:] // after the add
		if len(es) != 1 || es[0].UserName != "system: nightly" {
			t.Fatalf("entries of %d: %+v", id, es)
		}
		status, _ := es[0].Changes["status"].(map[string]any)
		stock, _ := es[0].Changes["stock_count"].(map[string]any)
		if status["new"] != "published" || stock["new"].(float64)-stock["old"].(float64) != 10 {
			t.Errorf("changes of %d: %v", id, es[0].Changes)
		}
	}
	n = s.client.Product.Delete().Where(product.CategoryID(f.garden.ID)).ExecX(ctx)
	deleted := s.own.AuditEntry.Query().Where(auditentry.Action("delete")).AllX(ctx)
	if len(deleted) != n || n != 3 {
		t.Fatalf("%d delete entries for %d deleted rows", len(deleted), n)
	}
	for _, e := range deleted {
		if name, _ := e.Changes["name"].(map[string]any); name["old"] != e.ObjectRepr {
			t.Errorf("last state of %s: %v", e.ObjectID, e.Changes)
		}
	}
}

func TestTheHistoryPageStaysReadableAfterTheDelete(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t)
	f := s.seed(1)
	p0 := f.products[0]
	path := "/product/" + strconv.Itoa(p0.ID) + "/"
	s.post(path, productForm("Before the delete", "3.5", f.garden.ID))
	if form := s.get(path); form.doc.Find(`a.history-link[href="/admin`+path+`history/"]`).Length() != 1 {
		t.Error("the edit form has no history link")
	}
	if p := s.post(path+"delete/", url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("delete: status %d", p.status)
	}
	h := s.get(path + "history/")
	if h.status != http.StatusOK {
		t.Fatalf("history: status %d", h.status)
	}
	var actions []string
	h.doc.Find("table.history tbody tr td:nth-child(3)").Each(func(_ int, td *goquery.Selection) {
		actions = append(actions, strings.TrimSpace(td.Text()))
	})
	if !slices.Equal(actions, []string{"delete", "change", "add"}) {
		t.Errorf("history actions = %q, want newest first", actions)
	}
	if !strings.Contains(h.body, "Before the delete (deleted)") || !strings.Contains(h.doc.Find(".changes").Text(), "Product 000") {
		t.Errorf("history page:\n%s", h.doc.Find("main").Text())
	}
	if s.get("/product/999999/history/").status != http.StatusNotFound {
		t.Error("the history of an object that never existed is not a 404")
	}
}

func TestAStaleFormAnswers409WithTheOtherUsersChanges(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t)
	f := s.seed(1)
	p0 := f.products[0]
	path := "/product/" + strconv.Itoa(p0.ID) + "/"
	// Two sessions load the form.
	alice, bob := s.shop, *s.shop
	jar, _ := cookiejar.New(nil)
	bob.http = &http.Client{Jar: jar, CheckRedirect: alice.http.CheckRedirect}
	formOf := func(p *page) url.Values {
		form := productForm(p.value("name"), p.value("price"), f.garden.ID)
		form.Set("_version", p.doc.Find(`input[name="_version"]`).AttrOr("value", ""))
		form.Set("_loaded", p.doc.Find(`input[name="_loaded"]`).AttrOr("value", ""))
		return form
	}
	a, b := formOf(alice.get(path)), formOf(bob.get(path))
	if a.Get("_version") == "" || a.Get("_version") != b.Get("_version") {
		t.Fatalf("versions %q %q", a.Get("_version"), b.Get("_version"))
	}
	a.Set("price", "11")
	if p := alice.post(path, a); p.status != http.StatusSeeOther {
		t.Fatalf("first save: status %d", p.status)
	}
	b.Set("name", "Bob's name")
	p := bob.post(path, b)
	if p.status != http.StatusConflict {
		t.Fatalf("stale save: status %d", p.status)
	}
	banner := p.doc.Find("#conflict").Text()
	if !strings.Contains(banner, "Price") || !strings.Contains(banner, "11.00") {
		t.Errorf("the banner does not show the other change:\n%s", banner)
	}
	if p.value("name") != "Bob's name" {
		t.Errorf("bob's value is lost: %q", p.value("name"))
	}
	if got := s.client.Product.GetX(context.Background(), p0.ID); got.Name != p0.Name || got.Price != 11 {
		t.Errorf("stored after the stale save: %q %v", got.Name, got.Price)
	}
	// Overwrite anyway.
	b.Set("_overwrite", p.doc.Find(`#overwrite`).AttrOr("value", ""))
	if p := bob.post(path, b); p.status != http.StatusSeeOther {
		t.Fatalf("overwrite: status %d", p.status)
	}
	if got := s.client.Product.GetX(context.Background(), p0.ID); got.Name != "Bob's name" {
		t.Errorf("not overwritten: %q", got.Name)
	}
}

func TestPruneDeletesOnlyEntriesOlderThanTheRetention(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t)
	ctx := context.Background()
	for _, age := range []time.Duration{time.Hour, 40 * 24 * time.Hour, 400 * 24 * time.Hour} {
		s.own.AuditEntry.Create().SetAction("export").SetAt(time.Now().Add(-age)).ExecX(ctx)
	}
	n, err := audit.New(s.own, dialect.Postgres, audit.WithRetention(30*24*time.Hour)).Prune(ctx)
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if left := s.own.AuditEntry.Query().CountX(ctx); left != 1 {
		t.Errorf("%d entries left", left)
	}
}

func TestRecordStoresEventsWithTheUserAndAddress(t *testing.T) {
	t.Parallel()
	s := newAuditShop(t)
	ctx := entadmin.WithUser(context.Background(), editor{})
	ctx = entadmin.WithRequestInfo(ctx, entadmin.RequestInfo{ClientAddr: netip.MustParseAddr("192.0.2.7")})
	if err := entadmin.Record(ctx, entadmin.AuditEntry{Action: "export"}); err == nil {
		t.Error("Record outside an admin request succeeded")
	}
	site := entadmin.New(entadmin.WithAuthorizer(entadmin.Open{}), entadmin.WithAuditLog(s.log))
	if err := site.Record(ctx, entadmin.AuditEntry{Action: "export", Resource: "product", Message: "12 rows as CSV"}); err != nil {
		t.Fatal(err)
	}
	e := s.own.AuditEntry.Query().OnlyX(ctx)
	if e.Action != "export" || e.Message != "12 rows as CSV" || e.IP != "192.0.2.7" || e.UserName != "editor" {
		t.Errorf("entry %+v", e)
	}
}
