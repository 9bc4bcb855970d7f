package entadmin_test

import (
	"context"
	"slices"
	"testing"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent/category"
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
