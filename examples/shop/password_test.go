package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestTheChangePasswordFormForSuperusersAndTheUserThemself(t *testing.T) {
	t.Parallel()
	a, eve, eveID := shopWithUsers(t)
	ctx := context.Background()
	root, _ := superuser(t, a, eve.base)
	bobID := newStaff(t, a, "bob")
	bob, eveURL := "/user/"+strconv.Itoa(bobID)+"/password/", "/user/"+strconv.Itoa(eveID)+"/password/"
	bobHash := a.own.User.GetX(ctx, bobID).PasswordHash

	// Not for someone else's password, unless superuser.
	if status, _ := eve.do("GET", bob, nil); status != http.StatusForbidden {
		t.Errorf("eve GET bob's password form: status %d, want 403", status)
	}
	if status, _ := eve.do("POST", bob, url.Values{"password1": {"a new long password"}, "password2": {"a new long password"}}); status != http.StatusForbidden {
		t.Errorf("eve POST bob's password: status %d, want 403", status)
	}
	if a.own.User.GetX(ctx, bobID).PasswordHash != bobHash {
		t.Fatal("eve changed bob's password")
	}
	if _, form := eve.do("GET", "/user/"+strconv.Itoa(bobID)+"/", nil); strings.Contains(form, `href="/admin/user/`+strconv.Itoa(bobID)+`/password/"`) {
		t.Error("bob's form offers eve to change his password")
	}
	if _, form := eve.do("GET", "/user/"+strconv.Itoa(eveID)+"/", nil); !strings.Contains(form, `href="/admin`+eveURL+`"`) {
		t.Error("eve's own form does not link to her change-password form")
	}

	// Her own: the current password, a minimum length, a confirmation.
	status, page := eve.do("GET", eveURL, nil)
	if status != http.StatusOK || !strings.Contains(page, `name="current"`) || strings.Contains(page, "argon2") {
		t.Fatalf("eve's password form: status %d, or no current password, or a hash shown", status)
	}
	other := login(t, eve.base, "eve", "editor password") // another browser
	for _, c := range []struct {
		form       url.Values
		field, msg string
	}{
		{url.Values{"current": {"wrong"}, "password1": {"a new long password"}, "password2": {"a new long password"}}, "current", "This is not your current password."},
		{url.Values{"current": {"editor password"}, "password1": {"short"}, "password2": {"short"}}, "password1", "at least 12 characters"},
		{url.Values{"current": {"editor password"}, "password1": {"a new long password"}, "password2": {"another long password"}}, "password2", "The two passwords differ."},
	} {
		status, body := eve.do("POST", eveURL, c.form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, c.msg) || !strings.Contains(body, `id="id_`+c.field+`-error"`) {
			t.Errorf("%v: status %d, want 422 with %q on %s", c.form, status, c.msg, c.field)
		}
	}
	status, _ = eve.do("POST", eveURL, url.Values{"current": {"editor password"}, "password1": {"a new long password"}, "password2": {"a new long password"}})
	if status != http.StatusSeeOther {
		t.Fatalf("eve changes her password: status %d", status)
	}
	if status, _ := eve.do("GET", "/", nil); status != http.StatusOK {
		t.Errorf("eve's own session ended: status %d", status)
	}
	if status, _ := other.do("GET", "/", nil); status != http.StatusSeeOther {
		t.Errorf("eve's other session still works: status %d, want a redirect to the login page", status)
	}
	login(t, eve.base, "eve", "a new long password")

	// A superuser sets bob's without knowing the current one.
	if _, form := root.do("GET", "/user/"+strconv.Itoa(bobID)+"/", nil); !strings.Contains(form, `href="/admin/user/`+strconv.Itoa(bobID)+`/password/"`) {
		t.Error("bob's form does not offer the superuser to change his password")
	}
	if status, page := root.do("GET", bob, nil); status != http.StatusOK || strings.Contains(page, `name="current"`) {
		t.Errorf("root's form for bob: status %d, or it asks for bob's current password", status)
	}
	if status, _ := root.do("POST", bob, url.Values{"password1": {"bob's new password"}, "password2": {"bob's new password"}}); status != http.StatusSeeOther {
		t.Fatalf("root changes bob's password: status %d", status)
	}
	login(t, eve.base, "bob", "bob's new password")
	if status, _ := root.do("GET", "/user/99999/password/", nil); status != http.StatusNotFound {
		t.Errorf("an unknown user: status %d, want 404", status)
	}
}
