package entadmin_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/entadmin/store"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/category"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
	"github.com/entadmin/entadmin/internal/fixture/ent/tag"
)

func TestJoinedEdgeColumnsKeepToTheRelatedRowScope(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		f := s.seed(4)
		s.tagged(f)
		p := s.get("/product/?o=name")
		if got := p.column("Category"); !slices.Equal(got, []string{"Kitchen", "Garden", "Kitchen", "Garden"}) {
			t.Errorf("category column %q", got)
		}
		if got := p.column("Tags"); !slices.Equal(got, []string{"bio, eco, fair +2 more", "new", "(not set)", "(not set)"}) {
			t.Errorf("tags column %q", got)
		}
		s.res.Category.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
			return category.ID(f.kitchen.ID), nil
		}
		s.res.Tag.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
			return tag.NameNEQ("bio"), nil
		}
		// The products stay; what the user may not see is not named.
		p = s.get("/product/?o=name")
		if got := p.column("Category"); !slices.Equal(got, []string{"Kitchen", "(not set)", "Kitchen", "(not set)"}) {
			t.Errorf("scoped category column %q", got)
		}
		if got := p.column("Tags"); !slices.Equal(got, []string{"eco, fair, local +1 more", "new", "(not set)", "(not set)"}) {
			t.Errorf("scoped tags column %q", got)
		}
	})
}

// awkward are edge values the joined JSON must carry through unchanged:
// quotes, backslashes, JSON's escapes, control characters, non-ASCII
// letters, emoji and what looks like markup.
var awkward = []string{
	`say "hi"`, `back\slash \n \u0041 \\`, "tab\tnew\nline\r\x01\x1f\x7f",
	"Ünïcödé ñ 漢字", "emoji 🎉👍🏽 \u2028\u2029", `<b>&amp;</b>'`, "/slash/ ", "x",
}

func TestListedRowsAndJoinedEdgesReadAsEagerLoadingReadsThem(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		ctx := context.Background()
		c := s.client
		for i, name := range awkward {
			cat := c.Category.Create().SetName(name).SetSlug(fmt.Sprintf("s%d", i)).SaveX(ctx)
			b := c.Product.Create().SetName(fmt.Sprintf("p%02d", i)).SetPrice(1).SetCategory(cat)
			// Values and NULLs in turn: a row must not keep the one before's.
			if i%2 == 0 {
				b.SetCostPrice(0.5).SetDescription(name).SetBrand(name)
			}
			// Tags: none for the first, then one, two ... of the awkward names.
			for k := range i % 4 {
				b.AddTags(c.Tag.Create().SetName(fmt.Sprintf("%d.%d %s", i, k, awkward[(i+k)%len(awkward)])).SaveX(ctx))
			}
			b.SaveX(ctx)
		}
		// Many tags on one product; none on a product without category.
		many := c.Product.Create().SetName("p98").SetPrice(1)
		for k := range 40 {
			many.AddTags(c.Tag.Create().SetName(fmt.Sprintf("many %02d \"%s\"", k, awkward[k%len(awkward)])).SetColor("#000000").SaveX(ctx))
		}
		many.SaveX(ctx)
		c.Product.Create().SetName("p99").SetPrice(1).SaveX(ctx)

		got, err := s.res.Product.List(ctx, store.Query{Order: []store.Predicate{store.Predicate(product.ByName())}, Limit: 25})
		if err != nil {
			t.Fatal(err)
		}
		want := c.Product.Query().Order(product.ByName()).WithCategory().WithTags(func(q *ent.TagQuery) { q.Order(tag.ByName(), tag.ByID()) }).AllX(ctx)
		if len(got) != len(want) {
			t.Fatalf("%d products, want %d", len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			if f := differentField(g, w); f != "" {
				t.Errorf("%s: %s %v, want %v", w.Name, f, reflect.ValueOf(*g).FieldByName(f), reflect.ValueOf(*w).FieldByName(f))
			}
			if (g.Edges.Category == nil) != (w.Edges.Category == nil) ||
				g.Edges.Category != nil && (g.Edges.Category.ID != w.Edges.Category.ID || g.Edges.Category.Name != w.Edges.Category.Name || g.Edges.Category.Slug != w.Edges.Category.Slug) {
				t.Errorf("%s: category %+v, want %+v", w.Name, g.Edges.Category, w.Edges.Category)
			}
			if len(g.Edges.Tags) != len(w.Edges.Tags) {
				t.Errorf("%s: %d tags, want %d", w.Name, len(g.Edges.Tags), len(w.Edges.Tags))
				continue
			}
			for k, wt := range w.Edges.Tags {
				if gt := g.Edges.Tags[k]; gt.ID != wt.ID || gt.Name != wt.Name || gt.Color != wt.Color {
					t.Errorf("%s: tag %d %+v, want %+v", w.Name, k, gt, wt)
				}
			}
		}
		// And on the page, escaped as any value.
		p := s.get("/product/?o=name")
		if cats := p.column("Category"); len(cats) < len(awkward) || cats[1] != strings.TrimSpace(awkward[1]) {
			t.Errorf("category column %q", cats)
		}
		if body := p.body; strings.Contains(body, "<b>&amp;</b>") {
			t.Error("a category's markup reached the page unescaped")
		}
	})
}

// differentField returns the name of the first exported field but Edges
// whose value differs between the entities, "" for none.
func differentField(a, b *ent.Product) string {
	va, vb := reflect.ValueOf(*a), reflect.ValueOf(*b)
	for i := range va.NumField() {
		f := va.Type().Field(i)
		if !f.IsExported() || f.Name == "Edges" {
			continue
		}
		x, y := va.Field(i).Interface(), vb.Field(i).Interface()
		if tx, ok := x.(time.Time); ok {
			if !tx.Equal(y.(time.Time)) {
				return f.Name
			}
			continue
		}
		if !reflect.DeepEqual(x, y) {
			return f.Name
		}
	}
	return ""
}
