package rbac_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/entadmin/entadmin/internal/testdb"
	"github.com/entadmin/entadmin/policy/condition"
	"github.com/entadmin/entadmin/rbac"
)

func TestBeyondListsWhatASubjectHoldsThatTheUserDoesNot(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.Postgres(t))
	ctx := t.Context()
	e := f.enforcer(t)
	staff, editors, chief := rbac.GroupSubject(f.staff), rbac.GroupSubject(f.editors), rbac.GroupSubject(f.chief)
	grant(t, e,
		[3]string{staff, "product", "view"},
		[3]string{editors, "product", "change"},
		[3]string{chief, "order", "delete"},
	)
	for _, fr := range []struct {
		subject string
		a       rbac.Access
	}{{staff, rbac.Hidden}, {chief, rbac.ReadOnly}} {
		if err := e.SetFieldAccess(ctx, fr.subject, "product", "cost_price", fr.a); err != nil {
			t.Fatal(err)
		}
	}
	f.client.ObjectGrant.Create().SetGroupID(f.editors).SetResource("order").SetObjectID("7").SetAction("change").ExecX(ctx)
	f.client.ObjectGrant.Create().SetUserID(f.carol).SetResource("order").SetObjectID("7").SetAction("change").ExecX(ctx)
	f.client.ObjectGrant.Create().SetUserID(f.carol).SetResource("order").SetObjectID("8").SetAction("view").ExecX(ctx)

	tests := []struct {
		name      string
		user      int
		subject   string
		want      []string
		wantLevel rbac.Access // the user's FieldLevel of product.cost_price
	}{
		{"a member of staff holds all that staff gives", f.bob, staff, nil, rbac.Hidden},
		{"staff holds less than the chief", f.alice, rbac.UserSubject(f.bob), nil, rbac.ReadOnly},
		{"the chief group gives its own and its parents' rules, field rules and object grants", f.bob, chief,
			[]string{"“change” on product", "“delete” on order", "“readonly” access to product.cost_price", "“change” on order 7"}, rbac.Hidden},
		{"a user's grants are compared with the user's", f.bob, rbac.UserSubject(f.alice),
			[]string{"“change” on product", "“delete” on order", "“readonly” access to product.cost_price", "“change” on order 7"}, rbac.Hidden},
		{"an object grant the user holds too is not beyond", f.carol, editors, []string{"“change” on product", "“view” on product"}, rbac.Hidden},
		{"view comes with change", f.alice, rbac.UserSubject(f.carol), []string{"“view” on order 8"}, rbac.ReadOnly},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Beyond(ctx, tt.user, tt.subject)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			slices.Sort(tt.want)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Beyond(user:%d, %s) = %q, want %q", tt.user, tt.subject, got, tt.want)
			}
			if a := e.FieldLevel(tt.user, "product", "cost_price"); a != tt.wantLevel {
				t.Errorf("FieldLevel(user:%d, product.cost_price) = %v, want %v", tt.user, a, tt.wantLevel)
			}
		})
	}
}

func TestChangeImpliesViewAlsoForRulesWithConditions(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testdb.Postgres(t))
	e := f.enforcer(t)
	grantIf(t, e, rbac.UserSubject(f.carol), "product", "change", &condition.Set{CIDR: []string{"10.0.0.0/8"}})
	inside, outside := netip.MustParseAddr("10.1.2.3"), netip.MustParseAddr("192.0.2.1")
	runChecks(t, e, []checkCase{
		{name: "view from inside the range", req: rbac.Request{UserID: f.carol, Resource: "product", Action: "view", ClientAddr: inside}, allow: true},
		{name: "view from outside", req: rbac.Request{UserID: f.carol, Resource: "product", Action: "view", ClientAddr: outside}, failed: "outside 10.0.0.0/8"},
		{name: "delete is not implied", req: rbac.Request{UserID: f.carol, Resource: "product", Action: "delete", ClientAddr: inside}},
	})
	f.deny(t, e, rbac.UserSubject(f.carol), "product/42", "view")
	runChecks(t, e, []checkCase{
		{name: "a deny of view wins", req: rbac.Request{UserID: f.carol, Resource: "product", ObjectID: "42", Action: "view", ClientAddr: inside}},
		{name: "elsewhere view stays", req: rbac.Request{UserID: f.carol, Resource: "product", ObjectID: "41", Action: "view", ClientAddr: inside}, allow: true},
	})
}
