package main

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserProductListLayout checks the product list at the widths staff
// use: on a desktop the page never scrolls sideways, nor does the table,
// whose every column and delete link show (below 1440 px the filters stand
// above it, behind a disclosure), and when the table must scroll, its
// first column stays in view; long text is cut short with its full value
// as a tooltip; no editable input hides a digit; on a phone every row is a
// card that shows each column with its label.
func TestBrowserProductListLayout(t *testing.T) {
	t.Parallel()
	ctx, _, _ := loggedIn(t, 60, "/admin/product/")
	for _, width := range []int64{1280, 1400} {
		t.Run(fmt.Sprintf("at %d px", width), func(t *testing.T) {
			err := chromedp.Do(quickly(ctx, t),
				chromedp.EmulateViewport(width, 900),
				chromedp.Poll[chromedp.Void](fmt.Sprintf(`innerWidth === %d`, width)),
			)
			if err != nil {
				t.Fatal(err)
			}
			// The page itself does not scroll sideways.
			page, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - innerWidth`))
			if err != nil || page > 0 {
				t.Errorf("the page is %d px wider than the window (%v)", page, err)
			}
			// The first column stays in view however far the table scrolls.
			out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
				const wrap = document.querySelector(".table-wrap");
				if (wrap.scrollWidth <= wrap.clientWidth) return "fits";
				wrap.scrollLeft = wrap.scrollWidth;
				const box = wrap.getBoundingClientRect();
				const bad = [...document.querySelectorAll("#results tbody td.first, #results thead th.first")]
					.filter(c => c.getBoundingClientRect().left < box.left - 1 || c.getBoundingClientRect().right > box.right + 1);
				wrap.scrollLeft = 0;
				return bad.length === 0 ? "sticky" : bad.length + " first cells scrolled out of view";
			})()`))
			if err != nil || (out != "fits" && out != "sticky") {
				t.Errorf("scrolling the table: %s (%v)", out, err)
			}
			// The filters stand above the table there, so that every column
			// and the row's delete link show without a sideways scroll.
			fit, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
				const wrap = document.querySelector(".table-wrap");
				if (wrap.scrollWidth > wrap.clientWidth) return "the table scrolls sideways by " + (wrap.scrollWidth - wrap.clientWidth) + " px";
				const box = wrap.getBoundingClientRect();
				const del = document.querySelector("#results tbody .row-delete");
				if (!del) return "no row has a delete link";
				const r = del.getBoundingClientRect();
				return r.left >= box.left - 1 && r.right <= box.right + 1 ? "" : "the delete link is outside the table";
			})()`))
			if err != nil || fit != "" {
				t.Errorf("%s (%v)", fit, err)
			}
			// Cut-short text has its full value as a tooltip.
			trunc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#results td.trunc")]
				.filter(td => td.title !== td.textContent.trim()).map(td => td.title + " ≠ " + td.textContent).join("; ")`))
			if err != nil || trunc != "" {
				t.Errorf("cut-short cells without their full value as tooltip: %s (%v)", trunc, err)
			}
			// No editable input hides part of its value.
			clipped, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
				const inputs = [...document.querySelectorAll("#results .cell-input")];
				if (inputs.length === 0) return "no editable inputs";
				return inputs.filter(i => i.scrollWidth > i.clientWidth).map(i => i.name + "=" + i.value).join(", ");
			})()`))
			if err != nil || clipped != "" {
				t.Errorf("clipped inputs: %s (%v)", clipped, err)
			}
		})
	}
	t.Run("a phone shows every column of a row with its label", func(t *testing.T) {
		err := chromedp.Do(quickly(ctx, t),
			chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
			chromedp.Poll[chromedp.Void](`innerWidth === 390`),
		)
		if err != nil {
			t.Fatal(err)
		}
		out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			if (document.documentElement.scrollWidth > innerWidth) return "the page scrolls sideways";
			const labels = [...document.querySelectorAll("#results thead th")].map(th => th.textContent.replace(/[▲▼↕0-9]/g, "").trim()).filter(Boolean).filter(l => l !== "Delete");
			const row = document.querySelector("#results tbody tr");
			const shown = [...row.querySelectorAll("td[data-label]")].filter(td => {
				const b = td.getBoundingClientRect();
				return b.width > 0 && b.left >= 0 && b.right <= innerWidth + 1;
			}).map(td => getComputedStyle(td, "::before").content.replace(/^"|"$/g, ""));
			const missing = labels.filter(l => !shown.includes(l));
			return missing.length === 0 ? "" : "labels not shown: " + missing.join(", ") + " (shown: " + shown.join(", ") + ")";
		})()`))
		if err != nil || out != "" {
			t.Errorf("%s (%v)", out, err)
		}
	})
}
