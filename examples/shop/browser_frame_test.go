package main

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/rbac"
)

// browserLogin logs a user in through the login page.
func browserLogin(base, username, pw string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/login/"),
		chromedp.WaitVisible(`input[name="username"]`),
		chromedp.SendKeys(`input[name="username"]`, username),
		chromedp.SendKeys(`input[name="password"]`, pw),
		chromedp.Click(`.login-submit`),
		chromedp.WaitVisible(`.user-menu .logout-button`),
	)
}

// TestBrowserLogOutFromEveryPageType signs out with the header's button
// from each kind of page, as a superuser and as staff users with no
// permission and with a view-only one (on the 403 page, the dashboard that
// has nothing to show, and a read-only form), and checks that the session
// is over.
func TestBrowserLogOutFromEveryPageType(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	a, base := browserShop(t, ctx)
	bg := context.Background()
	hash, _ := password.Hash("a long enough password")
	a.own.User.Create().SetUsername("nora").SetPasswordHash(hash).SetIsStaff(true).ExecX(bg)
	viewers := a.own.Group.Create().SetName("viewers").SaveX(bg)
	a.own.User.Create().SetUsername("vic").SetPasswordHash(hash).SetIsStaff(true).AddGroups(viewers).ExecX(bg)
	if err := a.enforcer.GroupsChanged(bg); err != nil {
		t.Fatal(err)
	}
	if err := a.enforcer.Grant(bg, rbac.GroupSubject(viewers.ID), "product", "view"); err != nil {
		t.Fatal(err)
	}
	id := strconv.Itoa(a.db.client.Product.Query().Order(product.ByID()).FirstIDX(bg))
	pages := []struct{ user, path, marker string }{
		{"admin", "/", ".dashboard-section"},
		{"admin", "/product/", "#results"},
		{"admin", "/product/" + id + "/", "main form"},
		{"admin", "/product/" + id + "/history/", "main"},
		{"admin", "/product/" + id + "/delete/", "main form"},
		{"admin", "/rbac/audit/", "main"},
		{"admin", "/rbac/", "main"},
		{"admin", "/user/1/password/", "main form"},
		{"nora", "/", ".empty-state"},
		{"nora", "/product/", "main"}, // the 403 page
		{"vic", "/product/" + id + "/", "main"},
	}
	for _, p := range pages {
		err := chromedp.Do(ctx,
			browserLogin(base, p.user, "a long enough password"),
			chromedp.Navigate(base+p.path),
			chromedp.WaitVisible(p.marker),
			chromedp.Click(`.user-menu .logout-button`),
			chromedp.WaitVisible(`body.login-page .login-form`),
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`body.login-page .login-form`), // signed out: back to the login page
		)
		if err != nil {
			t.Fatalf("%s on %s: %v", p.user, p.path, err)
		}
	}
}

// TestBrowserThemeMenuPersistsAcrossReloads picks themes in the header's
// menu: the page changes at once, and keeps the theme after a reload.
func TestBrowserThemeMenuPersistsAcrossReloads(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	_, base := browserShop(t, ctx)
	pick := func(theme string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const s = document.getElementById("theme-select"); s.value = %q; s.dispatchEvent(new Event("change", {bubbles: true})); })()`, theme))
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/product/"), chromedp.WaitVisible("#results")); err != nil {
		t.Fatal(err)
	}
	if shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector("[data-theme-apply]")).display !== "none"`)); err != nil || shown {
		t.Errorf("the theme menu's Apply button shows although the menu applies on change (%v)", err)
	}
	for _, tc := range []struct{ theme, attr, bg string }{
		{"dark", "dark", "rgb(17, 20, 24)"},
		{"high-contrast", "high-contrast", "rgb(0, 0, 0)"},
		{"light", "light", "rgb(245, 246, 248)"},
		{"auto", "", "rgb(245, 246, 248)"}, // headless Chromium prefers light
	} {
		err := chromedp.Do(ctx,
			pick(tc.theme),
			chromedp.Sleep(500*time.Millisecond), // the form posts and the page comes back
			chromedp.WaitVisible("#results"),
			chromedp.Reload(),
			chromedp.WaitVisible("#results"),
		)
		if err != nil {
			t.Fatalf("%s: %v", tc.theme, err)
		}
		attr, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.getAttribute("data-theme") || ""`))
		bg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`))
		selected, _ := chromedp.Run(ctx, chromedp.Value("#theme-select"))
		if attr != tc.attr || bg != tc.bg || selected != tc.theme {
			t.Errorf("after picking %s and reloading: data-theme %q, background %s, menu %q; want %q, %s", tc.theme, attr, bg, selected, tc.attr, tc.bg)
		}
	}
}

// TestBrowserLoginPageIsACentredCard checks the login page as a browser
// draws it: a card in the middle, its button inside the form and as wide
// as the inputs, and a favicon that loads.
func TestBrowserLoginPageIsACentredCard(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	browserShop(t, ctx)
	type layout struct{ Left, Right, Width, ViewWidth, ButtonWidth, InputWidth float64 }
	if err := chromedp.Do(ctx, chromedp.Click(`.user-menu .logout-button`), chromedp.WaitVisible(`body.login-page .login-form`)); err != nil {
		t.Fatal(err)
	}
	box, err := chromedp.Run(ctx, chromedp.Evaluate[layout](`(() => { const m = document.querySelector("main").getBoundingClientRect();
		return {Left: m.left, Right: m.right, Width: m.width, ViewWidth: document.documentElement.clientWidth,
			ButtonWidth: document.querySelector(".login-submit").getBoundingClientRect().width,
			InputWidth: document.querySelector("#id_username").getBoundingClientRect().width}; })()`))
	if err != nil {
		t.Fatal(err)
	}
	inForm, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("form.login-form button[type=submit]")`))
	icon, err := chromedp.Run(ctx, chromedp.Evaluate[int](`fetch(document.querySelector("link[rel=icon]").href).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(box.Left-(box.ViewWidth-box.Right)) > 2 || box.Width > 420 {
		t.Errorf("the login card is not a centred card: %+v", box)
	}
	if !inForm || math.Abs(box.ButtonWidth-box.InputWidth) > 1 {
		t.Errorf("the button is not in the form, as wide as the inputs: %+v", box)
	}
	if icon != 200 {
		t.Errorf("the favicon answers %d", icon)
	}
}
