package main

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/rbac"
)

// pickerGroup returns the id of the group "buyers", whose parent
// "shoppers" may view products, with a member "bea" (password "pw of bea"),
// creating them on the first call: the group form's picker then shows an
// inherited grant.
func pickerGroup(t *testing.T, a *app) int {
	t.Helper()
	ctx := context.Background()
	if g, err := a.own.Group.Query().Where(group.Name("buyers")).Only(ctx); err == nil {
		return g.ID
	}
	parent := a.own.Group.Create().SetName("shoppers").SaveX(ctx)
	g := a.own.Group.Create().SetName("buyers").SetParent(parent).SaveX(ctx)
	if err := a.enforcer.Grant(ctx, rbac.GroupSubject(parent.ID), "product", "view"); err != nil {
		t.Fatal(err)
	}
	bea := newStaff(t, a, "bea")
	a.own.User.UpdateOneID(bea).AddGroups(g).ExecX(ctx)
	if err := a.enforcer.GroupsChanged(ctx); err != nil {
		t.Fatal(err)
	}
	return g.ID
}

// TestBrowserPickerGrantTakesEffectForAMember ticks a permission in a
// group's picker with the keyboard only, saves, and finds the group's
// member may now do it.
func TestBrowserPickerGrantTakesEffectForAMember(t *testing.T) {
	t.Parallel()
	ctx := browserWithin(t, 3*time.Minute)
	a, base := browserShop(t, ctx)
	id := pickerGroup(t, a)
	bea := login(t, base, "bea", "pw of bea")
	if status, _ := bea.do("GET", "/tag/", nil); status != http.StatusForbidden {
		t.Fatalf("bea lists tags before the grant: status %d", status)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/group/"+strconv.Itoa(id)+"/"),
		chromedp.WaitVisible(`#perm-tag-view`),
	)
	if err != nil {
		t.Fatal(err)
	}
	inherited, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(b => b.checked && b.disabled)(document.querySelector('#perm-product-view'))`))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Focus(`#perm-tag-view`),
		chromedp.KeyEvent(" "),
		chromedp.Focus(`button.btn-primary[name="_save"]`),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(`.message-success`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !inherited {
		t.Error("product view, inherited from shoppers, is not checked and disabled")
	}
	beaID := a.own.User.Query().Where(user.Username("bea")).OnlyIDX(context.Background())
	if !a.enforcer.Allowed(beaID, "tag", "view") {
		t.Fatal("the group's member may not view tags after the save")
	}
	if status, _ := bea.do("GET", "/tag/", nil); status != http.StatusOK {
		t.Errorf("bea lists tags after the grant: status %d, want 200", status)
	}
}
