package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/entadmin/entadmin/examples/shop/ent/product"
)

// TestBrowserSelectAllMatchingAndRunAnAction filters the list, selects the
// page with the header checkbox, then every matching row across pages, and
// runs "Mark as active" on them.
func TestBrowserSelectAllMatchingAndRunAnAction(t *testing.T) {
	t.Parallel()
	ctx, base, db := loggedIn(t, 40, "/admin/product/")
	bg := context.Background()
	db.client.Product.Update().SetIsActive(false).ExecX(bg)
	db.client.Product.Update().Where(product.IDLTE(5)).SetIsActive(true).ExecX(bg) // 35 inactive: two pages

	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/admin/product/?is_active=no"),
		chromedp.WaitVisible(`input[data-select-all]`),
		chromedp.Click(`input[data-select-all]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[data-select-row]:checked').length`))
	if err != nil {
		t.Fatal(err)
	}
	if checked != 25 {
		t.Errorf("the header checkbox selected %d rows, want the page's 25", checked)
	}
	counter, err := chromedp.Run(ctx, chromedp.Text(`[data-action-counter]`))
	if err != nil {
		t.Fatal(err)
	}
	if counter != "25 of 25 selected" {
		t.Errorf("counter = %q", counter)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`input[data-select-across]`),
		chromedp.SetValue(`select[name="action"]`, "activate"),
		chromedp.Click(`.action-bar button[type="submit"]`),
		chromedp.WaitVisible(`#messages .message-success`),
	)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(`#messages .message-success`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "Marked 35 products as active.") {
		t.Errorf("message = %q", msg)
	}
	if n := db.client.Product.Query().Where(product.IsActive(false)).CountX(bg); n != 0 {
		t.Errorf("%d products still inactive", n)
	}
}

// TestBrowserListEditableSaveWithAnErrorKeepsTheValues edits two prices in
// the list, one of them invalid: Save (over htmx) writes nothing and shows
// the error with both values kept; fixing it saves both. (The prices are
// high: the example refuses a price below the cost price.)
func TestBrowserListEditableSaveWithAnErrorKeepsTheValues(t *testing.T) {
	t.Parallel()
	ctx, base, db := loggedIn(t, 10, "/admin/product/")
	bg := context.Background()
	ps := db.client.Product.Query().Order(product.ByID()).Limit(2).AllX(bg)
	a, b := ps[0], ps[1]
	price := func(id int) string { return `input[name="e.` + strconv.Itoa(id) + `.price"]` }

	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/admin/product/?o=name"),
		chromedp.WaitVisible(price(a.ID)),
		chromedp.SetValue(price(a.ID), "5000.5"),
		chromedp.SetValue(price(b.ID), "-1"),
		chromedp.Click(`.save-bar button`),
		chromedp.WaitVisible(`#e-`+strconv.Itoa(b.ID)+`-price-error`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if errText, err := textContaining(ctx, `#e-`+strconv.Itoa(b.ID)+`-price-error`, "greater than or equal to 0"); err != nil {
		t.Errorf("no message beside the bad price: %q (%v)", errText, err)
	}
	for id, want := range map[int]string{a.ID: "5000.5", b.ID: "-1"} {
		got, err := chromedp.Run(ctx, chromedp.Value(price(id)))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("after the failed save the price of %d shows %q, want the user's %q", id, got, want)
		}
	}
	if got := db.client.Product.GetX(bg, a.ID).Price; got != a.Price {
		t.Errorf("the valid row was written (%v) although another row was bad", got)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(url, "/admin/product/?o=name") {
		t.Errorf("the address bar shows %q, want the list", url)
	}

	err = chromedp.Do(ctx,
		chromedp.SetValue(price(b.ID), "6000"),
		chromedp.Click(`.save-bar button`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if msg, err := textContaining(ctx, `#messages .message-success`, "2 products were changed."); err != nil {
		t.Errorf("message = %q (%v)", msg, err)
	}
	if got := db.client.Product.GetX(bg, a.ID).Price; got != 5000.5 {
		t.Errorf("price of %s = %v", a.Name, got)
	}
	if got := db.client.Product.GetX(bg, b.ID).Price; got != 6000 {
		t.Errorf("price of %s = %v", b.Name, got)
	}
}
