package entadmin_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
)

// submitted is what a browser posts for the form of a page as it is shown:
// the value of every named input, checked boxes and radios, selected
// options, and the text of text areas.
func submitted(p *page) url.Values {
	v := url.Values{}
	p.doc.Find("form.form").First().Find("input[name], select[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		switch goquery.NodeName(s) {
		case "select":
			s.Find("option[selected]").Each(func(_ int, o *goquery.Selection) { v.Add(name, o.AttrOr("value", "")) })
		case "textarea":
			text := s.Text()
			if len(text) > 0 && text[0] == '\n' {
				text = text[1:] // the parser drops a leading newline
			}
			v.Add(name, text)
		default:
			switch s.AttrOr("type", "text") {
			case "checkbox", "radio":
				if _, checked := s.Attr("checked"); checked {
					v.Add(name, s.AttrOr("value", "on"))
				}
			case "submit", "button":
			default:
				v.Add(name, s.AttrOr("value", ""))
			}
		}
	})
	v.Set("_continue", "")
	return v
}

// TestEveryWidgetRoundTrips posts each form back as it is shown and finds
// the entity unchanged: what the form shows is what is saved, for text,
// textarea, number, radio, toggle, select, autocomplete, raw id, dual
// select and color widgets.
func TestEveryWidgetRoundTrips(t *testing.T) {
	t.Parallel()
	s := newShop(t, dialect.Postgres, "/admin")
	f := s.seed(3)
	ctx := context.Background()
	red := s.client.Tag.Create().SetName("red").SetColor("#aa0011").SaveX(ctx)
	blue := s.client.Tag.Create().SetName("blue").SaveX(ctx)
	p0 := s.client.Product.UpdateOne(f.products[1]).
		SetDescription("Line one\nLine two").SetBrand("Acme").SetCostPrice(1.25).
		SetStatus(product.StatusDiscontinued).SetIsActive(false).AddTags(red, blue).SaveX(ctx)
	load := func() (*ent.Product, []int) {
		p := s.client.Product.Query().Where(product.ID(p0.ID)).WithCategory().OnlyX(ctx)
		tagIDs := s.client.Product.QueryTags(p).IDsX(ctx)
		slices.Sort(tagIDs)
		return p, tagIDs
	}
	same := func(t *testing.T, widget string) {
		t.Helper()
		before, beforeTags := load()
		path := "/product/" + strconv.Itoa(p0.ID) + "/"
		form := submitted(s.get(path))
		if r := s.post(path, form); r.status != http.StatusSeeOther {
			t.Fatalf("%s: posting the form back: %d %s", widget, r.status, r.doc.Find(".form-errors, .field-error").Text())
		}
		after, afterTags := load()
		before.Edges, after.Edges = ent.ProductEdges{}, ent.ProductEdges{}
		if before.String() != after.String() || !slices.Equal(beforeTags, afterTags) {
			t.Errorf("%s: the round trip changed the product:\n%s %v\n%s %v", widget, before, beforeTags, after, afterTags)
		}
	}
	same(t, "select")
	s.res.Product.Field("category").Widget = "rawid"
	same(t, "raw id")
	s.res.Product.Field("category").Widget = "autocomplete"
	same(t, "autocomplete")
	s.res.Product.Field("category").Widget = "radio"
	same(t, "radio edge")

	tagPath := "/tag/" + strconv.Itoa(red.ID) + "/"
	if r := s.post(tagPath, submitted(s.get(tagPath))); r.status != http.StatusSeeOther {
		t.Fatalf("tag round trip: %d", r.status)
	}
	if got := s.client.Tag.GetX(ctx, red.ID).Color; got != "#aa0011" {
		t.Errorf("color after the round trip %q", got)
	}
}
