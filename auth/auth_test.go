package auth

import (
	"context"
	"testing"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
)

func TestNewRefusesShortSecrets(t *testing.T) {
	t.Parallel()
	if _, err := New(nil, testSecret); err == nil {
		t.Error("New accepted no client")
	}
	if _, err := New(ent.NewClient(), []byte("too short")); err == nil {
		t.Error("New accepted a 9-byte secret")
	}
	if _, err := New(ent.NewClient(), testSecret, WithIdleTimeout(0)); err == nil {
		t.Error("New accepted an idle timeout of 0")
	}
}

func TestAllowed(t *testing.T) {
	t.Parallel()
	var asked []string
	a, err := New(ent.NewClient(), testSecret, WithPermissions(func(_ context.Context, u *User, action entadmin.Action, slug string) bool {
		asked = append(asked, u.Username+" "+string(action)+" "+slug)
		return action == entadmin.ActionView
	}))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := New(ent.NewClient(), testSecret)
	ctx := context.Background()
	super := &User{User: &ent.User{Username: "root", IsActive: true, IsSuperuser: true}}
	staff := &User{User: &ent.User{Username: "alice", IsActive: true, IsStaff: true}}
	inactive := &User{User: &ent.User{Username: "gone", IsStaff: true}}
	for _, tc := range []struct {
		a      *Authorizer
		u      entadmin.User
		action entadmin.Action
		want   bool
	}{
		{a, nil, entadmin.ActionView, false},
		{a, (*User)(nil), entadmin.ActionView, false},
		{a, super, entadmin.ActionDelete, true},
		{a, staff, entadmin.ActionView, true},
		{a, staff, entadmin.ActionDelete, false},
		{a, inactive, entadmin.ActionView, false},
		{plain, staff, entadmin.ActionView, false},
		{plain, super, entadmin.ActionView, true},
	} {
		if got := tc.a.Allowed(ctx, tc.u, tc.action, "product"); got != tc.want {
			t.Errorf("Allowed(%v, %s) = %v, want %v", tc.u, tc.action, got, tc.want)
		}
	}
	if len(asked) != 2 || asked[0] != "alice view product" {
		t.Errorf("the permissions func was asked %q, want only for alice", asked)
	}
}
