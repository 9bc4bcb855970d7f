package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/user"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/order"
	"github.com/entadmin/entadmin/examples/shop/ent/orderline"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/rbac"
)

// limited is the shop with two staff users of limited grants besides eve:
// vera may view products, without their cost price, and one order by an
// object grant; pete may view and change products but not view
// categories.
type limited struct {
	a          *app
	eve        *browserless
	vera, pete *browserless
	order      int // the order vera may view
	other      int // an order she may not
}

func withLimitedStaff(t *testing.T) *limited {
	t.Helper()
	a, eve, _ := shopWithUsers(t)
	ctx := context.Background()
	grant := func(subject, resource, action string) {
		t.Helper()
		if err := a.enforcer.Grant(ctx, subject, resource, action); err != nil {
			t.Fatal(err)
		}
	}
	veraID := newStaff(t, a, "vera")
	viewers := a.own.Group.Create().SetName("viewers").AddUserIDs(veraID).SaveX(ctx)
	peteID := newStaff(t, a, "pete")
	if err := a.enforcer.GroupsChanged(ctx); err != nil {
		t.Fatal(err)
	}
	grant(rbac.GroupSubject(viewers.ID), "product", "view")
	if err := a.enforcer.SetFieldAccess(ctx, rbac.GroupSubject(viewers.ID), "product", "cost_price", rbac.Hidden); err != nil {
		t.Fatal(err)
	}
	orders := a.db.client.Order.Query().Order(ent.Asc("id")).IDsX(ctx)
	l := &limited{a: a, eve: eve, order: orders[4], other: orders[5]}
	a.own.ObjectGrant.Create().SetUserID(veraID).SetResource("order").SetObjectID(strconv.Itoa(l.order)).SetAction("view").ExecX(ctx)
	grant(rbac.UserSubject(peteID), "product", "view")
	grant(rbac.UserSubject(peteID), "product", "change")
	l.vera = login(t, eve.base, "vera", "pw of vera")
	l.pete = login(t, eve.base, "pete", "pw of pete")
	return l
}

// firstProducts returns the first products by id.
func firstProducts(t *testing.T, a *app, n int) []*ent.Product {
	t.Helper()
	ps := a.db.client.Product.Query().Order(ent.Asc(product.FieldID)).Limit(n).AllX(context.Background())
	if len(ps) < n {
		t.Fatalf("%d products, want %d", len(ps), n)
	}
	return ps
}

func TestHistoryLeavesOutFieldsTheUserMayNotSee(t *testing.T) {
	t.Parallel()
	l := withLimitedStaff(t)
	ctx := entadmin.AsSystem(context.Background(), "test")
	p := firstProducts(t, l.a, 1)[0]
	l.a.db.client.Product.UpdateOneID(p.ID).SetCostPrice(87.65).ExecX(ctx)
	l.a.db.client.Product.UpdateOneID(p.ID).SetCostPrice(91.23).SetName("Renamed for the history").ExecX(ctx)
	path := "/product/" + strconv.Itoa(p.ID) + "/history/"

	status, page := l.vera.do("GET", path, nil)
	if status != http.StatusOK {
		t.Fatalf("history: status %d", status)
	}
	for _, leak := range []string{"cost_price", "87.65", "91.23"} {
		if strings.Contains(page, leak) {
			t.Errorf("the history shows %q to a user from whom cost_price is hidden", leak)
		}
	}
	if !strings.Contains(page, "Renamed for the history") {
		t.Error("the history leaves out the change of a visible field")
	}
	if n := strings.Count(page, "system: test"); n != 1 {
		t.Errorf("the history shows %d entries of the test, want 1: those changing only cost_price are left out", n)
	}
	root, _ := superuser(t, l.a, l.eve.base)
	if _, all := root.do("GET", path, nil); !strings.Contains(all, "87.65") {
		t.Error("a user who may see cost_price does not see its changes")
	}
}

func TestHistoryOfAnObjectOutsideTheRowScopeIsNotFound(t *testing.T) {
	t.Parallel()
	l := withLimitedStaff(t)
	ctx := entadmin.AsSystem(context.Background(), "test")
	client := l.a.db.client
	for _, id := range []int{l.order, l.other} {
		client.Order.UpdateOneID(id).SetCustomer("Someone Else").ExecX(ctx)
	}
	// A deleted order with history: its lines go first.
	gone := client.Order.Query().Order(ent.Asc("id")).IDsX(ctx)[7]
	client.OrderLine.Delete().Where(orderline.HasOrderWith(order.ID(gone))).ExecX(ctx)
	client.Order.UpdateOneID(gone).SetCustomer("Gone Soon").ExecX(ctx)
	client.Order.DeleteOneID(gone).ExecX(ctx)

	s := strconv.Itoa
	for _, c := range []struct {
		path string
		want int
	}{
		{"/order/" + s(l.order) + "/", http.StatusOK},
		{"/order/" + s(l.order) + "/history/", http.StatusOK},
		{"/order/" + s(l.other) + "/", http.StatusNotFound},
		{"/order/" + s(l.other) + "/history/", http.StatusNotFound},
		{"/order/" + s(gone) + "/history/", http.StatusNotFound},
		{"/order/999999/history/", http.StatusNotFound},
	} {
		if status, body := l.vera.do("GET", c.path, nil); status != c.want {
			t.Errorf("vera: GET %s: status %d, want %d\n%.300s", c.path, status, c.want, body)
		}
	}

	// Without a row scope, a deleted object's history stays readable.
	root, _ := superuser(t, l.a, l.eve.base)
	if status, page := root.do("GET", "/order/"+s(gone)+"/history/", nil); status != http.StatusOK || !strings.Contains(page, "(deleted)") {
		t.Errorf("a superuser reads the history of a deleted order: status %d", status)
	}
}

func TestASaveNeverClearsAnEdgeToATypeTheUserMayNotView(t *testing.T) {
	t.Parallel()
	l := withLimitedStaff(t)
	ctx := context.Background()
	client := l.a.db.client
	p := client.Product.Query().Where(product.HasCategory()).Order(ent.Asc(product.FieldID)).WithCategory().FirstX(ctx)
	path := "/product/" + strconv.Itoa(p.ID) + "/"

	status, page := l.pete.do("GET", path, nil)
	if status != http.StatusOK {
		t.Fatalf("form: status %d", status)
	}
	if strings.Contains(page, `name="category"`) {
		t.Error("the form offers to change the category to a user who may not view categories")
	}
	if strings.Contains(page, p.Edges.Category.Name) {
		t.Errorf("the form names the category %q to a user who may not view categories", p.Edges.Category.Name)
	}

	// Saved unchanged, as the browser posts the form: no category.
	form := productForm(p)
	form.Del("category")
	form.Del("cost_price")
	if status, body := l.pete.do("POST", path, form); status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%.500s", status, body)
	}
	if got := client.Product.GetX(ctx, p.ID); got.CategoryID != p.CategoryID {
		t.Errorf("the save changed category_id from %d to %d", p.CategoryID, got.CategoryID)
	}
	// Posting a category anyway changes nothing either.
	for _, v := range []string{"", strconv.Itoa(firstOtherCategory(t, l.a, p.CategoryID))} {
		form.Set("category", v)
		if status, _ := l.pete.do("POST", path, form); status != http.StatusSeeOther {
			t.Fatalf("save with category=%q: status %d", v, status)
		}
		if got := client.Product.GetX(ctx, p.ID); got.CategoryID != p.CategoryID {
			t.Errorf("a posted category=%q changed category_id from %d to %d", v, p.CategoryID, got.CategoryID)
		}
	}
	// Nor can the live validation be asked about it.
	if status, _ := l.pete.do("POST", "/product/validate/?field=category&id="+strconv.Itoa(p.ID), form); status != http.StatusBadRequest {
		t.Errorf("validating the category: status %d, want 400", status)
	}
}

// firstOtherCategory returns the id of a category other than id.
func firstOtherCategory(t *testing.T, a *app, id int) int {
	t.Helper()
	for _, c := range a.db.client.Category.Query().AllX(context.Background()) {
		if c.ID != id {
			return c.ID
		}
	}
	t.Fatal("one category only")
	return 0
}

func TestTheColumnChooserWorksForAUserWithoutPermissionsOnUsers(t *testing.T) {
	t.Parallel()
	l := withLimitedStaff(t)
	cols := chosenColumns(t, l.vera, "/product/")
	form := url.Values{}
	for name := range cols {
		if name != "status" {
			form.Add("col", name)
		}
	}
	if status, body := l.vera.do("POST", "/product/columns/", form); status != http.StatusSeeOther {
		t.Fatalf("choosing columns: status %d\n%.300s", status, body)
	}
	if got := chosenColumns(t, l.vera, "/product/"); got["status"] {
		t.Error("the chosen column is still shown")
	}
}

func TestAuditListsShowOnlyObjectsAndFieldsTheUserMaySee(t *testing.T) {
	t.Parallel()
	l := withLimitedStaff(t)
	ctx := context.Background()
	sys := entadmin.AsSystem(ctx, "test")
	users := l.a.own.User
	vera := users.Query().Where(user.Username("vera")).OnlyX(ctx)
	pete := users.Query().Where(user.Username("pete")).OnlyX(ctx)
	viewers := l.a.own.Group.Query().Where(group.Name("viewers")).OnlyX(ctx)
	// Vera may see one user, pete, without his email.
	l.a.own.ObjectGrant.Create().SetUserID(vera.ID).SetResource("user").SetObjectID(strconv.Itoa(pete.ID)).SetAction("view").ExecX(ctx)
	if err := l.a.enforcer.SetFieldAccess(ctx, rbac.GroupSubject(viewers.ID), "user", "email", rbac.Hidden); err != nil {
		t.Fatal(err)
	}
	users.UpdateOneID(pete.ID).SetEmail("pete-secret@example.com").SetIsStaff(false).ExecX(sys)
	users.UpdateOneID(pete.ID).SetEmail("pete-only-email@example.com").ExecX(sys)
	users.Query().Where(user.Username("eve")).OnlyX(ctx).Update().SetEmail("eve-secret@example.com").ExecX(sys)

	status, page := l.vera.do("GET", "/rbac/audit/", nil)
	if status != http.StatusOK {
		t.Fatalf("audit page: status %d", status)
	}
	for _, leak := range []string{"eve-secret", "pete-secret", "pete-only-email", "User “eve”", "group:"} {
		if strings.Contains(page, leak) {
			t.Errorf("vera's audit page shows %q", leak)
		}
	}
	if !strings.Contains(page, "User “pete”") || !strings.Contains(page, "Staff</span>") {
		t.Error("vera's audit page leaves out the change of pete she may see")
	}
	if _, all := l.eve.do("GET", "/rbac/audit/", nil); !strings.Contains(all, "eve-secret") {
		t.Error("eve, who may view and change users, does not see their emails' changes")
	}
}

func TestExportAndAutocompleteKeepToTheUsersGrant(t *testing.T) {
	t.Parallel()
	l := withLimitedStaff(t)
	ctx := context.Background()
	p := firstProducts(t, l.a, 1)[0]
	l.a.db.client.Product.UpdateOneID(p.ID).SetCostPrice(12.34).ExecX(entadmin.AsSystem(ctx, "test"))

	status, body := l.vera.do("GET", "/product/export/", nil)
	if status != http.StatusOK {
		t.Fatalf("export: status %d", status)
	}
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(records) < 2 {
		t.Fatalf("export: %d records, %v", len(records), err)
	}
	for _, h := range records[0] {
		if h == "Cost price" || h == "Margin" {
			t.Errorf("the export has the column %q, which needs the hidden cost price", h)
		}
	}
	if strings.Contains(body, "12.34") {
		t.Error("the export shows a hidden cost price")
	}

	for _, c := range []struct {
		who  *browserless
		path string
		want int
	}{
		{l.pete, "/product/autocomplete/?field=category&q=", http.StatusForbidden},
		{l.vera, "/product/autocomplete/?field=tags&q=", http.StatusForbidden},
		{l.vera, "/product/autocomplete/?field=cost_price&q=", http.StatusBadRequest},
		{l.eve, "/product/autocomplete/?field=category&q=", http.StatusOK},
	} {
		status, body := c.who.do("GET", c.path, nil)
		if status != c.want {
			t.Errorf("GET %s: status %d, want %d", c.path, status, c.want)
		}
		if status == http.StatusOK {
			var answer struct{ Results []struct{ ID, Text string } }
			if err := json.Unmarshal([]byte(body), &answer); err != nil || len(answer.Results) == 0 {
				t.Errorf("GET %s: %v, %d results", c.path, err, len(answer.Results))
			}
		}
	}
}

func TestRecentActionsListOnlyObjectsTheUserMayStillSee(t *testing.T) {
	t.Parallel()
	l := withLimitedStaff(t)
	ctx := context.Background()
	p := firstProducts(t, l.a, 1)[0]
	form := productForm(p)
	form.Del("category")
	form.Set("name", "Saved by pete")
	if status, body := l.pete.do("POST", "/product/"+strconv.Itoa(p.ID)+"/", form); status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%.300s", status, body)
	}
	if _, dash := l.pete.do("GET", "/", nil); !strings.Contains(dash, "Saved by pete") {
		t.Fatal("the dashboard does not list pete's change")
	}
	pete := l.a.own.User.Query().Where(user.Username("pete")).OnlyX(ctx)
	for _, action := range []string{"view", "change"} {
		if err := l.a.enforcer.Revoke(ctx, rbac.UserSubject(pete.ID), "product", action); err != nil {
			t.Fatal(err)
		}
	}
	if _, dash := l.pete.do("GET", "/", nil); strings.Contains(dash, "Saved by pete") {
		t.Error("the dashboard names a product pete may no longer view")
	}
}

func TestDeleteSummariesCountButDoNotNameRowsTheUserMayNotView(t *testing.T) {
	t.Parallel()
	l := withLimitedStaff(t)
	ctx := context.Background()
	doraID := newStaff(t, l.a, "dora")
	for _, action := range []string{"view", "delete"} {
		if err := l.a.enforcer.Grant(ctx, rbac.UserSubject(doraID), "product", action); err != nil {
			t.Fatal(err)
		}
	}
	dora := login(t, l.eve.base, "dora", "pw of dora")
	p := l.a.db.client.Product.Query().Where(product.HasImages()).Order(ent.Asc(product.FieldID)).FirstX(ctx)
	images := l.a.db.client.Product.QueryImages(p).CountX(ctx)
	for _, path := range []string{"/delete/", "/confirm-delete/"} {
		status, page := dora.do("GET", "/product/"+strconv.Itoa(p.ID)+path, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d", path, status)
		}
		if strings.Contains(page, "/admin/productimage/") || !strings.Contains(page, "and "+strconv.Itoa(images)+" more") {
			t.Errorf("%s: the images dora may not view are named, or not counted:\n%s", path, page)
		}
	}
}
