package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/entadmin/entadmin/ent/auditentry"
)

// chosenColumns returns the column chooser's checkboxes of a list page:
// each column's name and whether it is shown.
func chosenColumns(t *testing.T, b *browserless, path string) map[string]bool {
	t.Helper()
	status, page := b.do("GET", path, nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, status)
	}
	cols := map[string]bool{}
	for _, m := range regexp.MustCompile(`name="col" value="([^"]+)"( checked)?`).FindAllStringSubmatch(page, -1) {
		cols[m[1]] = m[2] != ""
	}
	if len(cols) < 2 {
		t.Fatalf("%s offers %d columns to choose from", path, len(cols))
	}
	return cols
}

// TestHiddenColumnsFollowTheUserToAnotherBrowser: the column chooser's
// choice is stored with the user, not the browser; other users keep every
// column, and the choice is not an entry of the audit log.
func TestHiddenColumnsFollowTheUserToAnotherBrowser(t *testing.T) {
	t.Parallel()
	a, eve, eveID := shopWithUsers(t)
	ctx := context.Background()
	entries := func() int {
		return a.own.AuditEntry.Query().Where(auditentry.Resource("user"), auditentry.ObjectID(strconv.Itoa(eveID)), auditentry.Action("change")).CountX(ctx)
	}
	cols := chosenColumns(t, eve, "/product/")
	hide := "status"
	if _, ok := cols[hide]; !ok {
		t.Fatalf("no %q column to hide among %v", hide, cols)
	}
	form := url.Values{"_changelist_filters": {"o=name"}}
	for name := range cols {
		if name != hide {
			form.Add("col", name)
		}
	}
	before := entries()
	if status, _ := eve.do("POST", "/product/columns/", form); status != http.StatusSeeOther {
		t.Fatalf("choosing columns: status %d", status)
	}
	if n := entries(); n != before {
		t.Errorf("choosing columns wrote %d audit entries about the user", n-before)
	}

	elsewhere := login(t, eve.base, "eve", "editor password")
	if got := chosenColumns(t, elsewhere, "/product/"); got[hide] || len(got) != len(cols) {
		t.Errorf("in another browser eve's columns are %v, want %q hidden", got, hide)
	}
	root, _ := superuser(t, a, eve.base)
	if got := chosenColumns(t, root, "/product/"); !got[hide] {
		t.Errorf("another user's list hides %q too", hide)
	}

	// Showing every column again clears the choice.
	form.Add("col", hide)
	if status, _ := elsewhere.do("POST", "/product/columns/", form); status != http.StatusSeeOther {
		t.Fatalf("showing every column: status %d", status)
	}
	if got := chosenColumns(t, eve, "/product/"); !got[hide] {
		t.Error("the column stays hidden after showing it again")
	}
	if prefs := a.own.User.GetX(ctx, eveID).Preferences; len(prefs) != 0 {
		t.Errorf("preferences left behind: %v", prefs)
	}
}
