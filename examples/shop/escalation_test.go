package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/rbac"
)

func TestANonSuperuserCannotAddUsersToGroupsWhosePermissionsTheyLack(t *testing.T) {
	t.Parallel()
	a, eve, eveID := shopWithUsers(t)
	ctx := context.Background()
	admins := a.own.Group.Create().SetName("admins").SaveX(ctx)
	if err := a.enforcer.Grant(ctx, rbac.GroupSubject(admins.ID), "product", "delete"); err != nil {
		t.Fatal(err)
	}
	staff := a.own.Group.Query().Where(group.Name("staff")).OnlyX(ctx)
	// Eve may see groups, to choose them.
	if err := a.enforcer.Grant(ctx, rbac.GroupSubject(staff.ID), "group", "view"); err != nil {
		t.Fatal(err)
	}
	bobID := newStaff(t, a, "bob")
	bobForm := func(groups ...int) url.Values {
		v := url.Values{"username": {"bob"}, "is_active": {"on"}, "is_staff": {"on"}}
		for _, g := range groups {
			v.Add("groups", strconv.Itoa(g))
		}
		return v
	}
	path := "/user/" + strconv.Itoa(bobID) + "/"
	status, body := eve.do("POST", path, bobForm(admins.ID))
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "You cannot add users to the group “admins”") || !strings.Contains(body, "“delete” on product") {
		t.Errorf("adding bob to admins: status %d, want 422 naming the group and the missing permission\n%s", status, body)
	}
	if n := a.own.User.Query().Where(user.ID(bobID)).QueryGroups().CountX(ctx); n != 0 {
		t.Fatalf("bob is in %d groups after a refused change", n)
	}
	if status, body := eve.do("POST", path, bobForm(staff.ID)); status != http.StatusSeeOther {
		t.Errorf("adding bob to staff, whose permissions eve holds: status %d\n%.500s", status, body)
	}
	if !a.enforcer.Allowed(bobID, "product", "view") {
		t.Error("bob did not get staff's permissions")
	}

	// Object grants: not to oneself, and only what one holds.
	if err := a.enforcer.Grant(ctx, rbac.GroupSubject(staff.ID), "objectgrant", "add"); err != nil {
		t.Fatal(err)
	}
	grant := func(user int, action string) (int, string) {
		return eve.do("POST", "/objectgrant/add/", url.Values{"user": {strconv.Itoa(user)}, "resource": {"product"}, "object_id": {"1"}, "action": {action}})
	}
	if status, body := grant(eveID, "view"); status != http.StatusUnprocessableEntity || !strings.Contains(body, "your own permissions") {
		t.Errorf("an object grant to oneself: status %d", status)
	}
	if status, body := grant(bobID, "delete"); status != http.StatusUnprocessableEntity || !strings.Contains(body, "because you do not hold it") {
		t.Errorf("an object grant of delete, which eve lacks: status %d", status)
	}
	if status, _ := grant(bobID, "change"); status != http.StatusSeeOther {
		t.Errorf("an object grant of change, which eve holds: status %d", status)
	}
	if n := a.own.ObjectGrant.Query().CountX(ctx); n != 1 {
		t.Errorf("%d object grants, want the one allowed", n)
	}
}
