package rbac_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/google/go-cmp/cmp"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/internal/testdb"
	"github.com/entadmin/entadmin/rbac"
)

// fixture is a database with three groups, staff ← editors ← chief (each
// inherits from the one on its left), and three users: alice in chief, bob
// in staff, carol in no group.
type fixture struct {
	client                *ent.Client
	staff, editors, chief int
	alice, bob, carol     int
}

// schemaMu serialises Schema.Create: it changes the ent package's table
// definitions, so that two at once race (ent/ent#4519).
var schemaMu sync.Mutex

func newFixture(t *testing.T, db *testdb.DB) *fixture {
	t.Helper()
	ctx := t.Context()
	client := ent.NewClient(ent.Driver(entsql.OpenDB(db.Dialect, db.DB)))
	schemaMu.Lock()
	err := client.Schema.Create(ctx)
	schemaMu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	staff := client.Group.Create().SetName("staff").SaveX(ctx)
	editors := client.Group.Create().SetName("editors").SetParent(staff).SaveX(ctx)
	chief := client.Group.Create().SetName("chief").SetParent(editors).SaveX(ctx)
	return &fixture{
		client:  client,
		staff:   staff.ID,
		editors: editors.ID,
		chief:   chief.ID,
		alice:   client.User.Create().SetUsername("alice").AddGroups(chief).SaveX(ctx).ID,
		bob:     client.User.Create().SetUsername("bob").AddGroups(staff).SaveX(ctx).ID,
		carol:   client.User.Create().SetUsername("carol").SaveX(ctx).ID,
	}
}

// enforcer returns a new Enforcer over the fixture's client.
func (f *fixture) enforcer(t *testing.T, opts ...rbac.Option) *rbac.Enforcer {
	t.Helper()
	e, err := rbac.New(t.Context(), f.client, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// grant grants each {subject, resource, action}.
func grant(t *testing.T, e *rbac.Enforcer, rules ...[3]string) {
	t.Helper()
	for _, r := range rules {
		if err := e.Grant(t.Context(), r[0], r[1], r[2]); err != nil {
			t.Fatal(err)
		}
	}
}

// deny stores a deny rule directly through ent and reloads e.
func (f *fixture) deny(t *testing.T, e *rbac.Enforcer, subject, resource, action string) {
	t.Helper()
	f.client.PolicyRule.Create().SetPtype("p").SetV0(subject).SetV1(resource).SetV2(action).SetV3("deny").SaveX(t.Context())
	if err := e.Reload(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// permissions is the fixture of TestAllowed, TestEffective and TestExplain:
// staff may view and delete products and do anything to reports, editors
// may change products but not delete them, carol may change product 42.
func (f *fixture) permissions(t *testing.T) *rbac.Enforcer {
	t.Helper()
	e := f.enforcer(t)
	staff, editors := rbac.GroupSubject(f.staff), rbac.GroupSubject(f.editors)
	grant(t, e,
		[3]string{staff, "product", "view"},
		[3]string{staff, "product", "delete"},
		[3]string{staff, "report", "*"},
		[3]string{editors, "product", "change"},
		[3]string{rbac.UserSubject(f.carol), "product/42", "change"},
	)
	f.deny(t, e, editors, "product", "delete")
	return e
}

func TestAllowed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.Postgres(t))
	e := f.permissions(t)

	tests := []struct {
		name             string
		user             int
		resource, action string
		want             bool
	}{
		{"a grant on staff reaches alice through chief and editors", f.alice, "product", "view", true},
		{"a grant on staff reaches bob, a direct member", f.bob, "product", "view", true},
		{"a grant on editors does not reach bob, who is only in staff", f.bob, "product", "change", false},
		{"a deny on editors beats the allow on staff", f.alice, "product", "delete", false},
		{"the deny on editors does not touch bob", f.bob, "product", "delete", true},
		{"a grant on the model covers each object", f.alice, "product/7", "view", true},
		{"the action * covers any action", f.alice, "report", "export", true},
		{"an object grant works for its object", f.carol, "product/42", "change", true},
		{"an object grant does not work for another object", f.carol, "product/7", "change", false},
		{"an object grant does not work for the whole model", f.carol, "product", "change", false},
		{"an object grant gives no other action", f.carol, "product/42", "delete", false},
		{"an unknown user may do nothing", 1_000_000, "product", "view", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.Allowed(tt.user, tt.resource, tt.action); got != tt.want {
				t.Errorf("Allowed(%d, %q, %q) = %v, want %v", tt.user, tt.resource, tt.action, got, tt.want)
			}
		})
	}
}

func TestGrantAndRevoke(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.Postgres(t))
	e := f.enforcer(t)
	ctx := t.Context()
	staff := rbac.GroupSubject(f.staff)

	steps := []struct {
		name   string
		change func() error
		want   bool
	}{
		{"nothing is granted at first", func() error { return nil }, false},
		{"a grant to staff allows bob", func() error { return e.Grant(ctx, staff, "order", "view") }, true},
		{"granting it again changes nothing", func() error { return e.Grant(ctx, staff, "order", "view") }, true},
		{"revoking it takes it away", func() error { return e.Revoke(ctx, staff, "order", "view") }, false},
		{"revoking it again changes nothing", func() error { return e.Revoke(ctx, staff, "order", "view") }, false},
		{"revoking leaves a deny alone", func() error {
			f.deny(t, e, staff, "order", "view")
			if err := e.Grant(ctx, staff, "order", "view"); err != nil {
				return err
			}
			return e.Revoke(ctx, staff, "order", "view")
		}, false},
	}
	for _, s := range steps {
		if err := s.change(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := e.Allowed(f.bob, "order", "view"); got != s.want {
			t.Errorf("%s: Allowed = %v, want %v", s.name, got, s.want)
		}
	}
	if n := f.client.PolicyRule.Query().Where(policyrule.V3("deny")).CountX(ctx); n != 1 {
		t.Errorf("deny rules left = %d, want 1", n)
	}

	for _, sub := range []string{"", "alice", "user:", "user:x", "user:0", "user:01", "role:1", "group:-1"} {
		if err := e.Grant(ctx, sub, "order", "view"); err == nil {
			t.Errorf("Grant(%q) succeeded, want an error", sub)
		}
	}
	if err := e.Grant(ctx, staff, "", "view"); err == nil {
		t.Error("Grant with an empty resource succeeded, want an error")
	}
}

func TestFieldAccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.Postgres(t))
	e := f.enforcer(t)
	ctx := t.Context()
	staff, editors := rbac.GroupSubject(f.staff), rbac.GroupSubject(f.editors)
	for _, r := range []struct {
		sub, field string
		a          rbac.Access
	}{
		{staff, "cost_price", rbac.Hidden},
		{editors, "cost_price", rbac.ReadOnly},
		{staff, "sku", rbac.Write},
		{editors, "sku", rbac.Hidden},
	} {
		if err := e.SetFieldAccess(ctx, r.sub, "product", r.field, r.a); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name         string
		user         int
		field        string
		want         rbac.Access
		wantExplicit bool
	}{
		{"staff hidden and editors readonly give alice, in both, readonly", f.alice, "cost_price", rbac.ReadOnly, true},
		{"bob, only in staff, gets hidden", f.bob, "cost_price", rbac.Hidden, true},
		{"a less permissive rule further down does not take write away", f.alice, "sku", rbac.Write, true},
		{"a field without rules is not explicit", f.alice, "name", rbac.Hidden, false},
		{"a user without groups has no rule", f.carol, "cost_price", rbac.Hidden, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, explicit := e.FieldAccess(tt.user, "product", tt.field)
			if got != tt.want || explicit != tt.wantExplicit {
				t.Errorf("FieldAccess(%d, product, %s) = %v, %v; want %v, %v", tt.user, tt.field, got, explicit, tt.want, tt.wantExplicit)
			}
		})
	}

	t.Run("setting access again replaces the subject's rule", func(t *testing.T) {
		if err := e.SetFieldAccess(ctx, staff, "product", "cost_price", rbac.Write); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.FieldAccess(f.bob, "product", "cost_price"); got != rbac.Write {
			t.Errorf("bob's access = %v, want write", got)
		}
		n := f.client.PolicyRule.Query().Where(policyrule.Ptype("p2"), policyrule.V0(staff), policyrule.V2("cost_price")).CountX(ctx)
		if n != 1 {
			t.Errorf("staff has %d rules for cost_price, want 1", n)
		}
	})

	t.Run("an invalid access level is an error", func(t *testing.T) {
		if err := e.SetFieldAccess(ctx, staff, "product", "cost_price", rbac.Write+1); err == nil {
			t.Error("SetFieldAccess(Access(3)) succeeded, want an error")
		}
	})
}

func TestEffective(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.Postgres(t))
	e := f.permissions(t)
	alice := rbac.UserSubject(f.alice)
	chief := fmt.Sprintf("group:%d (chief)", f.chief)
	editors := fmt.Sprintf("group:%d (editors)", f.editors)
	staff := fmt.Sprintf("group:%d (staff)", f.staff)

	tests := []struct {
		name string
		user int
		want []rbac.Permission
	}{
		{"alice's permissions come through chief, editors and staff, without the denied delete", f.alice, []rbac.Permission{
			{Resource: "product", Action: "change", Via: []string{alice, chief, editors}},
			{Resource: "product", Action: "view", Via: []string{alice, chief, editors, staff}},
			{Resource: "report", Action: "*", Via: []string{alice, chief, editors, staff}},
		}},
		{"carol's own grant comes via herself", f.carol, []rbac.Permission{
			{Resource: "product/42", Action: "change", Via: []string{rbac.UserSubject(f.carol)}},
		}},
		{"an unknown user has none", 1_000_000, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Effective(t.Context(), tt.user)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Effective(%d) mismatch (-want +got):\n%s", tt.user, diff)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.Postgres(t))
	e := f.permissions(t)
	alice, carol := rbac.UserSubject(f.alice), rbac.UserSubject(f.carol)
	staff, editors := rbac.GroupSubject(f.staff), rbac.GroupSubject(f.editors)
	chain := fmt.Sprintf("%s → group:%d (chief) → %s (editors)", alice, f.chief, editors)

	tests := []struct {
		name             string
		user             int
		resource, action string
		want             rbac.Explanation
	}{
		{"a grant names the group that holds it and the chain to it", f.alice, "product", "view", rbac.Explanation{
			Allowed: true,
			Reason:  fmt.Sprintf("allowed by the rule of %s (staff) (%s, product, view, allow), reached through %s → %s (staff)", staff, staff, chain, staff),
			Rule:    []string{staff, "product", "view", "allow"},
		}},
		{"a deny names the group that holds it", f.alice, "product", "delete", rbac.Explanation{
			Reason: fmt.Sprintf("denied by the rule of %s (editors) (%s, product, delete, deny), reached through %s", editors, editors, chain),
			Rule:   []string{editors, "product", "delete", "deny"},
		}},
		{"a user's own grant needs no chain", f.carol, "product/42", "change", rbac.Explanation{
			Allowed: true,
			Reason:  fmt.Sprintf("allowed by the rule of %s (%s, product/42, change, allow)", carol, carol),
			Rule:    []string{carol, "product/42", "change", "allow"},
		}},
		{"without a matching rule it says nothing grants it", f.carol, "product", "change", rbac.Explanation{
			Reason: "denied: no rule grants change on product to " + carol,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Explain(t.Context(), tt.user, tt.resource, tt.action)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Explain mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGroupsChanged(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.Postgres(t))
	e := f.enforcer(t)
	ctx := t.Context()
	grant(t, e, [3]string{rbac.GroupSubject(f.staff), "product", "view"})

	steps := []struct {
		name   string
		change func()
		want   bool
	}{
		{"alice starts with staff's grant", func() {}, true},
		{"clearing editors' parent cuts alice off staff", func() {
			f.client.Group.UpdateOneID(f.editors).ClearParent().ExecX(ctx)
		}, false},
		{"making chief a child of staff brings it back", func() {
			f.client.Group.UpdateOneID(f.chief).SetParentID(f.staff).ExecX(ctx)
		}, true},
		{"taking alice out of chief takes it away", func() {
			f.client.User.UpdateOneID(f.alice).RemoveGroupIDs(f.chief).ExecX(ctx)
		}, false},
		{"putting alice in staff gives it back", func() {
			f.client.User.UpdateOneID(f.alice).AddGroupIDs(f.staff).ExecX(ctx)
		}, true},
	}
	for _, s := range steps {
		before := e.Allowed(f.alice, "product", "view")
		s.change()
		if got := e.Allowed(f.alice, "product", "view"); got != before {
			t.Errorf("%s: Allowed changed before GroupsChanged", s.name)
		}
		if err := e.GroupsChanged(ctx); err != nil {
			t.Fatal(err)
		}
		if got := e.Allowed(f.alice, "product", "view"); got != s.want {
			t.Errorf("%s: Allowed = %v, want %v", s.name, got, s.want)
		}
	}
}

func TestNewEnforcerSeesStoredPolicy(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.Postgres(t))
	ctx := t.Context()
	e := f.permissions(t)
	if err := e.SetFieldAccess(ctx, rbac.GroupSubject(f.editors), "product", "cost_price", rbac.ReadOnly); err != nil {
		t.Fatal(err)
	}

	fresh := f.enforcer(t)
	for _, user := range []int{f.alice, f.bob, f.carol} {
		want, err := e.Effective(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fresh.Effective(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("user %d: the fresh enforcer's permissions differ (-first +fresh):\n%s", user, diff)
		}
	}
	if a, explicit := fresh.FieldAccess(f.alice, "product", "cost_price"); a != rbac.ReadOnly || !explicit {
		t.Errorf("fresh FieldAccess = %v, %v; want readonly, true", a, explicit)
	}
	if fresh.Allowed(f.alice, "product", "delete") {
		t.Error("the fresh enforcer lost the deny rule")
	}
}

// eventually reports whether cond holds within d, polling it.
func eventually(d time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(d); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// twoInstances checks that changes made through a reach b within d.
func twoInstances(t *testing.T, f *fixture, a, b *rbac.Enforcer, d time.Duration) {
	t.Helper()
	ctx := t.Context()
	staff, chief := rbac.GroupSubject(f.staff), rbac.GroupSubject(f.chief)
	steps := []struct {
		name   string
		change func() error
		user   int
		want   bool
	}{
		{"a grant reaches the other instance", func() error { return a.Grant(ctx, staff, "invoice", "view") }, f.bob, true},
		{"a revoke reaches the other instance", func() error { return a.Revoke(ctx, staff, "invoice", "view") }, f.bob, false},
		{"a grant to a child group reaches the other instance", func() error { return a.Grant(ctx, chief, "invoice", "view") }, f.alice, true},
		{"a membership change reaches the other instance", func() error {
			if err := f.client.User.UpdateOneID(f.alice).ClearGroups().Exec(ctx); err != nil {
				return err
			}
			return a.GroupsChanged(ctx)
		}, f.alice, false},
	}
	for _, s := range steps {
		if err := s.change(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		start := time.Now()
		if !eventually(d, func() bool { return b.Allowed(s.user, "invoice", "view") == s.want }) {
			t.Fatalf("%s: not within %v", s.name, d)
		}
		t.Logf("%s: after %v", s.name, time.Since(start).Round(time.Millisecond))
	}
}
