package rbac_test

import (
	"slices"
	"testing"

	"github.com/casbin/casbin/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/internal/testdb"
	"github.com/entadmin/entadmin/policy"
	"github.com/entadmin/entadmin/rbac"
)

// TestAdapter drives the adapter through casbin's own API.
func TestAdapter(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.Postgres(t))
	ctx := t.Context()
	m, err := policy.Model()
	if err != nil {
		t.Fatal(err)
	}
	e, err := casbin.NewEnforcer(m, rbac.NewAdapter(f.client))
	if err != nil {
		t.Fatal(err)
	}
	u, g := rbac.UserSubject, rbac.GroupSubject
	groupsOf := func(id int) []int {
		return f.client.User.Query().Where(user.ID(id)).QueryGroups().Order(group.ByID()).IDsX(ctx)
	}
	parentOf := func(id int) int { return f.client.Group.GetX(ctx, id).ParentID }
	stored := func() [][]string {
		var rules [][]string
		for _, r := range f.client.PolicyRule.Query().AllX(ctx) {
			rules = append(rules, []string{r.Ptype, r.V0, r.V1, r.V2, r.V3, r.V4})
		}
		slices.SortFunc(rules, slices.Compare)
		return rules
	}
	check := func(name string, ok bool, err error) {
		t.Helper()
		if err != nil || !ok {
			t.Fatalf("%s = %v, %v", name, ok, err)
		}
	}

	t.Run("loading derives the g rules from the edges", func(t *testing.T) {
		got, err := e.GetGroupingPolicy()
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			{u(f.alice), g(f.chief)}, {u(f.bob), g(f.staff)},
			{g(f.editors), g(f.staff)}, {g(f.chief), g(f.editors)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("g rules (-want +got):\n%s", diff)
		}
	})

	t.Run("adding a user to a group adds the edge", func(t *testing.T) {
		ok, err := e.AddGroupingPolicy(u(f.carol), g(f.editors))
		check("AddGroupingPolicy", ok, err)
		if got := groupsOf(f.carol); !slices.Equal(got, []int{f.editors}) {
			t.Errorf("carol's groups = %v, want [%d]", got, f.editors)
		}
	})

	t.Run("removing a user from a group removes the edge", func(t *testing.T) {
		ok, err := e.RemoveGroupingPolicy(u(f.carol), g(f.editors))
		check("RemoveGroupingPolicy", ok, err)
		if got := groupsOf(f.carol); len(got) != 0 {
			t.Errorf("carol's groups = %v, want none", got)
		}
	})

	t.Run("removing a parent clears it", func(t *testing.T) {
		ok, err := e.RemoveGroupingPolicy(g(f.chief), g(f.editors))
		check("RemoveGroupingPolicy", ok, err)
		if got := parentOf(f.chief); got != 0 {
			t.Errorf("chief's parent = %d, want none", got)
		}
	})

	t.Run("adding a parent sets it", func(t *testing.T) {
		ok, err := e.AddGroupingPolicy(g(f.chief), g(f.staff))
		check("AddGroupingPolicy", ok, err)
		if got := parentOf(f.chief); got != f.staff {
			t.Errorf("chief's parent = %d, want %d", got, f.staff)
		}
	})

	t.Run("a group cannot get a second parent", func(t *testing.T) {
		if _, err := e.AddGroupingPolicy(g(f.chief), g(f.editors)); err == nil {
			t.Error("AddGroupingPolicy succeeded, want an error")
		}
		if got := parentOf(f.chief); got != f.staff {
			t.Errorf("chief's parent = %d, want %d", got, f.staff)
		}
	})

	t.Run("grouping rules must name a user or group and a group", func(t *testing.T) {
		for _, r := range [][]string{{u(f.alice), u(f.bob)}, {"alice", g(f.staff)}, {g(f.staff), g(f.staff)}} {
			if _, err := e.AddGroupingPolicy(r); err == nil {
				t.Errorf("AddGroupingPolicy(%q) succeeded, want an error", r)
			}
		}
	})

	t.Run("a filtered removal removes every member and child of a group", func(t *testing.T) {
		ok, err := e.RemoveFilteredGroupingPolicy(1, g(f.staff))
		check("RemoveFilteredGroupingPolicy", ok, err)
		if got := groupsOf(f.bob); len(got) != 0 {
			t.Errorf("bob's groups = %v, want none", got)
		}
		if parentOf(f.editors) != 0 || parentOf(f.chief) != 0 {
			t.Error("editors or chief still has staff as parent")
		}
		if got := groupsOf(f.alice); !slices.Equal(got, []int{f.chief}) {
			t.Errorf("alice's groups = %v, want [%d]", got, f.chief)
		}
	})

	t.Run("p and p2 rules are rows", func(t *testing.T) {
		ok, err := e.AddPolicies([][]string{{g(f.staff), "product", "view", "allow"}, {g(f.staff), "product", "change", "allow"}})
		check("AddPolicies", ok, err)
		ok, err = e.AddNamedPolicy("p2", g(f.staff), "product", "cost_price", "hidden", "allow")
		check("AddNamedPolicy", ok, err)
		ok, err = e.RemovePolicy(g(f.staff), "product", "view", "allow")
		check("RemovePolicy", ok, err)
		want := [][]string{
			{"p", g(f.staff), "product", "change", "allow", ""},
			{"p2", g(f.staff), "product", "cost_price", "hidden", "allow"},
		}
		if diff := cmp.Diff(want, stored()); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
		ok, err = e.RemoveFilteredNamedPolicy("p2", 1, "product")
		check("RemoveFilteredNamedPolicy", ok, err)
		if diff := cmp.Diff(want[:1], stored()); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
	})

	t.Run("saving rewrites the rows and leaves the edges alone", func(t *testing.T) {
		e.EnableAutoSave(false)
		if _, err := e.AddPolicy(u(f.alice), "order", "view", "allow"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.RemovePolicy(g(f.staff), "product", "change", "allow"); err != nil {
			t.Fatal(err)
		}
		if err := e.SavePolicy(); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([][]string{{"p", u(f.alice), "order", "view", "allow", ""}}, stored()); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
		if got := groupsOf(f.alice); !slices.Equal(got, []int{f.chief}) {
			t.Errorf("alice's groups = %v, want [%d]", got, f.chief)
		}
	})

	t.Run("a fresh enforcer loads the same policy", func(t *testing.T) {
		m, err := policy.Model()
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := casbin.NewEnforcer(m, rbac.NewAdapter(f.client))
		if err != nil {
			t.Fatal(err)
		}
		for _, sec := range []string{"p", "g"} {
			for ptype, saved := range e.GetModel()[sec] {
				want := slices.SortedFunc(slices.Values(saved.Policy), slices.Compare)
				got := slices.SortedFunc(slices.Values(fresh.GetModel()[sec][ptype].Policy), slices.Compare)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s rules (-saved +loaded):\n%s", ptype, diff)
				}
			}
		}
	})
}
