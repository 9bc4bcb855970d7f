package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDateDrillDown drills from years to months to days above the
// product list, the results swapped without a reload and the address bar
// following, then goes back up a level.
func TestBrowserDateDrillDown(t *testing.T) {
	t.Parallel()
	ctx, _, _ := loggedIn(t, 40, "/admin/product/")
	year, err := chromedp.Run(ctx, chromedp.Text(`.date-nav .date-link`))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(quickly(ctx, t),
		chromedp.Click(`.date-nav .date-link`),
		chromedp.Poll[chromedp.Void](`(document.querySelector(".date-nav .date-current") || {}).textContent === `+jsString(year)),
	)
	if err != nil {
		t.Fatalf("drill into %s: %v", year, err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "created_at__year="+year) {
		t.Errorf("the address bar shows %q", loc)
	}
	month, err := chromedp.Run(ctx, chromedp.Text(`.date-nav .date-link`))
	if err != nil || !strings.HasSuffix(month, year) {
		t.Fatalf("the first month link is %q (%v)", month, err)
	}
	err = chromedp.Do(quickly(ctx, t),
		chromedp.Click(`.date-nav .date-link`),
		chromedp.Poll[chromedp.Void](`(document.querySelector(".date-nav .date-current") || {}).textContent === `+jsString(month)),
		chromedp.WaitVisible(`#results tbody tr td`),
	)
	if err != nil {
		t.Fatalf("drill into %s: %v", month, err)
	}
	day, err := chromedp.Run(ctx, chromedp.Text(`.date-nav .date-link`))
	if err != nil || !strings.HasPrefix(day, strings.Fields(month)[0]+" ") {
		t.Errorf("the first day link is %q (%v)", day, err)
	}
	// Up one level: the year again.
	err = chromedp.Do(quickly(ctx, t),
		chromedp.Click(`.date-nav .date-back`),
		chromedp.Poll[chromedp.Void](`(document.querySelector(".date-nav .date-current") || {}).textContent === `+jsString(year)),
	)
	if err != nil {
		t.Fatalf("back to %s: %v", year, err)
	}
	if mark, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.entadminMark === true`)); err != nil || !mark {
		t.Errorf("the drill-down reloaded the page (mark %v, %v)", mark, err)
	}
}
