package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/rbac"
)

// TestAuditRowsLinkToObjectsTheUserMayView: the rows of the audit log
// (the generated list and the RBAC audit log) link to their object's page
// when the user may view the object and it still exists, and name it
// without a link otherwise: a deleted category, a deleted user; lee, who
// views categories and one product through an object grant, and uma, who
// views one user through an object grant, get no link to another object
// and no hint of one.
func TestAuditRowsLinkToObjectsTheUserMayView(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	ctx := context.Background()
	sys := entadmin.AsSystem(ctx, "fixture")
	root, _ := superuser(t, a, eve.base)
	kept := a.db.client.Category.Create().SetName("Kept category").SaveX(sys)
	gone := a.db.client.Category.Create().SetName("Gone category").SaveX(sys)
	a.db.client.Category.DeleteOne(gone).ExecX(sys)
	pids := a.db.client.Product.Query().IDsX(ctx)
	pIn, pOut := pids[0], pids[1]
	for _, id := range []int{pIn, pOut} {
		a.db.client.Product.UpdateOneID(id).SetPrice(1234).ExecX(sys)
	}
	tia, tom := newStaff(t, a, "tia"), newStaff(t, a, "tom")
	for _, id := range []int{tia, tom} {
		a.own.User.UpdateOneID(id).SetEmail("x" + strconv.Itoa(id) + "@example.com").ExecX(sys)
	}
	lee, uma := newStaff(t, a, "lee"), newStaff(t, a, "uma")
	for _, g := range []struct {
		user         int
		slug, action string
		object       string
	}{
		{user: lee, slug: "auditentry", action: "view"},
		{user: lee, slug: "category", action: "view"},
		{user: lee, slug: "product", object: strconv.Itoa(pIn)},
		{user: uma, slug: "user", object: strconv.Itoa(tia)},
	} {
		if g.object != "" {
			a.own.ObjectGrant.Create().SetUserID(g.user).SetResource(g.slug).SetObjectID(g.object).SetAction("view").ExecX(ctx)
		} else if err := a.enforcer.Grant(ctx, rbac.UserSubject(g.user), g.slug, g.action); err != nil {
			t.Fatal(err)
		}
	}
	asLee, asUma := login(t, eve.base, "lee", "pw of lee"), login(t, eve.base, "uma", "pw of uma")
	links := func(b *browserless, path string) map[string]bool {
		t.Helper()
		status, body := b.do("GET", path, nil)
		if status != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, status)
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		out := map[string]bool{}
		doc.Find("main a[href]").Each(func(_ int, s *goquery.Selection) { out[s.AttrOr("href", "")] = true })
		return out
	}
	category := func(id int) string { return "/admin/category/" + strconv.Itoa(id) + "/" }
	product := func(id int) string { return "/admin/product/" + strconv.Itoa(id) + "/" }
	user := func(id int) string { return "/admin/user/" + strconv.Itoa(id) + "/" }

	// The generated audit list.
	got := links(root, "/auditentry/?resource=category")
	if !got[category(kept.ID)] || got[category(gone.ID)] {
		t.Errorf("root's audit list of categories links %v; want the kept category's page and not the deleted one's", got)
	}
	if got := links(root, "/auditentry/?resource=product"); !got[product(pIn)] || !got[product(pOut)] {
		t.Errorf("root's audit list of products links %v", got)
	}
	got = links(asLee, "/auditentry/")
	if !got[category(kept.ID)] || got[category(gone.ID)] {
		t.Errorf("lee's audit list links %v; want the kept category's page and not the deleted one's", got)
	}
	for href := range got {
		if strings.HasPrefix(href, "/admin/product/") || strings.HasPrefix(href, "/admin/user/") {
			t.Errorf("lee's audit list links %s", href)
		}
	}
	// A deleted object named in an entry's search is not linked either.
	if got := links(asLee, "/auditentry/?q=Gone+category"); got[category(gone.ID)] {
		t.Error("lee's search of the audit log links the deleted category")
	}

	// The RBAC audit log: uma sees and follows tia's entries only.
	got = links(asUma, "/rbac/audit/")
	if !got[user(tia)] {
		t.Errorf("uma's RBAC audit log links %v; want tia's page", got)
	}
	for href := range got {
		if strings.HasPrefix(href, "/admin/user/") && href != user(tia) {
			t.Errorf("uma's RBAC audit log links %s", href)
		}
	}
	if got := links(root, "/rbac/audit/"); !got[user(tia)] || !got[user(tom)] {
		t.Errorf("root's RBAC audit log links %v; want tia's and tom's pages", got)
	}
	a.own.User.DeleteOneID(tom).ExecX(sys)
	if got := links(root, "/rbac/audit/"); !got[user(tia)] || got[user(tom)] {
		t.Errorf("after tom's deletion, root's RBAC audit log links %v; want tia's page only", got)
	}
}
