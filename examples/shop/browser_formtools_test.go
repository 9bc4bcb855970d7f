package main

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/entadmin/entadmin/examples/shop/ent/product"
)

// TestBrowserProductFormToolsAndErrorFocus checks a product's form: its
// object tools (History, Duplicate, View on site) sit together at the top
// right; after a failed save the focus is on the error summary, not on the
// page; and on a phone the top save row leaves room for the fields.
func TestBrowserProductFormToolsAndErrorFocus(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	a, base := browserShop(t, ctx)
	p := a.db.client.Product.Query().Order(product.ByID()).FirstX(context.Background())
	err := chromedp.Do(quickly(ctx, t),
		chromedp.Navigate(base+"/product/"+strconv.Itoa(p.ID)+"/"),
		chromedp.WaitVisible(`input[name="price"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	tools, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const nav = document.querySelector(".object-tools");
		if (!nav) return "no object tools";
		const names = [...nav.querySelectorAll("a, button")].map(e => e.textContent.trim()).join(",");
		const box = nav.lastElementChild.getBoundingClientRect(), form = document.querySelector("form.form").getBoundingClientRect();
		const place = box.bottom <= form.top && Math.abs(box.right - form.right) < 2 ? "top right" : "elsewhere";
		return names + " " + place + " " + document.querySelectorAll(".history-link, .view-on-site").length;
	})()`))
	if err != nil || tools != "History,Duplicate,View on site top right 2" {
		t.Errorf("object tools: %q (%v)", tools, err)
	}

	err = chromedp.Do(quickly(ctx, t),
		// The browser's own check is skipped: the server's answer is tested.
		chromedp.Evaluate[chromedp.Void](`(() => { const i = document.querySelector('input[name="name"]'); i.removeAttribute("required"); i.value = ""; })()`),
		chromedp.Click(`button[name="_save"]`),
		chromedp.WaitVisible(`.form-errors`),
	)
	if err != nil {
		t.Fatal(err)
	}
	focus, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if err != nil || focus != "form-errors" {
		t.Errorf("after a failed save the focus is on %q (%v), want the error summary", focus, err)
	}

	err = chromedp.Do(quickly(ctx, t),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(base+"/product/"+strconv.Itoa(p.ID)+"/"),
		chromedp.WaitVisible(`input[name="name"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	top, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => { const r = document.querySelector(".submit-row-top"); return r ? r.getBoundingClientRect().height / innerHeight : 0; })()`))
	if err != nil || top > 0.15 {
		t.Errorf("the top save row takes %.0f%% of a phone's screen (%v)", top*100, err)
	}
}
