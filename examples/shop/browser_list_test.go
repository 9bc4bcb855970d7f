package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
)

// loggedIn starts the example on a fresh SQLite database with n products
// and a superuser, and logs in through the login page at path.
func loggedIn(t *testing.T, n int, path string) (context.Context, string, *database) {
	t.Helper()
	ctx := browser(t)
	db, err := openDB(context.Background(), "", filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := prepare(context.Background(), db, n); err != nil {
		t.Fatal(err)
	}
	a, err := newApp(context.Background(), db, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	hash, _ := password.Hash("a long enough password")
	a.own.User.Create().SetUsername("admin").SetPasswordHash(hash).SetIsStaff(true).SetIsSuperuser(true).ExecX(context.Background())
	srv := httptest.NewServer(a.router())
	t.Cleanup(srv.Close)
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+path),
		chromedp.WaitVisible(`input[name="username"]`),
		chromedp.SendKeys(`input[name="username"]`, "admin"),
		chromedp.SendKeys(`input[name="password"]`, "a long enough password"),
		chromedp.Submit(`input[name="password"]`),
		chromedp.WaitVisible(`#results table`),
		// A mark on the window: a full page load would remove it.
		chromedp.Evaluate[chromedp.Void](`window.entadminMark = true`),
	)
	if err != nil {
		t.Fatal(err)
	}
	return ctx, srv.URL, db
}

// quickly bounds one wait, so that a failing test fails in seconds; the
// bound leaves room for a busy machine running browser tests in parallel.
func quickly(ctx context.Context, t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestBrowserSearchAsYouTypeUpdatesTheTableWithoutReload(t *testing.T) {
	t.Parallel()
	ctx, _, db := loggedIn(t, 40, "/admin/product/")
	target := db.client.Product.Query().Order(product.ByID()).FirstX(context.Background())

	// Type without pressing Enter: the results follow, after the debounce.
	err := chromedp.Do(quickly(ctx, t),
		chromedp.SendKeys(`#search-q`, target.Name),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#results tbody tr").length === 1`),
	)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Text(`#results tbody`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows, target.Name) {
		t.Errorf("the search for %q shows %q", target.Name, rows)
	}
	if mark, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.entadminMark === true`)); err != nil || !mark {
		t.Errorf("the page reloaded (mark %v, %v)", mark, err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(loc, "/admin/product/?") || !strings.Contains(loc, "q=") || strings.Contains(loc, "partial") {
		t.Errorf("the address bar shows %q, want the list with the search", loc)
	}
	// The search box keeps the focus and what was typed.
	typed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id + "=" + document.activeElement.value`))
	if err != nil || typed != "search-q="+target.Name {
		t.Errorf("focus and value after the swap = %q (%v)", typed, err)
	}
}

func TestBrowserBackAfterAFilterRestoresTheResults(t *testing.T) {
	t.Parallel()
	ctx, _, _ := loggedIn(t, 40, "/admin/product/?o=name")
	before, err := chromedp.Run(ctx, chromedp.Text(`#results .result-summary`))
	if err != nil {
		t.Fatal(err)
	}
	firstBefore, err := chromedp.Run(ctx, chromedp.Text(`#results tbody tr:first-child td:first-child`))
	if err != nil {
		t.Fatal(err)
	}
	// Open the filters, which stand above the table behind their
	// disclosure at this width, and follow the "No" choice of the Active
	// filter: the filters stay open when the list swaps them.
	err = chromedp.Do(quickly(ctx, t),
		chromedp.Click(`#filters summary`),
		chromedp.Click(`#filters a[href*="is_active=no"]`),
		chromedp.Poll[chromedp.Void](`document.querySelector("#results .result-summary").textContent !== `+jsString(before)),
		chromedp.WaitVisible(`#filters a.selected[href*="is_active=no"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "is_active=no") {
		t.Errorf("after the filter the address bar shows %q", loc)
	}
	// Back: the unfiltered results again, without a reload.
	err = chromedp.Do(quickly(ctx, t),
		chromedp.Evaluate[chromedp.Void](`history.back()`),
		chromedp.Poll[chromedp.Void](`document.querySelector("#results .result-summary") && document.querySelector("#results .result-summary").textContent === `+jsString(before)),
	)
	if err != nil {
		t.Fatal(err)
	}
	firstAfter, err := chromedp.Run(ctx, chromedp.Text(`#results tbody tr:first-child td:first-child`))
	if err != nil {
		t.Fatal(err)
	}
	if firstAfter != firstBefore {
		t.Errorf("after back the first row is %q, want %q", firstAfter, firstBefore)
	}
	loc, _ = chromedp.Run(ctx, chromedp.Location())
	if strings.Contains(loc, "is_active") {
		t.Errorf("after back the address bar shows %q", loc)
	}
	if mark, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.entadminMark === true`)); err != nil || !mark {
		t.Errorf("back reloaded the page (mark %v, %v)", mark, err)
	}
	if sel, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#filters a.selected[href*='is_active=no']").length`)); sel != 0 {
		t.Error("after back the filter still shows as selected")
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func TestBrowserSaveReturnsToTheFilteredListWithAToast(t *testing.T) {
	t.Parallel()
	ctx, _, _ := loggedIn(t, 60, "/admin/product/?is_active=yes&o=name&p=2")
	err := chromedp.Do(quickly(ctx, t),
		chromedp.Click(`#results tbody tr:first-child a`),
		chromedp.WaitVisible(`input[name="price"]`),
		chromedp.SetValue(`input[name="price"]`, "12345.5"),
		chromedp.Click(`button[name="_save"]`),
		chromedp.WaitVisible(`#messages .message`),
	)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	for _, want := range []string{"is_active=yes", "o=name", "p=2"} {
		if !strings.Contains(loc, want) {
			t.Errorf("after saving the list is %q, want it with %s", loc, want)
		}
	}
	// A toast: top right, announced, dismissed on a click (or after 5 s).
	toast, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () {
		var region = document.getElementById("messages"), m = region.querySelector(".message");
		var style = getComputedStyle(region), box = m.getBoundingClientRect();
		return [region.getAttribute("role"), region.getAttribute("aria-live"), style.position,
			box.right > window.innerWidth - 40 && box.top < 40, m.hasAttribute("data-armed")].join(" ");
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if toast != "status polite fixed true true" {
		t.Errorf("toast = %q, want role status, polite, fixed top right, with its timer", toast)
	}
	err = chromedp.Do(quickly(ctx, t),
		chromedp.Click(`#messages .message`),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#messages .message").length === 0`),
	)
	if err != nil {
		t.Fatal(err)
	}
}

// textContaining waits until the first element matching sel has a text
// that contains want, and returns that text. Unlike WaitVisible followed by
// Text, it does not read an element that an htmx swap is about to replace.
func textContaining(ctx context.Context, sel, want string) (string, error) {
	expr := `(el => el && el.textContent.includes(` + jsString(want) + `) ? el.textContent : false)(document.querySelector(` + jsString(sel) + `))`
	text, err := chromedp.Run(ctx, chromedp.Poll[string](expr, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(`+jsString(sel)+`) || {}).textContent || ""`))
		return got, fmt.Errorf("waiting for %q in %s: %w", want, sel, err)
	}
	return text, nil
}
