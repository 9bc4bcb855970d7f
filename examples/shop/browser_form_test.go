package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/entadmin/entadmin/examples/shop/ent/category"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/examples/shop/ent/tag"
)

// TestBrowserPickACategoryThroughAutocomplete: with more than 50
// categories the category is a search input; the user types, moves with
// the arrows, picks with Enter, and the save stores the pick.
func TestBrowserPickACategoryThroughAutocomplete(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	a, base := browserShop(t, ctx)
	bg := context.Background()
	for i := range 60 {
		a.db.client.Category.Create().SetName(fmt.Sprintf("Zeta %02d", i)).SetSlug(fmt.Sprintf("zeta-%02d", i)).ExecX(bg)
	}
	xylo := a.db.client.Category.Create().SetName("Xylophones").SetSlug("xylophones").SaveX(bg)
	xyst := a.db.client.Category.Create().SetName("Xylophone stands").SetSlug("xylophone-stands").SaveX(bg)
	p := a.db.client.Product.Query().Order(product.ByID()).FirstX(bg)
	input := `#id_category[role="combobox"]`
	options := `#id_category-listbox [role="option"]`
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/product/" + strconv.Itoa(p.ID) + "/"),
		chromedp.WaitVisible(input),
		clearInput(input),
		chromedp.SendKeys(input, "zeta"),
		chromedp.WaitVisible(options),
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitNotVisible(`#id_category-listbox`),
		clearInput(input),
		chromedp.SendKeys(input, "xylo"),
	}
	for i, st := range steps {
		if err := chromedp.Do(quickly(ctx, t), st); err != nil {
			dbg, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.activeElement.id, String(document.querySelector('#id_category-listbox').hidden), document.querySelector('#id_category-listbox').outerHTML.slice(0,300), document.querySelector('`+input+`').value]`))
			t.Fatalf("step %d: %v %q", i, err, dbg)
		}
	}
	// The two Xylo… categories, in name order: stands, then the instruments.
	if _, err := chromedp.Run(quickly(ctx, t), chromedp.Poll[bool](`!document.querySelector('#id_category-listbox').hidden && document.querySelectorAll('`+options+`').length === 2 && document.querySelector('`+input+`').getAttribute('aria-activedescendant') !== null`)); err != nil {
		dbg, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.activeElement.id, String(document.querySelector('#id_category-listbox').hidden), document.querySelector('#id_category-listbox').outerHTML.slice(0,300), document.querySelector('`+input+`').value]`))
		t.Fatalf("the search for xylo does not list two categories: %v %q", err, dbg)
	}
	err := chromedp.Do(quickly(ctx, t),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitNotVisible(`#id_category-listbox`),
	)
	if err != nil {
		dbg, derr := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " | " + document.activeElement.outerHTML.slice(0, 300) + " | " + document.querySelector('#content').innerText.slice(0, 500)`))
		t.Fatal(err, dbg, derr)
	}
	picked, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.querySelector('input[name="category"]').value, document.querySelector('`+input+`').value]`))
	if err != nil || !slices.Equal(picked, []string{strconv.Itoa(xylo.ID), "Xylophones"}) {
		t.Fatalf("picked %q (err %v), want %d Xylophones (not %d)", picked, err, xylo.ID, xyst.ID)
	}
	err = chromedp.Do(quickly(ctx, t),
		chromedp.Click(`button[name="_continue"]`),
		chromedp.WaitVisible(`.message-success`),
	)
	if err != nil {
		dbg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " " + document.querySelector("#content").innerText.slice(0, 800)`))
		t.Fatal(err, dbg)
	}
	if got := a.db.client.Product.Query().Where(product.ID(p.ID)).QueryCategory().OnlyX(bg); got.ID != xylo.ID {
		t.Errorf("saved category %q, want Xylophones", got.Name)
	}
	shown, err := chromedp.Run(ctx, chromedp.Value(input))
	if err != nil || shown != "Xylophones" {
		t.Errorf("after saving the form shows %q (err %v)", shown, err)
	}
}

// TestBrowserMoveTagsInTheDualSelect moves one tag to the chosen side and
// one back, filters the available side, and saves.
func TestBrowserMoveTagsInTheDualSelect(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	a, base := browserShop(t, ctx)
	bg := context.Background()
	p := a.db.client.Product.Query().Order(product.ByID()).FirstX(bg)
	a.db.client.Product.UpdateOne(p).ClearTags().ExecX(bg)
	red := a.db.client.Tag.Create().SetName("Red hot").SaveX(bg)
	blue := a.db.client.Tag.Create().SetName("Blue moon").SaveX(bg)
	a.db.client.Product.UpdateOne(p).AddTags(blue).ExecX(bg)
	selectValue := func(list string, id int) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function () {
			var o = document.querySelector('%s option[value="%d"]');
			o.selected = true;
		})()`, list, id))
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/product/"+strconv.Itoa(p.ID)+"/"),
		chromedp.WaitVisible(`.dual-available-list`),
		chromedp.SendKeys(`.dual-column:first-child .dual-filter`, "red h"),
	)
	if err != nil {
		t.Fatal(err)
	}
	visible, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.dual-available-list option')).filter(o => !o.hidden).map(o => o.text)`))
	if err != nil || !slices.Equal(visible, []string{"Red hot"}) {
		t.Errorf("the filter leaves %q visible (err %v)", visible, err)
	}
	err = chromedp.Do(ctx,
		selectValue(".dual-available-list", red.ID),
		chromedp.Click(`.dual-add`),
		selectValue(".dual-chosen-list", blue.ID),
		chromedp.Click(`.dual-remove`),
	)
	if err != nil {
		t.Fatal(err)
	}
	chosen, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.dual-chosen-list option')).map(o => o.text)`))
	if err != nil || !slices.Equal(chosen, []string{"Red hot"}) {
		t.Fatalf("chosen %q (err %v), want Red hot", chosen, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`button[name="_continue"]`),
		chromedp.WaitVisible(`.message-success`),
	)
	if err != nil {
		t.Fatal(err)
	}
	names := a.db.client.Product.Query().Where(product.ID(p.ID)).QueryTags().Order(tag.ByName()).Select(tag.FieldName).StringsX(bg)
	if !slices.Equal(names, []string{"Red hot"}) {
		t.Errorf("saved tags %q, want Red hot", names)
	}
}

// TestBrowserBlurValidationError: the slug is filled from the name as the
// user types; a slug that is taken shows its error when the user leaves
// the field, before saving.
func TestBrowserBlurValidationError(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	a, base := browserShop(t, ctx)
	taken := a.db.client.Category.Query().Order(category.ByID()).FirstX(context.Background())
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/category/add/"),
		chromedp.WaitVisible(`#id_name`),
		chromedp.SendKeys(`#id_name`, "Garden Tools & Ümlauts"),
	)
	if err != nil {
		t.Fatal(err)
	}
	slug, err := chromedp.Run(ctx, chromedp.Value(`#id_slug`))
	if err != nil || slug != "garden-tools-umlauts" {
		t.Errorf("prepopulated slug %q (err %v)", slug, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Focus(`#id_slug`), // the name's change event fills the slug once more
		clearInput(`#id_slug`),
		chromedp.SendKeys(`#id_slug`, taken.Slug),
		chromedp.Focus(`#id_name`), // leave the slug
	)
	if err != nil {
		t.Fatal(err)
	}
	if msg, err := textContaining(ctx, `#id_slug-errors`, "already exists"); err != nil {
		t.Errorf("blur error %q (err %v)", msg, err)
	}
	// Typing in the name no longer changes a slug the user edited.
	err = chromedp.Do(ctx, chromedp.SendKeys(`#id_name`, " more"))
	if err != nil {
		t.Fatal(err)
	}
	if slug, _ := chromedp.Run(ctx, chromedp.Value(`#id_slug`)); slug != taken.Slug {
		t.Errorf("the edited slug changed to %q", slug)
	}
	if n := a.db.client.Category.Query().Where(category.Slug(taken.Slug)).CountX(context.Background()); n != 1 {
		t.Errorf("validation wrote a category: %d with the slug", n)
	}
}

// TestBrowserDeleteThroughTheModal opens the delete dialog from the form,
// closes it with Escape, opens it again and confirms.
func TestBrowserDeleteThroughTheModal(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	a, base := browserShop(t, ctx)
	p := a.db.client.Product.Query().Order(product.ByID()).FirstX(context.Background())
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/product/"+strconv.Itoa(p.ID)+"/"),
		chromedp.WaitVisible(`a.delete-link`),
		chromedp.Click(`a.delete-link`),
		chromedp.WaitVisible(`dialog[open] .delete-question`),
	)
	if err != nil {
		t.Fatal(err)
	}
	state, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[location.pathname, document.querySelector('dialog[open]').textContent, String(document.activeElement && document.activeElement.closest('dialog') !== null)]`))
	if err != nil || !strings.HasSuffix(state[0], "/product/"+strconv.Itoa(p.ID)+"/") || !strings.Contains(state[1], p.Name) || state[2] != "true" {
		t.Fatalf("dialog state %q (err %v): want the form still open, the product named, the focus inside", state, err)
	}
	err = chromedp.Do(ctx,
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitNotPresent(`dialog`),
		chromedp.Click(`a.delete-link`),
		chromedp.WaitVisible(`dialog[open] button.btn-danger`),
		chromedp.Click(`dialog[open] button.btn-danger`),
		chromedp.WaitVisible(`#results`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if n := a.db.client.Product.Query().Where(product.ID(p.ID)).CountX(context.Background()); n != 0 {
		t.Error("the product was not deleted")
	}
}

// clearInput empties an input as selecting its text and deleting it would,
// without the events that typing sends.
func clearInput(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`void (document.querySelector(` + jsString(sel) + `).value = "")`)
}
