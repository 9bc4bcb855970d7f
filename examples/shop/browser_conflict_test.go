package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
)

// TestBrowserConcurrentEditShowsTheConflictAndKeepsTheValues opens the same
// product in two browser contexts (two separate sessions, as two people
// would): the first saves a new price; the second, saving its stale form,
// gets the conflict banner with the first one's change, its own values
// still in the form, and "Overwrite anyway" saves them.
func TestBrowserConcurrentEditShowsTheConflictAndKeepsTheValues(t *testing.T) {
	t.Parallel()
	first := browser(t)
	db, err := openDB(context.Background(), "", filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := prepare(context.Background(), db, 5); err != nil {
		t.Fatal(err)
	}
	a, err := newApp(context.Background(), db, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	hash, _ := password.Hash("a long enough password")
	for _, name := range []string{"ann", "bob"} {
		a.own.User.Create().SetUsername(name).SetPasswordHash(hash).SetIsStaff(true).SetIsSuperuser(true).ExecX(context.Background())
	}
	srv := httptest.NewServer(a.router())
	t.Cleanup(srv.Close)
	target := db.client.Product.Query().Order(product.ByID()).FirstX(context.Background())
	edit := srv.URL + "/admin/product/" + strconv.Itoa(target.ID) + "/"
	open := func(ctx context.Context, user string) {
		t.Helper()
		err := chromedp.Do(quickly(ctx, t),
			chromedp.Navigate(edit),
			chromedp.WaitVisible(`input[name="username"]`),
			chromedp.SendKeys(`input[name="username"]`, user),
			chromedp.SendKeys(`input[name="password"]`, "a long enough password"),
			chromedp.Submit(`input[name="password"]`),
			chromedp.WaitVisible(`input[name="price"]`),
		)
		if err != nil {
			t.Fatalf("%s opens the form: %v", user, err)
		}
	}
	open(first, "ann")
	// A second browser context: its own cookies, so its own session.
	second, cancel := chromedp.NewContext(first, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	open(second, "bob")

	err = chromedp.Do(quickly(first, t),
		chromedp.SetValue(`input[name="price"]`, "777.5"),
		chromedp.Evaluate[chromedp.Void](clickSave),
		chromedp.WaitVisible(`#messages .message`),
	)
	if err != nil {
		t.Fatalf("ann saves: %v", err)
	}
	err = chromedp.Do(quickly(second, t),
		chromedp.SetValue(`input[name="name"]`, "Bob's better name"),
		chromedp.Evaluate[chromedp.Void](clickSave),
		chromedp.WaitVisible(`#conflict`),
	)
	if err != nil {
		t.Fatalf("bob saves the stale form: %v", err)
	}
	banner, err := chromedp.Run(second, chromedp.Text(`#conflict`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(banner, "ann") || !strings.Contains(banner, "777.5") {
		t.Errorf("the banner does not show ann's change:\n%s", banner)
	}
	name, err := chromedp.Run(second, chromedp.Value(`input[name="name"]`))
	if err != nil || name != "Bob's better name" {
		t.Errorf("bob's value after the conflict = %q (%v)", name, err)
	}
	if got := db.client.Product.GetX(context.Background(), target.ID); got.Name != target.Name || got.Price != 777.5 {
		t.Errorf("stored after the conflict: %q %v", got.Name, got.Price)
	}
	err = chromedp.Do(quickly(second, t),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#overwrite").click()`),
		chromedp.WaitVisible(`#messages .message`),
	)
	if err != nil {
		t.Fatalf("bob overwrites: %v", err)
	}
	if got := db.client.Product.GetX(context.Background(), target.ID); got.Name != "Bob's better name" {
		t.Errorf("not overwritten: %q", got.Name)
	}
}

// clickSave submits the edit form with its bottom Save button, from
// script: the click returns before the navigation it starts.
const clickSave = `document.querySelector('.submit-row:not(.submit-row-top) button[name="_save"]').click()`
