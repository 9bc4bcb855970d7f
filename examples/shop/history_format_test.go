package main

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/examples/shop/ent/category"
	"github.com/entadmin/entadmin/examples/shop/ent/orderline"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/rbac"
)

func TestHistoryShowsValuesAsTheListFormatsThemToALimitedUser(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	ctx := context.Background()
	p := a.db.client.Product.Query().Where(product.CategoryIDNEQ(0), product.HasTags()).WithTags().FirstX(ctx)
	was := a.db.client.Category.GetX(ctx, p.CategoryID)
	other := a.db.client.Category.Query().Where(category.IDNEQ(was.ID)).FirstX(ctx)
	id := strconv.Itoa(p.ID)
	form := productForm(p)
	for _, tg := range p.Edges.Tags {
		form.Add("tags", strconv.Itoa(tg.ID))
	}
	form.Set("price", "139.99")
	form.Set("category", strconv.Itoa(other.ID))
	if status, body := eve.do("POST", "/product/"+id+"/", form); status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", status, body)
	}
	form.Set("category", "")
	if status, body := eve.do("POST", "/product/"+id+"/", form); status != http.StatusSeeOther {
		t.Fatalf("save without category: status %d\n%s", status, body)
	}
	for _, e := range a.own.AuditEntry.Query().Where(auditentry.Resource("product"), auditentry.ObjectID(id)).AllX(ctx) {
		if _, ok := e.Changes["tags"]; ok {
			t.Errorf("a save that left the tags alone recorded them: %v", e.Changes)
		}
	}

	last := a.own.AuditEntry.Query().Where(auditentry.Resource("product"), auditentry.ObjectID(id)).Order(auditentry.ByID()).AllX(ctx)
	if c, _ := last[len(last)-1].Changes["category_id"].(map[string]any); c == nil || c["new"] != nil {
		t.Errorf("a cleared category was recorded as %v, want no new value", c)
	}
	status, body := eve.do("GET", "/product/"+id+"/history/", nil)
	if status != http.StatusOK {
		t.Fatalf("history: status %d", status)
	}
	for _, want := range []string{
		"Price</span>", strconv.FormatFloat(p.Price, 'f', 2, 64), "139.99",
		"Category</span>", was.Name, other.Name, "(none)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the history lacks %q", want)
		}
	}
	for _, bad := range []string{"139.990000", "category_id", "→ 0", "(empty)</del>", "Tags</span>"} {
		if strings.Contains(body, bad) {
			t.Errorf("the history shows %q", bad)
		}
	}
}

func TestLoginsAreEventsOfTheirOwnOutOfHistoryAndRecentActions(t *testing.T) {
	t.Parallel()
	a, eve, eveID := shopWithUsers(t)
	ctx := context.Background()
	root, _ := superuser(t, a, eve.base)
	for _, e := range a.own.AuditEntry.Query().Where(auditentry.Resource("user"), auditentry.Action("change")).AllX(ctx) {
		if _, ok := e.Changes["last_login"]; ok {
			t.Errorf("a login was recorded as a change of %s: %v", e.ObjectRepr, e.Changes)
		}
	}
	if n := a.own.AuditEntry.Query().Where(auditentry.Action("login")).CountX(ctx); n != 2 {
		t.Errorf("%d login events, want 2", n)
	}
	for name, c := range map[string]*browserless{"eve": eve, "root": root} {
		_, body := c.do("GET", "/", nil)
		if strings.Contains(body, "badge-login") || strings.Contains(body, "/user/"+strconv.Itoa(eveID)+"/\"") {
			t.Errorf("%s's recent actions show a login", name)
		}
	}
	if _, body := root.do("GET", "/user/"+strconv.Itoa(eveID)+"/history/", nil); strings.Contains(body, "history-change") || strings.Contains(body, "Last login") {
		t.Errorf("eve's history shows her login as a change:\n%s", body)
	}
	status, body := root.do("GET", "/auditentry/?action=login", nil)
	if status != http.StatusOK || !strings.Contains(body, ">eve<") || !strings.Contains(body, ">root<") {
		t.Errorf("the audit log filtered by logins: status %d, eve's and root's logins missing", status)
	}
}

func TestTheDeletePageNamesRelatedRowsWithTheirRelatedNames(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	ctx := context.Background()
	root, _ := superuser(t, a, eve.base)
	line := a.db.client.OrderLine.Query().WithProduct().Order(orderline.ByID()).FirstX(ctx)
	status, body := root.do("GET", "/product/"+strconv.Itoa(line.ProductID)+"/delete/", nil)
	if status != http.StatusOK {
		t.Fatalf("delete page: status %d", status)
	}
	if want := fmt.Sprintf("%d × %s", line.Quantity, line.Edges.Product.Name); !strings.Contains(body, want) {
		t.Errorf("the delete page does not name the order line %q", want)
	}
	if strings.Contains(body, "× product ") {
		t.Errorf("the delete page names an order line by its product's id")
	}
}

func TestViewOnlyUsersAndAuditRowsLinkToReadOnlyDetailPages(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	ctx := context.Background()
	vic := newStaff(t, a, "vic")
	for _, g := range [][2]string{{"product", "view"}, {"auditentry", "view"}} {
		if err := a.enforcer.Grant(ctx, rbac.UserSubject(vic), g[0], g[1]); err != nil {
			t.Fatal(err)
		}
	}
	c := login(t, eve.base, "vic", "pw of vic")
	_, list := c.do("GET", "/product/", nil)
	m := productLink.FindStringSubmatch(list)
	if m == nil {
		t.Fatal("a view-only user's product list links to no product")
	}
	status, detail := c.do("GET", "/product/"+m[1]+"/", nil)
	if status != http.StatusOK || strings.Contains(detail, `name="_save"`) {
		t.Errorf("the product's detail page for a view-only user: status %d, with a save button: %v", status, strings.Contains(detail, `name="_save"`))
	}
	_, audit := c.do("GET", "/auditentry/", nil)
	entry := regexp.MustCompile(`href="/admin/auditentry/(\d+)/"`).FindStringSubmatch(audit)
	if entry == nil {
		t.Fatal("the audit log's rows link to no entry")
	}
	if status, _ := c.do("GET", "/auditentry/"+entry[1]+"/", nil); status != http.StatusOK {
		t.Errorf("an audit entry's detail page: status %d", status)
	}
}
