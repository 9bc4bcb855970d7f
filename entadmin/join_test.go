package entadmin_test

import (
	"context"
	"slices"
	"testing"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent/category"
)

func TestAJoinedEdgeColumnKeepsToTheRelatedRowScope(t *testing.T) {
	onBoth(t, func(t *testing.T, d string) {
		s := newShop(t, d, "/admin")
		f := s.seed(4)
		if got := s.get("/product/?o=name").column("Category"); !slices.Equal(got, []string{"Kitchen", "Garden", "Kitchen", "Garden"}) {
			t.Errorf("category column %q", got)
		}
		s.res.Category.Scope = func(context.Context, entadmin.User) (entadmin.Predicate, error) {
			return category.ID(f.kitchen.ID), nil
		}
		// The products stay; a category the user may not see is not named.
		if got := s.get("/product/?o=name").column("Category"); !slices.Equal(got, []string{"Kitchen", "(not set)", "Kitchen", "(not set)"}) {
			t.Errorf("scoped category column %q", got)
		}
	})
}
