package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/examples/shop/ent/order"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/internal/axe"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the README's screenshots to docs/")

// pageType is one kind of page a staff user meets, reached by a path and,
// for some, a step taken on the page (a failed save).
type pageType struct {
	name string
	path string
	// then runs on the loaded page; nil for none.
	then chromedp.Action[chromedp.Void]
}

// staffPages returns every page type of the example, as the superuser
// meets them.
func staffPages(t *testing.T, a *app) []pageType {
	t.Helper()
	ctx := context.Background()
	p := a.db.client.Product.Query().Order(product.ByID()).FirstX(ctx)
	o := a.db.client.Order.Query().Where(order.HasLines()).Order(order.ByID()).FirstX(ctx)
	id := strconv.Itoa(p.ID)
	failedSave := chromedp.Steps(
		chromedp.Evaluate[chromedp.Void](`(f => { f.noValidate = true; f.querySelector('button.btn-primary[name="_save"]').click() })(document.querySelector('form.form'))`),
		chromedp.WaitVisible(`.form-errors`),
	)
	return []pageType{
		{"dashboard", "/admin/", nil},
		{"list", "/admin/product/", nil},
		{"list-search-filter", "/admin/product/?q=steel&is_active=true", nil},
		{"edit-form", "/admin/product/" + id + "/", nil},
		{"add-form-errors", "/admin/product/add/", failedSave},
		{"inline-form", "/admin/order/" + strconv.Itoa(o.ID) + "/", nil},
		{"group-form-picker", "/admin/group/" + strconv.Itoa(pickerGroup(t, a)) + "/", nil},
		{"delete-confirmation", "/admin/product/" + id + "/delete/", nil},
		{"history", "/admin/product/" + id + "/history/", nil},
		{"audit-log", "/admin/auditentry/", nil},
		{"rbac-summary", "/admin/rbac/", nil},
		{"rbac-effective", "/admin/rbac/effective/", nil},
		{"rbac-check", "/admin/rbac/check/", nil},
		{"rbac-tree", "/admin/rbac/tree/", nil},
		{"rbac-import", "/admin/rbac/import/", nil},
		{"rbac-audit", "/admin/rbac/audit/", nil},
		{"not-found", "/admin/product/999999999/", nil},
	}
}

// colourSchemes are the schemes every page is checked in.
var colourSchemes = []string{"light", "dark"}

// scheme makes the tab prefer the colour scheme.
func scheme(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: name}},
		})
		return err
	})
}

// checkAxe runs axe on the loaded page and fails the test on violations
// of impact serious or critical.
func checkAxe(ctx context.Context, t *testing.T, page string) {
	t.Helper()
	vs, err := axe.Serious(ctx)
	if errors.Is(err, axe.ErrMissing) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	for _, v := range vs {
		t.Errorf("%s: %s", page, v)
	}
}

// TestEveryPageTypeHasNoSeriousAccessibilityViolations runs axe-core on
// every page type, in light and dark, as a superuser, then the login page
// and the 403 page that a staff user without permissions meets.
func TestEveryPageTypeHasNoSeriousAccessibilityViolations(t *testing.T) {
	t.Parallel()
	ctx := browserWithin(t, 4*time.Minute)
	if _, err := axe.Script(); errors.Is(err, axe.ErrMissing) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	a, base := browserShop(t, ctx)
	for _, s := range colourSchemes {
		for _, p := range staffPages(t, a) {
			err := chromedp.Do(ctx, scheme(s), chromedp.Navigate(base+p.path[len("/admin"):]), chromedp.WaitReady(`body`))
			if err == nil && p.then != nil {
				err = chromedp.Do(ctx, p.then)
			}
			if err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			checkAxe(ctx, t, p.name+" ("+s+")")
		}
	}

	// A staff user who may do nothing: the login page, then a 403.
	hash, _ := password.Hash("a long enough password")
	a.own.User.Create().SetUsername("nobody").SetPasswordHash(hash).SetIsStaff(true).ExecX(context.Background())
	for _, s := range colourSchemes {
		err := chromedp.Do(ctx,
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
				return err
			}),
			scheme(s),
			chromedp.Navigate(base+"/login/"),
			chromedp.WaitVisible(`input[name="username"]`),
		)
		if err != nil {
			t.Fatal(err)
		}
		checkAxe(ctx, t, "login ("+s+")")
		err = chromedp.Do(ctx,
			chromedp.SendKeys(`input[name="username"]`, "nobody"),
			chromedp.SendKeys(`input[name="password"]`, "a long enough password"),
			chromedp.Submit(`input[name="password"]`),
			chromedp.WaitNotPresent(`input[name="password"]`),
			chromedp.Navigate(base+"/product/"),
			chromedp.WaitReady(`body`),
		)
		if err != nil {
			t.Fatal(err)
		}
		checkAxe(ctx, t, "forbidden ("+s+")")
	}
}

// TestScreenshots renders the README's page types at a desktop and a phone
// width; with -update-screenshots it writes them to docs/.
func TestScreenshots(t *testing.T) {
	t.Parallel()
	if !*updateScreenshots {
		t.Skip("run with -update-screenshots to write docs/*.png")
	}
	ctx := browser(t)
	db, err := openDB(context.Background(), "", filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a, ts := serveShop(t, db, 60)
	hash, _ := password.Hash("a long enough password")
	a.own.User.Create().SetUsername("admin").SetPasswordHash(hash).SetIsStaff(true).SetIsSuperuser(true).ExecX(context.Background())
	srv := ts.URL
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv+"/admin/login/"),
		chromedp.WaitVisible(`input[name="username"]`),
		chromedp.SendKeys(`input[name="username"]`, "admin"),
		chromedp.SendKeys(`input[name="password"]`, "a long enough password"),
		chromedp.Submit(`input[name="password"]`),
		chromedp.WaitReady(`#content`),
	)
	if err != nil {
		t.Fatal(err)
	}
	pages := staffPages(t, a)
	shots := []struct {
		file, page, scheme string
		width, height      int64
	}{
		{"screenshot.png", "list", "light", 1280, 900},
		{"product-form.png", "edit-form", "light", 1280, 900},
		{"dashboard.png", "dashboard", "light", 1280, 900},
		{"history.png", "history", "light", 1280, 900},
		{"dark.png", "list", "dark", 1280, 900},
		{"phone-list.png", "list", "light", 390, 844},
		{"phone-form.png", "edit-form", "light", 390, 844},
	}
	for _, s := range shots {
		var p pageType
		for _, q := range pages {
			if q.name == s.page {
				p = q
			}
		}
		err := chromedp.Do(ctx,
			chromedp.EmulateViewport(s.width, s.height),
			scheme(s.scheme),
			chromedp.Navigate(srv+p.path),
			chromedp.WaitReady(`body`),
			chromedp.Sleep(200*time.Millisecond), // htmx settles
		)
		var png []byte
		if err == nil {
			png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		}
		if err != nil {
			t.Fatalf("%s: %v", s.file, err)
		}
		if err := os.WriteFile(filepath.Join("..", "..", "docs", s.file), png, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Println("wrote docs/" + s.file)
	}
}
