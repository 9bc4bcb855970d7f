package entadmin_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
)

func TestAddAnotherWithoutJavaScriptKeepsTheTypedValues(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	p0 := f.products[0]
	im := s.addImages(p0, "https://img/a.jpg", "https://img/b.jpg")
	path := "/product/" + ids(p0.ID) + "/"
	form := withImages(productForm("Typed, not saved", "-1", f.kitchen.ID),
		image{id: ids(im[0].ID), url: "https://img/a-edited.jpg", sort: "2"},
		image{id: ids(im[1].ID), url: "https://img/b.jpg", sort: "1", del: true},
		image{url: "https://img/new.jpg", alt: "typed", sort: "3"},
	)
	form.Set("_addrow", "0")
	p := s.post(path, form)
	if p.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", p.status, p.doc.Find(`[role="alert"]`).Text())
	}
	if got := s.images(p0.ID); !slices.Equal(got, []string{"https://img/a.jpg:1", "https://img/b.jpg:2"}) {
		t.Errorf("images %q: Add another saved the rows", got)
	}
	if got := s.client.Product.GetX(context.Background(), p0.ID); got.Name == "Typed, not saved" {
		t.Error("Add another saved the product")
	}
	for name, want := range map[string]string{
		"name": "Typed, not saved", "price": "-1",
		"images-0-url": "https://img/a-edited.jpg", "images-0-sort_order": "2",
		"images-2-url": "https://img/new.jpg", "images-2-alt_text": "typed",
		"images-3-id": "", "images-3-url": "", "images-3-sort_order": "4",
	} {
		if p.doc.Find(`[name="`+name+`"]`).Length() != 1 {
			t.Errorf("no input %s", name)
		} else if got := p.value(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if p.doc.Find(`input[name="images-1-DELETE"][checked]`).Length() != 1 {
		t.Error("the delete box the user ticked is not ticked any more")
	}
	if n := p.doc.Find("#inline-images tbody tr").Length(); n != 4 {
		t.Errorf("%d rows, want the 3 posted and a blank one", n)
	}
	if errs := strings.TrimSpace(p.doc.Find(".field-error, .form-errors").Text()); errs != "" {
		t.Errorf("errors %q shown before the user saved", errs)
	}
	add := p.doc.Find(`#inline-images button[name="_addrow"]`)
	if add.AttrOr("value", "") != "0" || add.AttrOr("type", "") != "submit" || add.AttrOr("hx-get", "") == "" {
		t.Errorf("Add another is not a submit button that htmx also drives: %d found", add.Length())
	}
	// Enter in a field presses the first submit button of the form: Save.
	if first := p.doc.Find(`form.form button[type="submit"]`).First(); first.AttrOr("name", "") != "_save" {
		t.Errorf("the form's first submit button is %q, want _save", first.AttrOr("name", ""))
	}

	// The round trip can go on, and saving then writes what was typed.
	form = withImages(productForm("Saved", "4", f.kitchen.ID),
		image{id: ids(im[0].ID), url: "https://img/a-edited.jpg", sort: "2"},
		image{id: ids(im[1].ID), url: "https://img/b.jpg", sort: "1", del: true},
		image{url: "https://img/new.jpg", alt: "typed", sort: "3"},
		image{url: "https://img/last.jpg", sort: "4"},
	)
	if p := s.post(path, form); p.status != http.StatusSeeOther {
		t.Fatalf("save: status %d", p.status)
	}
	if got := s.images(p0.ID); !slices.Equal(got, []string{"https://img/a-edited.jpg:2", "https://img/new.jpg:3", "https://img/last.jpg:4"}) {
		t.Errorf("after the save: images %q", got)
	}
}

func TestAddAnotherWithoutJavaScriptRespectsTheMaximum(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	p0 := f.products[0]
	im := s.addImages(p0, "https://img/a.jpg")
	s.res.Product.Inlines[0].Config().Max = 2
	path := "/product/" + ids(p0.ID) + "/"
	form := withImages(productForm("Mug", "3", f.kitchen.ID),
		image{id: ids(im[0].ID), url: "https://img/a.jpg", sort: "1"},
		image{url: "https://img/b.jpg", sort: "2"},
	)
	form.Set("_addrow", "0")
	p := s.post(path, form)
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if n := p.doc.Find("#inline-images tbody tr").Length(); n != 2 {
		t.Errorf("%d rows, want 2: the maximum", n)
	}
	if p.doc.Find(`button[name="_addrow"]`).Length() != 0 {
		t.Error("Add another is offered at the maximum")
	}
	for _, bad := range []string{"1", "-1", "x"} {
		form.Set("_addrow", bad)
		if p := s.post(path, form); p.status != http.StatusBadRequest {
			t.Errorf("_addrow=%s: status %d, want 400", bad, p.status)
		}
	}
	if got := s.images(p0.ID); !slices.Equal(got, []string{"https://img/a.jpg:1"}) {
		t.Errorf("images %q", got)
	}
}
