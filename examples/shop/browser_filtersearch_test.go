package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEdgeFilterSearch types into the category filter's search box
// of a list with 130 categories: the choices follow as the user types,
// without a reload, and following one filters the list and keeps it
// selected though it is not among the first 100.
func TestBrowserEdgeFilterSearch(t *testing.T) {
	t.Parallel()
	ctx, base, db := loggedIn(t, 40, "/admin/product/")
	ids := manyCategories(t, db.client, 130)
	err := chromedp.Do(quickly(ctx, t),
		chromedp.Navigate(base+"/admin/product/?o=name"),
		chromedp.Click(`#filters summary`), // closed at this width
		chromedp.WaitVisible(`#filter-search-category`),
		chromedp.Evaluate[chromedp.Void](`window.entadminMark = true`),
	)
	if err != nil {
		t.Fatal(err)
	}
	note, err := chromedp.Run(ctx, chromedp.Text(`#filter-choices-category .filter-note`))
	if err != nil || !strings.HasPrefix(note, "Showing the first 100 of ") {
		t.Errorf("the filter's note = %q (%v)", note, err)
	}
	err = chromedp.Do(quickly(ctx, t),
		chromedp.SendKeys(`#filter-search-category`, "Filtercat 12"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#filter-choices-category li").length === 11`),
	)
	if err != nil {
		t.Fatal(err)
	}
	names, err := chromedp.Run(ctx, chromedp.Text(`#filter-choices-category ul`))
	if err != nil || !strings.Contains(names, "Filtercat 125") || strings.Contains(names, "Filtercat 111") {
		t.Errorf("the choices after typing: %q (%v)", names, err)
	}
	err = chromedp.Do(quickly(ctx, t),
		chromedp.Click(`#filter-choices-category a[href*="category=`+strconv.Itoa(ids[125])+`"]`),
		chromedp.Poll[chromedp.Void](`location.search.includes("category=`+strconv.Itoa(ids[125])+`") && location.search.includes("o=name")`),
		chromedp.Poll[chromedp.Void](`document.querySelector("#filter-choices-category a.selected")?.textContent.trim() === "Filtercat 125"`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if mark, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.entadminMark === true`)); err != nil || !mark {
		t.Errorf("the page reloaded (%v)", err)
	}
}
