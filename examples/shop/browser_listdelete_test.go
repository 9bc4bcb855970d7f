package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/entadmin/entadmin/examples/shop/ent/order"
)

// TestBrowserDeleteFromTheListThroughTheModal deletes a row of a filtered
// list with its delete link: the dialog opens over the list, and after the
// confirmation the same list comes back without the row, with a toast.
func TestBrowserDeleteFromTheListThroughTheModal(t *testing.T) {
	t.Parallel()
	ctx, _, db := loggedIn(t, 5, "/admin/order/?status=shipped")
	bg := context.Background()
	victim := db.client.Order.Query().Where(order.StatusEQ(order.StatusShipped)).Order(order.ByCreatedAt()).FirstX(bg)
	shipped := db.client.Order.Query().Where(order.StatusEQ(order.StatusShipped)).CountX(bg)
	row := `#results tr[data-id="` + strconv.Itoa(victim.ID) + `"]`
	err := chromedp.Do(quickly(ctx, t),
		chromedp.Click(row+` a.row-delete`),
		chromedp.WaitVisible(`dialog[open] button.btn-danger`),
	)
	if err != nil {
		t.Fatal(err)
	}
	text, err := textContaining(ctx, `dialog[open]`, victim.Number)
	if err != nil {
		t.Fatalf("the dialog does not name the order: %q (%v)", text, err)
	}
	err = chromedp.Do(quickly(ctx, t),
		chromedp.Click(`dialog[open] button.btn-danger`),
		chromedp.WaitNotPresent(row),
	)
	if err != nil {
		t.Fatal(err)
	}
	if msg, err := textContaining(ctx, `#messages .message`, "was deleted"); err != nil {
		t.Errorf("toast %q (%v)", msg, err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.HasSuffix(loc, "/admin/order/?status=shipped") {
		t.Errorf("after the delete the page is %q, want the same filtered list", loc)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#results tbody tr[data-id]").length`))
	if err != nil || rows != shipped-1 {
		t.Errorf("%d rows after the delete (err %v), want %d", rows, err, shipped-1)
	}
	if db.client.Order.Query().Where(order.ID(victim.ID)).ExistX(bg) {
		t.Error("the order was not deleted")
	}
}

// TestBrowserOrderLineValidatesOnBlur types a quantity of 0 into an order
// line and leaves the input: the error shows in the row.
func TestBrowserOrderLineValidatesOnBlur(t *testing.T) {
	t.Parallel()
	ctx, base, db := loggedIn(t, 5, "/admin/order/")
	o := db.client.Order.Query().Order(order.ByID()).FirstX(context.Background())
	err := chromedp.Do(quickly(ctx, t),
		chromedp.Navigate(base+"/admin/order/"+strconv.Itoa(o.ID)+"/"),
		chromedp.WaitVisible(`#id_lines-0-quantity`),
		clearInput(`#id_lines-0-quantity`),
		chromedp.SendKeys(`#id_lines-0-quantity`, "0"),
		chromedp.Focus(`#id_lines-0-unit_price`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if msg, err := textContaining(ctx, `#id_lines-0-quantity-errors`, "greater than or equal to 1"); err != nil {
		t.Errorf("blur error %q (%v)", msg, err)
	}
}
