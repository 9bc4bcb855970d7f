package entadmin_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/a-h/templ"

	"github.com/entadmin/entadmin/entadmin"
	entshop "github.com/entadmin/entadmin/internal/fixture/ent"
)

// notePart is a form part with one text input, "note", whose Save writes
// the note into the category named by the post, in the form's transaction,
// and refuses the note "refuse".
type notePart struct{}

func (notePart) Decode(r *http.Request, _ *entshop.Product) (any, error) {
	if !r.PostForm.Has("note") {
		return nil, nil
	}
	if note := r.PostForm.Get("note"); note == "bad" {
		return note, &entadmin.FormError{Message: "The note is bad."}
	}
	return r.PostForm.Get("note"), nil
}

func (notePart) Save(ctx context.Context, e *entshop.Product, v any) error {
	if v == "refuse" {
		return &entadmin.FormError{Message: "The note was refused."}
	}
	tx := entshop.TxFromContext(ctx)
	if tx == nil {
		return errors.New("the part's save runs outside the form's transaction")
	}
	return tx.Category.UpdateOneID(e.CategoryID).SetName(v.(string)).Exec(ctx)
}

func (notePart) View(_ *http.Request, _ *entshop.Product, v any, _ bool) (templ.Component, error) {
	s, _ := v.(string)
	return templ.Raw(`<label for="note">Note</label><input id="note" name="note" value="` + templ.EscapeString(s) + `">`), nil
}

func TestFormPartsAreShownAndSavedInTheFormsTransaction(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(1)
	s.res.Product.FormParts = []entadmin.FormPart[*entshop.Product]{notePart{}}
	path := "/product/" + ids(f.products[0].ID) + "/"
	if p := s.get(path); p.doc.Find(`form input[name="note"]`).Length() != 1 {
		t.Fatal("the part is not on the form")
	}
	for _, c := range []struct{ note, want string }{{"refuse", "The note was refused."}, {"bad", "The note is bad."}} {
		form := productForm("Renamed", "7", f.kitchen.ID)
		form.Set("note", c.note)
		post := s.post(path, form)
		if post.status != http.StatusUnprocessableEntity || !strings.Contains(post.body, c.want) || post.doc.Find(`input[name="note"][value="`+c.note+`"]`).Length() != 1 {
			t.Errorf("note %q: status %d, want 422 with %q and the note kept", c.note, post.status, c.want)
		}
		if got := s.client.Product.GetX(context.Background(), f.products[0].ID); got.Name == "Renamed" {
			t.Errorf("note %q: the product was saved though its part failed", c.note)
		}
	}
	form := productForm("Renamed", "7", f.kitchen.ID)
	form.Set("note", "Kitchenware")
	if post := s.post(path, form); post.status != http.StatusSeeOther {
		t.Fatalf("status %d", post.status)
	}
	if got := s.client.Category.GetX(context.Background(), f.kitchen.ID); got.Name != "Kitchenware" {
		t.Errorf("the part's save did not run: category %q", got.Name)
	}
}
