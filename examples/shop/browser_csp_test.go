package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/rbac"
)

// TestBrowserPagesWorkUnderTheContentSecurityPolicy drives the admin as a
// staff user through the pages whose scripts do the most (the live list,
// the product form and its widgets) and fails on any report of the
// Content-Security-Policy: the pages need nothing it forbids.
func TestBrowserPagesWorkUnderTheContentSecurityPolicy(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	bg := context.Background()
	db, err := openDB(bg, "", filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := prepare(bg, db, 20); err != nil {
		t.Fatal(err)
	}
	a, err := newApp(bg, db, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	hash, _ := password.Hash("a long enough password")
	editors := a.own.Group.Create().SetName("editors").SaveX(bg)
	a.own.User.Create().SetUsername("eve").SetPasswordHash(hash).SetIsStaff(true).AddGroups(editors).ExecX(bg)
	if err := a.enforcer.GroupsChanged(bg); err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]string{{"product", "view"}, {"product", "change"}, {"category", "view"}, {"tag", "view"}} {
		if err := a.enforcer.Grant(bg, rbac.GroupSubject(editors.ID), p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(a.router())
	t.Cleanup(srv.Close)

	var mu sync.Mutex
	var reports []string
	violations := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), reports...)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*log.EventEntryAdded); ok && strings.Contains(e.Entry.Text, "Content Security Policy") {
			mu.Lock()
			reports = append(reports, e.Entry.Text)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/admin/product/"),
		chromedp.WaitVisible(`input[name="username"]`),
		chromedp.SendKeys(`input[name="username"]`, "eve"),
		chromedp.SendKeys(`input[name="password"]`, "a long enough password"),
		chromedp.Submit(`input[name="password"]`),
		chromedp.WaitVisible(`#results table`),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The live search: htmx swaps the results in.
	err = chromedp.Do(quickly(ctx, t),
		chromedp.SendKeys(`#search-q`, "no product has this name"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#results tbody tr td:not([colspan])").length === 0`),
		chromedp.Navigate(srv.URL+"/admin/product/1/"),
		chromedp.WaitVisible(`#id_name`),
		chromedp.Focus(`#id_name`),
		chromedp.Focus(`#id_price`), // blur validation
		chromedp.Sleep(500*time.Millisecond),
	)
	if err != nil {
		t.Fatal(err)
	}
	if v := violations(); len(v) > 0 {
		t.Errorf("the pages broke the Content-Security-Policy:\n%s", strings.Join(v, "\n"))
	}

	// The reports are seen: an image from another site is one.
	err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.body.appendChild(Object.assign(new Image(), {src: "https://example.invalid/x.png"}))`))
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); len(violations()) == 0 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if len(violations()) == 0 {
		t.Error("a blocked image was not reported: the check above sees nothing")
	}
}
