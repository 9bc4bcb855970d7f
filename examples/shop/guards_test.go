package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/rbac"
)

// peers is the shop with a superuser (root), a product editor (pete, in
// "product editors": view and change on products) and a user manager (uma,
// in "user managers": view, change and delete on users, every right on
// groups and policy rules), each logged in.
type peers struct {
	a                     *app
	root, pete, uma       *browserless
	rootID, peteID, umaID int
	editors, managers     int // the groups' ids
}

func newPeers(t *testing.T) *peers {
	t.Helper()
	a, eve, _ := shopWithUsers(t)
	ctx := context.Background()
	p := &peers{a: a}
	p.root, p.rootID = superuser(t, a, eve.base)
	p.peteID, p.umaID = newStaff(t, a, "pete"), newStaff(t, a, "uma")
	p.editors = a.own.Group.Create().SetName("product editors").AddUserIDs(p.peteID).SaveX(ctx).ID
	p.managers = a.own.Group.Create().SetName("user managers").AddUserIDs(p.umaID).SaveX(ctx).ID
	grants := map[int][]string{
		p.editors:  {"product.view", "product.change"},
		p.managers: {"user.view", "user.change", "user.delete", "group.view", "group.add", "group.change", "group.delete", "policyrule.view", "policyrule.add", "policyrule.change", "policyrule.delete"},
	}
	for g, perms := range grants {
		for _, perm := range perms {
			resource, action, _ := strings.Cut(perm, ".")
			if err := a.enforcer.Grant(ctx, rbac.GroupSubject(g), resource, action); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := a.enforcer.GroupsChanged(ctx); err != nil {
		t.Fatal(err)
	}
	p.pete = login(t, eve.base, "pete", "pw of pete")
	p.uma = login(t, eve.base, "uma", "pw of uma")
	return p
}

// userForm is the user form of an active staff user in the groups.
func userForm(username string, superuser bool, groups ...int) url.Values {
	v := url.Values{"username": {username}, "is_active": {"on"}, "is_staff": {"on"}}
	if superuser {
		v.Set("is_superuser", "on")
	}
	for _, g := range groups {
		v.Add("groups", strconv.Itoa(g))
	}
	return v
}

func TestAStaffUserCannotChangeDeactivateOrDeleteASuperuser(t *testing.T) {
	t.Parallel()
	p := newPeers(t)
	ctx := context.Background()
	root := "/user/" + strconv.Itoa(p.rootID) + "/"
	deactivate := userForm("root", true)
	deactivate.Del("is_active")
	const refusal = "Only superusers can change or delete the account of the superuser “root”"

	status, body := p.uma.do("POST", root, deactivate)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, refusal) {
		t.Errorf("uma deactivates root: status %d, want 422 with %q", status, refusal)
	}
	renamed := userForm("root2", true)
	if status, body := p.uma.do("POST", root, renamed); status != http.StatusUnprocessableEntity || !strings.Contains(body, refusal) {
		t.Errorf("uma renames root: status %d, want 422 with %q\n%.300s", status, refusal, body)
	}
	if status, body := p.uma.do("POST", root+"delete/", url.Values{}); status != http.StatusConflict || !strings.Contains(body, refusal) {
		t.Errorf("uma deletes root: status %d, want 409 with %q", status, refusal)
	}
	bulk := url.Values{"action": {"delete_selected"}, "_selected": {strconv.Itoa(p.rootID)}, "_confirm": {"yes"}}
	if status, _ := p.uma.do("POST", "/user/", bulk); status >= 500 {
		t.Errorf("uma deletes root in bulk: status %d", status)
	}
	got, err := p.a.own.User.Get(ctx, p.rootID)
	if err != nil || !got.IsActive || got.Username != "root" {
		t.Fatalf("root after uma's attempts: %+v, %v", got, err)
	}

	// A superuser may change another superuser.
	other := newStaff(t, p.a, "other root")
	p.a.own.User.UpdateOneID(other).SetIsSuperuser(true).ExecX(ctx)
	form := userForm("other root", true)
	form.Del("is_active")
	if status, body := p.root.do("POST", "/user/"+strconv.Itoa(other)+"/", form); status != http.StatusSeeOther {
		t.Errorf("root deactivates another superuser: status %d\n%.500s", status, body)
	}
	if p.a.own.User.GetX(ctx, other).IsActive {
		t.Error("the other superuser is still active")
	}
}

func TestAStaffUserManagesOnlyUsersWhoHoldNoMoreThanThey(t *testing.T) {
	t.Parallel()
	p := newPeers(t)
	ctx := context.Background()
	pete := "/user/" + strconv.Itoa(p.peteID) + "/"
	deactivated := userForm("pete", false, p.editors)
	deactivated.Del("is_active")
	status, body := p.uma.do("POST", pete, deactivated)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "You cannot change or delete the account of “pete”") || !strings.Contains(body, "“change” on product") {
		t.Errorf("uma deactivates pete, who may change products: status %d, want 422 naming the permission", status)
	}
	if status, _ := p.uma.do("POST", pete+"delete/", url.Values{}); status != http.StatusConflict {
		t.Errorf("uma deletes pete: status %d, want 409", status)
	}
	if status, _ := p.uma.do("POST", "/user/", url.Values{"action": {"delete_selected"}, "_selected": {strconv.Itoa(p.peteID)}, "_confirm": {"yes"}}); status >= 500 {
		t.Errorf("uma deletes pete in bulk: status %d", status)
	}
	if got, err := p.a.own.User.Get(ctx, p.peteID); err != nil || !got.IsActive {
		t.Fatalf("pete after uma's attempts: %+v, %v", got, err)
	}

	// An ordinary user who holds a part of uma's permissions: uma may
	// change and delete them.
	helpers := p.a.own.Group.Create().SetName("helpers").SaveX(ctx)
	if err := p.a.enforcer.Grant(ctx, rbac.GroupSubject(helpers.ID), "user", "view"); err != nil {
		t.Fatal(err)
	}
	olga := newStaff(t, p.a, "olga")
	p.a.own.User.UpdateOneID(olga).AddGroupIDs(helpers.ID).ExecX(ctx)
	if err := p.a.enforcer.GroupsChanged(ctx); err != nil {
		t.Fatal(err)
	}
	form := userForm("olga", false, helpers.ID)
	form.Del("is_active")
	if status, body := p.uma.do("POST", "/user/"+strconv.Itoa(olga)+"/", form); status != http.StatusSeeOther {
		t.Errorf("uma deactivates olga, who holds less: status %d\n%.500s", status, body)
	}
	if p.a.own.User.GetX(ctx, olga).IsActive {
		t.Error("olga is still active")
	}
	if status, _ := p.uma.do("POST", "/user/"+strconv.Itoa(olga)+"/delete/", url.Values{}); status != http.StatusSeeOther {
		t.Errorf("uma deletes olga: status %d", status)
	}

	// The superuser manages pete.
	if status, body := p.root.do("POST", pete, deactivated); status != http.StatusSeeOther {
		t.Errorf("root deactivates pete: status %d\n%.500s", status, body)
	}
	if p.a.own.User.GetX(ctx, p.peteID).IsActive {
		t.Error("pete is still active after root deactivated him")
	}
}

func TestEveryKindOfRuleGrantsOnlyWhatTheGrantorHolds(t *testing.T) {
	t.Parallel()
	p := newPeers(t)
	ctx := context.Background()
	editors := rbac.GroupSubject(p.editors)
	rule := func(ptype, v0, v1, v2, v3, v4 string) url.Values {
		return url.Values{"ptype": {ptype}, "v0": {v0}, "v1": {v1}, "v2": {v2}, "v3": {v3}, "v4": {v4}}
	}
	rules := func() int { return p.a.own.PolicyRule.Query().CountX(ctx) }
	before := rules()

	// Uma holds nothing on products.
	for _, c := range []struct {
		name string
		form url.Values
		want string
	}{
		{"a permission", rule("p", editors, "product", "delete", "allow", ""), "You cannot grant the “delete” permission on product"},
		{"field access", rule("p2", editors, "product", "cost_price", "write", "allow"), "You cannot give “write” access to product.cost_price"},
		{"read access to a field", rule("p2", editors, "product", "cost_price", "readonly", "allow"), "You cannot give “readonly” access to product.cost_price"},
		{"a rule of another type", rule("g", editors, rbac.GroupSubject(p.managers), "", "", ""), "Only superusers can write rules of type"},
	} {
		if status, body := p.uma.do("POST", "/policyrule/add/", c.form); status != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) {
			t.Errorf("%s: status %d, want 422 with %q", c.name, status, c.want)
		}
	}
	if n := rules(); n != before {
		t.Fatalf("%d rules were saved", n-before)
	}
	// Restricting is not granting.
	if status, body := p.uma.do("POST", "/policyrule/add/", rule("p2", editors, "product", "cost_price", "hidden", "allow")); status != http.StatusSeeOther {
		t.Errorf("uma hides cost_price from the editors: status %d\n%.500s", status, body)
	}
	hidden := p.a.own.PolicyRule.Query().Where(policyrule.Ptype("p2"), policyrule.V0(editors)).OnlyX(ctx)
	// But lifting a restriction on what one does not hold is granting.
	if status, body := p.uma.do("POST", "/policyrule/"+strconv.Itoa(hidden.ID)+"/delete/", url.Values{}); status != http.StatusConflict || !strings.Contains(body, "You cannot remove or change the rule limiting access to product.cost_price") {
		t.Errorf("uma deletes the rule hiding cost_price: status %d, want 409", status)
	}
	if status, _ := p.uma.do("POST", "/policyrule/"+strconv.Itoa(hidden.ID)+"/", rule("p2", editors, "product", "cost_price", "write", "allow")); status != http.StatusUnprocessableEntity {
		t.Errorf("uma turns the hidden rule into a write rule: status %d, want 422", status)
	}
	deny := p.a.own.PolicyRule.Create().SetPtype("p").SetV0(editors).SetV1("product").SetV2("change").SetV3("deny").SaveX(ctx)
	if status, _ := p.uma.do("POST", "/policyrule/"+strconv.Itoa(deny.ID)+"/delete/", url.Values{}); status != http.StatusConflict {
		t.Errorf("uma deletes a deny rule on what she lacks: status %d, want 409", status)
	}
	// Conditions: dropping them from a rule on what one lacks grants it
	// more widely.
	cond := rule("p", editors, "product", "delete", "allow", "")
	cond.Set("conditions", `{"cidr": ["10.0.0.0/8"]}`)
	if status, body := p.root.do("POST", "/policyrule/add/", cond); status != http.StatusSeeOther {
		t.Fatalf("root adds a rule with conditions: status %d\n%.500s", status, body)
	}
	conditional := p.a.own.PolicyRule.Query().Where(policyrule.V2("delete"), policyrule.V0(editors)).OnlyX(ctx)
	cond.Set("conditions", "")
	if status, _ := p.uma.do("POST", "/policyrule/"+strconv.Itoa(conditional.ID)+"/", cond); status != http.StatusUnprocessableEntity {
		t.Errorf("uma drops the conditions of a rule on what she lacks: status %d, want 422", status)
	}
	if p.a.own.PolicyRule.GetX(ctx, conditional.ID).Conditions.Empty() {
		t.Error("the conditions were dropped")
	}

	// What uma holds she may grant, and the superuser may do all of it.
	if status, body := p.uma.do("POST", "/policyrule/add/", rule("p", editors, "user", "view", "allow", "")); status != http.StatusSeeOther {
		t.Errorf("uma grants user view, which she holds: status %d\n%.500s", status, body)
	}
	if status, _ := p.root.do("POST", "/policyrule/add/", rule("p2", rbac.GroupSubject(p.managers), "product", "cost_price", "write", "allow")); status != http.StatusSeeOther {
		t.Errorf("root gives write access to cost_price: status %d", status)
	}
	if status, _ := p.root.do("POST", "/policyrule/"+strconv.Itoa(deny.ID)+"/delete/", url.Values{}); status != http.StatusSeeOther {
		t.Errorf("root deletes the deny rule: status %d", status)
	}
	if !p.a.enforcer.Allowed(p.peteID, "product", "change") {
		t.Error("pete may not change products once the deny rule is gone")
	}
}

func TestGroupParentsAndMembersGiveOnlyWhatTheActorHolds(t *testing.T) {
	t.Parallel()
	p := newPeers(t)
	ctx := context.Background()
	groups := func() int { return p.a.own.Group.Query().CountX(ctx) }
	before := groups()

	// A new group under a parent whose permissions uma holds.
	status, body := p.uma.do("POST", "/group/add/", url.Values{"name": {"junior managers"}, "parent": {strconv.Itoa(p.managers)}})
	if status != http.StatusSeeOther {
		t.Fatalf("uma adds a group under her own: status %d\n%.500s", status, body)
	}
	// Under one whose permissions she lacks.
	status, body = p.uma.do("POST", "/group/add/", url.Values{"name": {"junior editors"}, "parent": {strconv.Itoa(p.editors)}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "You cannot choose “product editors” as the parent group") || !strings.Contains(body, "“change” on product") {
		t.Errorf("uma adds a group under the product editors: status %d, want 422 naming the missing permission\n%.500s", status, body)
	}
	if n := groups(); n != before+1 {
		t.Fatalf("%d groups were added, want 1", n-before)
	}
	juniorID := p.a.own.Group.Query().Where(group.Name("junior managers")).OnlyIDX(ctx)
	// Moving an existing group under the editors.
	if status, _ := p.uma.do("POST", "/group/"+strconv.Itoa(juniorID)+"/", url.Values{"name": {"junior managers"}, "parent": {strconv.Itoa(p.editors)}}); status != http.StatusUnprocessableEntity {
		t.Errorf("uma moves a group under the product editors: status %d, want 422", status)
	}
	if g := p.a.own.Group.GetX(ctx, juniorID); g.ParentID != p.managers {
		t.Errorf("the group's parent is %d, want %d", g.ParentID, p.managers)
	}
	// Renaming it, its parent sent back unchanged, is fine.
	if status, body := p.uma.do("POST", "/group/"+strconv.Itoa(juniorID)+"/", url.Values{"name": {"juniors"}, "parent": {strconv.Itoa(p.managers)}}); status != http.StatusSeeOther {
		t.Errorf("uma renames the group: status %d\n%.500s", status, body)
	}
	// Adding a user to the editors through the user form.
	olga := newStaff(t, p.a, "olga")
	if status, body := p.uma.do("POST", "/user/"+strconv.Itoa(olga)+"/", userForm("olga", false, p.editors)); status != http.StatusUnprocessableEntity || !strings.Contains(body, "You cannot add users to the group “product editors”") {
		t.Errorf("uma puts olga among the product editors: status %d, want 422", status)
	}
	// Taking olga out of a group that restricts what uma lacks, or
	// deleting it, lifts the restriction.
	noDeletes := p.a.own.Group.Create().SetName("no deletes").AddUserIDs(olga).SaveX(ctx)
	p.a.own.PolicyRule.Create().SetPtype("p").SetV0(rbac.GroupSubject(noDeletes.ID)).SetV1("product").SetV2("delete").SetV3("deny").ExecX(ctx)
	if status, body := p.uma.do("POST", "/user/"+strconv.Itoa(olga)+"/", userForm("olga", false)); status != http.StatusUnprocessableEntity || !strings.Contains(body, "You cannot take users out of the group “no deletes”") {
		t.Errorf("uma takes olga out of a group denying what she lacks: status %d, want 422", status)
	}
	if status, _ := p.uma.do("POST", "/group/"+strconv.Itoa(noDeletes.ID)+"/delete/", url.Values{}); status != http.StatusConflict {
		t.Errorf("uma deletes a group denying what she lacks: status %d, want 409", status)
	}
	if n := p.a.own.Group.Query().Where(group.ID(noDeletes.ID), group.HasUsers()).CountX(ctx); n != 1 {
		t.Fatal("the group or its member is gone")
	}
	// The superuser may do it all.
	if status, _ := p.root.do("POST", "/group/"+strconv.Itoa(juniorID)+"/", url.Values{"name": {"juniors"}, "parent": {strconv.Itoa(p.editors)}}); status != http.StatusSeeOther {
		t.Errorf("root moves the group under the product editors: status %d", status)
	}
	if status, _ := p.root.do("POST", "/user/"+strconv.Itoa(olga)+"/", userForm("olga", false, p.editors)); status != http.StatusSeeOther {
		t.Errorf("root puts olga among the product editors: status %d", status)
	}
	if !p.a.enforcer.Allowed(olga, "product", "change") {
		t.Error("olga did not get the editors' permissions")
	}
	if status, _ := p.root.do("POST", "/group/"+strconv.Itoa(noDeletes.ID)+"/delete/", url.Values{}); status != http.StatusSeeOther {
		t.Errorf("root deletes the group: status %d", status)
	}
}

func TestUnknownKeysInConditionsAreRefusedByName(t *testing.T) {
	t.Parallel()
	p := newPeers(t)
	ctx := context.Background()
	before := p.a.own.PolicyRule.Query().CountX(ctx)
	form := url.Values{"ptype": {"p"}, "v0": {rbac.GroupSubject(p.editors)}, "v1": {"product"}, "v2": {"delete"}, "v3": {"allow"},
		"conditions": {`{"cidrs": ["10.0.0.0/8"]}`}}
	status, body := p.root.do("POST", "/policyrule/add/", form)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "unknown key &#34;cidrs&#34;") {
		t.Errorf("conditions with the key cidrs: status %d, want 422 naming the key", status)
	}
	if !strings.Contains(body, "cidrs") || !strings.Contains(body, "10.0.0.0/8") {
		t.Error("the form did not keep the conditions as typed")
	}
	form.Set("conditions", `{"time": {"form": "08:00", "to": "18:00"}}`)
	if status, body := p.root.do("POST", "/policyrule/add/", form); status != http.StatusUnprocessableEntity || !strings.Contains(body, "unknown key &#34;form&#34;") {
		t.Errorf("a time window with the key form: status %d, want 422 naming the key", status)
	}
	doc := `{"version": 1, "groups": [], "memberships": [], "field_grants": [], "object_grants": [],
		"grants": [{"subject": "group:product editors", "resource": "product", "action": "delete", "effect": "allow", "conditions": {"cidrs": ["10.0.0.0/8"]}}]}`
	if status, body := p.root.do("POST", "/rbac/import/", url.Values{"document": {doc}, "mode": {"merge"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "cidrs") {
		t.Errorf("importing conditions with the key cidrs: status %d, want 422 naming the key", status)
	}
	if n := p.a.own.PolicyRule.Query().CountX(ctx); n != before {
		t.Errorf("%d rules were saved", n-before)
	}
	if p.a.enforcer.Allowed(p.peteID, "product", "delete") {
		t.Error("pete may delete products")
	}
}

func TestChangeImpliesViewForAStaffUserWithOnlyChange(t *testing.T) {
	t.Parallel()
	p := newPeers(t)
	ctx := context.Background()
	carl := newStaff(t, p.a, "carl")
	if err := p.a.enforcer.Grant(ctx, rbac.UserSubject(carl), "product", "change"); err != nil {
		t.Fatal(err)
	}
	c := login(t, p.uma.base, "carl", "pw of carl")
	id := strconv.Itoa(p.a.db.client.Product.Query().FirstX(ctx).ID)
	if status, _ := c.do("GET", "/product/", nil); status != http.StatusOK {
		t.Errorf("carl lists products: status %d, want 200", status)
	}
	status, body := c.do("GET", "/product/"+id+"/", nil)
	if status != http.StatusOK || !strings.Contains(body, `name="cost_price"`) || !strings.Contains(body, `type="submit"`) {
		t.Errorf("carl opens a product: status %d, want 200 with cost_price writable", status)
	}
	// A deny of view still wins over the change that implies it.
	deny := p.a.own.PolicyRule.Create().SetPtype("p").SetV0(rbac.UserSubject(carl)).SetV1("product").SetV2("view").SetV3("deny").SaveX(ctx)
	if status, _ := c.do("GET", "/product/", nil); status != http.StatusForbidden {
		t.Errorf("carl lists products despite a deny of view: status %d, want 403", status)
	}
	p.a.own.PolicyRule.DeleteOne(deny).ExecX(ctx)
	// And a deny of change does not take view away from who holds it.
	p.a.own.PolicyRule.Create().SetPtype("p").SetV0(rbac.GroupSubject(p.editors)).SetV1("product").SetV2("change").SetV3("deny").ExecX(ctx)
	if status, _ := p.pete.do("GET", "/product/", nil); status != http.StatusOK {
		t.Errorf("pete, denied change, lists products: status %d, want 200", status)
	}
	if status, _ := p.pete.do("POST", "/product/"+id+"/", url.Values{"name": {"x"}}); status != http.StatusForbidden {
		t.Errorf("pete, denied change, saves a product: status %d, want 403", status)
	}
}
