package main

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"testing"

	"github.com/entadmin/entadmin/ent/session"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin/password"
)

// sessionsOf counts the sessions of the user with the id.
func sessionsOf(t *testing.T, a *app, id int) int {
	t.Helper()
	return a.own.Session.Query().Where(session.HasUserWith(user.ID(id))).CountX(context.Background())
}

// loggedOut reports whether the client's session no longer works: the
// dashboard sends it to the login page.
func loggedOut(b *browserless) bool {
	status, _ := b.do("GET", "/", nil)
	return status == http.StatusSeeOther
}

func TestLogoutEndsAStaffUsersSession(t *testing.T) {
	t.Parallel()
	a, eve, eveID := shopWithUsers(t)
	// Eve holds no permission on sessions: her row scope on them is empty.
	old := login(t, eve.base, "eve", "editor password")
	cookies := old.http.Jar.Cookies(mustURL(t, eve.base+"/"))
	if status, _ := old.do("POST", "/logout/", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("logout: status %d", status)
	}
	if n := sessionsOf(t, a, eveID); n != 1 {
		t.Errorf("eve has %d sessions after logging one of two out, want 1", n)
	}
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(mustURL(t, eve.base+"/"), cookies)
	replay := &browserless{t: t, base: eve.base, http: &http.Client{Jar: jar, CheckRedirect: old.http.CheckRedirect}}
	if !loggedOut(replay) {
		t.Error("the cookie of the ended session still works")
	}
	if loggedOut(eve) {
		t.Error("logging out one browser ended eve's other session")
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestAStaffUsersSessionsEndWhenTheAdminDeactivatesRepasswordsOrDeletesThem(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	root, _ := superuser(t, a, eve.base)
	base := eve.base
	bobForm := func(active bool) url.Values {
		v := url.Values{"username": {"bob"}, "is_staff": {"on"}}
		if active {
			v.Set("is_active", "on")
		}
		return v
	}

	bobID := newStaff(t, a, "bob")
	bob := login(t, base, "bob", "pw of bob")
	path := "/user/" + strconv.Itoa(bobID) + "/"
	if status, _ := root.do("POST", path, url.Values{"username": {"bob"}, "email": {"bob@example.com"}, "is_active": {"on"}, "is_staff": {"on"}}); status != http.StatusSeeOther {
		t.Fatalf("root changes bob's email: status %d", status)
	}
	if loggedOut(bob) {
		t.Fatal("changing bob's email ended his session")
	}
	if status, _ := root.do("POST", path, bobForm(false)); status != http.StatusSeeOther {
		t.Fatalf("root deactivates bob: status %d", status)
	}
	if !loggedOut(bob) || sessionsOf(t, a, bobID) != 0 {
		t.Error("bob's session survived his deactivation in the user form")
	}

	root.do("POST", path, bobForm(true))
	bob = login(t, base, "bob", "pw of bob")
	if status, _ := root.do("POST", path+"password/", url.Values{"password1": {"bob's new password"}, "password2": {"bob's new password"}}); status != http.StatusSeeOther {
		t.Fatalf("root changes bob's password: status %d", status)
	}
	if !loggedOut(bob) || sessionsOf(t, a, bobID) != 0 {
		t.Error("bob's session survived the change of his password")
	}
	if loggedOut(root) {
		t.Error("changing bob's password ended root's session")
	}

	login(t, base, "bob", "bob's new password")
	if status, _ := root.do("POST", path+"delete/", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("root deletes bob: status %d", status)
	}
	if n := a.own.Session.Query().Where(session.Not(session.HasUser())).CountX(context.Background()); n != 0 || sessionsOf(t, a, bobID) != 0 {
		t.Errorf("%d sessions left of deleted users", n)
	}

	carolID := newStaff(t, a, "carol")
	carol := login(t, base, "carol", "pw of carol")
	form := url.Values{"action": {"delete_selected"}, "_selected": {strconv.Itoa(carolID)}, "_confirm": {"yes"}}
	if status, _ := root.do("POST", "/user/", form); status != http.StatusSeeOther {
		t.Fatalf("root deletes carol with the bulk action: status %d", status)
	}
	if !loggedOut(carol) || a.own.User.Query().Where(user.ID(carolID)).ExistX(context.Background()) {
		t.Error("carol or her session survived the bulk delete")
	}
}

func TestTheApplicationsOwnWritesEndTheSessionsOfTheUsersTheyDeactivateOrRepassword(t *testing.T) {
	t.Parallel()
	a, eve, eveID := shopWithUsers(t)
	ctx := context.Background()
	base := eve.base
	bobID := newStaff(t, a, "bob")
	bob := login(t, base, "bob", "pw of bob")

	// A bulk update ends the sessions of the rows it changes only.
	a.own.User.Update().Where(user.IDIn(bobID, eveID), user.Username("bob")).SetIsActive(false).ExecX(ctx)
	if !loggedOut(bob) {
		t.Error("bob's session survived a bulk deactivation")
	}
	if loggedOut(eve) {
		t.Error("a bulk deactivation of bob ended eve's session")
	}

	a.own.User.UpdateOneID(bobID).SetIsActive(true).ExecX(ctx)
	bob = login(t, base, "bob", "pw of bob")
	hash, _ := password.Hash("bob's new password")
	tx, err := a.own.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx.User.UpdateOneID(bobID).SetPasswordHash(hash).ExecX(ctx)
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if loggedOut(bob) {
		t.Error("a rolled back change of bob's password ended his session")
	}
	a.own.User.UpdateOneID(bobID).SetPasswordHash(hash).ExecX(ctx)
	if !loggedOut(bob) {
		t.Error("bob's session survived the change of his password")
	}
	bob = login(t, base, "bob", "bob's new password")
	a.own.User.UpdateOneID(bobID).ClearPasswordHash().ExecX(ctx)
	if !loggedOut(bob) {
		t.Error("bob's session survived the removal of his password")
	}
}
