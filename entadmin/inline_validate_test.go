package entadmin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
)

func TestInlineRowsValidateOnBlurWithTheirPrefix(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	im := s.addImages(f.products[0], "https://img/a.jpg")
	form := s.get("/product/" + ids(f.products[0].ID) + "/")
	input := form.doc.Find(`input[name="images-0-url"]`)
	post, target := input.AttrOr("hx-post", ""), input.AttrOr("hx-target", "")
	if want := "/admin/productimage/validate/?field=url&id=" + ids(im[0].ID) + "&prefix=images-0-"; post != want {
		t.Fatalf("hx-post %q, want %q", post, want)
	}
	if target != "#id_images-0-url-errors" || form.doc.Find(target).Length() != 1 {
		t.Fatalf("hx-target %q has no slot on the form", target)
	}
	long := "https://img/" + strings.Repeat("x", 500)
	p := s.post(strings.TrimPrefix(post, "/admin"), url.Values{"images-0-url": {long}})
	if p.status != http.StatusOK || !strings.Contains(p.doc.Find("#id_images-0-url-errors").Text(), "greater than the required length") {
		t.Errorf("status %d, answer %s", p.status, p.body)
	}
	p = s.post(strings.TrimPrefix(post, "/admin"), url.Values{"images-0-url": {"https://img/b.jpg"}})
	if p.status != http.StatusOK || p.doc.Find("#id_images-0-url-errors").Length() != 1 || strings.TrimSpace(p.doc.Find("#id_images-0-url-errors").Text()) != "" {
		t.Errorf("a good value: status %d, answer %s", p.status, p.body)
	}
	if p := s.post("/productimage/validate/?field=url&prefix=../x", url.Values{}); p.status != http.StatusBadRequest {
		t.Errorf("a prefix that is no inline row's: status %d", p.status)
	}
	// A new row validates as an add.
	if p := s.post("/productimage/validate/?field=url&prefix=images-1-", url.Values{"images-1-url": {""}}); !strings.Contains(p.doc.Find("#id_images-1-url-errors").Text(), "required") {
		t.Errorf("a blank url in a new row: %s", p.body)
	}
}
