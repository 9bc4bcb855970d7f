package main

import (
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowserMeasureTmp(t *testing.T) {
	ctx, _, _ := loggedIn(t, 60, "/admin/product/")
	for _, w := range []int64{1280, 1400, 390} {
		_ = chromedp.Do(ctx, chromedp.EmulateViewport(w, 900))
		out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const w = document.querySelector(".table-wrap"); const ths=[...document.querySelectorAll(".table thead th")].map(t=>t.textContent.trim()+":"+Math.round(t.getBoundingClientRect().width)); const ins=[...document.querySelectorAll(".cell-input")].filter(i=>i.scrollWidth>i.clientWidth).length; scrollTo(5000,0); const sx=scrollX; scrollTo(0,0); const d0="sx"+sx+" body "+document.body.scrollWidth+" "+document.documentElement.scrollWidth; document.querySelectorAll(".first,.select-col").forEach(e=>e.style.position="static"); const d1=document.documentElement.scrollWidth; document.querySelectorAll(".first,.select-col").forEach(e=>e.style.position=""); const wide="sticky "+d0+" static "+d1+" "; const wide2=[...document.querySelectorAll("body *")].filter(e=>!e.closest(".table-wrap") && e.getBoundingClientRect().right>innerWidth+1).slice(0,5).map(e=>e.tagName+"."+e.className+"#"+e.id+":"+Math.round(e.getBoundingClientRect().right)).join(","); return wide+wide2+" "+innerWidth+" doc "+document.documentElement.scrollWidth+" wrap "+w.scrollWidth+"/"+w.clientWidth+" clipped inputs "+ins+" | "+ths.join(" ") })()`))
		if err != nil {
			t.Fatal(err)
		}
		t.Log(out)
		png, _ := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		os.WriteFile(fmt.Sprintf("/tmp/list%d.png", w), png, 0o644)
	}
}
