package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/examples/shop/ent/productimage"
)

// browserShop starts the example on SQLite with a few products, logs a
// superuser in in the browser, and returns the app and its base URL.
func browserShop(t *testing.T, ctx context.Context) (*app, string) {
	t.Helper()
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
	a.own.User.Create().SetUsername("admin").SetPasswordHash(hash).SetIsStaff(true).SetIsSuperuser(true).ExecX(context.Background())
	srv := httptest.NewServer(a.router())
	t.Cleanup(srv.Close)
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/admin/login/"),
		chromedp.WaitVisible(`input[name="username"]`),
		chromedp.SendKeys(`input[name="username"]`, "admin"),
		chromedp.SendKeys(`input[name="password"]`, "a long enough password"),
		chromedp.Submit(`input[name="password"]`),
		chromedp.WaitVisible(`#content a[href="/admin/product/"]`), // the dashboard, logged in
	)
	if err != nil {
		t.Fatal(err)
	}
	return a, srv.URL + "/admin"
}

// imagesOf returns "url:sort_order" of a product's images, by sort order.
func imagesOf(t *testing.T, a *app, p *ent.Product) []string {
	t.Helper()
	imgs := a.db.client.ProductImage.Query().
		Where(productimage.HasProductWith(product.ID(p.ID))).
		Order(productimage.BySortOrder(), productimage.ByID()).
		AllX(context.Background())
	var out []string
	for _, im := range imgs {
		out = append(out, im.URL+":"+strconv.Itoa(im.SortOrder))
	}
	return out
}

// TestBrowserInlineAddRowsAndSave adds rows with the htmx "Add another"
// button, removes one of them without a round trip, and saves.
func TestBrowserInlineAddRowsAndSave(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	a, base := browserShop(t, ctx)
	p := a.db.client.Product.Query().Order(product.ByID()).FirstX(context.Background())
	a.db.client.ProductImage.Delete().Where(productimage.HasProductWith(product.ID(p.ID))).ExecX(context.Background())
	rows := `#inline-images tbody tr.inline-row`
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/product/"+strconv.Itoa(p.ID)+"/"),
		chromedp.WaitVisible(`#inline-images [data-inline-add]`),
		chromedp.Click(`#inline-images [data-inline-add]`),
		chromedp.WaitVisible(`input[name="images-1-url"]`),
		chromedp.Click(`#inline-images [data-inline-add]`),
		chromedp.WaitVisible(`input[name="images-2-url"]`),
		chromedp.Click(`#inline-images [data-inline-add]`),
		chromedp.WaitVisible(`input[name="images-3-url"]`),
		chromedp.SendKeys(`input[name="images-1-url"]`, "https://img.example/one.jpg"),
		chromedp.SendKeys(`input[name="images-2-url"]`, "https://img.example/gone.jpg"),
		chromedp.SendKeys(`input[name="images-3-url"]`, "https://img.example/two.jpg"),
		chromedp.SendKeys(`input[name="images-3-alt_text"]`, "The second"),
		chromedp.Click(`#images-row-2 [data-inline-remove]`),
		chromedp.WaitNotPresent(`#images-row-2`),
	)
	if err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("`+rows+`").length`))
	if err != nil || n != 3 {
		t.Fatalf("%d rows after adding three and removing one (err %v), want the blank one and two", n, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`button[name="_continue"]`),
		chromedp.WaitVisible(`[role="status"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The positions count the removed row; the order is what matters.
	if got, want := imagesOf(t, a, p), []string{"https://img.example/one.jpg:1", "https://img.example/two.jpg:3"}; !slices.Equal(got, want) {
		t.Errorf("images %q, want %q", got, want)
	}
	alt, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('input[name="images-1-alt_text"]').value`))
	if err != nil || alt != "The second" {
		t.Errorf("after saving, the second row's alt text is %q (err %v)", alt, err)
	}
}

// TestBrowserInlineReorderByKeyboardAndDrag moves the last image to the top
// with the arrow keys on its handle, drags another above it, and saves the
// new order.
func TestBrowserInlineReorderByKeyboardAndDrag(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	a, base := browserShop(t, ctx)
	bg := context.Background()
	p := a.db.client.Product.Query().Order(product.ByID()).FirstX(bg)
	a.db.client.ProductImage.Delete().Where(productimage.HasProductWith(product.ID(p.ID))).ExecX(bg)
	for i, u := range []string{"a", "b", "c"} {
		a.db.client.ProductImage.Create().SetProduct(p).SetURL("https://img.example/" + u + ".jpg").SetSortOrder(i + 1).ExecX(bg)
	}
	handle := `#images-row-2 [data-inline-handle]`
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/product/"+strconv.Itoa(p.ID)+"/"),
		chromedp.WaitVisible(handle),
		chromedp.Focus(handle),
		chromedp.KeyEvent(kb.ArrowUp),
		chromedp.KeyEvent(kb.ArrowUp),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#inline-images tbody tr").id === "images-row-2"`)); err != nil {
		t.Fatalf("the row did not move to the top: %v", err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement === document.querySelector("`+handle+`")`))
	if err != nil || !focused {
		t.Errorf("the handle lost the focus while moving (err %v)", err)
	}
	status, err := chromedp.Run(ctx, chromedp.TextContent(`#inline-images [data-inline-status]`))
	if err != nil || status != "Moved to position 1 of 4." {
		t.Errorf("announced %q (err %v)", status, err)
	}
	// Then drag b (now third) onto the top half of c (now first), with the
	// events a drag and drop fires.
	order, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const handle = document.querySelector("#images-row-1 [data-inline-handle]");
		const target = document.querySelector("#images-row-2");
		const dt = new DataTransfer();
		const y = target.getBoundingClientRect().top + 2;
		handle.dispatchEvent(new DragEvent("dragstart", {bubbles: true, dataTransfer: dt}));
		target.dispatchEvent(new DragEvent("dragover", {bubbles: true, cancelable: true, dataTransfer: dt, clientY: y}));
		target.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: dt, clientY: y}));
		handle.dispatchEvent(new DragEvent("dragend", {bubbles: true, dataTransfer: dt}));
		return [...document.querySelectorAll("#inline-images tbody tr")].map(r => r.id).join(",");
	})()`))
	if err != nil || order != "images-row-1,images-row-2,images-row-0,images-row-3" {
		t.Fatalf("rows after the drop: %s (err %v)", order, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`button[name="_continue"]`),
		chromedp.WaitVisible(`[role="status"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://img.example/b.jpg:1", "https://img.example/c.jpg:2", "https://img.example/a.jpg:3"}
	if got := imagesOf(t, a, p); !slices.Equal(got, want) {
		t.Errorf("images %q, want %q", got, want)
	}
}

// TestBrowserProductFormScreenshot writes a screenshot of a product's form,
// images inline, to the file ENTADMIN_SCREENSHOT names (the README's
// docs/product-form.png); it is skipped without it.
func TestBrowserProductFormScreenshot(t *testing.T) {
	t.Parallel()
	out := os.Getenv("ENTADMIN_SCREENSHOT")
	if out == "" {
		t.Skip("set ENTADMIN_SCREENSHOT=docs/product-form.png to write the screenshot")
	}
	ctx := browser(t)
	a, base := browserShop(t, ctx)
	bg := context.Background()
	p := a.db.client.Product.Query().Order(product.ByID()).FirstX(bg)
	a.db.client.ProductImage.Delete().Where(productimage.HasProductWith(product.ID(p.ID))).ExecX(bg)
	for i, im := range [][2]string{
		{"https://cdn.example.com/shop/mug-front.jpg", "The mug from the front"},
		{"https://cdn.example.com/shop/mug-side.jpg", "Its handle"},
		{"https://cdn.example.com/shop/mug-box.jpg", ""},
	} {
		a.db.client.ProductImage.Create().SetProduct(p).SetURL(im[0]).SetAltText(im[1]).SetSortOrder(i + 1).ExecX(bg)
	}
	png, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/product/"+strconv.Itoa(p.ID)+"/"),
			chromedp.WaitVisible(`#inline-images`),
			chromedp.Focus(`#images-row-1 [data-inline-handle]`),
		)
		if err != nil {
			return nil, err
		}
		return chromedp.FullScreenshot(100)(ctx, tg)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
